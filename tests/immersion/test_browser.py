"""The issue's browser test: the project lead creates a 2-seat immersion day; two
advisors enrol youths and a third lands on the waiting list; a cancellation promotes
them; attendance is marked and the youth's timeline shows the immersion."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from immersion.models import Session
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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _second_factor(page, secret: str) -> None:
    """Type the current TOTP code (`totp_code` waits out the end of a period); should
    the server still read it in the next period, the next code is typed."""
    for _attempt in range(2):
        page.locator("input[name=code]").fill(totp_code(secret))
        page.locator("input[name=code]").press("Enter")
        page.wait_for_load_state()
        if page.locator("input[name=code]").count() == 0:
            return
    raise AssertionError("the second factor was refused twice")


def _shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"immersion-{name}.png"), full_page=True)


def _switch_to(page, user):
    page.context.clear_cookies()
    sign_in(page, user.email, DEFAULT_PASSWORD)
    page.wait_for_url(f"{page.live_server_url}/")


def test_two_seat_immersion_day_waiting_list_promotion_attendance_and_timeline(
    browser_page, tasks_in_process
):
    paca = RegionFactory(paca=True)
    cepl = OrganisationFactory(business_network=True, region=paca, name="CEPL")
    company = OrganisationFactory(company=True, region=paca, name="Méditel Relation Client")
    host = make_member(Role.RECRUITER, organisation=company, first_name="Julien")
    lead = make_member(Role.PROJECT_LEAD, organisation=cepl, first_name="Nadia", totp=False)
    secret = enrol_totp(lead)
    advisors, youths = [], []
    for ml_name, advisor_name, youth_name in (
        ("Mission locale de Marseille", "Camille", ("Inès", "Haddad")),
        ("Mission locale d'Aix", "Karim", ("Yanis", "Ferhat")),
        ("Mission locale d'Aubagne", "Sophie", ("Zoé", "Blanc")),
    ):
        ml = OrganisationFactory(mission_locale=True, region=paca, name=ml_name)
        advisor = make_member(Role.ADVISOR, organisation=ml, first_name=advisor_name)
        advisors.append(advisor)
        youths.append(
            YouthFactory(
                mission_locale=ml,
                advisor=advisor,
                first_name=youth_name[0],
                last_name=youth_name[1],
                consented=True,  # the host sees them by their shared profile
            )
        )
    page = browser_page
    base = page.live_server_url

    # The project lead creates a 2-seat immersion day, registrations open.
    sign_in(page, lead.email, DEFAULT_PASSWORD)
    _second_factor(page, secret)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Sessions").first.click()
    page.get_by_role("link", name="Créer une session").click()
    day = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Programme").select_option(label="Journée d'immersion en entreprise")
    page.get_by_label("Intitulé").fill("Immersion sur le plateau Méditel")
    page.get_by_label("Structure d'accueil").select_option(label="Méditel Relation Client")
    page.get_by_label("Lieu (adresse)").fill("12 rue de la République")
    page.get_by_label("Commune").fill("Marseille")
    page.get_by_label("Date de début").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Heure de début").fill("09:00")
    page.get_by_label("Date de fin").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Heure de fin").fill("12:30")
    page.get_by_label("Nombre de places").fill("2")
    page.get_by_label("Date limite d'inscription").fill(
        (day - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    )
    page.get_by_label("Ouvrir les inscriptions dès maintenant").check()
    page.get_by_role("button", name="Créer la session").click()
    page.wait_for_url("**/sessions/*/")
    assert page.get_by_text("Inscriptions ouvertes").first.is_visible()
    assert page.locator("#session-seats").inner_text() == "0 inscrits sur 2 places"
    session_url = page.url
    _shot(page, "1-created")

    # Two advisors enrol a youth each; the third lands on the waiting list.
    for advisor, youth in zip(advisors, youths, strict=True):
        _switch_to(page, advisor)
        page.goto(session_url)
        # The picker lists nobody until a search; the results arrive while the
        # search field keeps the focus.
        search = page.get_by_label("Rechercher un jeune suivi par votre mission locale")
        search.fill(youth.last_name)
        choice = page.get_by_role("checkbox", name=f"{youth.last_name} {youth.first_name} —")
        expect(choice).to_be_visible()
        expect(search).to_be_focused()
        choice.check()
        page.get_by_role("button", name="Inscrire", exact=True).click()
        page.wait_for_url(session_url)
    assert page.get_by_text("0 inscrit(s), 1 sur liste d'attente.").is_visible()
    assert page.get_by_role("row", name="Zoé Blanc").get_by_text("Liste d'attente").is_visible()
    _shot(page, "2-waiting-list")

    # The first advisor withdraws their youth: Zoé is promoted and her advisor told.
    _switch_to(page, advisors[0])
    page.goto(session_url)
    page.get_by_role("button", name="Désinscrire Inès Haddad").click()
    assert page.get_by_text(
        "La première personne de la liste d'attente prend la place."
    ).is_visible()
    assert any(m.to == [advisors[2].email] and "Zoé Blanc" in m.body for m in mail.outbox)
    _switch_to(page, advisors[2])
    page.goto(session_url)
    assert page.get_by_role("row", name="Zoé Blanc").get_by_text("Inscrit(e)").is_visible()

    # The day comes; the host marks attendance with its assessment.
    session = Session.objects.get()
    starts = timezone.now() - datetime.timedelta(hours=4)
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )
    _switch_to(page, host)
    page.goto(session_url)
    row = page.locator("#participants tr", has_text="Zoé B.")
    assert page.locator("#participants").get_by_text("Blanc").count() == 0  # shared profile
    row.get_by_label("Présence").select_option(label="Présent(e)")
    row.get_by_label("Avis de l'entreprise").select_option(label="Je recommande")
    row.get_by_label("Commentaire").fill("Très à l'aise au téléphone.")
    row.get_by_role("button", name="Enregistrer pour Zoé B.").click()
    expect(page.get_by_text("Présence enregistrée.")).to_be_visible()
    assert page.get_by_text("Réalisée").first.is_visible()
    _shot(page, "3-attendance")

    # Zoé's advisor sees the immersion on her timeline.
    _switch_to(page, advisors[2])
    page.goto(f"{base}/jeunes/{youths[2].pk}/")
    timeline = page.locator(".timeline")
    assert timeline.get_by_text("Session : Immersion sur le plateau Méditel").is_visible()
    assert timeline.get_by_text("Étape : Immersion").is_visible()
    assert timeline.get_by_text("Je recommande", exact=False).is_visible()
    _shot(page, "4-timeline")


def test_the_calendar_and_the_list_filter_in_place_with_htmx(browser_page):
    paca = RegionFactory(paca=True)
    ml = OrganisationFactory(mission_locale=True, region=paca, name="Mission locale de Marseille")
    company = OrganisationFactory(company=True, region=paca, name="Méditel Relation Client")
    training = OrganisationFactory(training_body=True, region=paca, name="Institut RC")
    advisor = make_member(Role.ADVISOR, organisation=ml, first_name="Camille")
    first = timezone.localdate().replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    for host, kind, title, day in (
        (company, "immersion_day", "Immersion Méditel", first + datetime.timedelta(days=20)),
        (training, "training", "Formation accueil", first + datetime.timedelta(days=21)),
        (company, "open_day", "Portes ouvertes Méditel", following + datetime.timedelta(days=3)),
    ):
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)), tz)
        Session.objects.create(
            region=paca,
            kind=kind,
            audience="youths",
            title=title,
            host=host,
            place="1 rue de Rome",
            city="Marseille",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            capacity=10,
            registration_deadline=day,
            status="open",
        )
    page = browser_page
    sign_in(page, advisor.email, DEFAULT_PASSWORD)
    page.wait_for_url(f"{page.live_server_url}/")
    page.goto(f"{page.live_server_url}/sessions/calendrier/?annee={first.year}&mois={first.month}")
    grid = page.locator("#calendar-grid")
    assert grid.get_by_role("link", name="09:00 Immersion Méditel").is_visible()
    assert grid.get_by_role("link", name="09:00 Formation accueil").is_visible()
    assert page.get_by_role("columnheader", name="lun.").is_visible()
    page.get_by_label("Programme").select_option(label="Session de formation")
    grid.get_by_role("link", name="09:00 Immersion Méditel").wait_for(state="detached")
    assert grid.get_by_role("link", name="09:00 Formation accueil").is_visible()
    _shot(page, "5-calendar-filtered")
    page.get_by_label("Programme").select_option(label="Tous")
    # the whole month is back before moving on (else the next month's answer could
    # arrive before this one and be replaced by it)
    grid.get_by_role("link", name="09:00 Immersion Méditel").wait_for()
    grid.get_by_role("link", name="Mois suivant").click()
    grid.get_by_role("link", name="09:00 Portes ouvertes Méditel").wait_for()
    assert f"mois={following.month}" in page.url
    page.get_by_label("Lieu").select_option(label="Marseille")  # stays on the shown month
    grid.get_by_role("link", name="09:00 Portes ouvertes Méditel").wait_for()
    assert f"mois={following.month}" in page.url

    page.goto(f"{page.live_server_url}/sessions/")
    results = page.locator("#session-results")
    assert results.get_by_role("link", name="Portes ouvertes Méditel").is_visible()
    page.get_by_label("Période").select_option(label="Toutes")
    results.get_by_role("link", name="Immersion Méditel", exact=True).wait_for()
    page.get_by_label("Programme").select_option(label="Session de formation")
    results.get_by_role("link", name="Portes ouvertes Méditel").wait_for(state="detached")
    assert results.get_by_role("link", name="Formation accueil").is_visible()
    assert "kind=training" in page.url
    _shot(page, "6-list-filtered")

    # The calendar subscription link is renewed: the old one stops, the new one answers.
    def feed_link():
        # the link is absolute on the portal's public address: ask this server for it
        href = page.locator("#feed-title + p + ul a").first.get_attribute("href")
        return page.live_server_url + href[href.index("/sessions/flux/") :]

    old_link = feed_link()
    assert page.request.get(old_link).status == 200
    page.get_by_role("button", name="Renouveler mes liens d'abonnement").click()
    page.get_by_text("Vos liens d'abonnement sont renouvelés").wait_for()
    new_link = feed_link()
    assert new_link != old_link
    assert page.request.get(old_link).status == 404
    response = page.request.get(new_link)
    assert response.status == 200 and "BEGIN:VCALENDAR" in response.text()
    _shot(page, "7-feed-renewed")
