"""The rows the offers lists write in Python (the advisors' published offers, the
recruiter's offers, the board's cards): every stored text a row shows comes out escaped
as Django's templates escape it, and the offer's badges are those of
`offers/_offer_badges.html`, which the offer's page and the region's list still include."""

from __future__ import annotations

from html import escape

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.enums import Role
from accounts.filter_fields import render_filter_field
from candidates.enums import PathwayStage
from offers.enums import DeclineReason, OfferStatus, ProposalStatus
from offers.views.lists import _my_offers_rows
from tests.accounts.factories import OrganisationFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.payloads import STORABLE

from .factories import JobRoleFactory, OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _shows_escaped(body: str, text: str) -> None:
    assert escape(text) in body
    if escape(text) != text:
        assert text not in body


@pytest.mark.parametrize("payload", STORABLE, ids=str)
def test_the_published_offers_escape_what_a_row_shows(client, world, payload):
    company = OrganisationFactory(company=True, region=world.paca, name=payload.text)
    role = JobRoleFactory(name=payload.text[:100])
    OfferFactory(company=company, job_role=role, published=True, city=payload.text[:100])
    client.force_login(world.advisor)
    for headers in ({}, {"HX-Request": "true"}):
        body = client.get(reverse("offers:browse_offers"), headers=headers).content.decode()
        _shows_escaped(body, payload.text)
        _shows_escaped(body, payload.text[:100])


@pytest.mark.parametrize("payload", STORABLE, ids=str)
def test_the_recruiters_offers_escape_what_a_row_shows(client, world, payload):
    role = JobRoleFactory(name=payload.text[:100])
    lead = make_member(Role.PROJECT_LEAD, region=world.paca, first_name=payload.text[:150])
    OfferFactory(
        company=world.company,
        job_role=role,
        published=True,
        positions=12,
        accompanied_by=lead,
        city=payload.text[:100],
    )
    client.force_login(world.recruiter)
    body = client.get(reverse("offers:my_offers")).content.decode()
    _shows_escaped(body, payload.text[:100])
    _shows_escaped(body, f"{payload.text[:150]} {lead.last_name}")


@pytest.mark.parametrize("payload", STORABLE, ids=str)
def test_the_board_escapes_what_a_card_shows(client, world, payload):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    for status in ProposalStatus.values:
        youth = YouthFactory(
            mission_locale=world.ml,
            advisor=world.advisor,
            consented=True,
            first_name=payload.text[:100],
            last_name=payload.text[:100],
            in_stage=PathwayStage.DISCOVERY,
        )
        reason = DeclineReason.NO_SHOW if status == ProposalStatus.DECLINED else ""
        ProposalFactory(offer=offer, youth=youth, status=status, decline_reason=reason)
    client.force_login(world.recruiter)
    body = client.get(reverse("offers:offer_board", args=[offer.pk])).content.decode()
    # The shared label on the cards and their boxes, the full name from the interview on.
    _shows_escaped(body, youth.shared_label)
    _shows_escaped(body, str(youth))
    assert escape(str(DeclineReason.NO_SHOW.label)) in body


def test_the_badges_are_those_of_the_offers_template(world):
    named = make_member(Role.PROJECT_LEAD, region=world.paca, first_name="Léa", last_name="")
    unnamed = make_member(Role.PROJECT_LEAD, region=world.paca, first_name="", last_name="")
    offers = [
        OfferFactory(company=world.company, job_role=world.role, status=status, **size)
        for status in OfferStatus.values
        for size in (
            {"positions": 10},
            {"positions": 11},
            {"positions": 12, "accompanied_by": named},
            {"positions": 12, "accompanied_by": unnamed},
        )
    ]
    rows = str(_my_offers_rows(world.company.offers.order_by("pk").as_my_offers_rows()))
    cells = [row.split("<td>", 2)[1].split("</td>")[0] for row in rows.split("<tr>")[1:]]
    assert len(cells) == len(offers)
    for offer, cell in zip(offers, cells, strict=True):
        # The same markup, the include's last line break aside.
        assert (
            cell.strip() == render_to_string("offers/_offer_badges.html", {"offer": offer}).strip()
        )


def test_the_job_role_filter_lists_every_job_role_as_the_model_field_does(world):
    """`JobRoleChoiceField` reads its choices through a compiled query: the same
    choices, in the same order, as Django's field over `JobRole.objects.all()` (an
    inactive job role too: offers may hold it), and a chosen one is kept."""
    from django import forms

    from offers.forms import OfferFilterForm
    from offers.models import JobRole

    JobRoleFactory(name="<b>Chargé</b> d'accueil", order=1)
    JobRoleFactory(name="Standardiste", order=50, is_active=False)
    django_field = forms.ModelChoiceField(queryset=JobRole.objects.all(), empty_label="Tous")
    expected = [(str(value), str(label)) for value, label in django_field.choices]
    form = OfferFilterForm()
    assert [(str(value), str(label)) for value, label in form.fields["job_role"].choices] == (
        expected
    )
    chosen = JobRole.objects.get(name="Standardiste")
    bound = OfferFilterForm({"job_role": str(chosen.pk)})
    assert bound.is_valid() and bound.cleaned_data["job_role"] == chosen
    assert f'<option value="{chosen.pk}" selected>Standardiste</option>' in str(
        render_filter_field(bound["job_role"])
    )
    assert "&lt;b&gt;Chargé&lt;/b&gt; d&#x27;accueil" in str(render_filter_field(form["job_role"]))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_lists_export_links_are_the_components(world, language):
    """`list_export_links` writes the export links as the templates' component wrote
    them (`tests/accounts/test_list_markup.py` keeps it), with the list's filters (a
    typed place among them) carried over and escaped."""
    from django.template import engines
    from django.utils import translation
    from django.utils.translation import gettext

    from offers.views.lists import list_export_links
    from reporting.exports import export_links
    from tests.accounts.test_list_markup import EXPORT_LINKS_TEMPLATE

    component = engines["django"].from_string(EXPORT_LINKS_TEMPLATE)
    with translation.override(language):
        label = gettext("Offres d'emploi publiées")
        for query in ("", "place=%3Cb%3E13"):
            expected = component.render(
                {"links": export_links("offers:browse_offers_export", query=query), "label": label}
            )
            drawn = list_export_links("offers:browse_offers_export", label, query)
            assert drawn == expected and "<b>" not in drawn
            assert (f"?{query}" in drawn) == bool(query)
