"""Markup drawn once per process (accounts/kept_markup.py): the one way the layout's
parts, the menus, the fixed filters and the board's bulk fields are kept."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from accounts import kept_markup
from accounts.kept_markup import HoledMarkup, KeptMarkup


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
    from accounts import filter_fields, page_rows
    from accounts.templatetags import portal_layout
    from offers.views import board

    stores = [portal_layout._fragments, portal_layout._menus, filter_fields._FIXED]
    stores += [board._bulk_fields, filter_fields._FORMS, page_rows._LABELS]
    assert all(store in kept_markup._stores for store in stores)
    for store in stores:
        store.get("part", lambda: "<p>kept</p>")
    assert all(len(store) for store in stores)
    with override_settings(LANGUAGES=[("fr", "Français")]):
        assert not any(len(store) for store in stores)


def _drawn_from(source: str, *names: str) -> HoledMarkup:
    template = engines["django"].from_string(source)
    return HoledMarkup.draw(lambda holes: template.render(dict(holes)), names)


def test_holes_are_filled_escaped_as_the_template_prints_them():
    source = '<form><input name="next" value="{{ next }}">{% csrf_token %}{{ menu }}</form>'
    holed = _drawn_from(source, "next", "csrf_token", "menu")
    values = {"next": '/jeunes/?q="<b>&', "csrf_token": "abc123", "menu": mark_safe("<nav></nav>")}
    filled = holed.fill(**values)
    assert isinstance(filled, SafeString)
    assert filled == engines["django"].from_string(source).render(values)
    assert 'value="/jeunes/?q=&quot;&lt;b&gt;&amp;"' in filled and "<nav></nav>" in filled


def test_a_hole_printed_twice_is_filled_twice_with_the_same_value():
    holed = _drawn_from("<p>{{ name }}</p><p>{{ name }}</p>", "name")
    assert holed.fill(name="Zoé") == "<p>Zoé</p><p>Zoé</p>"


@pytest.mark.parametrize(
    "source", ["<p>{{ name|upper }}</p>", "<p>{% if name == 'x' %}{{ name }}{% endif %}</p>"]
)
def test_a_hole_filtered_or_tested_is_refused_when_drawn(source):
    """Its marker, not the request's value, would have been filtered or tested."""
    with pytest.raises(ValueError):
        _drawn_from(source, "name")
