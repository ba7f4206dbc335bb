"""Spreadsheet imports of youths: the uploaded batch and each mission locale's remembered columns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel

from ..enums import (
    ImportStatus,
)


class ImportBatch(PortalModel):
    """An uploaded spreadsheet: its columns matched to fields, then previewed, then its
    valid rows imported on confirmation.

    `source_rows` keeps the file's cells (as text) until confirmation, so the columns
    can be matched again without uploading the file twice; like the valid and rejected
    rows it is purged of a youth's rows when the youth is anonymised, and emptied once
    the import is confirmed."""

    mission_locale = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("état"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    #: The titles of the file's columns, as written.
    headers = models.JSONField(default=list)
    #: The line number of the titles (an XLSX may hold a title row above them).
    header_line = models.PositiveIntegerField(default=1)
    #: The field chosen for each column ("" when the column is ignored).
    columns = models.JSONField(default=list)
    #: [line number, [cells as text]] of every non-empty row under the titles.
    source_rows = models.JSONField(default=list)
    valid_rows = models.JSONField(default=list)
    rejected_rows = models.JSONField(default=list)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # 30 days after the upload the rows (names, contact) are emptied; the counts stay.
    rows_purged_at = models.DateTimeField(_("lignes effacées le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import de jeunes")
        verbose_name_plural = _("imports de jeunes")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_previewed(self) -> bool:
        return self.status == ImportStatus.PREVIEWED

    @property
    def is_mapping(self) -> bool:
        return self.status == ImportStatus.MAPPING


class ImportMapping(PortalModel):
    """How a mission locale's spreadsheets name their columns: the normalised title
    ("date naiss") -> the field ("birth_date", or "" for a column it ignores). Saved
    when someone matches the columns of an import, proposed at the next one. Holds
    titles only, never a youth's data."""

    mission_locale = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    columns = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("colonnes d'import d'une mission locale")
        verbose_name_plural = _("colonnes d'import des missions locales")

    def __str__(self) -> str:
        return str(self.mission_locale_id)
