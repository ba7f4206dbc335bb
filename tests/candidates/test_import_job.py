"""A large file is confirmed by a background job (`candidates.import_confirm`): the
preview page shows its progress then its result, said once to screen readers; the job
is keyed on the import, so running it twice (or a second click) creates nobody; a job
refused leaves nothing and the preview says why. The real worker runs it at the end."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from accounts.models import Membership
from audit.enums import AuditPath
from audit.models import AuditEntry
from candidates import import_confirm
from candidates.enums import ImportStatus
from candidates.import_confirm import progress_of, queue_confirmation, run_confirmation
from candidates.importing import map_columns, preview_import
from candidates.models import ImportBatch, PathwayEvent, Youth
from candidates.tasks import confirm_import_batch
from tests.candidates.factories import born

ROWS = 12


def _file(count: int = ROWS, named: str = "") -> bytes:
    lines = [f"Lot{n};Inès;{born(18 + n % 7)};{named}" for n in range(count)]
    return ("Nom;Prénom;Date de naissance;Conseiller\r\n" + "\r\n".join(lines)).encode()


@pytest.fixture
def large(monkeypatch):
    """Files of more than 5 valid rows count as large here."""
    monkeypatch.setattr(import_confirm, "IN_REQUEST_MAX_ROWS", 5)


def _preview(ml, advisor, **kwargs) -> ImportBatch:
    return preview_import(
        mission_locale=ml, actor=advisor, file_name="vivier.csv", data=_file(**kwargs)
    )


def _hx(client, batch):
    return client.get(
        reverse("candidates:import_preview", args=[batch.pk]),
        {"fragment": "progress"},
        HTTP_HX_REQUEST="true",
    )


@pytest.mark.django_db
def test_a_small_file_is_still_confirmed_by_the_request(client, advisor, ml):
    batch = _preview(ml, advisor, count=3)
    client.force_login(advisor)
    response = client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    assert response.url == reverse("candidates:youth_list")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CONFIRMED and batch.created_count == 3


@pytest.mark.django_db
def test_a_large_file_waits_for_its_job_and_cannot_be_confirmed_twice(
    client, advisor, ml, large, django_capture_on_commit_callbacks
):
    batch = _preview(ml, advisor)
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    assert len(queued) == 1  # the job, sent when the request commits
    assert response.url == reverse("candidates:import_preview", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CONFIRMING and not Youth.objects.exists()
    assert progress_of(batch.pk) == {"done": 0, "total": ROWS}
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Import en cours." in page
    assert "Importer 12 jeunes" not in page  # no second confirmation meanwhile
    fragment = _hx(client, batch)
    assert 'id="import-progress"' in fragment.content.decode()
    assert "HX-Trigger-After-Settle" not in fragment.headers  # nothing to say yet
    # A second click, and a change of columns, are refused while the job runs.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("candidates:import_confirm", args=[batch.pk]), follow=True)
    assert not queued
    with pytest.raises(Exception, match="déjà été confirmé"):
        map_columns(batch=batch, actor=advisor, columns=batch.columns)


@pytest.mark.django_db
def test_the_job_in_process_imports_and_the_page_says_so(
    client, advisor, ml, large, tasks_in_process, django_capture_on_commit_callbacks
):
    batch = _preview(ml, advisor, named="ancien@ml.fr")
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("candidates:import_confirm", args=[batch.pk]), {"unknown_advisor": "me"}
        )
    # Run in-process (the embedded default), the job is done when the request commits.
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CONFIRMED and batch.created_count == ROWS
    assert set(Youth.objects.values_list("advisor", flat=True)) == {advisor.pk}
    assert PathwayEvent.objects.filter(first_in_year=True).count() == ROWS
    # Its entries are the import's, signed by who confirmed it, though a job wrote them.
    entries = AuditEntry.objects.filter(youth__mission_locale=ml)
    assert entries.count() == 2 * ROWS
    assert set(entries.values_list("path", "actor_id")) == {(AuditPath.IMPORT, advisor.pk)}
    fragment = _hx(client, batch)
    body = fragment.content.decode()
    assert "hx-trigger" not in body and f"{ROWS} jeune(s) créé(s)" in body
    said = json.loads(fragment.headers["HX-Trigger-After-Settle"])["portal:announce"]
    assert said["message"] == f"Import terminé : {ROWS} jeune(s) créé(s)."
    # Run again (a message delivered twice): nobody more.
    assert run_confirmation(batch_id=batch.pk, actor_id=advisor.pk, unknown_advisor="me") == {
        "batch": batch.pk,
        "created": 0,
        "already": True,
    }
    assert Youth.objects.count() == ROWS


@pytest.mark.django_db
def test_a_refused_job_leaves_nothing_and_the_preview_says_why(client, advisor, ml, large):
    from accounts.enums import Role
    from tests.accounts.factories import make_member

    colleague = make_member(Role.ADVISOR, organisation=ml)
    batch = _preview(ml, advisor, named=colleague.email)
    queue_confirmation(batch=batch, actor=advisor, unknown_advisor="none")
    # The advisor the rows name left the mission locale before the job ran.
    Membership.objects.filter(user=colleague).delete()
    done = run_confirmation(batch_id=batch.pk, actor_id=advisor.pk, unknown_advisor="none")
    assert done["refused"] and not Youth.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    client.force_login(advisor)
    fragment = _hx(client, batch)
    said = json.loads(fragment.headers["HX-Trigger-After-Settle"])["portal:announce"]
    assert "ne fait pas partie de la mission locale" in said["message"]
    page = client.get(reverse("candidates:import_preview", args=[batch.pk])).content.decode()
    assert "L'import n'a pas pu être fait" in page and "Importer 12 jeunes" in page


@pytest.mark.django_db
def test_a_job_whose_author_left_the_mission_locale_is_refused(advisor, ml, large):
    """The right to register youths there is checked when the job runs: someone who
    moved elsewhere since the preview imports nobody."""
    batch = _preview(ml, advisor)
    queue_confirmation(batch=batch, actor=advisor, unknown_advisor="none")
    Membership.objects.filter(user=advisor).delete()
    done = run_confirmation(batch_id=batch.pk, actor_id=advisor.pk, unknown_advisor="none")
    assert done["refused"] and not Youth.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PREVIEWED


@pytest.mark.django_db
def test_another_mission_locale_cannot_follow_the_job(client, advisor, ml, large):
    from accounts.enums import Role
    from tests.accounts.factories import make_member

    batch = _preview(ml, advisor)
    client.force_login(make_member(Role.ADVISOR))
    assert _hx(client, batch).status_code == 404


@pytest.mark.worker
def test_the_job_on_the_worker_imports_and_twice_creates_nobody(
    celery_worker, transactional_db, advisor, ml, large
):
    batch = _preview(ml, advisor)
    batch = queue_confirmation(batch=batch, actor=advisor, unknown_advisor="none")
    assert batch.status == ImportStatus.CONFIRMING
    # The same job sent again before the first has run (a double delivery).
    again = confirm_import_batch.apply_async(
        (batch.pk, advisor.pk, "none"), queue=celery_worker.queue
    )
    assert again.get(timeout=120)["created"] in (0, ROWS)
    deadline = time.monotonic() + 120
    while ImportBatch.objects.get(pk=batch.pk).status != ImportStatus.CONFIRMED:
        assert time.monotonic() < deadline, celery_worker.log()
        time.sleep(0.2)
    assert Youth.objects.filter(mission_locale=ml).count() == ROWS
    result = confirm_import_batch.apply_async(
        (batch.pk, advisor.pk, "none"), queue=celery_worker.queue
    ).get(timeout=60)
    assert result == {"batch": batch.pk, "created": 0, "already": True}
    assert Youth.objects.filter(mission_locale=ml).count() == ROWS
    batch.refresh_from_db()
    assert (batch.created_count, batch.source_rows) == (ROWS, [])
    entries = AuditEntry.objects.filter(youth__mission_locale=ml, path=AuditPath.IMPORT)
    assert entries.count() == 2 * ROWS
