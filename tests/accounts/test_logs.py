"""Logs: one JSON object per line outside DEBUG, with the request id and the user id,
and no personal data, whatever flow runs."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.urls import reverse

from accounts.enums import NoticePurpose, Role
from accounts.models import InformationNotice
from candidates.enums import ConsentMethod
from candidates.models import Youth
from convention_portal.observability import REQUEST_ID_HEADER, logging_config
from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production logging set-up, writing to a buffer the test reads."""
    buffer = io.StringIO()
    config = logging_config(json_lines=True, level="INFO")
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    try:
        yield buffer
    finally:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)


def _lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_each_line_is_json_with_the_request_id_and_the_user_id(client, json_log):
    advisor = make_member(Role.ADVISOR)
    client.force_login(advisor)
    response = client.get("/jeunes/987654/")  # a 404: Django logs a warning
    assert response.status_code == 404
    lines = _lines(json_log)
    warning = next(line for line in lines if line["logger"] == "django.request")
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == response[REQUEST_ID_HEADER]
    assert warning["user_id"] == advisor.pk
    assert len(response[REQUEST_ID_HEADER]) == 32


def test_a_sane_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client):
    kept = client.get(reverse("health"), HTTP_X_REQUEST_ID="proxy-abc12345")
    assert kept[REQUEST_ID_HEADER] == "proxy-abc12345"
    forged = client.get(reverse("health"), HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")
    assert forged[REQUEST_ID_HEADER] != "x\r\nSet-Cookie: a=b"
    assert len(forged[REQUEST_ID_HEADER]) == 32


def test_a_full_flow_leaves_no_name_email_or_phone_in_the_logs(
    client, json_log, django_capture_on_commit_callbacks, tasks_in_process
):
    """An advisor registers a youth, records consent, exports the list, fails a form,
    hits a page that does not exist; the youth's identity never reaches a log line."""
    advisor = make_member(Role.ADVISOR)
    client.force_login(advisor)
    identity = {
        "first_name": "Philomène",
        "last_name": "Quesnel-Traçabilité",
        "email": "philomene.quesnel@exemple.fr",
        "phone": "06 98 76 54 32",
    }
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            reverse("candidates:youth_create"),
            {
                "mission_locale": advisor.memberships.get().organisation_id,
                "birth_date": "14/03/2006",
                "advisor": advisor.pk,
                **identity,
            },
        )
    assert created.status_code == 302
    youth = Youth.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        consented = client.post(
            reverse("candidates:consent", args=[youth.pk]),
            {
                "method": ConsentMethod.SIGNED_FORM,
                "notice": InformationNotice.objects.current_for(NoticePurpose.PROFILE_SHARING).pk,
                "note": "Formulaire signé par Quesnel",
            },
        )
    assert consented.status_code == 302, "the consent (its note names the youth) was not recorded"
    client.get(reverse("candidates:youth_detail", args=[youth.pk]))
    client.get(reverse("candidates:youth_export", args=["csv"]))
    client.post(reverse("candidates:youth_edit", args=[youth.pk]), {**identity, "phone": "12"})
    client.get(f"/jeunes/{youth.pk + 1000}/")
    client.get(reverse("candidates:youth_data_json", args=[youth.pk]))
    output = json_log.getvalue()
    assert output, "the flow logged nothing: the check would prove nothing"
    for value in (*identity.values(), "0698765432", "Quesnel"):
        assert value not in output, f"{value!r} reached the logs"
