"""The latest changes of the youth's page (`audit.display.latest_about_youth`), read by
a query compiled once: the entries and actors the ORM's query gave, in its order,
whatever their texts hold, in the same number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.display import LATEST_ABOUT_YOUTH, describe, latest_about_youth
from audit.models import AuditEntry
from candidates import services
from tests.candidates.everything import youth_with_everything
from tests.candidates.factories import YouthFactory
from tests.payloads import SCRIPT

pytestmark = pytest.mark.django_db


def _as_the_orm_reads(youth_id):
    return list(
        AuditEntry.objects.about_youth(youth_id).select_related("actor")[:LATEST_ABOUT_YOUTH]
    )


def _fields(entry):
    return {field.attname: getattr(entry, field.attname) for field in entry._meta.concrete_fields}


def test_the_entries_and_actors_are_the_orms(django_assert_num_queries):
    everything = youth_with_everything()
    youth = everything.youth
    # A change by someone whose name is hostile, and one by the portal (no actor).
    everything.new_manager.first_name = SCRIPT.text
    everything.new_manager.save()
    services.update_youth(youth=youth, actor=everything.new_manager, city=SCRIPT.text)
    AuditEntry.objects.filter(pk=AuditEntry.objects.about_youth(youth.pk).last().pk).update(
        actor=None
    )
    expected = _as_the_orm_reads(youth.pk)
    with django_assert_num_queries(1):
        got = latest_about_youth(youth.pk)
    assert len(got) == LATEST_ABOUT_YOUTH
    assert [_fields(entry) for entry in got] == [_fields(entry) for entry in expected]
    for mine, orms in zip(got, expected, strict=True):
        assert (mine.actor is None) == (orms.actor is None)
        if orms.actor is not None:
            assert mine.actor.pk == orms.actor.pk
            assert mine.actor.get_full_name() == orms.actor.get_full_name()
            assert (mine.actor.email, str(mine.actor)) == (orms.actor.email, str(orms.actor))
        assert mine.get_path_display() == orms.get_path_display()
    known = (youth, youth.advisor, youth.mission_locale)
    assert [(r.object_label, r.action_label, r.changes) for r in describe(got, known)] == [
        (r.object_label, r.action_label, r.changes) for r in describe(expected, known)
    ]


def test_the_panel_shows_a_hostile_change_escaped(client):
    youth = YouthFactory()
    youth.advisor.last_name = SCRIPT.text
    youth.advisor.save()
    services.update_youth(youth=youth, actor=youth.advisor, city=SCRIPT.text)
    client.force_login(youth.advisor)
    body = client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode()
    panel = body[body.index('id="history-title"') :]
    panel = panel[: panel.index("</section>")]
    assert SCRIPT.text not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in panel


def test_no_entry_no_row():
    youth = YouthFactory()
    AuditEntry.objects.about_youth(youth.pk).delete()
    assert latest_about_youth(youth.pk) == []
