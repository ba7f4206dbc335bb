"""Markup drawn once per process (accounts/kept_markup.py): the one way the layout's
parts, the menus, the fixed filters and the board's bulk fields are kept."""

from __future__ import annotations

from django.test import override_settings
from django.utils import translation

from accounts import kept_markup
from accounts.kept_markup import KeptMarkup


def _counting_draw(drawn: list):
    def draw() -> str:
        drawn.append(translation.get_language())
        return f"<p>{translation.get_language()} {len(drawn)}</p>"

    return draw


def test_drawn_once_per_key_and_language():
    store = KeptMarkup(size=8)
    drawn: list = []
    with translation.override("fr"):
        first = store.get("part", _counting_draw(drawn))
        assert store.get("part", _counting_draw(drawn)) == first
    with translation.override("en"):
        english = store.get("part", _counting_draw(drawn))
    assert drawn == ["fr", "en"]
    assert first == "<p>fr 1</p>" and english == "<p>en 2</p>"
    assert {key[:2] for key in store} == {("part", "fr"), ("part", "en")}


def test_bounded_the_oldest_drawn_goes():
    store = KeptMarkup(size=2)
    for key in ("a", "b", "c"):
        store.get(key, lambda key=key: key.upper())
    assert [key[0] for key in store] == ["b", "c"]
    assert len(store) == 2


@override_settings(DEBUG=True)
def test_with_debug_on_drawn_every_time():
    store = KeptMarkup(size=8)
    drawn: list = []
    store.get("part", _counting_draw(drawn))
    store.get("part", _counting_draw(drawn))
    assert len(drawn) == 2
    assert len(store) == 0


def test_a_changed_setting_empties_every_store():
    from accounts import filter_fields
    from accounts.templatetags import portal_layout
    from offers.views import board, lists

    stores = [portal_layout._fragments, portal_layout._menus, filter_fields._FIXED]
    stores += [board._bulk_fields, lists._unbound_filters]
    assert all(store in kept_markup._stores for store in stores)
    for store in stores:
        store.get("part", lambda: "<p>kept</p>")
    assert all(len(store) for store in stores)
    with override_settings(LANGUAGES=[("fr", "Français")]):
        assert not any(len(store) for store in stores)
