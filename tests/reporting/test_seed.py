"""The demo data: several years of history and one generated review, idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts import seed as accounts_seed
from candidates.models import PathwayEvent
from reporting import seed
from reporting.enums import DocumentStatus
from reporting.models import AnnualReview, ReviewDocument


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_seed_gives_years_of_history_and_a_generated_review(db):
    demo = accounts_seed.seed(password="un-mot-de-passe-de-demo-42")
    summary = seed.seed(demo)
    assert "generated" in summary
    years = {
        d.year
        for d in PathwayEvent.objects.filter(source=seed.HISTORY_SOURCE).dates(
            "occurred_on", "year"
        )
    }
    this_year = timezone.localdate().year
    assert {this_year - 3, this_year - 2, this_year - 1, this_year} <= years
    review = AnnualReview.objects.get(year=this_year - 1, region__isnull=True)
    document = review.documents.get()
    assert document.status == DocumentStatus.DONE
    assert document.absolute_path.is_file()
    events = PathwayEvent.objects.count()
    # twice: nothing more
    seed.seed(demo)
    assert PathwayEvent.objects.count() == events
    assert ReviewDocument.objects.count() == 1
    assert review.sections.count() == 3
