"""iCalendar files of sessions: RFC 5545 text (CRLF, escaping, folding) that a calendar
library reads back as the session it was written from."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from immersion import services
from immersion.ics import sessions_ics

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_a_session_file_is_valid_rfc_5545_text(client, world):
    session = SessionFactory(
        host=world.company,
        title="Immersion; plateau, Méditel \\ accueil " + "très long " * 8,
        place="12 rue de la République\n2e étage",
    )
    client.force_login(world.advisor)
    response = client.get(reverse("immersion:session_ics", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="session-' in response["Content-Disposition"]
    raw = response.content
    text = raw.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75  # folded at 75 octets
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Immersion\\; plateau\\, Méditel \\\\ accueil très long" in unfolded
    assert "LOCATION:12 rue de la République\\n2e étage\\, Marseille" in unfolded
    start = session.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in unfolded  # in UTC

    calendar = Calendar.from_ical(raw)
    assert calendar["METHOD"] == "PUBLISH"
    # (the library reads an X- property back raw: its escapes are checked as text)
    assert "X-WR-CALNAME:Immersion\\; plateau\\, Méditel \\\\ accueil" in unfolded
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"session-{session.pk}@portail-convention"
    assert event["SUMMARY"] == session.title
    assert event["LOCATION"] == "12 rue de la République\n2e étage, Marseille"
    assert event["STATUS"] == "CONFIRMED" and event["SEQUENCE"] == 0
    # to the second (iCalendar's precision)
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == session.ends_at.replace(microsecond=0)
    detail = reverse("immersion:session_detail", args=[session.pk])
    assert str(event["URL"]).endswith(detail) and detail in event["DESCRIPTION"]


def test_a_cancelled_session_is_published_cancelled_with_a_higher_sequence(world):
    services.transition_session(
        actor=world.lead, session=world.session, action="cancel", reason="Plateau fermé"
    )
    world.session.refresh_from_db()
    [event] = Calendar.from_ical(sessions_ics([world.session], name="Test")).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert event["UID"] == f"session-{world.session.pk}@portail-convention"


def test_the_feed_holds_one_event_per_session(world):
    other = SessionFactory(host=world.company, title="Portes ouvertes, accueil; café")
    text = sessions_ics([world.session, other], name="Sessions · PACA, Marseille")
    assert "X-WR-CALNAME:Sessions · PACA\\, Marseille\r\n" in text
    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [world.session.title, other.title]
    assert len({e["UID"] for e in events}) == 2
    # one DTSTAMP for the whole feed, in UTC
    assert {e.decoded("DTSTAMP").utcoffset() for e in events} == {datetime.timedelta(0)}
