from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthspaceConfig(AppConfig):
    name = "youthspace"
    verbose_name = _("Espace jeune")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import identity

        # Whatever path opened the session (the one-time link, a password reset, a
        # library's view), a youth's session is marked as one: the middleware then
        # keeps it inside the youth's space.
        user_logged_in.connect(identity.on_user_logged_in, dispatch_uid="youthspace-mark")
