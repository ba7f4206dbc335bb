import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import NoticePurpose, Role
from accounts.models import InformationNotice
from candidates.enums import AssessmentOutcome, ConsentAction, ConsentMethod, PathwayStage
from candidates.models import Assessment, FollowUpNote, PathwayEvent, Youth
from tests.accounts.factories import make_member

from .factories import AssessmentFactory, YouthFactory, fill_file

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def youth():
    return YouthFactory(first_name="Éloïse", last_name="Lefèvre")


def test_list_search_is_accent_and_case_insensitive(client, youth):
    YouthFactory(mission_locale=youth.mission_locale, first_name="Paul", last_name="Durand")
    client.force_login(youth.advisor)
    response = client.get(reverse("candidates:youth_list"), {"q": "ELOISE lefevre"})
    body = response.content.decode()
    assert "Lefèvre".upper() in body or "LEFÈVRE" in body
    assert "Durand" not in body.title() and "DURAND" not in body


def test_list_htmx_answers_the_results_fragment_only(client, youth):
    client.force_login(youth.advisor)
    response = client.get(
        reverse("candidates:youth_list"), {"stage": "information"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="youth-results"' not in body
    assert "LEFÈVRE" in body


def test_list_filters(client, youth):
    ml = youth.mission_locale
    YouthFactory(mission_locale=ml, advisor=youth.advisor, last_name="Embauche", hired=True)
    minor = YouthFactory(mission_locale=ml, advisor=youth.advisor, last_name="Mineur", minor=True)
    AssessmentFactory(youth=minor)
    Youth.objects.filter(pk=minor.pk).update(last_assessment_outcome=AssessmentOutcome.FAVOURABLE)
    client.force_login(youth.advisor)
    url = reverse("candidates:youth_list")

    def names(**params):
        return set(
            Youth.objects.filter(
                pk__in=[row[0] for row in client.get(url, params).context["page"]]
            ).values_list("last_name", flat=True)
        )

    assert names(stage="hired") == {"Embauche"}
    assert names(minors="on") == {"Mineur"}
    assert names(outcome="favourable") == {"Mineur"}
    assert names(outcome="none") == {"Lefèvre", "Embauche"}
    assert names(no_contact_days=30) == {"Lefèvre", "Embauche", "Mineur"}
    FollowUpNote.objects.create(youth=youth, met_on=TODAY(), channel="phone", summary="x")
    Youth.objects.filter(pk=youth.pk).update(last_contact_on=TODAY())
    assert names(no_contact_days=30) == {"Embauche", "Mineur"}


def test_create_youth_keeps_input_and_shows_french_errors(client):
    advisor = make_member(Role.ADVISOR)
    client.force_login(advisor)
    response = client.post(
        reverse("candidates:youth_create"),
        {
            "mission_locale": advisor.memberships.get().organisation_id,
            "first_name": "Karim",
            "last_name": "Benali",
            "birth_date": (TODAY() + timedelta(days=3)).strftime("%d/%m/%Y"),
            "email": "pas-un-email",
            "phone": "12345",
            "advisor": advisor.pk,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "futur" in form.errors["birth_date"][0]
    assert "adresse de courriel valide" in form.errors["email"][0]
    assert "téléphone" in form.errors["phone"][0].lower()
    body = response.content.decode()
    assert 'value="Karim"' in body and 'value="pas-un-email"' in body
    assert not Youth.objects.exists()


def test_create_youth_refuses_unknown_advisor(client):
    advisor = make_member(Role.ADVISOR)
    stranger = make_member(Role.ADVISOR)
    client.force_login(advisor)
    response = client.post(
        reverse("candidates:youth_create"),
        {
            "mission_locale": advisor.memberships.get().organisation_id,
            "first_name": "Karim",
            "last_name": "Benali",
            "birth_date": "01/02/2005",
            "advisor": stranger.pk,
        },
    )
    assert "Conseiller inconnu" in response.context["form"].errors["advisor"][0]


def test_create_warns_of_a_duplicate_before_saving(client, youth):
    client.force_login(youth.advisor)
    data = {
        "mission_locale": youth.mission_locale_id,
        "first_name": "eloise",
        "last_name": "LEFEVRE",
        "birth_date": youth.birth_date.strftime("%d/%m/%Y"),
        "advisor": youth.advisor_id,
    }
    response = client.post(reverse("candidates:youth_create"), data)
    assert response.status_code == 200
    assert reverse("candidates:youth_detail", args=[youth.pk]) in response.content.decode()
    assert Youth.objects.count() == 1
    response = client.post(
        reverse("candidates:youth_create"), {**data, "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 302
    assert Youth.objects.count() == 2


def test_detail_shows_the_timeline(client, youth):
    AssessmentFactory(youth=youth, comment="Très à l'aise au téléphone")
    client.force_login(youth.advisor)
    response = client.get(reverse("candidates:youth_detail", args=[youth.pk]))
    body = response.content.decode()
    assert "Très à l&#x27;aise au téléphone" in body
    assert "Inscription dans le vivier." in body


def test_illegal_move_in_the_form_keeps_input(client, youth):
    client.force_login(youth.advisor)
    response = client.post(
        reverse("candidates:pathway_move", args=[youth.pk]),
        {"stage": PathwayStage.HIRED, "occurred_on": TODAY().strftime("%d/%m/%Y"), "note": "signé"},
    )
    assert response.status_code == 200
    assert "pas d'embauche sans offre ni contrat" in response.context["form"].errors["source"][0]
    assert "signé" in response.content.decode()
    assert PathwayEvent.objects.filter(youth=youth).count() == 1


def test_record_assessment_note_and_move(client, youth):
    client.force_login(youth.advisor)
    day = TODAY().strftime("%d/%m/%Y")
    response = client.post(
        reverse("candidates:assessment_create", args=[youth.pk]),
        {
            "assessed_on": day,
            "method": "simulation",
            "score_oral_expression": 4,
            "score_listening": 5,
            "score_written_french": 3,
            "score_computer_use": 3,
            "score_stress_handling": 4,
            "outcome": "favourable",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get().outcome == "favourable"
    response = client.post(
        reverse("candidates:note_create", args=[youth.pk]),
        {"met_on": day, "channel": "phone", "summary": "Point", "next_appointment_on": day},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("candidates:pathway_move", args=[youth.pk]),
        {"stage": PathwayStage.DISCOVERY, "occurred_on": day},
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.current_stage == PathwayStage.DISCOVERY
    assert youth.last_contact_on == TODAY()
    assert youth.last_assessment_outcome == "favourable"
    response = client.get(reverse("candidates:due_this_week"))
    assert "Lefèvre" in response.content.decode()


def test_assessment_in_the_future_is_refused_and_keeps_input(client, youth):
    client.force_login(youth.advisor)
    tomorrow = (TODAY() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("candidates:assessment_create", args=[youth.pk]),
        {
            "assessed_on": tomorrow,
            "method": "simulation",
            "score_oral_expression": 4,
            "score_listening": 5,
            "score_written_french": 3,
            "score_computer_use": 2,
            "score_stress_handling": 4,
            "outcome": "favourable",
            "comment": "Appels simulés réussis",
        },
    )
    assert response.status_code == 200
    assert "futur" in response.context["form"].errors["assessed_on"][0]
    body = response.content.decode()
    assert f'value="{tomorrow}"' in body and "Appels simulés réussis" in body
    assert '<option value="2" selected>' in body
    assert not Assessment.objects.exists()
    youth.refresh_from_db()
    assert youth.last_assessment_outcome == ""


def test_note_without_summary_is_refused_and_keeps_input(client, youth):
    client.force_login(youth.advisor)
    day = TODAY().strftime("%d/%m/%Y")
    next_day = (TODAY() + timedelta(days=7)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("candidates:note_create", args=[youth.pk]),
        {"met_on": day, "channel": "phone", "summary": "  ", "next_appointment_on": next_day},
    )
    assert response.status_code == 200
    assert "obligatoire" in response.context["form"].errors["summary"][0]
    body = response.content.decode()
    assert f'value="{next_day}"' in body and '<option value="phone" selected>' in body
    assert not FollowUpNote.objects.exists()
    youth.refresh_from_db()
    assert youth.last_contact_on is None and youth.next_appointment_on is None


def test_edit_keeps_its_own_record_out_of_the_duplicates(client, youth):
    client.force_login(youth.advisor)
    response = client.post(
        reverse("candidates:youth_edit", args=[youth.pk]),
        {
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "birth_date": youth.birth_date.strftime("%d/%m/%Y"),
            "advisor": youth.advisor_id,
            "city": "Aubagne",
        },
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.city == "Aubagne"


def test_vae_project_and_its_dates(client, youth):
    client.force_login(youth.advisor)
    url = reverse("candidates:vae_create", args=[youth.pk])
    data = {
        "certification": "Titre professionnel conseiller relation client à distance",
        "status": "project",
        "started_on": TODAY().strftime("%d/%m/%Y"),
        "jury_on": (TODAY() - timedelta(days=5)).strftime("%d/%m/%Y"),
    }
    response = client.post(url, data)
    assert "jury ne peut précéder" in response.context["form"].errors["jury_on"][0]
    response = client.post(url, {**data, "jury_on": ""})
    assert response.status_code == 302
    project = youth.vae_projects.get()
    edit = reverse("candidates:vae_edit", args=[youth.pk, project.pk])
    client.post(edit, {**data, "jury_on": "", "status": "admissible"})
    project.refresh_from_db()
    assert project.status == "admissible"


# Session, user, scope, the youth, its project; the save (savepoint, the youth's key
# checked by full_clean, update, release); the audit trail (the row before, the entry).
VAE_EDIT_QUERIES = 5 + 4 + 2


def test_vae_edit_shows_the_project_and_saves_it_without_reloading(
    client, youth, django_assert_num_queries
):
    started = TODAY() - timedelta(days=30)
    project = youth.vae_projects.create(
        certification="Titre conseiller relation client", certifier="Ministère", started_on=started
    )
    client.force_login(youth.advisor)
    edit = reverse("candidates:vae_edit", args=[youth.pk, project.pk])
    body = client.get(edit).content.decode()
    assert 'value="Titre conseiller relation client"' in body
    assert f'value="{started:%d/%m/%Y}"' in body and 'value="Ministère"' in body
    data = {
        "certification": "Titre conseiller relation client",
        "certifier": "Ministère",
        "status": "admissible",
        "started_on": started.strftime("%d/%m/%Y"),
        "jury_on": TODAY().strftime("%d/%m/%Y"),
    }
    with django_assert_num_queries(VAE_EDIT_QUERIES):
        response = client.post(edit, data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.jury_on, project.certifier) == (
        "admissible",
        TODAY(),
        "Ministère",
    )
    response = client.post(edit, {**data, "status": "validated", "jury_on": "01/01/2000"})
    assert "jury ne peut précéder" in response.context["form"].errors["jury_on"][0]
    project.refresh_from_db()
    assert (project.status, project.jury_on) == ("admissible", TODAY())


def test_exit_stage_filter_shows_closed_files(client, youth):
    YouthFactory(mission_locale=youth.mission_locale, last_name="Parti", in_stage=PathwayStage.EXIT)
    client.force_login(youth.advisor)
    url = reverse("candidates:youth_list")
    assert "PARTI" not in client.get(url).content.decode()
    assert "PARTI" in client.get(url, {"stage": "exit"}).content.decode()


def test_consent_pages_record_and_withdraw_with_their_proof(client, youth):
    client.force_login(youth.advisor)
    notice = InformationNotice.objects.current_for(NoticePurpose.PROFILE_SHARING)
    page = client.get(reverse("candidates:consent", args=[youth.pk])).content.decode()
    # The form asks how consent was collected and names the notice given, printable.
    assert "Comment le jeune l&#x27;a-t-il exprimé" in page
    assert reverse("notices:pdf", args=[notice.slug, notice.version]) in page
    client.post(
        reverse("candidates:consent", args=[youth.pk]),
        {"method": ConsentMethod.SIGNED_FORM, "notice": notice.pk, "note": "Classé au dossier"},
    )
    assert Youth.objects.sharing_consented().filter(pk=youth.pk).exists()
    client.post(
        reverse("candidates:consent_withdraw", args=[youth.pk]),
        {"method": ConsentMethod.ORAL, "note": ""},
    )
    assert not Youth.objects.sharing_consented().filter(pk=youth.pk).exists()
    youth.refresh_from_db()
    assert youth.consent_withdrawn_by == youth.advisor
    history = [
        (r.action, r.method, r.notice_id, r.recorded_by_id) for r in youth.consent_records.all()
    ]
    assert history == [
        (ConsentAction.WITHDRAWN, ConsentMethod.ORAL, notice.pk, youth.advisor_id),
        (ConsentAction.GIVEN, ConsentMethod.SIGNED_FORM, notice.pk, youth.advisor_id),
    ]


# Session, user, scope, the youth (saying which sets of the file hold rows); one query
# per related set: pathway, notes, assessments, check-ins, pairs, their meetings, VAE
# projects, transfers, consent records with their notices and authors (9); + 1: the
# access log's one INSERT (candidates/access_log.py); + 1: the latest changes
# (audit/display.py: the entries; the youth, their advisor and mission locale they
# name are the page's). No proposal, enrolment, CAE contract nor space: their reads are
# skipped (tests/candidates/test_youth_page_queries.py has them). An advisor's page: a
# manager's reads "Consulté par" too (tests/candidates/test_access_log.py).
DETAIL_PAGE_QUERIES = 4 + 9 + 1 + 1


def test_detail_page_reads_each_set_once_whatever_its_size(client, django_assert_num_queries):
    for records in (1, 4):
        youth = fill_file(YouthFactory(hired=True, consented=True), records)
        client.force_login(youth.advisor)
        url = reverse("candidates:youth_detail", args=[youth.pk])
        client.get(url)  # warm the session
        with django_assert_num_queries(DETAIL_PAGE_QUERIES):
            response = client.get(url)
        context = response.context
        assert context["latest_assessment"].comment == f"Évaluation {records - 1}"
        assert [c.months_after for c in context["planned_check_ins"]] == [3, 6]
        assert context["active_pair"] == youth.mentoring_pairs.get(ended_on__isnull=True)
        assert len(context["vae_projects"]) == records
        kinds = [entry.kind for entry in context["timeline"]]
        # Each pair: its start, its two meetings and, for the ended ones, its end.
        assert kinds.count("mentoring") == 4 * records - 1
        assert kinds.count("check_in") == 1
        assert kinds.count("transfer") == kinds.count("vae") == records
        body = response.content.decode()
        assert f"Visite du plateau {records - 1}" in body and "Tout va bien" in body
        # The consent history: each record, the factory's consent included (the panel of
        # the latest changes may quote a record's note too: left out of the count).
        body = re.sub(r'<section[^>]*"history-title".*?</section>', "", body, flags=re.S)
        assert body.count("Preuve ") == records and body.count("formulaire signé") == 1


def test_list_sorts_and_paginates(client, youth):
    for name in ("Abadie", "Zidane"):
        YouthFactory(mission_locale=youth.mission_locale, last_name=name)
    client.force_login(youth.advisor)
    url = reverse("candidates:youth_list")
    names = [row[1] for row in client.get(url, {"sort": "-name"}).context["page"]]
    assert names == ["Zidane", "Lefèvre", "Abadie"]
    page = client.get(url, {"sort": "name", "page": 99}).context["page"]
    assert page.number == 1 and len(page) == 3


def test_names_sort_without_regard_to_accents_or_capitals(client, youth):
    """The same order on SQLite and PostgreSQL: "Écuyer" before "TRAORÉ", "de Lattre"
    among the D."""
    for name in ("TRAORÉ", "Écuyer", "de Lattre", "Dupont"):
        YouthFactory(mission_locale=youth.mission_locale, last_name=name)
    client.force_login(youth.advisor)
    url = reverse("candidates:youth_list")
    names = [row[1] for row in client.get(url, {"sort": "name"}).context["page"]]
    assert names == ["de Lattre", "Dupont", "Écuyer", "Lefèvre", "TRAORÉ"]
    names = [row[1] for row in client.get(url, {"sort": "-name"}).context["page"]]
    assert names == ["TRAORÉ", "Lefèvre", "Écuyer", "Dupont", "de Lattre"]
