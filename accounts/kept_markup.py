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
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
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


@receiver(setting_changed)
def _forget_kept_markup(**kwargs) -> None:
    """A changed setting may change what any kept part writes."""
    for store in _stores:
        store.clear()
