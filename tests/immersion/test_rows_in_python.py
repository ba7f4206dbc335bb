"""The markup the sessions pages write in Python (immersion/views/sessions.py, calendar.py): the
list's rows, the calendar's entries and weeks, "Mes jeunes inscrits". Each is the
markup its template wrote before (rendered here by Django's template engine as the
reference), with every hostile text escaped; each session sits at its Paris date and
hour across the daylight-saving changes (the start is read as epoch seconds); and the
session's page reads as many queries with one youth enrolled as with many."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts import filter_fields
from immersion import services
from immersion.enums import SessionStatus
from immersion.models import Session
from immersion.models.sessions import EpochSeconds
from immersion.views.calendar import _calendar_entries
from immersion.views.sessions import _list_rows
from tests.accounts.factories import OrganisationFactory
from tests.candidates.factories import YouthFactory
from tests.payloads import ALL, CRLF, FORMULA_EQUALS, SCRIPT

from .factories import SessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
# What the templates wrote before the views did (their markup, their filters).
CALENDAR_ENTRY = Template(
    '<li class="calendar-session session-{{ status }}"><a href="{{ url }}">'
    '{{ starts_at|time:"H:i" }} {{ title }}</a> <span class="visually-hidden">'
    "({{ state }}, {{ taken }}/{{ capacity }})</span></li>"
)
LIST_ROW = Template(
    '{% load i18n %}<tr><td>{{ starts_at|date:"d/m/Y" }} <span class="text-body-secondary">'
    '{{ starts_at|time:"H:i" }}</span></td><th scope="row"><a href="{{ url }}">{{ title }}'
    "</a></th><td>{{ kind }}</td><td>{{ host }}</td><td>{{ city }}</td><td>{{ audience }}</td>"
    "<td>{{ taken }} / {{ capacity }}{% if waiting %} "
    '<span class="small text-body-secondary">(+{{ waiting }} {% translate "en attente" %})'
    '</span>{% endif %}</td><td><span class="badge session-badge session-{{ status }}">'
    "{{ state }}</span></td></tr>"
)
# 02:30 in Paris, the second time (CET), on the night summer time ends.
AMBIGUOUS = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def _seconds(moment: datetime.datetime) -> int:
    return int(moment.timestamp() // 1)


@pytest.mark.parametrize("payload", ALL, ids=str)
def test_a_calendar_entry_is_the_templates_markup_whatever_the_title(payload):
    entries = _calendar_entries([(7, _seconds(AMBIGUOUS), payload.text, "full", 3, 5)])
    expected = CALENDAR_ENTRY.render(
        Context(
            {
                "status": "full",
                "url": reverse("immersion:session_detail", args=[7]),
                "starts_at": AMBIGUOUS,
                "title": payload.text,
                "state": "Complète",
                "taken": 3,
                "capacity": 5,
            }
        )
    )
    assert entries == {datetime.date(2026, 10, 25): expected}
    assert "02:30" in expected and "<script" not in expected


@pytest.mark.parametrize("payload", ALL, ids=str)
def test_a_list_row_is_the_templates_markup_whatever_the_title_host_and_place(payload):
    row = (9, _seconds(AMBIGUOUS), payload.text, "training", payload.text)
    row += (payload.text, "youths", 4, 4, 2, "full")
    expected = LIST_ROW.render(
        Context(
            {
                "starts_at": AMBIGUOUS,
                "url": reverse("immersion:session_detail", args=[9]),
                "title": payload.text,
                "kind": "Session de formation",
                "host": payload.text,
                "city": payload.text,
                "audience": "Jeunes",
                "taken": 4,
                "capacity": 4,
                "waiting": 2,
                "status": "full",
                "state": "Complète",
            }
        )
    )
    assert _list_rows([row]) == expected
    assert "25/10/2026" in expected and "<script" not in expected


def test_the_start_is_read_to_the_second_below_as_the_hour_shows_it(world):
    """10:59:59.9 shows 10:59, as `astimezone` and `%H:%M` showed it (never 11:00)."""
    moment = datetime.datetime(2026, 6, 1, 8, 59, 59, 900000, tzinfo=UTC)
    session = SessionFactory(host=world.company, starts_at=moment)
    seconds = (
        Session.objects.filter(pk=session.pk)
        .values_list(EpochSeconds("starts_at"), flat=True)
        .get()
    )
    assert seconds == _seconds(moment)
    assert datetime.datetime.fromtimestamp(seconds, PARIS).strftime("%H:%M") == "10:59"


# (UTC start, Paris day, Paris hour): around both daylight-saving changes of 2026, and
# sessions whose Paris day (or month, or year) is not their UTC one.
EDGES = [
    (datetime.datetime(2026, 3, 29, 0, 59, 59, 900000, tzinfo=UTC), "2026-03-29", "01:59"),
    (datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "2026-03-29", "03:00"),
    (datetime.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "2026-03-29", "00:30"),
    (datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC), "2026-10-25", "00:30"),
    (datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "2026-10-25", "02:30"),
    (AMBIGUOUS, "2026-10-25", "02:30"),
    (datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "2027-01-01", "00:30"),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=PARIS), tick=False)
def test_each_session_sits_at_its_paris_day_and_hour_across_the_clock_changes(
    client, world, language
):
    for n, (starts_at, _day, _hour) in enumerate(EDGES):
        SessionFactory(host=world.company, title=f"Bord {n}", starts_at=starts_at)
    client.force_login(world.advisor)
    client.cookies["django_language"] = language
    listed = client.get(reverse("immersion:session_list"), {"period": "all"}).content.decode()
    for n, (_starts_at, day, hour) in enumerate(EDGES):
        year, month, number = day.split("-")
        row = listed[: listed.index(f">Bord {n}</a>")]
        assert row[row.rindex("<tr>") :].startswith(
            f'<tr><td>{number}/{month}/{year} <span class="text-body-secondary">{hour}</span>'
        )
        body = client.get(
            reverse("immersion:session_calendar"), {"annee": year, "mois": int(month)}
        ).content.decode()
        cell = body[body.index(f'<time datetime="{day}">{int(number)}</time>') :]
        cell = cell[: cell.index("</td>")]
        assert re.search(rf'<a href="/sessions/\d+/">{hour} Bord {n}</a>', cell), (n, cell)


@pytest.mark.parametrize("payload", [SCRIPT, FORMULA_EQUALS, CRLF], ids=str)
def test_hostile_titles_places_and_names_are_escaped_on_every_sessions_page(client, world, payload):
    session = SessionFactory(
        host=world.company, title=payload.text, city=payload.text, place=payload.text
    )
    SessionFactory(host=world.company, title="L" * 200)
    youth = YouthFactory(
        mission_locale=world.ml, advisor=world.advisor, first_name=payload.text, last_name="Zed"
    )
    services.enrol_youths(actor=world.advisor, session=session, youths=[youth])
    client.force_login(world.advisor)
    day = timezone.localdate(session.starts_at)
    pages = [
        client.get(reverse("immersion:session_list")),
        client.get(reverse("immersion:session_list"), HTTP_HX_REQUEST="true"),
        client.get(reverse("immersion:session_calendar"), {"annee": day.year, "mois": day.month}),
        client.get(reverse("immersion:session_detail", args=[session.pk])),
    ]
    escaped = escape(payload.text)
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert "<script>" not in body and "<img src=x" not in body
        assert f"{escaped}</a>" in body or f">{escaped} Zed</a>" in body
    for response in pages[:3]:
        assert f"{'L' * 200}</a>" in response.content.decode()
    assert f">Désinscrire {escaped} Zed</button>" in pages[-1].content.decode()


def _detail_queries(client, session) -> int:
    url = reverse("immersion:session_detail", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_session_page_reads_as_many_queries_for_one_youth_as_for_many(client, world):
    session = SessionFactory(host=world.company, capacity=20)
    services.enrol_youths(actor=world.advisor, session=session, youths=world.youths[:1])
    client.force_login(world.advisor)
    few = _detail_queries(client, session)
    more = [YouthFactory(mission_locale=world.ml, advisor=world.advisor) for _ in range(6)]
    services.enrol_youths(actor=world.advisor, session=session, youths=[*world.youths[1:], *more])
    services.enrol_youths(actor=world.advisor_aix, session=session, youths=world.youths_aix)
    assert _detail_queries(client, session) == few
    body = client.get(reverse("immersion:session_detail", args=[session.pk])).content.decode()
    # the advisor's mission locale's nine youths, not Aix's
    assert body.count('<form method="post" action="/sessions/inscriptions/') == 9
    assert "Aouadi" not in body


def test_the_advisors_own_enrolment_shows_apart_from_their_youths(client, world):
    meeting = SessionFactory(host=world.company, for_advisors=True)
    own = services.enrol_self(actor=world.advisor, session=meeting)
    client.force_login(world.advisor)
    body = client.get(reverse("immersion:session_detail", args=[meeting.pk])).content.decode()
    section = body[body.index('id="own-title"') :]
    section = section[: section.index("</section>")]
    assert "<p>Inscrit(e)</p>" in section
    assert reverse("immersion:enrolment_cancel", args=[own.pk]) in section
    assert "Mes jeunes inscrits" not in body
    assert "M&#x27;inscrire à cette session" not in body


def test_the_youths_rows_speak_english_with_the_users_language(client, world):
    session = world.session
    services.enrol_youths(actor=world.advisor, session=session, youths=world.youths[:2])
    session.refresh_from_db()
    assert session.status == SessionStatus.FULL
    client.force_login(world.advisor)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("immersion:session_detail", args=[session.pk])).content.decode()
    youth = world.youths[0]
    assert "<td>Registered</td><td>—</td>" in body
    assert f">Unregister {youth.first_name} {youth.last_name}</button>" in body


def _filters_form(body: str) -> str:
    start = body.index('<form class="card card-body mb-3 session-filters"')
    return body[start : body.index("</form>", start) + len("</form>")]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"page": "2"},
        {"kind": "nope", "month": "2026-13", "audience": "youths", "mine": "on"},
        {"city": "Marseille", "period": "past"},
        {"city": "<script>alert(1)</script>"},
    ],
)
def test_the_filters_drawn_once_are_those_drawn_for_the_request(
    client, world, language, query, monkeypatch
):
    from django.template.loader import render_to_string

    from immersion.forms import SessionFilterForm

    client.force_login(world.advisor)
    client.cookies["django_language"] = language
    for name, values in (
        ("session_list", {"target": "session-results", "show_month": True}),
        ("session_calendar", {"target": "calendar-grid", "keep_month": (2026, 3)}),
    ):
        url = reverse(f"immersion:{name}")
        params = {**query, "annee": 2026, "mois": 3} if name == "session_calendar" else query
        first, again = (client.get(url, params).content.decode() for _ in range(2))
        # The reference is drawn afresh: no field's markup taken from the process's memo.
        monkeypatch.setattr(filter_fields, "_fixed_key", lambda bound: None)
        with translation.override(language):
            form = SessionFilterForm(params or None, cities=["Marseille"])
            drawn = render_to_string(
                "immersion/_session_filters.html", {"form": form, "action": url, **values}
            )
        monkeypatch.undo()
        assert _filters_form(first) == _filters_form(again) == _filters_form(drawn)
        if "month" in query and name == "session_list":
            title = first[first.index("<title>") :]
            assert title.startswith("<title>Erreur : " if language == "fr" else "<title>Error: ")


def test_a_new_place_shows_in_the_filters_at_once(client, world):
    client.force_login(world.advisor)
    assert "Gardanne" not in client.get(reverse("immersion:session_list")).content.decode()
    SessionFactory(host=world.company, city="Gardanne")
    for name in ("session_list", "session_calendar"):
        body = client.get(reverse(f"immersion:{name}")).content.decode()
        assert '<option value="Gardanne">Gardanne</option>' in _filters_form(body)


def test_the_places_are_those_of_the_sessions_each_user_sees_in_the_same_order(world):
    """`session_places` (a loose index scan on PostgreSQL) gives what `DISTINCT` over
    `visible_to` gave: a region's places, a host's places in other regions, none
    for national staff; in the database's order, each once."""
    from immersion.models import session_places

    for city in ("Zürich <b>", "Aubagne", "aubagne", "Arles", "Étang-des-Aulnes", ""):
        SessionFactory(host=world.company, city=city)
    SessionFactory(host=world.training, city="Aubagne")
    SessionFactory(host=world.company, region=world.other_region, city="Lyon")
    SessionFactory(host=OrganisationFactory(company=True, region=world.other_region), city="Vienne")
    users = (
        world.advisor,
        world.lead,
        world.recruiter,
        world.partner,
        world.other_advisor,
        world.other_recruiter,
        world.other_lead,
        world.national,
    )
    for user in users:
        seen = Session.objects.visible_to(user).order_by("city")
        assert session_places(user) == list(seen.values_list("city", flat=True).distinct())
    assert "Lyon" in session_places(world.recruiter) and "Lyon" not in session_places(world.advisor)
    assert session_places(world.national) == []


# The subscription links' section as the sessions list's template wrote it.
FEED_SECTION_TEMPLATE = (
    "{% load i18n %}{% if feed_links %}\n"
    '<section class="mt-4" aria-labelledby="feed-title">\n'
    '  <h2 class="h5" id="feed-title">{% translate "S\'abonner aux sessions dans votre agenda" %}</h2>\n'
    '  <p class="small text-body-secondary">{% translate "Adresse personnelle à copier dans votre agenda (Outlook, Thunderbird, téléphone) : ne la partagez pas." %}</p>\n'
    '  <ul class="list-unstyled">\n'
    "    {% for region_name, url in feed_links %}\n"
    '      <li><span class="fw-semibold">{{ region_name }} :</span> <a href="{{ url }}" class="text-break">{{ url }}</a></li>\n'
    "    {% endfor %}\n"
    "  </ul>\n"
    '  <form method="post" action="{% url \'immersion:renew_feed_links\' %}" class="small">\n'
    "    {% csrf_token %}\n"
    '    <p class="mb-1 text-body-secondary">{% translate "Un lien a circulé ailleurs ? Renouvelez-les : les anciens cesseront de fonctionner, vos agendas devront recevoir les nouveaux." %}</p>\n'
    '    <button type="submit" class="btn btn-outline-secondary btn-sm">{% translate "Renouveler mes liens d\'abonnement" %}</button>\n'
    "  </form>\n"
    "</section>\n"
    "{% endif %}"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_feed_links_section_is_the_templates(language, settings):
    """`{% feed_links_section %}` writes the section the sessions list's template wrote:
    the links escaped (a hostile region name or address stays text), the page's CSRF
    token in the renewal form, nothing without a link; its text kept per language."""
    from django.template import engines
    from django.utils import translation

    from immersion.templatetags import session_feed
    from tests.payloads import SCRIPT

    settings.DEBUG = False
    session_feed._kept.clear()
    reference = engines["django"].from_string(FEED_SECTION_TEMPLATE)
    tag = engines["django"].from_string(
        "{% load session_feed %}{% feed_links_section feed_links csrf_token %}"
    )
    links = [
        ("Provence", "https://portail.example/flux/abc/"),
        (SCRIPT.text, f"https://x/?a={SCRIPT.text}&b"),
    ]
    with translation.override(language):
        for _round in range(2):  # the second round fills what the first kept
            for shown in (links, links[:1], []):
                for token in ("tok3n-" + language, ""):
                    context = {"feed_links": shown, "csrf_token": token}
                    assert tag.render(context) == reference.render(context), (shown, token)
    assert len(session_feed._kept) == 1
    session_feed._kept.clear()
