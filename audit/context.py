"""Who is acting and through which path, for the entries written meanwhile.

Each way into the portal opens a context: the middleware for pages (`page`, with the
signed-in user), the admin site (`admin`), the spreadsheet import (`import`), Celery
tasks (`job`, see convention_portal/celery.py). Outside any of them the change comes
from a management command or a script run on the server (`command`). Contexts nest:
a task run in-process by a page is a `job` for the time it runs, then the page again.

`because(reason)` attaches the reason of a change (a cancellation's motive) to the
entries written inside it, where a bespoke log used to keep it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .enums import AuditPath

_path: ContextVar[str | None] = ContextVar("audit_path", default=None)
_actor: ContextVar[Any] = ContextVar("audit_actor", default=None)
_reason: ContextVar[str] = ContextVar("audit_reason", default="")


@contextmanager
def audit_context(*, path: str, actor: Any = None) -> Iterator[None]:
    """Entries written inside are marked `path`; `actor` (a user, or a callable giving
    one, read only when an entry is written: a page's lazy `request.user`) is kept
    from the enclosing context when not given."""
    path_token = _path.set(path)
    actor_token = _actor.set(actor) if actor is not None else None
    try:
        yield
    finally:
        _path.reset(path_token)
        if actor_token is not None:
            _actor.reset(actor_token)


@contextmanager
def because(reason: str) -> Iterator[None]:
    """The reason of the changes written inside (kept with each entry)."""
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def current_path() -> str:
    return _path.get() or AuditPath.COMMAND


def current_actor_id() -> int | None:
    """The acting user's id, or None when the portal acts alone (a job, a command)."""
    actor = _actor.get()
    if callable(actor) and not hasattr(actor, "is_authenticated"):
        actor = actor()
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor.pk


def current_reason() -> str:
    return _reason.get()
