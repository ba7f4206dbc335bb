"""Statuses and kinds of the reporting app, labels in French."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewSectionKey(models.TextChoices):
    """The sections of the annual review listed by Article 20."""

    COOPERATION = (
        "cooperation",
        _("Modalités de la coopération mise en œuvre au niveau national et local"),
    )
    RECRUITMENT_NEEDS = "recruitment_needs", _("Évolution des besoins de recrutement")
    OFFERS = "offers", _("Évolution du nombre d'offres enregistrées et leur satisfaction")
    JOINT_ACTIONS = "joint_actions", _("Actions communes réussies ou innovantes")
    NEXT_ACTIONS = "next_actions", _("Actions communes à déclencher pour améliorer le dispositif")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    RUNNING = "running", _("En cours de génération")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")
