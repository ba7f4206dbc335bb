"""An import left "confirming" by a worker that died (its job not delivered again):
once its job has told no progress for STALLED_AFTER, the preview page says it was
interrupted and offers to resume it; resuming runs the job again, which is safe even if
the lost one comes back."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from accounts.enums import Role
from candidates import import_confirm
from candidates.enums import ImportStatus
from candidates.import_confirm import (
    STALLED_AFTER,
    confirmation_stalled,
    progress_key,
    queue_confirmation,
    run_confirmation,
)
from candidates.importing import preview_import
from candidates.models import ImportBatch, Youth
from tests.accounts.factories import make_member
from tests.candidates.factories import born

pytestmark = pytest.mark.django_db

ROWS = 12
PARIS = datetime.timezone(datetime.timedelta(hours=1))
QUEUED_AT = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def large(monkeypatch):
    """Files of more than 5 valid rows go to the job here."""
    monkeypatch.setattr(import_confirm, "IN_REQUEST_MAX_ROWS", 5)


def _queued(ml, advisor, django_capture_on_commit_callbacks, *, named: str = "") -> ImportBatch:
    """An import whose job was queued at QUEUED_AT and never ran (its worker died)."""
    lines = [f"Lot{n};Inès;{born(18 + n % 7)};{named}" for n in range(ROWS)]
    data = ("Nom;Prénom;Date de naissance;Conseiller\r\n" + "\r\n".join(lines)).encode()
    batch = preview_import(mission_locale=ml, actor=advisor, file_name="vivier.csv", data=data)
    with (
        time_machine.travel(QUEUED_AT, tick=False),
        django_capture_on_commit_callbacks(execute=False) as lost,
    ):
        queue_confirmation(batch=batch, actor=advisor, unknown_advisor="me")
    assert len(lost) == 1
    return ImportBatch.objects.get(pk=batch.pk)


def _page(client, batch) -> str:
    return client.get(reverse("candidates:import_preview", args=[batch.pk])).content.decode()


def _poll(client, batch):
    return client.get(
        reverse("candidates:import_preview", args=[batch.pk]),
        {"fragment": "progress"},
        HTTP_HX_REQUEST="true",
    )


def test_an_import_silent_too_long_is_said_interrupted_and_resumed(
    client, advisor, ml, tasks_in_process, django_capture_on_commit_callbacks
):
    batch = _queued(ml, advisor, django_capture_on_commit_callbacks, named="ancien@ml.fr")
    client.force_login(advisor)
    url = reverse("candidates:import_confirm", args=[batch.pk])
    # Nine minutes on: still "in progress", polled, and a second click queues nothing.
    with time_machine.travel(QUEUED_AT + datetime.timedelta(minutes=9), tick=False):
        page = _page(client, batch)
        assert "Import en cours." in page and 'hx-trigger="every 2s"' in page
        assert "Import interrompu" not in page and "Reprendre" not in page
        assert "HX-Refresh" not in _poll(client, batch).headers
        with django_capture_on_commit_callbacks(execute=False) as queued:
            client.post(url, {"unknown_advisor": "me"})
        assert not queued
    # Past STALLED_AFTER: the poll reloads the page, which says so and offers to resume.
    stalled_at = QUEUED_AT + datetime.timedelta(seconds=STALLED_AFTER + 60)
    with time_machine.travel(stalled_at, tick=False):
        assert _poll(client, batch).headers["HX-Refresh"] == "true"
        page = _page(client, batch)
        assert "Import interrompu." in page and "depuis plus de 10 minutes" in page
        assert "hx-trigger" not in page  # no more polling
        assert 'id="resume-import"' in page and "Reprendre l'import de 12 jeunes" in page
        assert 'id="unknown-advisor"' in page  # the same choices as a confirmation
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = client.post(url, {"unknown_advisor": "me"})
    assert len(queued) == 1
    assert response.url == reverse("candidates:import_preview", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CONFIRMED and batch.created_count == ROWS
    assert set(Youth.objects.values_list("advisor", flat=True)) == {advisor.pk}
    # The lost job delivered after all: nobody twice.
    done = run_confirmation(batch_id=batch.pk, actor_id=advisor.pk, unknown_advisor="me")
    assert done["already"] and Youth.objects.count() == ROWS


def test_progress_told_by_the_job_keeps_the_import_running(
    advisor, ml, django_capture_on_commit_callbacks
):
    batch = _queued(ml, advisor, django_capture_on_commit_callbacks)
    told_at = QUEUED_AT + datetime.timedelta(minutes=8)
    with time_machine.travel(told_at, tick=False):
        import_confirm._tell_progress(batch.pk, done=5, total=ROWS)
    with time_machine.travel(told_at + datetime.timedelta(minutes=9), tick=False):
        assert not confirmation_stalled(batch)
        with pytest.raises(Exception, match="déjà en cours"):
            queue_confirmation(batch=batch, actor=advisor, unknown_advisor="none")
    with time_machine.travel(told_at + datetime.timedelta(minutes=11), tick=False):
        assert confirmation_stalled(batch)


def test_an_import_whose_progress_was_lost_with_the_cache_may_be_resumed(
    advisor, ml, django_capture_on_commit_callbacks
):
    batch = _queued(ml, advisor, django_capture_on_commit_callbacks)
    cache.delete(progress_key(batch.pk))
    assert confirmation_stalled(batch)
    # A previewed or confirmed import is never "interrupted".
    batch.status = ImportStatus.PREVIEWED
    assert not confirmation_stalled(batch)


def test_another_mission_locale_cannot_resume_it(
    client, advisor, ml, django_capture_on_commit_callbacks
):
    batch = _queued(ml, advisor, django_capture_on_commit_callbacks)
    client.force_login(make_member(Role.ADVISOR))
    with time_machine.travel(QUEUED_AT + datetime.timedelta(hours=1), tick=False):
        response = client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    assert response.status_code == 404
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.CONFIRMING
