"""The board's cards (`offers.sharing.board_cards_youths`) show a youth exactly as
`proposal_youth_as_seen` does, in every situation: consent given, withdrawn or never
recorded, the file anonymised, before and after the interview, youths of two missions
locales on one board, for the company, the youth's advisor, another mission locale and
an admin. The rule is asked once per kind of card, and each card still gets its own
youth's texts. The board builds each card's texts once per page: the page says what the
template's tags said."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership
from accounts.scope import get_scope
from candidates.enums import PathwayStage, YouthStatus
from offers.board_rows import board_card_proposals, company_board_offer
from offers.enums import DeclineReason, ProposalStatus
from offers.models import Offer, Proposal
from offers.sharing import board_cards_youths, proposal_youth_as_seen
from tests.candidates.factories import YouthFactory

from .factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db

CONSENTS = ("given", "withdrawn", "never", "anonymised")


def _youth(world, consent: str, n: int, *, aix: bool = False):
    youth = YouthFactory(
        mission_locale=world.ml_aix if aix else world.ml,
        advisor=world.advisor_aix if aix else world.advisor,
        consented=consent != "never",
        first_name=f"Prénom{n}",
        last_name=f"Nom{n}",
        in_stage=PathwayStage.IMMERSION,
    )
    if consent == "withdrawn":
        type(youth).objects.filter(pk=youth.pk).update(consent_withdrawn_at=timezone.now())
    elif consent == "anonymised":
        type(youth).objects.filter(pk=youth.pk).update(status=YouthStatus.ANONYMISED)
    return youth


def _propose(offer, youth, status):
    reason = DeclineReason.PROFILE_MISMATCH if status == ProposalStatus.DECLINED else ""
    return ProposalFactory(offer=offer, youth=youth, status=status, decline_reason=reason)


def test_a_card_shows_the_youth_as_the_proposal_pages_do(world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    # Two youths of each kind (mission locale, consent, status), born on different
    # days: a card of a kind already met still names its own youth.
    kinds = itertools.product((False, True), CONSENTS, ProposalStatus.values, (0, 1))
    for n, (aix, consent, status, twin) in enumerate(kinds):
        youth = _youth(world, consent, n, aix=aix)
        type(youth).objects.filter(pk=youth.pk).update(
            birth_date=youth.birth_date - datetime.timedelta(days=400 * twin)
        )
        _propose(offer, youth, status)
    today = timezone.localdate()
    viewers = (world.recruiter, world.advisor, world.advisor_aix, world.admin)
    checked = set()
    for viewer in viewers:
        proposals = board_card_proposals(offer)
        cards = board_cards_youths(viewer, proposals, today=today)
        assert len(cards) == len(proposals) == 2 * 2 * len(CONSENTS) * len(ProposalStatus)
        for proposal, card in zip(proposals, cards, strict=True):
            full = Proposal.objects.select_related("youth", "offer").get(pk=proposal.pk)
            seen = proposal_youth_as_seen(viewer, full)
            assert card.is_hidden == seen.is_hidden
            if seen.is_hidden:
                assert card.placeholder == seen.label
            else:
                assert card.label == seen.label
                assert card.shared_label == seen.profile["label"]
                assert card.age == seen.profile["age"]
                assert PathwayStage(card.stage).label == seen.profile["pathway_stage"]
            checked.add((seen.is_hidden, seen.label == str(full.youth)))
    # Hidden cards, shared labels and full names all met.
    assert checked == {(True, False), (False, False), (False, True)}


def test_the_board_reads_its_cards_in_one_query(client, world, django_assert_num_queries):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    for n, status in enumerate(ProposalStatus.values):
        _propose(offer, _youth(world, "given", n), status)
    get_scope(world.recruiter)  # read once per request, by every page
    with django_assert_num_queries(1):
        cards = board_cards_youths(
            world.recruiter, board_card_proposals(offer), today=timezone.localdate()
        )
    assert len(cards) == len(ProposalStatus.values)


def test_the_board_escapes_names_and_keeps_its_texts(client, world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    youth = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="<b>Zoé</b>",
        last_name="O'Brien",
        in_stage=PathwayStage.DISCOVERY,
    )
    proposal = ProposalFactory(offer=offer, youth=youth)
    client.force_login(world.recruiter)
    body = client.get(reverse("offers:offer_board", args=[offer.pk])).content.decode()
    assert "<b>Zoé</b>" not in body
    assert "Sélectionner &lt;b&gt;Zoé&lt;/b&gt; O." in body
    assert f'<a href="{reverse("offers:proposal_detail", args=[proposal.pk])}">' in body
    assert f"{youth.age} ans · Découverte des métiers" in body
    day = timezone.localtime(proposal.created_at).strftime("%d/%m/%Y")
    assert f"proposé(e) le {day}" in body


def test_the_board_head_reads_the_offer_of_the_recruiters_one_company(world):
    """`company_board_offer` gives what the ORM's offer gives the head (job, company,
    state, positions, the accompanying person), and nothing to anyone whose board it
    is not, nor to an admin (the view then asks `visible_to`)."""
    offer = OfferFactory(company=world.company, job_role=world.role, published=True, positions=12)
    Offer.objects.filter(pk=offer.pk).update(accompanied_by=world.lead)
    full = Offer.objects.select_related("company", "job_role", "accompanied_by").get(pk=offer.pk)
    head = company_board_offer(world.recruiter, offer.pk)
    for name in ("pk", "company_id", "region_id", "status", "positions", "positions_filled"):
        assert getattr(head, name) == getattr(full, name)
    assert str(head.job_role) == str(full.job_role)
    assert str(head.company) == str(full.company)
    assert head.accompanied_by.get_full_name() == full.accompanied_by.get_full_name()
    assert head.accompanied_by.email == full.accompanied_by.email
    assert head.needs_accompaniment
    alone = OfferFactory(company=world.company, job_role=world.role, published=True)
    assert company_board_offer(world.recruiter, alone.pk).accompanied_by is None
    for user in (world.other_recruiter, world.advisor, world.lead, world.admin):
        assert company_board_offer(user, offer.pk) is None
    assert company_board_offer(world.recruiter, 0) is None
    # A recruiter of two companies: each one's offers.
    Membership.objects.create(
        user=world.other_recruiter, organisation=world.company, role=Role.RECRUITER
    )
    world.other_recruiter.__dict__.pop("_portal_scope", None)
    assert company_board_offer(world.other_recruiter, offer.pk).pk == offer.pk


def test_the_board_head_names_the_offer_and_its_accompanying_person(client, world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True, positions=12)
    Offer.objects.filter(pk=offer.pk).update(accompanied_by=world.lead)
    client.force_login(world.recruiter)
    body = client.get(reverse("offers:offer_board", args=[offer.pk])).content.decode()
    assert f"{world.role.name} · {world.company.name}" in body
    assert "Accompagnement CEPL · Nadia Haddad" in body
    # Another company's recruiter may not see the offer (404); the region's advisor may,
    # but the board is the company's (403); an admin opens it.
    url = reverse("offers:offer_board", args=[offer.pk])
    for user, status in ((world.other_recruiter, 404), (world.advisor, 403), (world.admin, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status


def test_a_cards_day_is_the_local_day_of_the_proposal(world):
    """`created_day` is read by the database in the portal's time zone: a proposal made
    at 23:30 UTC in winter is of the next day in Paris."""
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    proposal = _propose(offer, _youth(world, "given", 0), ProposalStatus.PROPOSED)
    late = datetime.datetime(2026, 1, 14, 23, 30, tzinfo=datetime.UTC)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=late)
    (card,) = board_card_proposals(offer)
    assert card.created_day == timezone.localtime(late).date()
    assert card.created_day.isoformat() == "2026-01-15"


def test_the_board_sections_are_the_columns_as_the_template_wrote_them():
    """`board_sections` writes each column as the template's loop did: the stage's
    label escaped, its count, its cards, or "Aucune" for a column without any."""
    from django.template import engines

    from offers.views.board import board_sections

    columns = [
        ("proposed", "Proposée <b>", 1, "<article>x</article>"),
        ("hired", "Embauché", 0, ""),
    ]
    loop = engines["django"].from_string(
        "{% load i18n %}{% for value, label, count, cards in columns %}\n"
        '  <section class="col-md-4 col-xl-2" aria-labelledby="col-{{ value }}">\n'
        '    <div class="board-column p-2 h-100">\n'
        '      <h2 class="h6" id="col-{{ value }}">{{ label }} '
        '<span class="badge text-bg-secondary">{{ count }}</span></h2>\n'
        "      \n"
        "      {% if count %}{{ cards|safe }}{% else %}"
        '<p class="small text-body-secondary">{% translate "Aucune" %}</p>{% endif %}\n'
        "    </div>\n"
        "  </section>\n  {% endfor %}"
    )
    assert board_sections(columns) == loop.render({"columns": columns})
    assert "Proposée &lt;b&gt;" in board_sections(columns)


def test_a_cards_youth_holds_the_consent_instants_the_orm_gives(world):
    """The consent instants, read as UTC wall times (`UTCWallTime`), are made aware
    again: the same values, of the same time zone, as the ORM's, None kept None."""
    from candidates.models import Youth

    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    for n, consent in enumerate(CONSENTS):
        _propose(offer, _youth(world, consent, n), ProposalStatus.PROPOSED)
    met = set()
    for proposal in board_card_proposals(offer):
        full = Youth.objects.get(pk=proposal.youth_id)
        for name in ("consent_shared_at", "consent_withdrawn_at"):
            instant, expected = getattr(proposal.youth, name), getattr(full, name)
            assert instant == expected
            assert (instant and instant.utcoffset()) == (expected and expected.utcoffset())
            met.add((name, instant is None))
        assert proposal.youth.has_sharing_consent == full.has_sharing_consent
    assert len(met) == 4  # each instant met set and unset
