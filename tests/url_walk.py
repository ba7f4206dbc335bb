"""Every URL pattern of the portal, each with a URL that reaches it.

Read by tests/test_url_reach_anonymous.py and tests/test_url_reach_cross_organisation.py:
they walk the URLconf as Django resolves it, so a URL added anywhere (an app's urls.py,
a library's include, the admin) is met by those tests the day it is added.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import get_converters
from django.urls.resolvers import RegexPattern, RoutePattern

# The value each kind of path converter gets in a placeholder URL.
PLACEHOLDERS = {"int": "1", "str": "x", "slug": "x", "path": "1", "uuid": "0" * 32}
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<parameter>\w+)>(?P<body>[^()]*)\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern: `key` names it in the tests' tables (`namespace:name`, or the
    route itself for a pattern without a name)."""

    key: str
    name: str | None
    route: str
    converters: dict[str, str] = field(hash=False)
    callback: Callable = field(hash=False, compare=False)
    url: str = ""

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def opts_out_of_sign_in(self) -> bool:
        """The view is marked `login_not_required`: LoginRequiredMiddleware lets anyone in."""
        return getattr(self.callback, "login_required", True) is False

    @property
    def takes_object_id(self) -> bool:
        return "int" in self.converters.values()

    def describe(self) -> str:
        view = getattr(self.callback, "__module__", "?") + "." + self.callback.__name__
        return f"{self.key!r} (/{self.route} -> {view})"


def _converter_names() -> dict[type, str]:
    return {type(converter): name for name, converter in get_converters().items()}


def _regex_value(body: str) -> str:
    """A value matching a regex group's body: its first literal alternative, else a
    placeholder that matches."""
    first = body.split("|")[0]
    if re.fullmatch(r"[\w-]+", first) and re.fullmatch(body, first):
        return first
    for candidate in ("1", "x", "x-1"):
        if re.fullmatch(body, candidate):
            return candidate
    raise AssertionError(f"no placeholder matches the URL group {body!r}: add one to url_walk")


def _fill(pattern, names: dict[type, str]) -> tuple[str, str, dict[str, str]]:
    """(route text, URL piece, converters) of one level of the URLconf."""
    if isinstance(pattern, RoutePattern):
        text = str(pattern)
        converters = {
            parameter: names.get(type(converter), "custom")
            for parameter, converter in pattern.converters.items()
        }

        def value(match):
            kind = converters[match["parameter"]]
            return PLACEHOLDERS.get(kind, "x")

        return text, _ROUTE_PARAMETER.sub(value, text), converters
    if isinstance(pattern, RegexPattern):
        text = pattern._regex
        converters = {m["parameter"]: "regex" for m in _REGEX_GROUP.finditer(text)}
        piece = _REGEX_GROUP.sub(lambda m: _regex_value(m["body"]), text)
        return text, piece.removeprefix("^").removesuffix("$").replace("\\", ""), converters
    raise AssertionError(f"url_walk does not know the pattern type {type(pattern)!r}")


def _walk(patterns, names, route="", url="", namespace="", converters=None) -> Iterator[Route]:
    for entry in patterns:
        text, piece, found = _fill(entry.pattern, names)
        here = {**(converters or {}), **found}
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, names, route + text, url + piece, inner, here)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(
                key=name or route + text,
                name=name,
                route=route + text,
                converters=here,
                callback=entry.callback,
                url="/" + url + piece,
            )


@cache
def all_routes() -> tuple[Route, ...]:
    """Every pattern of the URLconf, in resolution order. Each placeholder URL is checked
    to resolve to its own pattern, so a test of the URL is a test of that view."""
    routes = tuple(_walk(get_resolver().url_patterns, _converter_names()))
    for route in routes:
        match = resolve(route.url)
        same_name = route.name is None or match.view_name == route.name
        assert match.func is route.callback and same_name, (
            f"The placeholder URL {route.url} of {route.describe()} resolves to "
            f"{match.view_name or match._func_path} instead: give url_walk a better placeholder."
        )
    return routes


SIGN_IN = "account_login"
REFUSALS = (403, 404, 405)
MAX_HOPS = 3


def refusal_problem(client, response) -> str | None:
    """None when `response` refuses: 403, 404 or 405, or a redirect to the portal's
    sign-in. Otherwise what went wrong, in words. A redirect may pass through pages that
    only redirect (the admin's pages send to /admin/login/, which sends to the sign-in
    or refuses a signed-in user): the chain is followed and must end in a refusal."""
    sign_in = reverse(SIGN_IN)
    hops = []
    for _ in range(MAX_HOPS):
        if response.status_code in REFUSALS:
            return None
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        target = urlsplit(response["Location"]).path
        if target == sign_in:
            return None
        hops.append(target)
        response = client.get(response["Location"])
    via = f" after redirects to {' -> '.join(hops)}" if hops else ""
    return f"HTTP {response.status_code}{via}, not a refusal nor the sign-in {sign_in}"
