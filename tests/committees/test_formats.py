"""Markdown sanitising, iCalendar writing and document type sniffing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from accounts.markdown import has_unsafe_content, render_markdown
from committees.documents import safe_filename, sniff_kind, validate_document
from committees.ics import meeting_ics

from .files import DOCX, EXE, HTML, ODT, PDF, PLAIN_ZIP, XLSX, upload


def test_markdown_keeps_formatting_and_safe_links():
    html = render_markdown("# Titre\n\n- **gras**\n\n[CNML](https://www.cnml.fr/)")
    assert "<h1>Titre</h1>" in html
    assert "<strong>gras</strong>" in html
    assert 'href="https://www.cnml.fr/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_titles_start_below_the_pages_own_headings():
    """Minutes sit under the meeting page's `<h1>`: their `#` becomes `<h2>`, and levels
    below shift with it without passing `<h6>`."""
    html = render_markdown("# Ordre du jour\n\n## Point 1\n\n###### Détail", top_heading=2)
    assert "<h1" not in html
    assert "<h2>Ordre du jour</h2>" in html
    assert "<h3>Point 1</h3>" in html
    assert "<h6>Détail</h6>" in html


def test_meeting_minutes_never_compete_with_the_page_title():
    from committees.models import Meeting

    meeting = Meeting(minutes="# Compte rendu\n\nRAS")
    assert meeting.minutes_html.startswith("<h2>Compte rendu</h2>")


@pytest.mark.parametrize(
    "text",
    [
        "Avant <script>alert('x')</script> après",
        "[cliquez](javascript:alert(1))",
        '<a href="javascript:alert(1)">lien</a>',
        '<img src="x" onerror="alert(1)">',
        "<iframe src='https://evil.example'></iframe>",
        "[x](JaVaScRiPt:alert(1))",
    ],
)
def test_markdown_never_lets_script_through(text):
    html = render_markdown(text).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "<iframe" not in html
    assert has_unsafe_content(text)


def test_plain_minutes_are_not_flagged():
    assert not has_unsafe_content("Le comité s'est réuni ; online = oui.")


def test_an_invitation_is_rfc_5545_text_a_calendar_library_reads_back():
    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    description = "1. Suivi\n2. Plan; budget, " + "é" * 100
    text = meeting_ics(
        uid="meeting-1@portail-convention",
        sequence=2,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        summary="Comité pilote, Marseille; réunion",
        description=description,
        location="CEPL, 25 bd de Louvain",
        url="https://portail.example/comites/reunions/1/",
        organizer_email="noreply@example.org",
        attendee_email="camille@example.org",
        stamp=start,
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.encode().split(b"\r\n"):
        assert len(line) <= 75  # folded at 75 octets, never inside a character
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART:20261201T090000Z" in unfolded and "DTEND:20261201T110000Z" in unfolded
    assert "SUMMARY:Comité pilote\\, Marseille\\; réunion" in unfolded
    assert "DESCRIPTION:1. Suivi\\n2. Plan\\; budget\\, éé" in unfolded

    calendar = Calendar.from_ical(text)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == "meeting-1@portail-convention" and event["SEQUENCE"] == 2
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + datetime.timedelta(hours=2)
    assert event["SUMMARY"] == "Comité pilote, Marseille; réunion"
    assert event["DESCRIPTION"] == description
    assert event["LOCATION"] == "CEPL, 25 bd de Louvain"
    assert event["ORGANIZER"] == "mailto:noreply@example.org"
    attendee = event["ATTENDEE"]
    assert attendee == "mailto:camille@example.org"
    assert dict(attendee.params) == {
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "FALSE",
    }
    assert event["STATUS"] == "CONFIRMED"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (ODT, "odt"),
        (PLAIN_ZIP, None),
        (EXE, None),
        (HTML, None),
    ],
)
def test_sniffing_reads_the_content(content, kind):
    assert sniff_kind(upload("x.bin", content)) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("compte-rendu.pdf", EXE),  # an executable renamed
        ("budget.xlsx", DOCX),  # a Word file named as a spreadsheet
        ("notes.docx", PLAIN_ZIP),  # a zip that is no office document
        ("page.pdf", HTML),
        ("script.exe", PDF),  # right content, refused extension
        ("sans-extension", PDF),
    ],
)
def test_faked_or_unknown_files_are_refused_in_french(name, content):
    with pytest.raises(ValidationError) as info:
        validate_document(upload(name, content))
    message = " ".join(info.value.messages)
    assert "PDF" in message or "contenu" in message


def test_oversized_file_is_refused_before_reading():
    big = upload("gros.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as info:
        validate_document(big)
    assert "10 Mo" in info.value.messages[0]


def test_safe_filename_strips_paths_quotes_and_accents():
    assert safe_filename('../../etc/"pass wd"\r\n.pdf', "pdf") == "etc_pass_wd.pdf"
    assert safe_filename("Compte rendu été.docx", "docx") == "Compte_rendu_ete.docx"
    assert safe_filename("....", "pdf") == "document.pdf"
