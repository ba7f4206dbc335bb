"""Data-protection records: subject requests handled by advisors and consent given or withdrawn."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel

from ..enums import (
    ConsentAction,
    ConsentMethod,
    ConsentPurpose,
    DataRequestKind,
)
from .youth import Youth


class DataSubjectRequest(PortalModel):
    """Who exported or anonymised a youth's data, and when (GDPR accountability)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="data_requests"
    )
    kind = models.CharField(_("action"), max_length=16, choices=DataRequestKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.CharField(_("motif ou référence de la demande"), max_length=255, blank=True)
    done_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["-done_at"]
        verbose_name = _("demande sur les données personnelles")
        verbose_name_plural = _("demandes sur les données personnelles")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.done_at:%d/%m/%Y}"


#: The cap on a consent record's note ("formulaire classé au dossier papier").
CONSENT_NOTE_MAX_LENGTH = 1_000


class ConsentRecord(PortalModel):
    """One step of a youth's consent, given or withdrawn: when, who recorded it (none
    when the youth did it in their own space), how it was collected, and the version of
    the information notice the youth was given. The history is the proof a controller
    must be able to show (GDPR Art. 7(1)); the `Youth.consent_*` fields copy its latest
    step for the one predicate and the lists (fast, indexed, no join). Written by
    `services.record_sharing_consent` / `withdraw_sharing_consent` / `anonymise_youth`
    only, never changed afterwards (anonymisation clears the note)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(
        _("objet"),
        max_length=32,
        choices=ConsentPurpose.choices,
        default=ConsentPurpose.PROFILE_SHARING,
    )
    action = models.CharField(_("action"), max_length=16, choices=ConsentAction.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("recueilli"), max_length=16, choices=ConsentMethod.choices)
    # Null only for the steps recorded before the notices existed (data migration) and
    # for an anonymisation or a withdrawal while no notice was published.
    notice = models.ForeignKey(
        "accounts.InformationNotice",
        verbose_name=_("mention d'information remise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_records",
    )
    note = models.TextField(_("remarque"), blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("consentement (historique)")
        verbose_name_plural = _("consentements (historique)")
        indexes = [models.Index(fields=["youth", "-at"])]
        constraints = [
            # The youth's own click has no author; every other way has one when written
            # (SET_NULL may clear it later, when the account is deleted).
            models.CheckConstraint(
                name="consent_youth_space_has_no_author",
                condition=~Q(method=ConsentMethod.YOUTH_SPACE) | Q(recorded_by__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y}"

    @property
    def by_the_youth(self) -> bool:
        """The youth did it themself, in their own space: no advisor recorded it."""
        return self.method == ConsentMethod.YOUTH_SPACE
