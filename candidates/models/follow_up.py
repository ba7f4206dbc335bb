"""Following a youth: assessments, follow-up notes, in-company check-ins, VAE projects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel

from ..enums import (
    AssessmentMethod,
    AssessmentOutcome,
    CheckInOutcome,
    CheckInStatus,
    NoteChannel,
    VaeStatus,
)
from .youth import Youth


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        return self.filter(youth__in=Youth.objects.visible_to(user))


SCORE_FIELDS = (
    "score_oral_expression",
    "score_listening",
    "score_written_french",
    "score_computer_use",
    "score_stress_handling",
)


def _score_field(label):
    return models.PositiveSmallIntegerField(label, help_text=_("De 1 (à travailler) à 5 (acquis)."))


class Assessment(PortalModel):
    """Aptitude assessment (Art. 6): the skills the customer-relations industry asks for."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("date de l'évaluation"))
    method = models.CharField(_("méthode"), max_length=16, choices=AssessmentMethod.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("évaluateur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score_oral_expression = _score_field(_("expression orale"))
    score_listening = _score_field(_("écoute"))
    score_written_french = _score_field(_("français écrit"))
    score_computer_use = _score_field(_("usage de l'informatique"))
    score_stress_handling = _score_field(_("gestion du stress"))
    outcome = models.CharField(_("résultat"), max_length=16, choices=AssessmentOutcome.choices)
    comment = models.TextField(_("commentaire"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("évaluation des aptitudes")
        verbose_name_plural = _("évaluations des aptitudes")
        constraints = [
            models.CheckConstraint(
                name=f"assessment_{name}_1_to_5",
                condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                violation_error_message=_("Les notes vont de 1 à 5."),
            )
            for name in SCORE_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.youth} · {self.assessed_on:%d/%m/%Y}"

    @property
    def scores(self) -> list[tuple[str, int]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in SCORE_FIELDS
        ]

    @property
    def average(self) -> float:
        return round(sum(getattr(self, name) for name in SCORE_FIELDS) / len(SCORE_FIELDS), 1)


class FollowUpNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> FollowUpNoteQuerySet:
        return self.filter(youth__in=Youth.objects.visible_to(user))


class FollowUpNote(PortalModel):
    """A follow-up meeting (*entretien*) and the next appointment agreed."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="follow_up_notes"
    )
    met_on = models.DateField(_("date de l'entretien"))
    channel = models.CharField(_("forme"), max_length=16, choices=NoteChannel.choices)
    summary = models.TextField(_("compte rendu"))
    next_appointment_on = models.DateField(_("prochain rendez-vous"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-met_on", "-pk"]
        verbose_name = _("entretien")
        verbose_name_plural = _("entretiens")

    def __str__(self) -> str:
        return f"{self.youth} · {self.met_on:%d/%m/%Y}"


class CheckInQuerySet(models.QuerySet):
    def visible_to(self, user) -> CheckInQuerySet:
        return self.filter(youth__in=Youth.objects.visible_to(user))

    def planned(self) -> CheckInQuerySet:
        return self.filter(status=CheckInStatus.PLANNED)


class InCompanyCheckIn(PortalModel):
    """A follow-up in the company 1, 3 and 6 months after hiring (Art. 3)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="check_ins"
    )
    hired_on = models.DateField(_("date d'embauche"))
    months_after = models.PositiveSmallIntegerField(_("mois après l'embauche"))
    due_on = models.DateField(_("prévu le"))
    status = models.CharField(
        _("état"), max_length=16, choices=CheckInStatus.choices, default=CheckInStatus.PLANNED
    )
    done_on = models.DateField(_("réalisé le"), null=True, blank=True)
    outcome = models.CharField(
        _("bilan"), max_length=16, choices=CheckInOutcome.choices, blank=True
    )
    note = models.TextField(_("commentaire"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("réalisé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("suivi en entreprise")
        verbose_name_plural = _("suivis en entreprise")
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "hired_on", "months_after"],
                name="check_in_once_per_hiring_and_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} · {self.months_after} mois"

    @property
    def is_planned(self) -> bool:
        return self.status == CheckInStatus.PLANNED


class VaeProject(PortalModel):
    """A VAE or certification project of a youth (Axe VII)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="vae_projects"
    )
    certification = models.CharField(_("certification visée"), max_length=200)
    certifier = models.CharField(_("certificateur"), max_length=150, blank=True, default="")
    status = models.CharField(
        _("état"), max_length=16, choices=VaeStatus.choices, default=VaeStatus.PROJECT
    )
    started_on = models.DateField(_("début du projet"))
    jury_on = models.DateField(_("date du jury"), null=True, blank=True)
    note = models.TextField(_("commentaire"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("projet de VAE ou de certification")
        verbose_name_plural = _("projets de VAE ou de certification")

    def __str__(self) -> str:
        return f"{self.youth} · {self.certification}"
