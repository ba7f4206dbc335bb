"""The youth's page reads each part of the file once whatever its size, and skips the
parts the youth's own row says are empty (`Youth.objects.with_file()`)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.display import describe
from audit.models import AuditEntry
from candidates.models import (
    MentoringMeeting,
    Youth,
    holds_file,
    load_file,
    youth_file_prefetches,
)
from candidates.models.youth import SETS_OFTEN_EMPTY
from candidates.timeline import build_timeline

from .everything import youth_with_everything
from .factories import AssessmentFactory, FollowUpNoteFactory, MentoringPairFactory, YouthFactory
from .test_youth_pages import DETAIL_PAGE_QUERIES

pytestmark = pytest.mark.django_db

#: The parts other apps add, when the youth has them: the proposals' moves and the
#: employments (offers), the enrolments and the CAE contracts (immersion), the space
#: and the answers to sessions (youthspace), one query each; + 1: "Consulté par"; + 2:
#: the latest changes (the transfer) name a user and a mission locale the page does not
#: hold (who moved the youth, the mission locale they left), one query each.
EVERYTHING_QUERIES = DETAIL_PAGE_QUERIES + 6 + 1 + 2

#: Session, user, scope, the youth; the pathway; the access log's INSERT; the latest
#: changes (the entries: the youth, advisor and mission locale they name are the page's).
EMPTY_FILE_QUERIES = 4 + 1 + 1 + 1


def _page_queries(client, user, youth, assert_queries, expected):
    client.force_login(user)
    url = reverse("candidates:youth_detail", args=[youth.pk])
    client.get(url)  # warm the session
    with assert_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_file_with_every_part_reads_each_once_whatever_the_rows(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    everything = youth_with_everything()
    youth, manager = everything.youth, everything.new_manager
    body = _page_queries(client, manager, youth, django_assert_num_queries, EVERYTHING_QUERIES)
    assert "Acme Relation Client" in body  # the proposals and the employment
    for i in range(3):
        FollowUpNoteFactory(youth=youth, summary=f"Entretien en plus {i}")
        AssessmentFactory(youth=youth)
        pair = MentoringPairFactory(
            youth=youth,
            started_on=date(2020, 1, 1 + i),
            ended_on=date(2020, 2, 1 + i),  # one running pair at most
        )
        MentoringMeeting.objects.create(pair=pair, met_on=pair.started_on, note=f"Café {i}")
    # At most as many: the latest changes are now the new rows, naming fewer models.
    body = _page_queries(client, manager, youth, django_assert_max_num_queries, EVERYTHING_QUERIES)
    assert "Entretien en plus 2" in body and "Café 2" in body


def test_an_empty_file_skips_the_reads_of_its_empty_parts(client, django_assert_num_queries):
    youth = YouthFactory()
    body = _page_queries(
        client, youth.advisor, youth, django_assert_num_queries, EMPTY_FILE_QUERIES
    )
    assert "Aucun projet." in body and "Pas encore évalué." in body


def test_the_timeline_and_the_latest_changes_are_read_together(client):
    """The pathway, the proposals' moves, the enrolments and the latest changes reach
    PostgreSQL in one pipeline (one wait), each still a query of its own; the youth's
    row (the page's 404 decision) and the access log's entry go before, alone."""
    everything = youth_with_everything()
    youth, manager = everything.youth, everything.new_manager
    client.force_login(manager)
    url = reverse("candidates:youth_detail", args=[youth.pk])
    client.get(url)
    seen = []

    def watch(execute, sql, params, many, context):
        status = (
            connection.connection.pgconn.pipeline_status
            if connection.vendor == "postgresql"
            else None
        )
        seen.append((sql, status))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        body = client.get(url).content.decode()
    assert "Acme Relation Client" in body  # the proposals' moves, on the timeline
    together = {
        table: [status for sql, status in seen if sql.startswith(f'SELECT "{table}".')]
        for table in (
            "candidates_pathwayevent",
            "offers_proposaltransition",
            "immersion_enrolment",
            "audit_auditentry",
        )
    }
    assert all(len(statuses) == 1 for statuses in together.values()), together
    alone = [status for sql, status in seen if "accesslogentry" in sql and "INSERT" in sql]
    assert len(alone) == 1
    if connection.vendor == "postgresql":
        from psycopg.pq import PipelineStatus

        assert all(statuses == [PipelineStatus.ON] for statuses in together.values())
        assert alone == [PipelineStatus.OFF]


def test_the_latest_changes_name_what_the_page_holds_as_a_read_would(
    client, django_assert_num_queries
):
    """The panel names the youth, their advisor and mission locale from the page's own
    objects, in the same words as when they are read (the trail's page)."""
    youth = YouthFactory()
    youth = Youth.objects.select_related("advisor", "mission_locale").get(pk=youth.pk)
    entries = list(AuditEntry.objects.about_youth(youth.pk).select_related("actor"))
    read = describe(entries)
    with django_assert_num_queries(0):
        held = describe(entries, known=(youth, youth.advisor, youth.mission_locale))
    assert [(row.object_label, row.changes) for row in held] == [
        (row.object_label, row.changes) for row in read
    ]
    named = {change.new for row in held for change in row.changes}
    assert {str(youth), str(youth.mission_locale)} <= named


def _sets(youth) -> dict:
    """Each related set of the file as read, with the meetings of each pair."""
    return {
        name: [
            (item.pk, [m.pk for m in item.meetings.all()] if name == "mentoring_pairs" else None)
            for item in getattr(youth, name).all()
        ]
        for name in SETS_OFTEN_EMPTY
    }


def test_load_file_reads_what_prefetching_every_set_reads(django_assert_num_queries):
    assert [p.prefetch_to for p in youth_file_prefetches()] == list(SETS_OFTEN_EMPTY)
    for youth in (youth_with_everything().youth, YouthFactory()):
        loaded = load_file(Youth.objects.with_file().get(pk=youth.pk))
        assert holds_file(loaded)
        prefetched = Youth.objects.prefetch_related(*youth_file_prefetches()).get(pk=youth.pk)
        with django_assert_num_queries(0):  # every set, and the pairs' meetings, held
            assert _sets(loaded) == _sets(prefetched)
    # The timeline reads the sets a youth does not hold, and only those.
    held, plain = load_file(Youth.objects.get(pk=youth.pk)), Youth.objects.get(pk=youth.pk)
    assert not holds_file(plain)
    with CaptureQueriesContext(connection) as reads_when_held:
        from_held = build_timeline(held)
    with CaptureQueriesContext(connection) as reads_when_not:
        assert build_timeline(plain) == from_held
    assert holds_file(plain)
    assert len(reads_when_not) == len(reads_when_held) + len(SETS_OFTEN_EMPTY)
