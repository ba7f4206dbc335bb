"""Anonymising youths' files: the one path, for one youth on request and for a batch of
expired files (the retention job).

`services.anonymise_youth` (a manager's button, an erasure request closed) calls it for
one youth; `retention` calls it for a few hundred at a time, so that twenty thousand
expired files take seconds, not hours. Both go through the same steps, in the caller's
transaction, which holds the youths' row locks:

1. every app's part (`personal_data_registry.anonymise_holdings_of_many`, each app's
   `personal_data.py`), one set of statements per model for the whole batch;
2. a consent in force is withdrawn, its record saying "anonymisation";
3. the file is marked anonymised;
4. what still waits on a company is closed ("Dossier anonymisé"): open proposals
   withdrawn, pending pool requests declined;
5. the journal of the file says who anonymised it (nobody: the portal, for the
   retention job), when and why, the reason masked like the rest.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.trail import audited_update, record_creations

from .enums import ConsentAction, ConsentMethod, DataRequestKind, YouthStatus
from .models import ConsentRecord, DataSubjectRequest, Youth
from .personal_data_registry import Identity, anonymise_holdings_of_many


def _youth_pks_waiting_on_a_company(youth_pks: list[int]) -> set[int]:
    """The youths with a proposal awaiting a company's decision or a pool request
    awaiting the advisor's answer: two queries for the batch, so that the per-youth
    closing below runs only for the few concerned. Imported here because offers and
    immersion import candidates."""
    from immersion.models import PoolRequest
    from offers.enums import ProposalStatus
    from offers.models import Proposal

    proposals = Proposal.objects.filter(youth_id__in=youth_pks, status__in=ProposalStatus.open())
    pool = PoolRequest.objects.pending().filter(youth_id__in=youth_pks)
    return set(proposals.values_list("youth_id", flat=True)) | set(
        pool.values_list("youth_id", flat=True)
    )


def anonymise_locked_youths(
    *, youths: list[Youth], actor, reason: str = "", reason_names_nobody: bool = False
) -> list[int]:
    """Anonymise `youths`, loaded and locked by the caller (`select_for_update`) inside
    its transaction, none of them anonymised yet. `actor` is who asked (None: the
    portal's retention job). The journal keeps `reason` with each youth's names masked
    in it, unless the caller says it names nobody (the retention job's fixed text).
    Returns their pks. Irreversible."""
    from .services import stop_sharing_with_companies

    if not youths:
        return []
    identities = {youth.pk: Identity.of(youth) for youth in youths}
    pks = list(identities)
    anonymise_holdings_of_many(identities=identities)
    now = timezone.now()
    consenting = [
        youth.pk for youth in youths if youth.consent_shared_at and not youth.consent_withdrawn_at
    ]
    # Bulk writes, each with its entries in the audit trail (which `.update()` and
    # `bulk_create` alone would skip): the anonymisation itself is part of the history.
    record_creations(
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(
                    youth_id=pk,
                    action=ConsentAction.WITHDRAWN,
                    recorded_by=actor,
                    method=ConsentMethod.ANONYMISATION,
                    notice=None,
                    at=now,
                )
                for pk in consenting
            ]
        )
    )
    audited_update(
        Youth.objects.filter(pk__in=consenting),
        consent_withdrawn_at=now,
        consent_withdrawn_by=actor,
    )
    audited_update(
        Youth.objects.filter(pk__in=pks), status=YouthStatus.ANONYMISED, anonymised_at=now
    )
    Youth.objects.filter(pk__in=pks).update(updated_at=now)
    waiting = _youth_pks_waiting_on_a_company(pks)
    for youth in Youth.objects.filter(pk__in=waiting).order_by("pk"):
        stop_sharing_with_companies(youth=youth, actor=actor, reason=_("Dossier anonymisé"))
    DataSubjectRequest.objects.bulk_create(
        [
            DataSubjectRequest(
                youth_id=pk,
                actor=actor,
                kind=DataRequestKind.ANONYMISE,
                reason=(reason if reason_names_nobody else identities[pk].redact(reason))[:255],
                done_at=now,
            )
            for pk in pks
        ],
        batch_size=1000,
    )
    return pks
