"""The youth page's timeline, written by the view (`candidates.timeline.timeline_rows`)
rather than by the template's loop: the same `<li>` for every entry, every value
escaped, whatever the names, notes and comments hold."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from candidates.enums import ExitReason, PathwayStage
from candidates.models import PathwayEvent
from candidates.timeline import TimelineEntry, build_timeline, timeline_rows
from candidates.views.youths import YOUTH_LINKS
from tests.accounts.factories import UserFactory
from tests.payloads import ALL, CRLF, SCRIPT, STORABLE

from .factories import FollowUpNoteFactory, YouthFactory

#: The loop `candidates/youth_detail.html` had, word for word.
TEMPLATE_LOOP = Template(
    """{% load i18n %}
        {% for entry in timeline %}
          <li class="timeline-entry timeline-{{ entry.kind }}">
            <p class="mb-0 small text-body-secondary"><time datetime="{{ entry.day|date:'Y-m-d' }}">{{ entry.day|date:"d/m/Y" }}</time>{% if entry.author %} · {{ entry.author }}{% endif %}</p>
            <p class="mb-0 fw-semibold">{% if entry.url %}<a href="{{ entry.url }}">{{ entry.title }}</a>{% else %}{{ entry.title }}{% endif %}</p>
            {% if entry.text %}<p class="mb-0">{{ entry.text|linebreaksbr }}</p>{% endif %}
          </li>
        {% empty %}
          <li>{% translate "Rien pour l'instant." %}</li>
        {% endfor %}"""  # noqa: E501
)


def _as_the_template_wrote(entries) -> str:
    """The loop's output without the indentation between its tags."""
    return re.sub(r">\s+<", "><", TEMPLATE_LOOP.render(Context({"timeline": entries})).strip())


def _entries(text: str) -> list[TimelineEntry]:
    return [
        TimelineEntry(date(2026, 3, 9), "note", text, text, text, order=2),
        TimelineEntry(date(2025, 12, 31), "proposal", text, "", "", url=f"/x/?a={text}&b=1"),
        TimelineEntry(date(999, 1, 2), "stage", "Étape", f"{text}\r\nsuite\rfin\n", "Marc"),
    ]


@pytest.mark.parametrize("payload", ALL, ids=str)
def test_the_rows_are_the_templates_with_any_text(payload):
    entries = _entries(payload.text)
    assert timeline_rows(entries) == _as_the_template_wrote(entries)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_entry_says_so_in_the_page_language(language):
    with translation.override(language):
        assert timeline_rows([]) == _as_the_template_wrote([])


def test_a_hostile_entry_is_written_escaped():
    rows = timeline_rows(_entries(SCRIPT.text))
    assert "<script>" not in rows and "<img" not in rows
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x" in rows
    assert '<a href="/x/?a=&lt;script&gt;' in rows
    assert '<time datetime="0999-01-02">02/01/0999</time> · Marc' in rows
    assert "<br>suite<br>fin<br></p>" in rows


@pytest.mark.django_db
def test_the_page_shows_a_hostile_note_escaped_in_its_timeline(client):
    youth = YouthFactory()
    note = FollowUpNoteFactory(youth=youth, summary=f"{SCRIPT.text}\r\nrappeler lundi")
    youth.advisor.first_name = SCRIPT.text
    youth.advisor.save()
    client.force_login(youth.advisor)
    body = client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode()
    timeline = body[body.index('<ol class="timeline') : body.index("</ol>", body.index("timeline"))]
    assert SCRIPT.text not in body
    assert "<script>" not in timeline
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in timeline
    assert "<br>rappeler lundi</p>" in timeline
    assert f'<time datetime="{note.met_on:%Y-%m-%d}">{note.met_on:%d/%m/%Y}</time>' in timeline


@pytest.mark.django_db
def test_the_pages_links_are_the_youths(client):
    youth = YouthFactory()
    client.force_login(youth.advisor)
    body = client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode()
    shown = [
        name
        for name in YOUTH_LINKS
        if f'href="{reverse(f"candidates:{name}", args=[youth.pk])}"' in body
    ]
    assert len(shown) >= 10, shown
    assert 'href=""' not in body


def _pathway_as_read_through_the_models(youth) -> list[TimelineEntry]:
    """The pathway's entries as the timeline wrote them from the models, before the rows."""
    entries = []
    for event in youth.pathway_events.select_related("author"):
        text = event.note
        if event.exit_reason:
            text = f"{event.get_exit_reason_display()}. {text}".strip()
        if event.source:
            text = f"{text} (origine : {event.source})".strip()
        entries.append(
            TimelineEntry(
                event.occurred_on,
                "stage",
                f"Étape : {event.get_stage_display()}",
                text,
                str(event.author or ""),
                order=event.created_at.timestamp(),
            )
        )
    return sorted(entries, key=lambda e: (e.day, e.order), reverse=True)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [*STORABLE, CRLF], ids=str)
def test_the_pathway_rows_give_the_entries_the_models_gave(payload):
    youth = YouthFactory()
    nameless = UserFactory(first_name="", last_name="")
    youth.advisor.first_name = payload.text
    youth.advisor.save()
    for author, exit_reason, source in (
        (youth.advisor, ExitReason.MOVED, payload.text),
        (nameless, "", ""),
        (None, "", payload.text),
    ):
        PathwayEvent.objects.create(
            youth=youth,
            mission_locale=youth.mission_locale,
            stage=PathwayStage.EXIT if exit_reason else PathwayStage.IMMERSION,
            occurred_on=date(2026, 1, 5),  # the same day: the recording's order decides
            author=author,
            note=payload.text,
            exit_reason=exit_reason,
            source=source,
        )
    stages = [entry for entry in build_timeline(youth) if entry.kind == "stage"]
    assert stages == _pathway_as_read_through_the_models(youth)
    assert {entry.author for entry in stages} >= {nameless.email, ""}
