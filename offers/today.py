"""The offers' counters on the home page (accounts/today.py). Advisors: new offers of the
region not read yet, and their youths' proposals with news (a state changed in the last
7 days: seen, interview, hired, declined or withdrawn). Recruiters: proposals to review,
interviews under way, offers sent back. Project leads: offers to validate and the
recruitments to accompany (Art. 4). Each counts through the list's own function."""

from __future__ import annotations

from django.utils.translation import ngettext

from accounts.today import TodayItem, as_query, list_url

from .enums import OfferStatus, ProposalStatus
from .permissions import can_browse_offers, can_post_offer
from .views.lists import (
    my_offers_listed,
    new_offer_notices,
    proposals_listed,
    region_offers_listed,
)


def today_items(user, scope) -> list[TodayItem]:
    items = []
    if scope.mission_locale_ids and can_browse_offers(user):
        unread = new_offer_notices(user, {"unread": "1"}).count()
        items.append(
            TodayItem(
                ngettext(
                    "%(n)s nouvelle offre dans la région",
                    "%(n)s nouvelles offres dans la région",
                    unread,
                )
                % {"n": unread},
                unread,
                list_url("offers:new_offers", {"unread": "1"}),
                20,
            )
        )
        items.append(
            _proposals(
                user,
                {"news": "1", "mine": "1"},
                lambda n: (
                    ngettext(
                        "%(n)s candidature de vos jeunes a changé ces 7 derniers jours",
                        "%(n)s candidatures de vos jeunes ont changé ces 7 derniers jours",
                        n,
                    )
                    % {"n": n}
                ),
                22,
            )
        )
    if scope.company_ids and can_post_offer(user):
        items.append(
            _proposals(
                user,
                {"status": ProposalStatus.PROPOSED},
                lambda n: (
                    ngettext("%(n)s candidature à examiner", "%(n)s candidatures à examiner", n)
                    % {"n": n}
                ),
                20,
            )
        )
        items.append(
            _proposals(
                user,
                {"status": ProposalStatus.INTERVIEW},
                lambda n: (
                    ngettext("%(n)s candidat en entretien", "%(n)s candidats en entretien", n)
                    % {"n": n}
                ),
                21,
            )
        )
        params = {"sent_back": "1"}
        _form, sent_back = my_offers_listed(user, as_query(params))
        n = sent_back.count()
        items.append(
            TodayItem(
                ngettext(
                    "%(n)s offre renvoyée par le chargé de projet",
                    "%(n)s offres renvoyées par le chargé de projet",
                    n,
                )
                % {"n": n},
                n,
                list_url("offers:my_offers", params),
                22,
            )
        )
    if scope.lead_region_ids:
        items.append(
            _region_offers(
                user,
                {"status": OfferStatus.SUBMITTED},
                lambda n: ngettext("%(n)s offre à valider", "%(n)s offres à valider", n) % {"n": n},
                20,
            )
        )
        items.append(
            _region_offers(
                user,
                {"accompaniment": "1"},
                lambda n: (
                    ngettext(
                        "%(n)s recrutement de plus de dix postes à accompagner",
                        "%(n)s recrutements de plus de dix postes à accompagner",
                        n,
                    )
                    % {"n": n}
                ),
                21,
            )
        )
    return items


def _proposals(user, params, label, order) -> TodayItem:
    """`label(n)` says the count in words (a literal ngettext, for the catalogue)."""
    _form, proposals = proposals_listed(user, as_query(params))
    n = proposals.count()
    return TodayItem(label(n), n, list_url("offers:proposal_list", params), order)


def _region_offers(user, params, label, order) -> TodayItem:
    _form, _waiting, offers, _filtered = region_offers_listed(user, as_query(params))
    n = offers.count()
    return TodayItem(label(n), n, list_url("offers:region_offers", params), order)
