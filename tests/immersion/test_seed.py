"""The demo data: a year of sessions of every kind, the platform at 42 / 50, enrolments
and attendance; run twice, nothing is duplicated."""

import pytest

from accounts import seed as accounts_seed
from immersion import seed
from immersion.enums import Attendance, ProgrammeKind, SessionStatus
from immersion.models import CaeContract, Cohort, Enrolment, Session, pool_members

pytestmark = pytest.mark.django_db


def test_seed_is_complete_and_idempotent():
    demo = accounts_seed.seed(password="un-mot-de-passe-de-demo-42")
    seed.seed(demo)
    counts = (Session.objects.count(), Enrolment.objects.count(), CaeContract.objects.count())
    assert set(Session.objects.values_list("kind", flat=True)) == set(ProgrammeKind.values)
    cohort = Cohort.objects.with_occupancy().get(region=demo.regions["93"])
    assert (cohort.occupancy, cohort.size) == (42, 50)
    assert Session.objects.filter(status=SessionStatus.HELD).exists()
    assert Session.objects.filter(status=SessionStatus.CANCELLED).count() == 1
    assert Enrolment.objects.filter(attendance=Attendance.ATTENDED).exists()
    assert Enrolment.objects.filter(status="waiting").exists()
    assert pool_members(demo.users["recruiter"]).exists()
    summary = seed.seed(demo)
    assert (
        Session.objects.count(),
        Enrolment.objects.count(),
        CaeContract.objects.count(),
    ) == counts
    assert "42 / 50" in summary and "(0 new)" in summary
