"""The trail follows every model that holds personal data or a decision, registered by
each app (`<app>/audited.py`), and fails when a model pointing to a youth is not."""

from __future__ import annotations

import pytest
from auditlog.registry import auditlog
from django.apps import apps

from audit.registry import NEVER_TRACKED, tracked
from candidates.models import Youth
from tests.candidates.test_personal_data_registry import _follow, models_pointing_to_a_youth

#: Models pointing to a youth that the trail does not follow, each with its reason.
#: Each is itself a log of what happened, written once and never changed: an entry per
#: row would copy the log into the trail.
NOT_AUDITED: dict[str, str] = {
    "audit.AuditEntry": "the trail itself",
    "candidates.AccessLogEntry": "the access log: who read a file, written once",
    "candidates.DataSubjectRequest": "the journal of reads, exports and anonymisation",
    "candidates.YouthNameWord": "the name search's words, written by the database from the "
    "file's name, whose changes are in the trail",
    "offers.ProposalTransition": "the proposal's own history of moves (the proposal page "
    "reads it); the proposal's status changes are in the trail too",
}


def test_every_model_pointing_to_a_youth_is_followed_by_the_trail():
    followed = set(tracked())
    missing = sorted(
        model._meta.label
        for model in models_pointing_to_a_youth() - followed
        if model._meta.label not in NOT_AUDITED
    )
    assert not missing, (
        f"These models point to a youth but the audit trail does not follow them: {missing}. "
        "Add each to its app's audited.py (a Tracked with its lookup to the youth), or to "
        "NOT_AUDITED with the reason."
    )
    assert not set(NOT_AUDITED) & {m._meta.label for m in followed}


def test_memberships_invitations_offers_and_action_items_are_followed():
    labels = {model._meta.label for model in tracked()}
    assert {
        "accounts.Membership",
        "accounts.Invitation",
        "offers.Offer",
        "offers.Proposal",
        "offers.Employment",
        "immersion.Enrolment",
        "immersion.CaeContract",
        "immersion.PoolRequest",
        "committees.ActionItem",
    } <= labels
    # Found in each app's own module, not a central list.
    assert {m._meta.app_label for m in tracked()} >= {
        "accounts",
        "candidates",
        "offers",
        "immersion",
        "committees",
    }


@pytest.mark.parametrize("entry", tracked().values(), ids=lambda e: e.model._meta.label)
def test_each_tracked_model_is_registered_and_reaches_its_youth(entry):
    assert auditlog.contains(entry.model)
    registered = auditlog.get_model_fields(entry.model)["include_fields"]
    assert set(registered) == set(entry.fields)
    assert not set(registered) & set(NEVER_TRACKED)
    if entry.to_youth:
        assert _follow(entry.model, entry.to_youth) is Youth
    for name in entry.exclude:
        entry.model._meta.get_field(name)
    if entry.organisation:
        target = _follow(entry.model, entry.organisation)
        assert target is apps.get_model("accounts", "Organisation")


def test_secrets_are_never_copied_into_the_trail():
    by_label = {model._meta.label: entry for model, entry in tracked().items()}
    assert "token" not in by_label["accounts.Invitation"].fields
    assert "submission_token" not in by_label["candidates.Youth"].fields
