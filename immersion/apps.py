from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImmersionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "immersion"
    verbose_name = _("Immersion, événements et formation")
