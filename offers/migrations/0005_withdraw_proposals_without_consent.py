"""Data migration: the proposals still open of youths who no longer share their profile
(consent withdrawn or never recorded, file anonymised) are withdrawn, as
`withdraw_sharing_consent` now does at the moment of the withdrawal. Before it, a
withdrawal left them open on the company's board. Each move is logged like the
service's (actor: who withdrew the consent; reason below, so the reverse finds them).
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

OPEN = ("proposed", "seen", "interview")
REASON = "Consentement retiré (mise en conformité des candidatures ouvertes)"


def withdraw(apps, schema_editor):
    Proposal = apps.get_model("offers", "Proposal")
    ProposalTransition = apps.get_model("offers", "ProposalTransition")
    not_shared = (
        Q(youth__consent_shared_at__isnull=True)
        | Q(youth__consent_withdrawn_at__isnull=False)
        | Q(youth__status="anonymised")
    )
    now = timezone.now()
    logs = []
    for proposal in (
        Proposal.objects.filter(not_shared, status__in=OPEN)
        .select_related("youth")
        .order_by("pk")
        .iterator()
    ):
        logs.append(
            ProposalTransition(
                proposal_id=proposal.pk,
                action="withdraw",
                from_status=proposal.status,
                to_status="withdrawn",
                actor_id=proposal.youth.consent_withdrawn_by_id,
                reason=REASON,
            )
        )
        proposal.status = "withdrawn"
        proposal.status_changed_at = now
        proposal.save(update_fields=["status", "status_changed_at"])
    ProposalTransition.objects.bulk_create(logs, batch_size=500)


def reopen(apps, schema_editor):
    """Back to the status each proposal had (the log row of this migration says which)."""
    Proposal = apps.get_model("offers", "Proposal")
    ProposalTransition = apps.get_model("offers", "ProposalTransition")
    logs = ProposalTransition.objects.filter(action="withdraw", reason=REASON).select_related(
        "proposal"
    )
    for log in list(logs):
        proposal = log.proposal
        # Left withdrawn when the youth was proposed again to the offer since.
        again = (
            Proposal.objects.filter(
                offer_id=proposal.offer_id,
                youth_id=proposal.youth_id,
                status__in=(*OPEN, "hired"),
            )
            .exclude(pk=proposal.pk)
            .exists()
        )
        if proposal.status == "withdrawn" and not again:
            proposal.status = log.from_status
            proposal.save(update_fields=["status"])
        log.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0004_offer_submitted_local_day"),
        ("candidates", "0004_pathway_first_in_year"),
    ]

    operations = [migrations.RunPython(withdraw, reopen)]
