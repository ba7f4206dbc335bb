"""Youths offered in a form (a session's enrolment, an offer's proposal): found by a
search, never listed whole, and labelled so that two homonyms are told apart."""

from __future__ import annotations

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


def search_choices(eligible, *, query: str, selected: list[int]) -> dict:
    """What the picker shows: the ticked youths still eligible (first, ticked), then up
    to SEARCH_RESULTS others matching `query`, in name order. Two queries at most,
    whatever the size of `eligible`: nothing is listed before a search."""
    searched = len(normalise_name(query)) >= SEARCH_MIN_LENGTH
    # Made only when read: a page without a search or ticks (most of them) reads none.
    if selected or searched:
        ordered = eligible.select_related("advisor").order_by("search_name", "pk")
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
