"""Pages: every change made while answering a request is the signed-in user's, through
the `page` path (the admin site narrows it to `admin`, see accounts/admin_site.py)."""

from __future__ import annotations

from .context import audit_context
from .enums import AuditPath


class AuditTrailMiddleware:
    """Placed after the authentication middleware: `request.user` is read only when a
    change is written, so a page that changes nothing costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(path=AuditPath.PAGE, actor=lambda: getattr(request, "user", None)):
            return self.get_response(request)
