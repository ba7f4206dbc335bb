"""Hostile payloads through the reporting form that stores text: a section of the
annual review (see tests/hostile_forms.py for what each payload must give)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from reporting.enums import ReviewSectionKey
from reporting.forms import ReviewSectionForm
from reporting.models import ReviewSection
from tests.accounts.factories import make_member
from tests.hostile_forms import FormCase, Situation, cases_params, check_field, stored

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(("case", "name", "constrained"), cases_params(CASES))
def test_hostile_text(client, subtests, case, name, constrained):
    check_field(client, subtests, case, name, constrained)
