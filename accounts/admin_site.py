"""The admin site, without a sign-in form of its own.

Django's admin ships a login form that calls `authenticate()` and `login()` directly:
no lock-out, no second factor. Here its login page sends people to the portal's
sign-in (allauth: rate limits, TOTP challenge), which brings them back afterwards.
"""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Administration du Portail Convention")
    site_title = _("Portail Convention")

    def admin_view(self, view, cacheable=False):
        """Every admin page: what it changes enters the audit trail through the `admin`
        path (the middleware has already set the signed-in user as the actor)."""
        from audit.context import audit_context
        from audit.enums import AuditPath

        protected = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            with audit_context(path=AuditPath.ADMIN):
                return protected(request, *args, **kwargs)

        return update_wrapper(inner, protected)

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """Signed out: to the portal's sign-in, then back. Signed in without the
        right to the admin: refused (sending them to the sign-in would loop)."""
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, login_url=reverse("account_login"))
