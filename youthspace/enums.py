"""Choices of the youth's space, labels in French."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Answer(models.TextChoices):
    """The youth's answer to a session they are enrolled in."""

    COMING = "coming", _("Sera là")
    NOT_COMING = "not_coming", _("Ne pourra pas venir")


class AnswerChannel(models.TextChoices):
    """Where the youth answered: in their space, or from the reminder's link."""

    SPACE = "space", _("Dans son espace")
    EMAIL_LINK = "email_link", _("Par le lien du rappel")
