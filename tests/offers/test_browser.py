"""The issue's browser test: a recruiter posts an offer, the project lead publishes it,
an advisor proposes a youth from the suggestions, the recruiter moves them to interview
and hires them; the youth's timeline and the offer's figures show it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from candidates.enums import AssessmentOutcome, Availability, Mobility, PathwayStage
from candidates.models import Youth
from offers.models import Offer
from tests.accounts.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    RegionFactory,
    enrol_totp,
    make_member,
    totp_code,
)
from tests.candidates.factories import YouthFactory
from tests.conftest import ARTIFACTS
from tests.helpers import sign_in

from .factories import JobRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"offers-{name}.png"), full_page=True)


def switch_user(page, email, secret=None):
    page.context.clear_cookies()
    sign_in(page, email, DEFAULT_PASSWORD)
    if secret:
        page.locator("input[name=code]").fill(totp_code(secret))
        page.locator("input[name=code]").press("Enter")
    page.wait_for_url(f"{page.live_server_url}/")


def test_recruiter_posts_lead_publishes_advisor_proposes_recruiter_hires(browser_page):
    paca = RegionFactory(paca=True)
    ml = OrganisationFactory(mission_locale=True, region=paca, name="Mission locale de Marseille")
    company = OrganisationFactory(company=True, region=paca, name="Méditel Relation Client")
    JobRoleFactory()
    recruiter = make_member(
        Role.RECRUITER, organisation=company, first_name="Julien", last_name="Moreau"
    )
    lead = make_member(
        Role.PROJECT_LEAD, region=paca, first_name="Nadia", last_name="Haddad", totp=False
    )
    secret = enrol_totp(lead)
    advisor = make_member(Role.ADVISOR, organisation=ml, first_name="Camille", last_name="Durand")
    youth = YouthFactory(
        mission_locale=ml,
        advisor=advisor,
        consented=True,
        first_name="Inès",
        last_name="Benhamou",
        in_stage=PathwayStage.IMMERSION,
        skills="Accueil, téléphone",
        postcode="13015",
        availability=Availability.IMMEDIATE,
        mobility=Mobility.PUBLIC_TRANSPORT,
    )
    Youth.objects.filter(pk=youth.pk).update(last_assessment_outcome=AssessmentOutcome.FAVOURABLE)
    YouthFactory(
        mission_locale=ml,
        advisor=advisor,
        consented=True,
        first_name="Yanis",
        last_name="Moulin",
        postcode="69003",
        skills="",
    )

    page = browser_page
    base = page.live_server_url
    today = timezone.localdate()

    # The recruiter writes the offer, saves the draft and submits it.
    switch_user(page, recruiter.email)
    page.get_by_role("link", name="Mes offres").first.click()
    page.get_by_role("link", name="Nouvelle offre").click()
    page.get_by_label("Métier").select_option(label="Téléconseiller / téléconseillère")
    page.get_by_label("Type de contrat").select_option("cdi")
    page.get_by_label("Nombre de postes").fill("1")
    page.get_by_label("Heures par semaine").fill("35")
    page.get_by_label("Code postal").fill("13015")
    page.get_by_label("Commune").fill("Marseille")
    page.get_by_label("Date de début").fill((today + timedelta(days=14)).strftime("%d/%m/%Y"))
    page.get_by_label("Date de clôture").fill((today + timedelta(days=30)).strftime("%d/%m/%Y"))
    page.get_by_label("Description du poste").fill(
        "Réception d'appels pour un fournisseur d'énergie."
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url(re.compile(r".*/offres/\d+/$"))
    page.get_by_role("button", name="Soumettre au chargé de projet").click()
    expect(page.get_by_text("Soumise au chargé de projet").first).to_be_visible()
    shot(page, "1-submitted")
    offer = Offer.objects.get()

    # The project lead publishes it.
    switch_user(page, lead.email, secret)
    page.get_by_role("link", name="Offres de la région").first.click()
    expect(page.get_by_role("heading", name="À valider")).to_be_visible()
    shot(page, "2a-region-to-validate")
    page.get_by_role("link", name="Téléconseiller / téléconseillère").first.click()
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.locator(".offer-status").first).to_have_text("Publiée")
    shot(page, "2-published")

    # The advisor finds it, opens the suggestions and proposes the best-placed youth.
    switch_user(page, advisor.email)
    page.get_by_role("link", name="Offres d'emploi").first.click()
    page.get_by_role("link", name="Téléconseiller / téléconseillère").click()
    page.get_by_role("link", name="Suggestions de jeunes").click()
    first = page.locator("li.suggestion").first
    assert "Inès BENHAMOU" in first.inner_text()
    assert "Habite la commune du poste (+15)" in first.inner_text()
    shot(page, "3-suggestions")
    first.get_by_role("button", name="Proposer Inès").click()
    expect(page.get_by_text("Inès est proposé(e) à l'entreprise.")).to_be_visible()

    # The recruiter sees the proposal on the board, invites Inès and hires her.
    switch_user(page, recruiter.email)
    page.goto(f"{base}/offres/{offer.pk}/candidatures/")
    page.get_by_role("link", name="Inès B.").click()
    expect(page.get_by_text("Visibles dès la convocation en entretien.")).to_be_visible()
    page.get_by_role("link", name="Convoquer en entretien").click()
    # A date in the past is refused next to its field, with what was typed kept.
    page.get_by_label("Date de l'entretien").fill("01/01/2020")
    page.get_by_label("Heure").fill("14:30")
    page.get_by_label("Lieu").fill("Plateau Mistral, 3e étage")
    page.get_by_role("button", name="Envoyer la convocation").click()
    # Said in the form's error summary, which takes the focus, and next to the field.
    refusal = page.get_by_text("L'entretien doit avoir lieu dans le futur.")
    expect(refusal).to_have_count(2)
    expect(page.locator(":focus")).to_contain_text("L'entretien doit avoir lieu dans le futur.")
    assert page.get_by_label("Lieu").input_value() == "Plateau Mistral, 3e étage"
    future = (timezone.localdate() + timedelta(days=4)).strftime("%d/%m/%Y")
    page.get_by_label("Date de l'entretien").fill(future)
    page.get_by_role("button", name="Envoyer la convocation").click()
    expect(page.get_by_text("Entretien fixé le")).to_be_visible()
    expect(page.get_by_text(youth.email)).to_be_visible()
    expect(page.get_by_text("Plateau Mistral, 3e étage")).to_be_visible()
    full_name = f"{youth.first_name} {youth.last_name}"
    expect(page.get_by_role("heading", name=full_name)).to_be_visible()
    shot(page, "3b-interview-set")
    page.get_by_role("link", name="Embaucher").click()
    page.get_by_role("button", name="Enregistrer l'embauche").click()
    page.wait_for_url(f"{base}/offres/{offer.pk}/candidatures/")
    assert page.locator("#col-hired").locator("xpath=..").get_by_text(full_name).is_visible()
    shot(page, "4-board-hired")
    page.goto(f"{base}/offres/{offer.pk}/")
    assert page.locator(".offer-status").first.inner_text() == "Pourvue"
    figures = page.locator("section[aria-labelledby=figures-title]").inner_text()
    assert "Postes pourvus\n1 (100,0 %)" in figures or "1 (100,0 %)" in figures
    shot(page, "5-offer-figures")
    page.get_by_role("link", name="Mes offres").first.click()
    row = page.locator("tbody tr").first
    assert "1 / 1" in row.inner_text() and "Pourvue" in row.inner_text()
    shot(page, "5b-my-offers")

    # The advisor sees the hiring on Inès's timeline.
    switch_user(page, advisor.email)
    page.goto(f"{base}/jeunes/{youth.pk}/")
    body = page.locator("main").inner_text()
    assert "Contrat CDI chez Méditel Relation Client" in body
    assert "Étape : Embauche" in body
    assert (
        "Candidature Téléconseiller / téléconseillère · Méditel Relation Client : Embauche" in body
    )
    shot(page, "6-youth-timeline")
