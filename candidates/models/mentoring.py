"""Mentors (sponsors and tutors), their pairing with youths and their meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel
from accounts.scope import get_scope

from ..enums import (
    MentorKind,
)
from .youth import Youth


class MentorQuerySet(models.QuerySet):
    def visible_to(self, user) -> MentorQuerySet:
        """Mentors are volunteers recruited by a mission locale: its advisors and managers
        see them."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(mission_locale_id__in=scope.mission_locale_ids)


class Mentor(PortalModel):
    """A volunteer mentor (*parrain / marraine*, Art. 14)."""

    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        on_delete=models.PROTECT,
        related_name="mentors",
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("adresse e-mail"), blank=True, default="")
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, default="")
    kind = models.CharField(_("situation"), max_length=16, choices=MentorKind.choices)
    occupation = models.CharField(
        _("métier ou ancien métier"), max_length=150, blank=True, default=""
    )
    charter_signed_on = models.DateField(
        _("charte nationale du parrainage signée le"), null=True, blank=True
    )
    is_active = models.BooleanField(_("disponible"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Two years after their last mentoring (the mentors' notice), the retention job
    # replaces their identity and contact.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    objects = MentorQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("parrain ou marraine")
        verbose_name_plural = _("parrains et marraines")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MentoringPairQuerySet(models.QuerySet):
    def visible_to(self, user) -> MentoringPairQuerySet:
        return self.filter(youth__in=Youth.objects.visible_to(user))

    def active(self) -> MentoringPairQuerySet:
        return self.filter(ended_on__isnull=True)


class MentoringPair(PortalModel):
    mentor = models.ForeignKey(
        Mentor,
        verbose_name=_("parrain ou marraine"),
        on_delete=models.PROTECT,
        related_name="pairs",
    )
    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="mentoring_pairs"
    )
    started_on = models.DateField(_("début du parrainage"))
    ended_on = models.DateField(_("fin du parrainage"), null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MentoringPairQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("parrainage")
        verbose_name_plural = _("parrainages")
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=Q(ended_on__isnull=True),
                name="mentoring_one_active_mentor_per_youth",
                violation_error_message=_("Ce jeune a déjà un parrainage en cours."),
            ),
            models.CheckConstraint(
                name="mentoring_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                violation_error_message=_("La fin du parrainage ne peut précéder son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.youth}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class MentoringMeeting(PortalModel):
    pair = models.ForeignKey(
        MentoringPair,
        verbose_name=_("parrainage"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    met_on = models.DateField(_("date de la rencontre"))
    note = models.TextField(_("ce qui a été abordé"), blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on", "-pk"]
        verbose_name = _("rencontre de parrainage")
        verbose_name_plural = _("rencontres de parrainage")

    def __str__(self) -> str:
        return f"{self.pair} · {self.met_on:%d/%m/%Y}"
