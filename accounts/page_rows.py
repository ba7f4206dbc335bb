"""For lists that make their rows once per page rather than through per-row template
tags (the board's cards, the sessions list and calendar, the matching suggestions): a
row's link looked up once for the page, not once per row, and a choice's label
translated once per language for the process."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from html import escape

from django.conf import settings
from django.db.models.base import ModelState
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.kept_markup import KeptMarkup

# A primary key no row has: `url_for_each` reverses it once and puts each row's in its place.
_PK_MARK = 2147483647


def url_for_each(viewname: str) -> Callable[[int], str]:
    """The link of `viewname` for each row of a list, from one `reverse` for the page
    instead of one per row (`{% url %}` cost as much as the rest of a row): the URL of a
    marker primary key, the row's put in its place. For views whose only argument is the
    pk."""
    head, tail = _around_pk(viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return lambda pk: f"{head}{pk}{tail}"


def url_of(viewname: str, pk: int) -> str:
    """`reverse(viewname, args=[pk])` for a page's links to one object (a youth's page
    links to a dozen of their forms): `{% url %}` cost 30 µs a link, this 1 µs."""
    return url_for_each(viewname)(pk)


def url_named(viewname: str) -> str:
    """`reverse(viewname)` for a view that takes no argument (a list a page's
    breadcrumbs link to), reversed once per URL configuration and script prefix."""
    return _reversed(viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(viewname: str, urlconf: str, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf)


@lru_cache(maxsize=1024)
def _around_pk(viewname: str, urlconf: str, prefix: str) -> tuple[str, str]:
    """What comes before and after the pk in `viewname`'s URL, reversed once per URL
    configuration and script prefix (what else a URL depends on: no language prefix)."""
    head, tail = reverse(viewname, urlconf=urlconf, args=[_PK_MARK]).split(str(_PK_MARK))
    return head, tail


# The choices' labels by language: translated once per process, not on every page.
_LABELS = KeptMarkup(size=128)


def choice_labels(choices_class) -> dict[str, str]:
    """The labels of `choices_class` (a Django `Choices`) in the active language, by
    value: translated once per language for the process (a dict its callers only
    read)."""
    return _LABELS.get(
        ("labels", choices_class.__module__, choices_class.__qualname__),
        lambda: {value: str(label) for value, label in choices_class.choices},
    )


def escaped_labels(choices_class) -> dict[str, str]:
    """`choice_labels`, each escaped as Django's `escape` does, for a page that writes
    its rows' HTML itself."""
    return _LABELS.get(
        ("escaped", choices_class.__module__, choices_class.__qualname__),
        lambda: {value: escape(label) for value, label in choice_labels(choices_class).items()},
    )


def instances_from_rows(model, attnames, rows, *, using: str) -> list:
    """`model` instances from rows of `values_list` (their values in `attnames`' order),
    for a page that asks a model's own rules (its properties, the predicates) of a
    hundred rows: Django's constructor walks every field of the model for each row (25
    µs for a youth's 36), this sets the loaded ones only (2 µs). They are the instances
    `.only(*attnames)` gives: a field left out loads when first read, one query a row,
    which the page's query-count test sees."""
    instances = []
    for row in rows:
        instance = model.__new__(model)
        state = ModelState()
        state.adding = False
        state.db = using
        instance._state = state
        instance.__dict__.update(zip(attnames, row, strict=True))
        instances.append(instance)
    return instances
