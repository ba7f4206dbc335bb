"""Committees' models the audit trail follows (`audit/registry.py`): the action items
decided in meetings (the trail is their history: it replaced `ActionItemLog`)."""

from audit.registry import Tracked

from .models import ActionItem

TRACKED = [Tracked(ActionItem)]
