"""The table that runs `tests/payloads.py` through every form that stores text.

Each app's `test_hostile_input.py` lists its forms as `FormCase`s: the URL, the user
who may post it, a valid base post, and its text fields. `tests/test_hostile_input.py`
runs every app's table: `check_field` posts every payload into one field through the
real view and asserts what the payloads' docstring promises:

- never a 500 (the test client raises the view's exception: a DataError from
  PostgreSQL fails the test, which is the point);
- a NUL is refused by the form with Django's French message (next to the field, or in
  the page's messages for the small forms that answer with a redirect), nothing saved,
  and, next to the field, what was typed is shown again;
- very long text is refused with a "at most N characters" message, nothing saved;
- every storable payload (script, formulas, right-to-left override) is stored as typed
  (after the form's stripping), and the script is shown escaped on the page that
  displays it afterwards: the raw `<script>` never reaches a page, `&lt;script&gt;` does;
- CR, LF and tab give no 500 (stored as typed, or refused).

A "constrained" field (an email, a checked phone number, a SIRET, a postcode, a URL)
takes none of the payloads: each is refused and nothing is saved.

Every payload of a field runs inside a savepoint rolled back afterwards, so one world
serves the eleven payloads of a field instead of one world per payload.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseForm
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from tests.payloads import ALL, NUL, SCRIPT, STORABLE, VERY_LONG, Payload

#: `Situation.page` of a text kept in the file (its journal, its JSON export) but shown
#: on no page: nothing to check for escaping.
NOT_SHOWN = "not shown on any page"

#: Where a refusal shows: the page again with the message next to the field and the
#: typed text kept, or (for the small forms of a list or detail page, which answer with
#: a redirect) the page's messages.
FIELD = "field"
MESSAGE = "message"

NUL_MESSAGE = "Le caractère nul n’est pas autorisé."
# Django's own ("Assurez-vous que cette valeur comporte au plus 200 caractères…") or
# the portal's ("Au plus 5000 caractères (il y en a 100000).").
TOO_LONG = re.compile(r"au plus \d+ caractères", re.IGNORECASE)


@dataclass
class Situation:
    """A world in which `user` may post `data` to `url`.

    `read(field)` gives every value stored for that form field right now (sorted), so
    a payload's effect is a before/after comparison. `page` is where the stored text is
    shown afterwards (a URL, or a callable giving one once the post is done; None: the
    post's redirect); `viewer` reads it there (None: the poster)."""

    url: str
    data: dict
    user: object | None
    read: Callable[[str], list[str]]
    page: str | Callable[[], str] | None = None
    viewer: object | None = None
    #: The form's prefix on a page holding one form per row (`e12-host_comment`).
    prefix: str = ""


@dataclass(frozen=True)
class FormCase:
    id: str
    forms: tuple[type, ...]
    arrange: Callable[[], Situation]
    text: tuple[str, ...]
    constrained: tuple[str, ...] = ()
    refusal: str = FIELD
    #: Text fields stored one row per line (a meeting's agenda): each line as typed.
    lines: tuple[str, ...] = ()

    def fields(self) -> Iterable[tuple[str, bool]]:
        yield from ((name, False) for name in self.text + self.lines)
        yield from ((name, True) for name in self.constrained)

    def is_stored(self, name: str, typed: str, values: list[str]) -> bool:
        """Whether `typed` is among what the field stores now."""
        if name in self.lines:
            rows = [line.strip() for line in typed.splitlines() if line.strip()]
            return all(row in values for row in rows)
        return typed in values


def day(days: int = 0) -> str:
    """A date `days` from today, as typed in the portal's forms."""
    return (timezone.localdate() + timedelta(days=days)).strftime("%d/%m/%Y")


def cases_params(cases: Iterable[FormCase]) -> list:
    """pytest parameters: one test per (form, field), its payloads as subtests."""
    return [
        pytest.param(case, name, constrained, id=f"{case.id}-{name}")
        for case in cases
        for name, constrained in case.fields()
    ]


def stored(queryset: QuerySet, **columns) -> Callable[[str], list[str]]:
    """A `read` for a form writing into `queryset`'s rows. A form field stored under
    another name maps to its column (`note="outcome_note"`) or to another queryset and
    column (`action_title=(ActionItem.objects.all(), "title")`)."""

    def read(name: str) -> list[str]:
        where = columns.get(name, name)
        qs, column = where if isinstance(where, tuple) else (queryset, where)
        return sorted(str(value) for value in qs.values_list(column, flat=True))

    return read


def forms_in(response) -> list[BaseForm]:
    """Every bound form the response's templates were given, nested ones included."""
    found = []

    def walk(value, depth=0):
        if isinstance(value, BaseForm):
            if value.is_bound and value not in found:
                found.append(value)
        elif depth < 3 and isinstance(value, dict):
            for item in value.values():
                walk(item, depth + 1)
        elif depth < 3 and isinstance(value, list | tuple):
            for item in value:
                walk(item, depth + 1)

    for context in response.context or []:
        walk(context.flatten())
    return found


def errors_of(response, name: str) -> list[str]:
    return [error for form in forms_in(response) for error in form.errors.get(name, [])]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def check_field(client: Client, subtests, case: FormCase, name: str, constrained: bool) -> None:
    situation = case.arrange()
    if situation.user is not None:
        client.force_login(situation.user)
    viewer = client
    if situation.viewer is not None:
        viewer = Client()
        viewer.force_login(situation.viewer)
    key = f"{situation.prefix}-{name}" if situation.prefix else name
    assert key in situation.data, f"{key} is not in the base post of {case.id}"
    for payload in ALL:
        with subtests.test(payload=payload.name):
            cache.clear()
            with transaction.atomic():
                _check_payload(client, viewer, case, situation, name, key, payload, constrained)
                transaction.set_rollback(True)


def post_typed(client: Client, situation: Situation, name: str, text: str):
    """Post the situation's form as its user (if any), with `text` typed in the field
    `name`: the response."""
    if situation.user is not None:
        client.force_login(situation.user)
    return client.post(situation.url, {**situation.data, name: text})


def _check_payload(client, viewer, case, situation, name, key, payload: Payload, constrained):
    before = situation.read(name)
    # Only this post's messages: the earlier redirects' ones were never read.
    client.cookies.pop("messages", None)
    response = client.post(situation.url, {**situation.data, key: payload.text})
    assert response.status_code < 500
    after = situation.read(name)
    typed = payload.text.strip()

    if constrained:
        assert after == before, f"{payload} was stored in the constrained field {name}"
        return
    if payload in STORABLE:
        if not case.is_stored(name, typed, after) and _too_long_for(response, name, typed):
            # A short field (a phone number, a postcode) refuses it for its length.
            assert after == before
            return
        assert case.is_stored(name, typed, after), (
            f"{payload} was not stored as typed in {name} (status {response.status_code}, "
            f"errors {[f.errors for f in forms_in(response)]}, messages {messages_of(response)})"
        )
        if payload is SCRIPT and situation.page != NOT_SHOWN:
            _check_shown_escaped(viewer, situation, response, payload)
    elif payload in (NUL, VERY_LONG):
        assert after == before, f"{payload} changed what {name} stores"
        wanted = (
            (lambda text: NUL_MESSAGE in text)
            if payload is NUL
            else (lambda text: bool(TOO_LONG.search(text)))
        )
        if case.refusal == FIELD:
            assert response.status_code in (200, 400), response.status_code
            errors = errors_of(response, name)
            assert any(wanted(error) for error in errors), errors
            body = response.content.decode()
            assert escape(errors[0]) in body or errors[0] in body
            assert escape(payload.text) in body, "what was typed is not shown again"
        else:
            assert response.status_code == 302, response.status_code
            assert any(wanted(message) for message in messages_of(response)), messages_of(response)
    else:  # CR, LF, tab: stored as typed (after stripping) or refused, never a 500
        assert after == before or case.is_stored(name, typed, after)


def _too_long_for(response, name: str, typed: str) -> bool:
    """The form refused `typed` for its length, and it is indeed longer than the field."""
    limits = [
        form.fields[name].max_length
        for form in forms_in(response)
        if name in form.fields and getattr(form.fields[name], "max_length", None)
    ]
    refused = any(TOO_LONG.search(text) for text in errors_of(response, name))
    refused = refused or any(TOO_LONG.search(text) for text in messages_of(response))
    return refused and any(len(typed) > limit for limit in limits)


def _check_shown_escaped(viewer, situation, response, payload: Payload) -> None:
    page = situation.page
    if callable(page):
        page = page()
    if page is None:
        assert response.status_code == 302, "no page given and the post did not redirect"
        page = response["Location"]
    body = viewer.get(page).content.decode()
    assert "<script>" not in body, f"a raw <script> reached {page}"
    assert "<img src=x onerror" not in body, f"a raw <img onerror> reached {page}"
    assert escape(payload.text) in body, f"{page} does not show the text (escaped)"


def assert_kept_out_of_headers(message, payload: Payload) -> None:
    """`payload` (typed with CR and LF in a one-line field) reached the email's subject
    on one line, and added no header (no Bcc)."""
    mime = message.message()  # Django refuses to build a header holding a line break
    assert "\r" not in message.subject and "\n" not in message.subject, message.subject
    assert " ".join(payload.text.split()) in message.subject, message.subject
    assert not message.bcc and "Bcc" not in mime
