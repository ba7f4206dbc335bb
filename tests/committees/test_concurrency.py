"""Two people completing the same action in the same second: the row lock lets one
through; the other is told it is no longer possible, and the log holds one row."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from audit.models import AuditEntry
from committees import services

from .factories import ActionItemFactory, MeetingFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_completion_is_logged_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    item = ActionItemFactory(
        meeting=MeetingFactory(committee=world.committee, past=True), owner=world.advisor
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def complete(actor):
        try:
            barrier.wait()
            services.transition_action_item(actor=actor, item=item, action="complete")
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=complete, args=(user,)) for user in (world.advisor, world.lead)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "refused"]
    moves = AuditEntry.objects.filter(
        object_repr=f"committees.ActionItem#{item.pk}", action=AuditEntry.Action.UPDATE
    )
    assert [entry.changes["status"][1] for entry in moves] == ["done"]
