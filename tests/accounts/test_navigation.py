"""The header's navigation grouped by task, the breadcrumbs of the detail pages, and the
identity and legal pages of the footer."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.enums import Role
from accounts.navigation import Section, build_menu, build_navigation
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory
from tests.committees.factories import ActionPlanFactory, MeetingFactory
from tests.immersion.factories import CohortFactory, SessionFactory
from tests.offers.factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = [Role.ADVISOR, Role.ML_MANAGER, Role.RECRUITER, Role.PROJECT_LEAD, Role.NATIONAL]


def _nav(body: str) -> str:
    return body[
        body.index('aria-label="Navigation principale"') : body.index(
            "</nav>", body.index('aria-label="Navigation principale"')
        )
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_entry_has_a_section_and_the_top_row_stays_short(role):
    user = make_member(role)
    items = build_navigation(user)
    assert items
    assert all(item.section in Section.values for item in items)
    menu = build_menu(items, reverse("home"))
    assert 1 <= len(menu.sections) <= 6  # plus "Accueil": at most seven entries
    assert menu.home_current and not menu.pages


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_entry_of_the_menu_answers_403(client, role):
    """Every section and page link a user is shown opens for them."""
    user = make_member(role)
    client.force_login(user)
    for item in build_navigation(user):
        assert client.get(item.url, follow=True).status_code != 403, item.url_name


def test_the_current_section_and_page_are_marked(client):
    advisor = make_member(Role.ADVISOR)
    client.force_login(advisor)
    nav = _nav(client.get(reverse("candidates:due_this_week")).content.decode())
    # Top row: the section "Jeunes" is current, for the eye and for screen readers.
    assert re.search(r'class="nav-link active" href="/jeunes/" aria-current="true">Jeunes', nav)
    assert "(rubrique actuelle)" in nav
    # Second row: the section's pages, the current one with aria-current="page".
    assert 'aria-label="Pages de la rubrique Jeunes"' in nav
    assert f'href="{reverse("candidates:due_this_week")}" aria-current="page">Mes suivis' in nav
    assert f'href="{reverse("candidates:mentor_list")}">Parrains' in nav
    # Pages of other sections are not on the second row.
    assert reverse("offers:new_offers") not in nav


def test_a_detail_page_belongs_to_its_lists_section(client):
    advisor = make_member(Role.ADVISOR)
    youth = YouthFactory(advisor=advisor, mission_locale=advisor.memberships.get().organisation)
    client.force_login(advisor)
    nav = _nav(client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode())
    assert 'aria-current="true">Jeunes' in nav
    assert 'aria-current="page"' not in nav  # the youth's page is not an entry itself


def test_a_recruiters_offer_page_is_in_offers_with_its_pages():
    recruiter = make_member(Role.RECRUITER)
    menu = build_menu(build_navigation(recruiter), "/offres/12/")
    assert menu.section_label == "Offres"
    assert "Mes offres" in [page.label for page in menu.pages]


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.NATIONAL, "reporting:home"),
        (Role.PROJECT_LEAD, "reporting:home"),
        (Role.ML_MANAGER, "accounts:team"),
    ],
)
def test_a_sections_link_opens_its_main_page(role, landing):
    menu = build_menu(build_navigation(make_member(role)), reverse("home"))
    targets = {entry.label: entry.url for entry in menu.sections}
    section = "Administration" if landing == "accounts:team" else "Indicateurs"
    assert targets[section] == reverse(landing)


def test_national_counts_of_sessions_sit_under_indicators():
    national = make_member(Role.NATIONAL)
    menu = build_menu(build_navigation(national), reverse("immersion:national_counts"))
    assert menu.section_label == "Indicateurs"


def test_phones_get_a_menu_button_that_discloses_the_navigation(client):
    client.force_login(make_member(Role.ADVISOR))
    body = client.get(reverse("home")).content.decode()
    button = re.search(r"<button[^>]*portal-menu-button[^>]*>", body, re.S)[0]
    assert 'aria-expanded="false"' in button
    assert 'aria-controls="portal-menu"' in button
    assert 'data-bs-toggle="collapse"' in button
    assert '<div class="collapse d-md-block" id="portal-menu">' in body
    assert "onclick" not in body and " style=" not in body


def _breadcrumbs(body: str) -> str:
    start = body.index('aria-label="Fil d\'Ariane"')
    return body[start : body.index("</nav>", start)]


def test_detail_pages_carry_breadcrumbs(client):
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    youth = YouthFactory(advisor=advisor, mission_locale=ml)
    offer = OfferFactory(published=True, company__region=ml.region)
    proposal = ProposalFactory(offer=offer, youth=youth)
    session = SessionFactory(host__region=ml.region)
    cohort = CohortFactory(region=ml.region)
    client.force_login(advisor)
    pages = {
        reverse("candidates:youth_detail", args=[youth.pk]): ("Jeunes du vivier", str(youth)),
        reverse("offers:offer_detail", args=[offer.pk]): ("Offres", str(offer.job_role)),
        reverse("offers:proposal_detail", args=[proposal.pk]): ("Candidatures", "Candidature"),
        reverse("immersion:session_detail", args=[session.pk]): ("Sessions", session.title),
        reverse("immersion:cohort_detail", args=[cohort.pk]): (
            "Plateforme d'immersion",
            str(cohort.year),
        ),
    }
    for url, (parent, current) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        crumbs = _breadcrumbs(response.content.decode())
        assert '<ol class="breadcrumb">' in crumbs
        assert f">{parent}</a>" in unescape(crumbs), (url, crumbs)
        assert f'aria-current="page">{current}</li>' in unescape(crumbs), (url, crumbs)


def test_committee_meeting_and_plan_pages_carry_breadcrumbs(client):
    lead = make_member(Role.PROJECT_LEAD)
    region = lead.memberships.get().organisation.region
    meeting = MeetingFactory(committee__region=region)
    plan = ActionPlanFactory(region=region)
    client.force_login(lead)
    committee_url = reverse("committees:committee_detail", args=[meeting.committee.pk])
    crumbs = _breadcrumbs(client.get(committee_url).content.decode())
    assert f'aria-current="page">{meeting.committee.name}</li>' in crumbs
    crumbs = _breadcrumbs(
        client.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    )
    assert f'href="{committee_url}">{meeting.committee.name}</a>' in crumbs
    assert 'aria-current="page">' in crumbs
    crumbs = _breadcrumbs(
        client.get(reverse("committees:plan_detail", args=[plan.pk])).content.decode()
    )
    assert f'aria-current="page">{plan.region} {plan.year}</li>' in crumbs


def test_a_recruiters_offer_breadcrumb_leads_to_their_offers_not_a_403(client):
    recruiter = make_member(Role.RECRUITER)
    offer = OfferFactory(company=recruiter.memberships.get().organisation)
    client.force_login(recruiter)
    crumbs = _breadcrumbs(
        client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    )
    assert f'href="{reverse("offers:my_offers")}">Offres</a>' in crumbs


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_header_names_the_partnership_and_the_footer_its_legal_pages(client, signed_in):
    if signed_in:
        client.force_login(make_member(Role.ADVISOR))
    body = client.get(reverse("home" if signed_in else "account_login")).content.decode()
    header = body[body.index("<header") : body.index("</header>")]
    assert "Portail Convention" in header
    assert "CNML · AFRC · Mission locale de Marseille · CEPL" in header
    assert "Marianne" not in body and "République française" not in body
    footer = body[body.index("<footer") :]
    for name in ("legal:accessibility", "legal:notice", "notices:list", "legal:contact"):
        assert f'href="{reverse(name)}"' in footer


def test_the_accessibility_statement_says_its_level_audit_and_how_to_report(client):
    body = client.get(reverse("legal:accessibility")).content.decode()
    assert "partiellement conforme" in body
    assert "Audit automatisé du 05/12/2026 avec axe-core (WCAG 2.1 AA" in body
    assert "aucune non-conformité relevée sur les pages analysées (0 violation)" in body
    assert "Signaler un problème" in body
    assert "Défenseur des droits" in body
    assert 'href="mailto:contact@' in body


@override_settings(
    LEGAL_PUBLISHER="Partenariat CNML AFRC",
    LEGAL_HOST="Hébergeur SAS, Roubaix",
    CONTACT_EMAIL="ecrire@portail.example.fr",
)
def test_the_legal_notice_and_contact_read_the_settings(client):
    body = client.get(reverse("legal:notice")).content.decode()
    assert "Partenariat CNML AFRC" in body
    assert "Hébergeur SAS, Roubaix" in body
    assert f'href="{reverse("notices:list")}"' in body
    contact = client.get(reverse("legal:contact")).content.decode()
    assert 'href="mailto:ecrire@portail.example.fr"' in contact


@override_settings(LEGAL_HOST="", CONTACT_EMAIL="", SITE_URL="https://portail.example.fr")
def test_without_settings_the_pages_say_so_and_derive_the_contact(client):
    body = client.get(reverse("legal:notice")).content.decode()
    assert "Non renseigné pour cette installation" in body
    assert "mailto:contact@portail.example.fr" in body
