"""A young person's session reaches their own space and nothing else of the portal."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect

from .identity import is_youth_session

#: What a youth's session may reach outside `youthspace`'s youth pages: signing out,
#: the language, the legal pages and the information notices, the health probe.
OPEN_TO_YOUTHS = frozenset({"account_logout", "set_language", "health"})
OPEN_NAMESPACES = frozenset({"legal", "notices"})
#: The youth's own pages (the advisor's pages of the app are not among them).
YOUTH_PAGES = frozenset(
    {
        "home",
        "sessions",
        "session_ics",
        "session_answer",
        "proposals",
        "advisor",
        "data",
        "data_download",
        "consent",
        "request_link",
        "sign_in",
        "answer_link",
        "answer_confirm",
    }
)


def youth_may_reach(resolver_match) -> bool:
    if resolver_match is None:
        return False
    if resolver_match.namespace == "youthspace":
        return resolver_match.url_name in YOUTH_PAGES
    if resolver_match.namespace in OPEN_NAMESPACES:
        return True
    return not resolver_match.namespace and resolver_match.url_name in OPEN_TO_YOUTHS


class YouthSpaceOnlyMiddleware:
    """Default deny for the youth role: their account belongs to no organisation, so the
    scoped querysets of every app already give them nothing; this gate also keeps them
    off the pages any signed-in user may open (home, profile, calendars): those answer
    404, and the portal's home sends them to their space."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_youth_session(request):
            return None
        match = request.resolver_match
        if youth_may_reach(match):
            return None
        if match is not None and not match.namespace and match.url_name == "home":
            return redirect("youthspace:home")
        raise Http404
