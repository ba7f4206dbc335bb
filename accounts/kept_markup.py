"""Markup drawn once per process and kept: the one way every part of a page that reads
nothing of the request, the user or the data is drawn once and then copied (the
layout's assets, name and footer, the header's menus, a list's filters in a given state,
the board's bulk decline fields).

    FOOTER = KeptMarkup(size=64)
    html = FOOTER.get("footer", lambda: render_to_string("components/site_footer.html"))

- **The key** is the caller's (what else the markup depends on: a template's name, the
  menu's entries, a field and its value) plus, always, the language, the script prefix
  and the URLconf: what translations and `reverse` read.
- **DEBUG on**: drawn every time, so that an edited template shows at once.
- **A changed setting** (the static files' storage, the languages, the URLconf: tests
  override them) empties every store.
- **Bounded**: past `size` entries the oldest drawn goes. A caller never keys on what a
  user types (a typed text is drawn each time), so a store holds a handful of states.

A value is whatever `draw` returns (a string of HTML, or a dict of them): it is shared by
every request of the process, so it must never be changed after it is kept.

Markup that is the same for every request but for a few printed values (the header: the
page's address in the language form, the CSRF token, the user's name) is kept with holes
(`HoledMarkup`): its template is drawn once with a marker printed in place of each value,
then each request fills the holes with its own values, escaped as the template would.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_stores: list[KeptMarkup] = []


class KeptMarkup:
    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._kept: OrderedDict[tuple, Any] = OrderedDict()
        _stores.append(self)

    def get(self, key: Hashable, draw: Callable[[], Any]) -> Any:
        """The markup kept for `key` in the current language (and script prefix and
        URLconf), drawn by `draw()` the first time."""
        if settings.DEBUG:
            return draw()
        full = (key, get_language(), get_script_prefix(), get_urlconf())
        markup = self._kept.get(full)
        if markup is None:
            markup = self._kept[full] = draw()
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return markup

    def clear(self) -> None:
        self._kept.clear()

    def keys(self) -> Iterator[tuple]:
        """(key, language, script prefix, URLconf) of each markup kept, oldest first."""
        return iter(list(self._kept))

    __iter__ = keys

    def __len__(self) -> int:
        return len(self._kept)


#: Around a hole's name in the drawn markup: a control character no template writes and
#: that escaping leaves as it is.
_MARK = "\x1f"


class HoledMarkup:
    """Markup drawn once with holes, filled for each request.

        header = HoledMarkup.draw(lambda holes: render_to_string(name, holes), ["next"])
        html = header.fill(next=request.get_full_path())

    A hole's value is escaped as `{{ value }}` prints it with escaping on (a SafeString
    is kept as it is), so a template must print a hole's variable, never test it or pass
    it through a filter: the marker would be tested or filtered instead of the value."""

    __slots__ = ("_pieces",)

    def __init__(self, pieces: tuple[str, ...]) -> None:
        #: Text, hole name, text, hole name, ..., text.
        self._pieces = pieces

    @classmethod
    def draw(cls, render: Callable[[Mapping[str, str]], str], names: Iterable[str]) -> HoledMarkup:
        """`render(markers)` draws the markup with each hole's variable set to its marker;
        each marker must come out printed as it went in."""
        names = tuple(names)
        html = render({name: f"{_MARK}{name}{_MARK}" for name in names})
        pieces = tuple(re.split(f"{_MARK}({'|'.join(map(re.escape, names))}){_MARK}", html))
        missing = set(names) - set(pieces[1::2])
        if missing or any(_MARK in piece for piece in pieces[::2]):
            raise ValueError(f"holes not printed as they are: {sorted(missing) or names}")
        return cls(pieces)

    def fill(self, **values: Any) -> SafeString:
        pieces = list(self._pieces)
        pieces[1::2] = [conditional_escape(values[name]) for name in pieces[1::2]]
        # The drawn template's own HTML, and each value escaped just above.
        return mark_safe("".join(pieces))  # noqa: S308


@receiver(setting_changed)
def _forget_kept_markup(**kwargs) -> None:
    """A changed setting may change what any kept part writes."""
    for store in _stores:
        store.clear()
