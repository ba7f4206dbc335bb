import json
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from candidates.enums import CheckInStatus, DataRequestKind, YouthStatus
from candidates.models import DataSubjectRequest, MentoringPair, Youth
from candidates.personal_data_registry import holdings
from candidates.services import (
    add_follow_up_note,
    anonymise_youth,
    pair_mentor,
    record_check_in,
)
from tests.accounts.factories import make_member

from .factories import (
    AssessmentFactory,
    MentorFactory,
    MentoringPairFactory,
    YouthFactory,
    fill_file,
)

TODAY = timezone.localdate


@pytest.mark.django_db
def test_one_active_mentor_per_youth_in_service_and_database():
    pair = MentoringPairFactory()
    youth = pair.youth
    other = MentorFactory(mission_locale=youth.mission_locale)
    with pytest.raises(ValidationError) as exc:
        pair_mentor(youth=youth, mentor=other, started_on=TODAY(), actor=youth.advisor)
    assert "déjà un parrainage en cours" in exc.value.message_dict["mentor"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringPair.objects.create(youth=youth, mentor=other, started_on=TODAY())


@pytest.mark.django_db
def test_mentor_without_signed_charter_is_refused():
    youth = YouthFactory()
    mentor = MentorFactory(mission_locale=youth.mission_locale, charter_signed_on=None)
    with pytest.raises(ValidationError) as exc:
        pair_mentor(youth=youth, mentor=mentor, started_on=TODAY(), actor=youth.advisor)
    assert "charte" in exc.value.message_dict["mentor"][0]


@pytest.mark.django_db(transaction=True)
def test_two_advisors_pairing_at_once_leave_one_active_pair():
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update needs PostgreSQL")
    youth = YouthFactory()
    mentors = [MentorFactory(mission_locale=youth.mission_locale) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def pair(mentor):
        barrier.wait()
        try:
            pair_mentor(youth=youth, mentor=mentor, started_on=TODAY(), actor=youth.advisor)
            outcomes.append("ok")
        except (ValidationError, IntegrityError):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pair, args=(m,)) for m in mentors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert MentoringPair.objects.active().filter(youth=youth).count() == 1


@pytest.mark.django_db
def test_mentoring_pages(client):
    youth = YouthFactory()
    mentor = MentorFactory(mission_locale=youth.mission_locale, last_name="Bénévole")
    client.force_login(youth.advisor)
    assert "Bénévole" in client.get(reverse("candidates:mentor_list")).content.decode()
    day = TODAY().strftime("%d/%m/%Y")
    response = client.post(
        reverse("candidates:pair_create", args=[youth.pk]), {"mentor": mentor.pk, "started_on": day}
    )
    assert response.status_code == 302
    pair = MentoringPair.objects.get()
    client.post(
        reverse("candidates:meeting_create", args=[pair.pk]), {"met_on": day, "note": "Café"}
    )
    assert pair.meetings.get().note == "Café"
    body = client.get(reverse("candidates:mentor_detail", args=[mentor.pk])).content.decode()
    assert youth.last_name in body and "Café" in body
    response = client.post(
        reverse("candidates:mentor_create"),
        {
            "mission_locale": youth.mission_locale_id,
            "first_name": "Jean",
            "last_name": "Retraité",
            "kind": "retired",
            "phone": "0612345678",
            "charter_signed_on": (TODAY() + timedelta(days=2)).strftime("%d/%m/%Y"),
            "is_active": "on",
        },
    )
    assert "futur" in response.context["form"].errors["charter_signed_on"][0]


@pytest.mark.django_db
def test_check_in_recording_and_due_page():
    youth = YouthFactory(hired=True)
    check_in = youth.check_ins.order_by("months_after").first()
    with pytest.raises(ValidationError) as exc:
        record_check_in(check_in=check_in, actor=youth.advisor, done_on=None, outcome="")
    assert {"done_on", "outcome"} <= set(exc.value.message_dict)
    record_check_in(check_in=check_in, actor=youth.advisor, done_on=TODAY(), outcome="going_well")
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.DONE
    with pytest.raises(ValidationError):
        record_check_in(
            check_in=check_in, actor=youth.advisor, done_on=TODAY(), outcome="going_well"
        )


@pytest.mark.django_db
def test_due_this_week_shows_my_youths_only(client):
    mine = YouthFactory(last_name="Moncas")
    colleague_youth = YouthFactory(mission_locale=mine.mission_locale, last_name="Collegue")
    for youth in (mine, colleague_youth):
        add_follow_up_note(
            youth=youth,
            actor=youth.advisor,
            met_on=TODAY() - timedelta(days=7),
            channel="phone",
            summary="Point",
            next_appointment_on=TODAY(),
        )
    client.force_login(mine.advisor)
    body = client.get(reverse("candidates:due_this_week")).content.decode()
    assert "Moncas" in body and "Collegue" not in body


@pytest.mark.django_db
def test_data_access_exports_are_logged(client):
    youth = YouthFactory(first_name="Inès")
    AssessmentFactory(youth=youth)
    client.force_login(youth.advisor)
    response = client.get(reverse("candidates:youth_data_json", args=[youth.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="jeune-{youth.pk}.json"'
    data = json.loads(response.getvalue())
    assert data["jeune"]["prenom"] == "Inès"
    assert len(data["evaluations"]) == 1
    page = client.get(reverse("candidates:youth_data_page", args=[youth.pk])).content.decode()
    assert "Inès" in page and youth.birth_date.strftime("%d/%m/%Y") in page
    assert "Mise en situation" in page
    logged = sorted(DataSubjectRequest.objects.values_list("kind", "actor"))
    assert logged == [
        (DataRequestKind.EXPORT_JSON, youth.advisor.pk),
        (DataRequestKind.EXPORT_PAGE, youth.advisor.pk),
    ]


# Session, user, scope, the youth, the consultation logged, then each section of the
# personal-data registry (every app's, the journal that shows this consultation
# included), one query each; + 1: the access log's one INSERT (candidates/access_log.py).
def data_page_queries() -> int:
    return 4 + 1 + len(holdings()) + 1


@pytest.mark.django_db
def test_data_page_reads_each_set_once_whatever_its_size(client, django_assert_num_queries):
    for records in (1, 4):
        youth = fill_file(YouthFactory(hired=True), records)
        client.force_login(youth.advisor)
        url = reverse("candidates:youth_data_page", args=[youth.pk])
        client.get(url)  # warm the session
        with django_assert_num_queries(data_page_queries()):
            body = client.get(url).content.decode()
        assert f"Visite du plateau {records - 1}" in body
        assert f"Titre professionnel {records - 1}" in body and "Tout va bien" in body
        assert f"Preuve {records - 1}" in body
        # The journal, read after logging, shows this consultation and the first one.
        assert body.count("Consultation de la fiche complète") == 2
        # The JSON export reads the same sections, once each, as the page does.
        url = reverse("candidates:youth_data_json", args=[youth.pk])
        with django_assert_num_queries(data_page_queries()):
            data = json.loads(client.get(url).getvalue())
        assert len(data["projets_vae"]) == records
        assert len(data["parrainages"]) == records
        # Two meetings per pair, each naming its mentor.
        meetings = data["rencontres_de_parrainage"]
        assert len(meetings) == 2 * records
        assert {m["parrain"] for m in meetings} == {p["parrain"] for p in data["parrainages"]}
        assert len(data["transferts"]) == records
        assert len(data["consentements"]) == records
        assert "(version " in data["consentements"][0]["mention_d_information"]


@pytest.mark.django_db
def test_anonymisation_keeps_statistics_and_is_logged(client):
    youth = YouthFactory(
        first_name="Inès", last_name="Martin", hired=True, consented=True, postcode="13005"
    )
    AssessmentFactory(youth=youth, comment="très bien")
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    client.force_login(manager)
    url = reverse("candidates:youth_anonymise", args=[youth.pk])
    response = client.post(url, {"reason": "Demande du 12/03"})
    assert "confirm" in response.context["form"].errors
    response = client.post(url, {"reason": "Demande du 12/03", "confirm": "on"})
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.status == YouthStatus.ANONYMISED
    assert "Martin" not in str(youth) and youth.email == "" and youth.postcode == "13000"
    assert (youth.birth_date.month, youth.birth_date.day) == (1, 1)
    assert youth.current_stage == "hired" and youth.pathway_events.count() == 4
    assert youth.assessments.get().comment == "" and youth.assessments.get().outcome == "favourable"
    assert not Youth.objects.sharing_consented().exists()
    log = DataSubjectRequest.objects.get(kind=DataRequestKind.ANONYMISE)
    assert (log.actor, log.reason) == (manager, "Demande du 12/03")
    assert client.get(reverse("candidates:youth_edit", args=[youth.pk])).status_code == 403
    with pytest.raises(ValidationError):
        anonymise_youth(youth=youth, actor=manager)


# Session, user, scope, and the pair (or check-in) loaded with its youth in one query.
RECORD_PAGE_QUERIES = 4


@pytest.mark.django_db
def test_pair_and_check_in_pages_load_the_youth_with_the_record(client, django_assert_num_queries):
    youth = YouthFactory(hired=True, last_name="Chargé")
    pair = MentoringPairFactory(youth=youth)
    check_in = youth.check_ins.first()
    client.force_login(youth.advisor)
    urls = [
        reverse("candidates:pair_end", args=[pair.pk]),
        reverse("candidates:meeting_create", args=[pair.pk]),
        reverse("candidates:check_in_record", args=[check_in.pk]),
    ]
    client.get(urls[0])  # warm the session
    for url in urls:
        with django_assert_num_queries(RECORD_PAGE_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["youth"] == youth and "Chargé" in response.content.decode()
    # A frozen (anonymised) file is still seen but not changed: 403, as before.
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    anonymise_youth(youth=youth, actor=manager)
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"ended_on": TODAY().strftime("%d/%m/%Y")}).status_code == 403
    pair.refresh_from_db()
    assert pair.is_active and not pair.meetings.exists()


@pytest.mark.django_db
def test_ending_a_pair_through_the_page(client):
    pair = MentoringPairFactory()
    client.force_login(pair.youth.advisor)
    url = reverse("candidates:pair_end", args=[pair.pk])
    before_start = (pair.started_on - timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(url, {"ended_on": before_start, "end_reason": "Déménagement"})
    assert response.status_code == 200
    assert "ne peut précéder son début" in response.context["form"].errors["ended_on"][0]
    body = response.content.decode()
    assert f'value="{before_start}"' in body and 'value="Déménagement"' in body
    pair.refresh_from_db()
    assert pair.is_active and pair.end_reason == ""

    response = client.post(url, {"ended_on": TODAY().strftime("%d/%m/%Y"), "end_reason": "Fini"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.ended_on, pair.end_reason) == (TODAY(), "Fini")

    response = client.post(url, {"ended_on": TODAY().strftime("%d/%m/%Y"), "end_reason": "Encore"})
    assert response.status_code == 200
    assert "déjà terminé" in response.context["form"].errors["ended_on"][0]
    assert 'value="Encore"' in response.content.decode()
    pair.refresh_from_db()
    assert (pair.ended_on, pair.end_reason) == (TODAY(), "Fini")


@pytest.mark.django_db
def test_a_meeting_before_the_pair_started_is_refused_on_the_page(client):
    pair = MentoringPairFactory()
    client.force_login(pair.youth.advisor)
    before_start = (pair.started_on - timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("candidates:meeting_create", args=[pair.pk]),
        {"met_on": before_start, "note": "Premier café"},
    )
    assert response.status_code == 200
    assert "précéder le début du parrainage" in response.context["form"].errors["met_on"][0]
    body = response.content.decode()
    assert f'value="{before_start}"' in body and "Premier café" in body
    assert not pair.meetings.exists()
