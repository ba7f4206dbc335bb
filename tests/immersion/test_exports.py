"""The sessions list and a session's roster as CSV and XLSX (issue 15, item 5): the page's
columns and filters, the user's sessions only, the same rows in both formats, constant
queries; a roster names a youth to a host or a project lead only while the youth shares
their profile ("Participant·e N" otherwise, as on the page), and its download is in the
access log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.access_log import AccessLogEntry
from candidates.enums import AccessKind
from immersion import services
from immersion.enums import Audience, ProgrammeKind
from tests.candidates.factories import YouthFactory
from tests.exports import download, export_link_urls, fetch, page_columns, read_csv

from .factories import SessionFactory, _in_days

pytestmark = pytest.mark.django_db


def _log():
    return list(AccessLogEntry.objects.filter(kind=AccessKind.LIST_EXPORT).order_by("pk"))


def _constant(client, url, grow, django_assert_num_queries):
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    return read_csv(response.content)


# --- The sessions list -----------------------------------------------------------------------


def test_session_list_export_has_the_page_columns_and_filters(client, world):
    SessionFactory(
        host=world.training,
        kind=ProgrammeKind.ADVISOR_INFORMATION,
        title="Réunion d'information",
        starts_at=_in_days(12),
    )
    SessionFactory(host=world.company, past=True, title="Immersion passée")
    SessionFactory(region=world.other_region, host__region=world.other_region, title="Ailleurs")
    client.force_login(world.lead)
    page = client.get(reverse("immersion:session_list"))
    header, *rows = download(client, "immersion:session_list_export")
    assert header == page_columns(page.content, after="table-striped")
    assert export_link_urls(page.content) == [
        reverse("immersion:session_list_export", args=["csv"]),
        reverse("immersion:session_list_export", args=["xlsx"]),
    ]
    # Coming sessions (the page's default period), of the lead's region only.
    assert [row[1] for row in rows] == ["Immersion plateau Méditel", "Réunion d'information"]
    plateau = rows[0]
    assert plateau[0] == world.session.starts_at.astimezone().strftime("%d/%m/%Y %H:%M")
    assert plateau[2:] == [
        "Journée d'immersion en entreprise",
        world.company.name,
        "Marseille",
        "Jeunes",
        "0 / 2",
        "Inscriptions ouvertes",
    ]
    query = {"audience": Audience.ADVISORS, "period": "all"}
    fragment = client.get(reverse("immersion:session_list"), query, headers={"HX-Request": "true"})
    assert export_link_urls(fragment.content)[0].endswith("export.csv?audience=advisors&period=all")
    _header, *advisors = download(client, "immersion:session_list_export", query=query)
    assert [row[1] for row in advisors] == ["Réunion d'information"]
    _header, *past = download(client, "immersion:session_list_export", query={"period": "past"})
    assert [row[1] for row in past] == ["Immersion passée"]
    assert _log() == []  # places counted, no youth


def test_session_list_export_of_another_region_holds_only_its_sessions(client, world):
    SessionFactory(region=world.other_region, host__region=world.other_region, title="Ailleurs")
    client.force_login(world.other_lead)
    _header, *rows = download(client, "immersion:session_list_export")
    assert [row[1] for row in rows] == ["Ailleurs"]
    client.force_login(world.national)  # counts only: no session at all
    _header, *rows = download(client, "immersion:session_list_export")
    assert rows == []


def test_session_list_export_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    client.force_login(world.advisor)
    url = reverse("immersion:session_list_export", args=["xlsx"])

    def grow():
        SessionFactory.create_batch(30, host=world.company)

    _constant(client, url.replace("xlsx", "csv"), grow, django_assert_num_queries)


# --- A session's roster ------------------------------------------------------------------------


@pytest.fixture
def roster(world):
    """The session with a consenting youth of Marseille, a youth of Marseille who does not
    share, and a youth of Aix on the waiting list (two seats)."""
    sharing = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Inès",
        last_name="Partagenom",
    )
    private = world.youths[1]  # Yanis Zerbib, no consent
    services.enrol_youths(actor=world.advisor, session=world.session, youths=[sharing, private])
    services.enrol_youths(actor=world.advisor_aix, session=world.session, youths=world.youths_aix)
    return world.session


@pytest.mark.parametrize("who", ["lead", "recruiter"])
def test_roster_export_names_only_the_youths_who_share(client, world, roster, who):
    client.force_login(getattr(world, who))
    page = client.get(reverse("immersion:session_detail", args=[roster.pk]))
    assert export_link_urls(page.content) == [
        reverse("immersion:session_roster_export", args=[roster.pk, "csv"]),
        reverse("immersion:session_roster_export", args=[roster.pk, "xlsx"]),
    ]
    header, *rows = download(client, "immersion:session_roster_export", roster.pk)
    assert header == page_columns(page.content, after="Personnes inscrites, en attente")
    assert rows == [
        ["Inès P.", "Mission locale de Marseille", "Inscrit(e)", "—"],
        ["Participant·e 2", "—", "Inscrit(e)", "—"],
        ["Participant·e 3", "—", "Liste d'attente", "—"],
    ]
    for fmt in ("csv", "xlsx"):
        content = fetch(client, "immersion:session_roster_export", roster.pk, fmt=fmt).content
        for secret in (b"Partagenom", b"Zerbib", b"Yanis", b"Nassim", b"Aouadi"):
            assert secret not in content, (fmt, secret)
    # Each download names youths: one access-log entry each, with its rows.
    assert [(e.rows, e.user_id, e.url_name) for e in _log()] == [
        (3, getattr(world, who).pk, "immersion:session_roster_export")
    ] * 4


def test_roster_export_is_for_whoever_runs_the_session(client, world, roster):
    url = reverse("immersion:session_roster_export", args=[roster.pk, "csv"])
    for outsider in (world.other_lead, world.other_recruiter, world.other_advisor):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider
    # Advisors of the region see the session but not its roster (as on its page).
    client.force_login(world.advisor)
    assert client.get(url).status_code == 403
    assert _log() == []
    # Any other format is a 404, with nothing logged.
    client.force_login(world.lead)
    response = client.get(reverse("immersion:session_roster_export", args=[roster.pk, "pdf"]))
    assert response.status_code == 404
    assert _log() == []


def test_roster_export_queries_do_not_grow_with_rows(
    client, world, roster, django_assert_num_queries
):
    roster.capacity = 40
    roster.save(update_fields=["capacity"])
    client.force_login(world.lead)
    url = reverse("immersion:session_roster_export", args=[roster.pk, "csv"])

    def grow():
        youths = YouthFactory.create_batch(
            20, mission_locale=world.ml, advisor=world.advisor, consented=True
        )
        services.enrol_youths(actor=world.advisor, session=roster, youths=youths)

    rows = _constant(client, url, grow, django_assert_num_queries)
    assert len(rows) == 24
