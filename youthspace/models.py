"""The young person's own space: their account, the advisor's "next step", their
answers to sessions and the single-use links of the session reminders.

A youth signs in with a portal `User` of their own that belongs to no organisation (so
every scoped queryset of the other apps gives them nothing) and is tied to their file
by `YouthSpace.user`: the "young person" role (DOMAIN.md) is that tie.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel
from accounts.scope import get_scope

from .enums import Answer, AnswerChannel

#: The cap on the advisor's "next step" text (a sentence or two, read on a phone).
NEXT_STEP_MAX_LENGTH = 500


class YouthSpaceQuerySet(models.QuerySet):
    def visible_to(self, user) -> YouthSpaceQuerySet:
        """The spaces of the youths a user may see (their mission locale's advisors and
        managers, admins): the same rule as `Youth.objects.visible_to`."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(youth__mission_locale_id__in=scope.mission_locale_ids)


class YouthSpace(PortalModel):
    """One youth's space: invited by whom and when, first and last visit, and the next
    step the advisor agreed with the youth. Made by `services.invite_youth`."""

    youth = models.OneToOneField(
        "candidates.Youth", verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="space"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte du jeune"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="youth_space",
    )
    invited_at = models.DateTimeField(_("invité(e) le"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité(e) par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    activated_at = models.DateTimeField(_("activé le"), null=True, blank=True)
    last_visit_at = models.DateTimeField(_("dernière visite le"), null=True, blank=True)
    next_step = models.TextField(_("prochaine étape"), blank=True, default="")
    next_step_updated_at = models.DateTimeField(
        _("prochaine étape écrite le"), null=True, blank=True
    )
    next_step_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prochaine étape écrite par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = YouthSpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("espace jeune")
        verbose_name_plural = _("espaces jeunes")

    def __str__(self) -> str:
        return f"espace #{self.pk} (jeune #{self.youth_id})"

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None


class SessionAnswerQuerySet(models.QuerySet):
    def of_mission_locales(self, user) -> SessionAnswerQuerySet:
        """Answers of the youths of the user's missions locales (admins: all)."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(enrolment__youth__mission_locale_id__in=scope.mission_locale_ids)

    def since(self, moment) -> SessionAnswerQuerySet:
        return self.filter(answered_at__gte=moment)

    def for_list(self) -> SessionAnswerQuerySet:
        return self.select_related(
            "enrolment__session", "enrolment__youth", "enrolment__youth__advisor"
        ).order_by("-answered_at", "-pk")


class SessionAnswer(PortalModel):
    """One answer of the youth to a session they are enrolled in ("Je serai là", "Je ne
    pourrai pas venir"), in their space or from a reminder's link. Kept as a history:
    the latest answer of an enrolment is the one that counts."""

    enrolment = models.ForeignKey(
        "immersion.Enrolment",
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="youth_answers",
    )
    answer = models.CharField(_("réponse"), max_length=16, choices=Answer.choices)
    channel = models.CharField(_("par"), max_length=16, choices=AnswerChannel.choices)
    answered_at = models.DateTimeField(_("répondu le"), default=timezone.now)

    objects = SessionAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-pk"]
        verbose_name = _("réponse d'un jeune à une session")
        verbose_name_plural = _("réponses des jeunes aux sessions")
        indexes = [
            models.Index(fields=["answered_at"]),
            models.Index(fields=["enrolment", "-answered_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_answer_display()} · inscription #{self.enrolment_id}"


class AnswerLink(PortalModel):
    """A signed link of a session reminder: one answer to one enrolment, usable once,
    until the session starts. Only the SHA-256 of the token is kept (the token is in
    the email alone), so a copy of the database opens nothing."""

    enrolment = models.ForeignKey(
        "immersion.Enrolment", on_delete=models.CASCADE, related_name="answer_links"
    )
    answer = models.CharField(_("réponse"), max_length=16, choices=Answer.choices)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien de réponse à un rappel")
        verbose_name_plural = _("liens de réponse aux rappels")

    def __str__(self) -> str:
        return f"lien #{self.pk} · inscription #{self.enrolment_id}"
