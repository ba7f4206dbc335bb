from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = _("Piste d'audit")

    def ready(self):
        # Every app says which of its models the trail follows (its `audited.py`); the
        # models are all loaded by now, so registering them here misses none.
        from .registry import register_all

        register_all()
