"""The issue's browser test: the project lead prepares a meeting from the previous one's
open items, records minutes and a decision with an action item, attaches a PDF; a member
sees it in "my action items"; the plan's progress changes when the item is done."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from committees.enums import AwarenessAudience, CommitteeRole, PlanSection
from tests.accounts.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    RegionFactory,
    enrol_totp,
    make_member,
    totp_code,
)
from tests.conftest import ARTIFACTS
from tests.helpers import sign_in

from .factories import (
    ActionItemFactory,
    ActionPlanFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    MeetingFactory,
    PlanItemFactory,
)
from .files import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"committees-{name}.png"), full_page=True)


def test_lead_prepares_meeting_records_decision_member_completes_plan_progresses(
    browser_page, private_media, tmp_path
):
    paca = RegionFactory(paca=True)
    cepl = OrganisationFactory(business_network=True, region=paca, name="CEPL")
    ml = OrganisationFactory(mission_locale=True, region=paca, name="Mission locale de Marseille")
    lead = make_member(
        Role.PROJECT_LEAD, organisation=cepl, first_name="Nadia", last_name="Haddad", totp=False
    )
    secret = enrol_totp(lead)
    advisor = make_member(Role.ADVISOR, organisation=ml, first_name="Camille", last_name="Durand")
    committee = CommitteeFactory(region=paca, name="Comité de pilotage de Marseille")
    CommitteeMemberFactory(committee=committee, user=lead, role=CommitteeRole.CHAIR)
    CommitteeMemberFactory(committee=committee, user=advisor)
    previous = MeetingFactory(committee=committee, past=True, title="Réunion de septembre")
    ActionItemFactory(meeting=previous, owner=advisor, title="Relancer les entreprises du comité")
    plan = ActionPlanFactory(
        region=paca, year=timezone.localdate().year, title="Plan d'action PACA"
    )
    PlanItemFactory(
        plan=plan,
        section=PlanSection.AWARENESS,
        audience=AwarenessAudience.YOUTHS,
        title="Rencontres métiers mensuelles",
    )
    PlanItemFactory(
        plan=plan,
        section=PlanSection.AWARENESS,
        audience=AwarenessAudience.ADVISORS,
        title="Réunion des conseillers",
    )
    pdf_path = tmp_path / "ordre-du-jour.pdf"
    pdf_path.write_bytes(PDF)

    page = browser_page
    base = page.live_server_url
    sign_in(page, lead.email, DEFAULT_PASSWORD)
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(f"{base}/")

    # Before: section I has nothing done.
    page.goto(f"{base}/comites/plans/{plan.pk}/")
    awareness = page.locator("#plan-progress tr[data-section=awareness]")
    assert awareness.locator(".percent").inner_text() == "0 %"

    # The lead prepares the next meeting from the previous one's open items.
    page.get_by_role("link", name="Comités").first.click()
    page.get_by_role("link", name="Comité de pilotage de Marseille").click()
    page.get_by_role("link", name="Planifier une réunion").click()
    expect(page.get_by_text("Relancer les entreprises du comité")).to_be_visible()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Intitulé").fill("Réunion trimestrielle de décembre")
    page.get_by_label("Date").fill(tomorrow.strftime("%d/%m/%Y"))
    page.get_by_label("Heure").fill("14:00")
    page.get_by_label("Lieu").fill("CEPL, 25 boulevard de Louvain, Marseille")
    page.get_by_label("Ordre du jour (un point par ligne)").fill("Bilan des portes ouvertes")
    assert page.get_by_label(
        "Reprendre les actions encore ouvertes de la réunion précédente"
    ).is_checked()
    page.get_by_role("button", name="Planifier la réunion").click()
    page.wait_for_url("**/comites/reunions/*/")
    assert page.get_by_text("Suivi : Relancer les entreprises du comité").is_visible()
    assert page.get_by_text("Bilan des portes ouvertes").is_visible()

    # Minutes (with a script attempt that is neutralised) ...
    page.get_by_label("Compte rendu (Markdown)").fill(
        "# Relevé de conclusions\n\n- Les **rencontres métiers** reprennent en janvier.\n\n<script>alert(1)</script>"
    )
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.get_by_text("neutralisés à l'affichage")).to_be_visible()
    assert page.locator(".minutes strong").inner_text() == "rencontres métiers"
    assert page.locator(".minutes script").count() == 0

    # ... a decision with its action item linked to the plan ...
    page.get_by_text("Enregistrer une décision").click()
    form = page.locator("#decision-form")
    form.get_by_label("Décision").fill("Le comité relance les rencontres métiers mensuelles.")
    form.get_by_label("Action qui en découle (facultatif)").fill(
        "Organiser la rencontre métiers de janvier"
    )
    form.get_by_label("Responsable").select_option(label="Camille Durand")
    form.get_by_label("Échéance").fill(
        (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    )
    form.get_by_label("Action du plan concernée").select_option(index=1)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("La décision est enregistrée.")).to_be_visible()
    assert page.get_by_role(
        "rowheader", name="Organiser la rencontre métiers de janvier"
    ).is_visible()

    # ... and the agenda as a PDF.
    page.locator("#document-form input[type=file]").set_input_files(str(pdf_path))
    page.get_by_role("button", name="Joindre le document").click()
    expect(page.get_by_role("link", name="ordre-du-jour.pdf")).to_be_visible()
    _shot(page, "meeting")

    # The member sees it in "my action items" and completes it.
    context = page.context.browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    member_page = context.new_page()
    member_page.live_server_url = base
    sign_in(member_page, advisor.email, DEFAULT_PASSWORD)
    member_page.wait_for_url(f"{base}/")
    member_page.get_by_role("link", name="Mes actions").first.click()
    row = member_page.locator(
        "#my-actions tr", has_text="Organiser la rencontre métiers de janvier"
    )
    assert row.is_visible()
    assert member_page.locator("#my-actions tbody tr").count() == 2
    _shot(member_page, "my-actions")
    row.get_by_role("button", name="Marquer terminée").click()
    # htmx swaps the row in place: no reload, the row now says it is done.
    done_row = member_page.locator(
        "#my-actions tr", has_text="Organiser la rencontre métiers de janvier"
    )
    done_row.get_by_role("cell", name="Terminée", exact=True).wait_for()
    assert done_row.get_by_role("button", name="Marquer terminée").count() == 0
    _shot(member_page, "my-actions-done")
    context.close()

    # The plan's progress moved.
    page.goto(f"{base}/comites/plans/{plan.pk}/")
    assert awareness.locator(".percent").inner_text() == "50 %"
    assert (
        page.get_by_role("row", name="Rencontres métiers mensuelles")
        .get_by_text("Réalisée")
        .is_visible()
    )
    _shot(page, "plan")
