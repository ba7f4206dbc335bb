"""The list's rows, the calendar's entries, the filters and "Mes jeunes inscrits" are
made by the views once per page (addresses, Paris dates, labels): they say what each
session is, in the markup and with the accessibility the templates gave them."""

import datetime
import html
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from immersion import services
from immersion.enums import ProgrammeKind

from .factories import SessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _late_session(world, **kwargs):
    """A session starting at 23:30 UTC: the next day, at 00:30 or 01:30, in Paris."""
    day = timezone.now().date() + datetime.timedelta(days=20)
    starts_at = datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=datetime.UTC)
    return SessionFactory(
        host=world.company,
        kind=ProgrammeKind.TRAINING,
        title="Formation <accueil> & relation client",
        city="Aix-en-Provence",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        capacity=1,
        **kwargs,
    )


def _full_with_one_waiting(world):
    session = _late_session(world)
    services.enrol_youths(actor=world.advisor, session=session, youths=world.youths[:2])
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count, session.status) == (1, 1, "full")
    return session


def test_a_list_row_says_when_what_where_places_and_state(client, world):
    session = _full_with_one_waiting(world)
    local = session.starts_at.astimezone(PARIS)
    client.force_login(world.advisor)
    body = client.get(reverse("immersion:session_list"), {"period": "all"}).content.decode()
    row = body[body.index(f"<td>{local:%d/%m/%Y}") :]
    row = row[: row.index("</tr>")]
    assert f'<span class="text-body-secondary">{local:%H:%M}</span>' in row
    url = reverse("immersion:session_detail", args=[session.pk])
    assert f'<a href="{url}">Formation &lt;accueil&gt; &amp; relation client</a>' in row
    assert "<td>Session de formation</td>" in row
    assert "<td>Méditel Relation Client</td>" in row
    assert "<td>Aix-en-Provence</td>" in row
    assert "<td>Jeunes</td>" in row
    assert "1 / 1 <span" in row and "(+1 en attente)" in row
    assert '<span class="badge session-badge session-full">Complète</span>' in row


def test_a_calendar_entry_sits_in_its_paris_day_with_its_hour_state_and_places(client, world):
    session = _full_with_one_waiting(world)
    local = session.starts_at.astimezone(PARIS)
    client.force_login(world.advisor)
    body = client.get(
        reverse("immersion:session_calendar"), {"annee": local.year, "mois": local.month}
    ).content.decode()
    cell = body[body.index(f'<time datetime="{local:%Y-%m-%d}">{local.day}</time>') :]
    cell = cell[: cell.index("</td>")]
    url = reverse("immersion:session_detail", args=[session.pk])
    assert (
        f'<li class="calendar-session session-full"><a href="{url}">'
        f"{local:%H:%M} Formation &lt;accueil&gt; &amp; relation client</a>"
    ) in cell
    assert '<span class="visually-hidden">(Complète, 1/1)</span>' in cell


@time_machine.travel(datetime.datetime(2026, 3, 18, 10, tzinfo=PARIS), tick=False)
def test_the_calendar_marks_today_and_the_days_of_other_months(client, world):
    client.force_login(world.advisor)
    body = client.get(
        reverse("immersion:session_calendar"), {"annee": 2026, "mois": 3}
    ).content.decode()
    # March 2026 starts on a Sunday: the grid opens on Monday 23 February.
    outside = body[body.index('<td class="calendar-outside">') :]
    assert outside.index('<time datetime="2026-02-23">23</time>') < outside.index("</td>")
    assert '<td class="calendar-today">' in body
    today = body[body.index('calendar-today">') :]
    assert today.index('<time datetime="2026-03-18">18</time>') < today.index("</td>")
    assert body.count("calendar-today") == 1


class _Elements(HTMLParser):
    """Each element's attributes by id, and each label's target."""

    def __init__(self, body: str):
        super().__init__()
        self.by_id, self.labels = {}, []
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = {"tag": tag, **attrs}
        if tag == "label" and "for" in attrs:
            self.labels.append(attrs["for"])


def test_the_filters_keep_their_labels_choices_errors_and_aria(client, world):
    client.force_login(world.advisor)
    body = client.get(
        reverse("immersion:session_list"),
        {"kind": "nope", "month": "2026-13", "audience": "youths", "mine": "on"},
    ).content.decode()
    elements = _Elements(body)
    for name in ("kind", "month", "city", "audience", "period", "mine"):
        assert f"id_{name}" in elements.labels
    kind = elements.by_id["id_kind"]
    assert kind["tag"] == "select" and kind["aria-invalid"] == "true"
    assert kind["aria-describedby"] == "id_kind_error" and "is-invalid" in kind["class"]
    assert "error_1_id_kind" in elements.by_id
    month = elements.by_id["id_month"]
    assert month["type"] == "month" and month["value"] == "2026-13"
    assert month["aria-describedby"] == "id_month_helptext id_month_error"
    assert "Mois attendu au format aaaa-mm." in body
    assert "Format : aaaa-mm, par exemple 2026-03." in body
    assert "aria-invalid" not in elements.by_id["id_audience"]
    assert '<option value="youths" selected>Jeunes</option>' in body
    assert "checked" in elements.by_id["id_mine"]
    # the calendar shows neither the month, the period nor "with my youths"
    calendar = _Elements(client.get(reverse("immersion:session_calendar")).content.decode())
    assert "id_city" in calendar.by_id
    assert not {"id_month", "id_period", "id_mine"} & set(calendar.by_id)


def test_my_youths_rows_link_their_file_and_cancel_while_enrolling(client, world):
    session = world.session
    services.enrol_youths(actor=world.advisor, session=session, youths=world.youths[:2])
    client.force_login(world.advisor)
    url = reverse("immersion:session_detail", args=[session.pk])
    body = html.unescape(client.get(url).content.decode())
    for youth in world.youths[:2]:
        enrolment = session.enrolments.get(youth=youth)
        assert (
            f'<a href="{reverse("candidates:youth_detail", args=[youth.pk])}">{youth}</a>' in body
        )
        action = reverse("immersion:enrolment_cancel", args=[enrolment.pk])
        assert f'<form method="post" action="{action}">' in body
        assert f"Désinscrire {youth}</button>" in body
    with time_machine.travel(session.starts_at + datetime.timedelta(minutes=1)):
        body = html.unescape(client.get(url).content.decode())
    assert "Mes jeunes inscrits" in body and "Désinscrire" not in body


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plan is PostgreSQL's; SQLite has its own"
)
def test_the_places_filter_reads_the_regions_places_from_their_index(world):
    """The "Lieu" filter's choices (`_cities`) come from the index on (region, city)
    alone: reading every session of the region for a handful of places cost more than
    the page's own rows."""
    from django.test.utils import CaptureQueriesContext

    from immersion.views.sessions import _cities

    SessionFactory(host=world.company, city="Aubagne")
    with CaptureQueriesContext(connection) as queries:
        assert "Aubagne" in _cities(world.advisor)
    (sql,) = [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]
    params = ()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using session_region_city" in plan, plan
