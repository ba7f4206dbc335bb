"""The hostile payload table of the reporting form that stores text, a section of the
annual review, run by `tests/test_hostile_input.py` (see `tests/hostile_forms.py` for
what each payload must give)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from reporting.enums import ReviewSectionKey
from reporting.forms import ReviewSectionForm
from reporting.models import ReviewSection
from tests.accounts.factories import make_member
from tests.hostile_forms import FormCase, Situation, stored


def _review_section() -> Situation:
    key = ReviewSectionKey.COOPERATION
    year = timezone.localdate().year
    return Situation(
        url=reverse("reporting:review_section", args=[year, "national"]),
        data={"section_key": key, f"{key}-key": key, f"{key}-text": "Bonne coopération."},
        user=make_member(Role.NATIONAL),
        read=stored(ReviewSection.objects.all()),
        page=reverse("reporting:review", args=[year, "national"]),
        prefix=key,
    )


CASES = [FormCase("review-section", (ReviewSectionForm,), _review_section, text=("text",))]
