from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module also holds the admin's config
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Organisations et comptes")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import signin
        from .database import plan_pattern_matches_for_their_values
        from .discovery import app_modules
        from .services import publish_notices_after_migrate

        # Each app registers the kinds of email it sends in its `emails.py`: a worker, a
        # web process and a test all know every kind, whatever they imported first.
        app_modules("emails")
        user_logged_in.connect(signin.on_user_logged_in, dispatch_uid="portal_second_factor")
        authenticator_added.connect(
            signin.on_authenticator_added, dispatch_uid="portal_second_factor_added"
        )
        authenticator_removed.connect(
            signin.on_authenticator_removed, dispatch_uid="portal_second_factor_removed"
        )
        post_migrate.connect(
            publish_notices_after_migrate, sender=self, dispatch_uid="portal_publish_notices"
        )
        connection_created.connect(
            plan_pattern_matches_for_their_values, dispatch_uid="portal_pattern_matches"
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, signed into through the portal's one sign-in (see admin_site)."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "accounts.admin_site.PortalAdminSite"
