"""Youths offered in a form (a session's enrolment, an offer's proposal): found by a
search, never listed whole, and labelled so that two homonyms are told apart."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .text import normalise_name

# At most this many matches are shown; past it the user is asked to type more.
SEARCH_RESULTS = 20
# Fewer letters than this match too many names to be worth a query.
SEARCH_MIN_LENGTH = 2
# Ids carried back with each search (the youths already ticked): a group, not a file.
SELECTED_MAX = 100


def youth_choice_label(youth) -> str:
    """« Dupont Léa — né·e en 2004, suivi·e par Camille Durand »: the birth year and the
    advisor tell apart two youths of one mission locale with the same name. Needs the
    youth's advisor loaded (`select_related("advisor")`)."""
    name = f"{youth.last_name} {youth.first_name}"
    if youth.advisor_id:
        return _("%(name)s — né·e en %(year)s, suivi·e par %(advisor)s") % {
            "name": name,
            "year": youth.birth_date.year,
            "advisor": youth.advisor,
        }
    return _("%(name)s — né·e en %(year)s") % {"name": name, "year": youth.birth_date.year}


def selected_ids(values: list[str]) -> list[int]:
    """The ticked ids sent back with a search, numbers only, at most SELECTED_MAX."""
    return [int(v) for v in values if v.isdigit()][:SELECTED_MAX]


def search_choices(eligible: Callable[[], QuerySet], *, query: str, selected: list[int]) -> dict:
    """What the picker shows: the ticked youths still eligible (first, ticked), then up
    to SEARCH_RESULTS others matching `query`, in name order. Two queries at most,
    whatever the number of eligible youths: nothing is listed before a search.
    `eligible()` gives the youths to pick from; it is called only for a search or
    ticks, so a page with neither (most of them) neither builds nor reads the query."""
    searched = len(normalise_name(query)) >= SEARCH_MIN_LENGTH
    if selected or searched:
        ordered = eligible().select_related("advisor").order_by("search_name", "pk")
    ticked = list(ordered.filter(pk__in=selected)) if selected else []
    found = []
    if searched:
        found = list(
            ordered.search(query).exclude(pk__in=[y.pk for y in ticked])[: SEARCH_RESULTS + 1]
        )
    return {
        "query": query,
        "searched": searched,
        "selected": [(y.pk, youth_choice_label(y)) for y in ticked],
        "results": [(y.pk, youth_choice_label(y)) for y in found[:SEARCH_RESULTS]],
        "more": len(found) > SEARCH_RESULTS,
    }
