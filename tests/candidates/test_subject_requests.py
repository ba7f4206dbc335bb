"""A youth's requests to exercise their rights: recorded by their advisor with a due date
one month later, listed for the mission locale's manager on "Demandes RGPD" (open ones
first, overdue ones flagged), closed with what was done; closing an erasure anonymises
the file."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from candidates.enums import SubjectRequestKind, SubjectRequestStatus, YouthStatus
from candidates.models import DataSubjectRequest, SubjectRequest
from candidates.personal_data_registry import MASK
from candidates.services import anonymise_youth
from candidates.subject_request_services import (
    close_subject_request,
    due_date,
    record_subject_request,
)
from tests.accounts.factories import make_member

from .factories import YouthFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _request(youth, kind=SubjectRequestKind.ACCESS, received_on=None, **kwargs):
    return record_subject_request(
        youth=youth,
        actor=youth.advisor,
        kind=kind,
        received_on=received_on or timezone.localdate(),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 3, 15), D(2026, 4, 15)),
        (D(2026, 1, 31), D(2026, 2, 28)),  # a calendar month: February's last day
        (D(2028, 1, 31), D(2028, 2, 29)),
        (D(2026, 12, 20), D(2027, 1, 20)),
    ],
)
def test_the_answer_is_due_one_calendar_month_after_receipt(received, due):
    assert due_date(received) == due


@time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_the_advisor_records_a_request_from_the_youths_page(client):
    youth = YouthFactory()
    client.force_login(youth.advisor)
    detail = client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode()
    url = reverse("candidates:subject_request_create", args=[youth.pk])
    assert url in detail
    response = client.post(
        url, {"kind": "rectification", "received_on": "15/03/2026", "details": "Nouvelle adresse"}
    )
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    assert (request.kind, request.received_on, request.due_on) == (
        "rectification",
        D(2026, 3, 15),
        D(2026, 4, 15),
    )
    assert request.recorded_by == youth.advisor and request.status == SubjectRequestStatus.OPEN
    page = client.get(response.url).content.decode()
    assert "la réponse est due le 15/04/2026" in page

    # Not in the future, not before the youth was registered: refused next to the field.
    for day, message in (
        ("21/03/2026", "ne peut pas être dans le futur"),
        ((youth.registered_on - datetime.timedelta(days=1)).strftime("%d/%m/%Y"), "précéder"),
    ):
        response = client.post(url, {"kind": "access", "received_on": day, "details": ""})
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["received_on"])
    assert SubjectRequest.objects.count() == 1


def test_who_may_record_a_request():
    youth = YouthFactory()
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    kind, today = SubjectRequestKind.OBJECTION, timezone.localdate()
    for allowed in (youth.advisor, manager):
        record_subject_request(youth=youth, actor=allowed, kind=kind, received_on=today)
    for refused in (make_member(Role.ADVISOR), make_member(Role.RECRUITER)):
        with pytest.raises(PermissionDenied):
            record_subject_request(youth=youth, actor=refused, kind=kind, received_on=today)
    # An anonymised file takes no request: nothing left to identify the youth by.
    anonymise_youth(youth=youth, actor=manager)
    youth.refresh_from_db()
    with pytest.raises(PermissionDenied):
        record_subject_request(youth=youth, actor=manager, kind=kind, received_on=today)
    assert SubjectRequest.objects.count() == 2


def test_closing_says_what_was_done_and_only_a_manager_closes(client):
    youth = YouthFactory()
    request = _request(youth, details="Copie du dossier")
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    url = reverse("candidates:subject_request_close", args=[request.pk])

    client.force_login(youth.advisor)  # sees the request, may not close it
    assert client.get(url).status_code == 403
    assert client.post(url, {"outcome": "Fait"}).status_code == 403

    client.force_login(manager)
    response = client.post(url, {"outcome": ""})
    assert response.status_code == 200 and "outcome" in response.context["form"].errors
    response = client.post(url, {"outcome": "Dossier ZIP remis en main propre."})
    assert response.status_code == 302 and response.url == reverse(
        "candidates:subject_request_list"
    )
    request.refresh_from_db()
    assert request.status == SubjectRequestStatus.CLOSED
    assert (request.outcome, request.handled_by, request.closed_on) == (
        "Dossier ZIP remis en main propre.",
        manager,
        timezone.localdate(),
    )
    # Closed once: the page refuses, the service too.
    assert client.post(url, {"outcome": "Encore"}).status_code == 403
    with pytest.raises(PermissionDenied):
        close_subject_request(subject_request=request, actor=manager, outcome="Encore")
    youth.refresh_from_db()
    assert youth.status == YouthStatus.ACTIVE


def test_closing_an_erasure_anonymises_the_file_once_confirmed(client):
    youth = YouthFactory(first_name="Inès", last_name="Zerbib", consented=True)
    request = _request(
        youth, kind=SubjectRequestKind.ERASURE, details="Inès Zerbib veut être effacée."
    )
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    client.force_login(manager)
    url = reverse("candidates:subject_request_close", args=[request.pk])
    page = client.get(url).content.decode()
    assert "anonymise le dossier" in page and 'name="confirm_erasure"' in page
    response = client.post(url, {"outcome": "Effacement fait pour Inès Zerbib."})
    assert "confirm_erasure" in response.context["form"].errors
    youth.refresh_from_db()
    assert youth.status == YouthStatus.ACTIVE and not SubjectRequest.objects.get().closed_on

    response = client.post(
        url, {"outcome": "Effacement fait pour Inès Zerbib.", "confirm_erasure": "on"}
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.status == YouthStatus.ANONYMISED and youth.first_name == "Anonyme"
    assert not youth.has_sharing_consent
    request.refresh_from_db()
    assert request.status == SubjectRequestStatus.CLOSED
    assert request.outcome == f"Effacement fait pour {MASK}."
    assert request.details == f"{MASK} veut être effacée."
    log = DataSubjectRequest.objects.get(kind="anonymise")
    assert (log.actor, log.reason) == (manager, f"Demande d'effacement n° {request.pk}")


def test_an_erasure_of_a_file_already_anonymised_just_closes():
    youth = YouthFactory()
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    request = _request(youth, kind=SubjectRequestKind.ERASURE)
    anonymise_youth(youth=youth, actor=manager, reason="Demande par courrier")
    request = close_subject_request(subject_request=request, actor=manager, outcome="Déjà fait")
    assert request.status == SubjectRequestStatus.CLOSED
    assert DataSubjectRequest.objects.filter(kind="anonymise").count() == 1


@time_machine.travel(datetime.datetime(2026, 6, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_the_manager_sees_open_requests_first_overdue_ones_flagged(client):
    youth = YouthFactory(last_name="Zerbib", registered_on=D(2025, 1, 10))
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    late = _request(youth, received_on=D(2026, 5, 1), details="En retard")  # due 01/06
    soon = _request(youth, kind=SubjectRequestKind.RECTIFICATION, received_on=D(2026, 6, 1))
    done = _request(youth, kind=SubjectRequestKind.OBJECTION, received_on=D(2026, 1, 5))
    close_subject_request(subject_request=done, actor=manager, outcome="Opposition notée.")
    elsewhere = YouthFactory(last_name="Ailleurs")
    _request(elsewhere, details="Autre mission locale")

    client.force_login(manager)
    response = client.get(reverse("candidates:subject_request_list"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["request"] for row in rows] == [late, soon, done]
    assert [row["overdue"] for row in rows] == [True, False, False]
    body = response.content.decode()
    assert "En retard de 9 jours" in body and 'class="request-overdue"' in body
    assert "Opposition notée." in body and "Ailleurs" not in body
    assert "2 demandes à traiter" in body and "dont 1 en retard" in body
    assert reverse("candidates:subject_request_close", args=[late.pk]) in body
    assert reverse("candidates:subject_request_close", args=[done.pk]) not in body

    # The page is the managers': an advisor of the same mission locale is refused.
    client.force_login(youth.advisor)
    assert client.get(reverse("candidates:subject_request_list")).status_code == 403
    client.force_login(make_member(Role.RECRUITER))
    assert client.get(reverse("candidates:subject_request_list")).status_code == 403


def test_the_navigation_offers_the_page_to_managers_only(client):
    youth = YouthFactory()
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    url = reverse("candidates:subject_request_list")
    client.force_login(manager)
    assert url in client.get(reverse("home")).content.decode()
    client.force_login(youth.advisor)
    assert url not in client.get(reverse("home")).content.decode()


# Session, user, scope, the counts, the paginator's count, the page's rows.
LIST_QUERIES = 6


def test_the_list_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    youth = YouthFactory()
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    client.force_login(manager)
    url = reverse("candidates:subject_request_list")
    for count in (2, 30):
        while SubjectRequest.objects.count() < count:
            other = YouthFactory(mission_locale=youth.mission_locale, advisor=youth.advisor)
            request = _request(other, details="Demande")
            if SubjectRequest.objects.count() % 3 == 0:
                close_subject_request(subject_request=request, actor=manager, outcome="Fait")
        client.get(url)  # warm the session
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(url)
        assert len(response.context["rows"]) == min(count, 25)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_overdue_flag_has_an_accessible_contrast():
    """WCAG: at least 4.5:1 for text (AA); the badge and the row's text reach 7:1."""
    css = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    badge = re.search(
        r"\.badge\.request-overdue \{ background-color: (#\w{6}); color: (#\w{6}); \}", css
    )
    row = re.search(r"tr\.request-overdue > th \{[^}]*color: (#\w{6}); \}", css)
    assert badge and row
    assert _contrast(badge[1], badge[2]) >= 7
    assert _contrast(row[1], "#ffffff") >= 7


def test_a_file_without_contact_or_postcode_is_anonymised_too():
    """Empty fields stay empty (no "000" postcode), and a youth without email or phone
    leaves nothing to mask but their names."""
    youth = YouthFactory(first_name="Léa", last_name="Zorn", postcode="", email="", phone="")
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    request = _request(youth, kind=SubjectRequestKind.ERASURE, details="Léa Zorn, au 06.")
    close_subject_request(subject_request=request, actor=manager, outcome="Fait pour Léa.")
    youth.refresh_from_db()
    assert (youth.first_name, youth.last_name, youth.postcode) == ("Anonyme", f"#{youth.pk}", "")
    assert (youth.birth_date.month, youth.birth_date.day) == (1, 1)
    request.refresh_from_db()
    assert (request.details, request.outcome) == (f"{MASK}, au 06.", f"Fait pour {MASK}.")


def test_the_open_filter_holds_on_the_next_page(client, monkeypatch):
    """The home page's counter opens `?open=1`; the pagination links keep it."""
    from candidates.views import rights

    monkeypatch.setattr(rights, "REQUESTS_PAGE_SIZE", 2)
    youth = YouthFactory()
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    for _n in range(3):
        _request(YouthFactory(mission_locale=youth.mission_locale, advisor=youth.advisor))
    client.force_login(manager)
    url = reverse("candidates:subject_request_list")
    body = client.get(url, {"open": "1"}).content.decode()
    assert 'href="?open=1&amp;page=2"' in body
    second = client.get(url, {"open": "1", "page": "2"})
    assert second.context["only_open"] and len(second.context["rows"]) == 1
