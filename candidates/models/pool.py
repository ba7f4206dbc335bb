"""The stamp of each mission locale's pool of youths, as the matching suggestions read it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel

# What the matching suggestions read of a youth: who is in the pool (the mission locale,
# the follow-up's status, the consent to share, the pathway stage), the score's criteria
# and the names that break ties. A change of any of them gives the youth's mission
# locale (both, on a transfer) a new stamp. Migration 0025 writes these columns into the
# database's triggers; a column added here needs a migration that rewrites them.
POOL_COLUMNS = (
    "mission_locale_id",
    "status",
    "consent_shared_at",
    "consent_withdrawn_at",
    "current_stage",
    "last_assessment_outcome",
    "skills",
    "previous_sector",
    "availability",
    "mobility",
    "postcode",
    "contract_wishes",
    "first_name",
    "last_name",
)


class PoolStampQuerySet(models.QuerySet):
    def of(self, mission_locale_ids) -> dict[int, str]:
        """Each mission locale's stamp; "" for one that never had a youth (its pool is
        empty: the stamps of the missions locales holding youths when the triggers came
        were written by the migration)."""
        found = dict(
            self.filter(mission_locale_id__in=mission_locale_ids).values_list(
                "mission_locale_id", "stamp"
            )
        )
        return {pk: found.get(pk, "") for pk in mission_locale_ids}


class PoolStamp(PortalModel):
    """A random token that changes, in the same transaction, whenever a youth of the
    mission locale is added, removed or changed in one of `POOL_COLUMNS`. Database
    triggers write it (migration 0025), not the services: every path that writes a youth
    (services, import, transfers, anonymisation, the admin, a migration, a bulk
    `update()`) changes it, so what is kept under a stamp (the matching suggestions'
    ranking, `offers.matching`) can never outlive the data it was computed from. A
    token rather than a counter: a database restored from a backup never hands out
    again a stamp that was cached before. A load that skips the triggers (PostgreSQL's
    `session_replication_role = replica`, as `bench/server_data.py` does) stamps the
    pools it wrote itself."""

    mission_locale = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    stamp = models.CharField(_("empreinte"), max_length=36)

    objects = PoolStampQuerySet.as_manager()

    class Meta:
        verbose_name = _("empreinte du vivier")
        verbose_name_plural = _("empreintes des viviers")

    def __str__(self) -> str:
        return f"{self.mission_locale_id}: {self.stamp}"
