"""iCalendar files: RFC 5545 text written by hand (CRLF, escaping, folding)."""

import datetime

import pytest
from django.urls import reverse

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
    assert f"UID:session-{session.pk}@portail-convention" in unfolded
    assert "STATUS:CONFIRMED" in unfolded and "METHOD:PUBLISH" in unfolded
    start = session.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in unfolded


def test_a_cancelled_session_is_published_cancelled_with_a_higher_sequence(world):
    services.transition_session(
        actor=world.lead, session=world.session, action="cancel", reason="Plateau fermé"
    )
    world.session.refresh_from_db()
    text = sessions_ics([world.session], name="Test").replace("\r\n ", "")
    assert "STATUS:CANCELLED" in text and "SEQUENCE:1" in text


def test_the_feed_holds_one_event_per_session(world):
    other = SessionFactory(host=world.company, title="Portes ouvertes")
    text = sessions_ics([world.session, other], name="Sessions · PACA")
    assert text.count("BEGIN:VEVENT") == 2
    assert "X-WR-CALNAME:Sessions · PACA" in text
