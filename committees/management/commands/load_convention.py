from django.core.management.base import BaseCommand

from committees.convention_content import load_convention
from committees.models import Commitment, PlanItem


class Command(BaseCommand):
    help = (
        "Loads the convention of 7 June 2006 (regions, signatories, commitments, the "
        "Annex 2 pilot plan) into this install. Safe to run again: nothing is "
        "duplicated or overwritten. Production installs run it after `migrate`."
    )

    def handle(self, *args, **options):
        loaded = load_convention()
        self.stdout.write(
            self.style.SUCCESS(
                f"Convention of {loaded.convention.signed_on:%d/%m/%Y}: "
                f"{len(loaded.signatories)} signatories, "
                f"{Commitment.objects.filter(convention=loaded.convention).count()} commitments, "
                f"{PlanItem.objects.filter(plan=loaded.pilot_plan).count()} items in the "
                f"pilot plan, {len(loaded.regions)} regions."
            )
        )
