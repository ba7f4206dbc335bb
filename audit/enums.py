from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditPath(models.TextChoices):
    """How a change reached the database: the question a data protection officer asks
    after "who" and "what"."""

    PAGE = "page", _("Page du portail")
    IMPORT = "import", _("Import de tableur")
    JOB = "job", _("Tâche automatique")
    ADMIN = "admin", _("Administration")
    COMMAND = "command", _("Commande d'exploitation")
    MIGRATION = "migration", _("Reprise d'un ancien historique")
