from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Organisations et comptes")

    def ready(self):
        # Each app registers the kinds of email it sends in its `emails.py`; a worker,
        # a web process and a test all know every kind, whatever they imported first.
        autodiscover_modules("emails")
