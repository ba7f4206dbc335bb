"""The sessions list, the calendar, the platforms' banner, the feed links and a
session's page read their rows through queries compiled once per shape (`accounts.compiled_shapes`): for every
role and every combination of filters they are the rows `visible_to` and the ORM give,
no more (a session of another region stays out) and no fewer."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.http import QueryDict
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Region
from immersion import feed, services
from immersion.enums import ProgrammeKind
from immersion.forms import SessionFilterForm
from immersion.models import (
    CALENDAR_ENTRIES,
    LIST_KEYS,
    LIST_ROWS,
    OCCUPANCY_ROWS,
    SESSION_PAGE_ENROLMENTS,
    Cohort,
    Session,
    cohort_visibility,
    enrolment_visibility,
    month_bounds,
    session_visibility,
    visible_session_with_host,
)
from tests.accounts.factories import UserFactory, make_member

from .factories import CaeContractFactory, CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "advisor",
    "advisor_aix",
    "lead",
    "recruiter",
    "partner",
    "national",
    "other_lead",
    "other_advisor",
    "other_recruiter",
)
QUERIES = (
    "",
    "period=past",
    "period=week",
    "period=all",
    "kind=training&period=all",
    "audience=youths",
    "city=Aix-en-Provence&period=all",
    "mine=on&period=all",
    "month=2026-02",
    "month=2026-13&kind=nope",
)


def _sessions(world):
    now = timezone.now()
    for days, city, kind in (
        (-40, "Marseille", ProgrammeKind.IMMERSION_DAY),
        (-3, "Aix-en-Provence", ProgrammeKind.TRAINING),
        (1, "Aix-en-Provence", ProgrammeKind.IMMERSION_DAY),
        (15, "Marseille", ProgrammeKind.TRAINING),
    ):
        starts_at = now + datetime.timedelta(days=days)
        SessionFactory(
            host=world.training if kind == ProgrammeKind.TRAINING else world.company,
            kind=kind,
            city=city,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
        )
    SessionFactory(host__region=world.other_region, city="Lyon")
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:1])


def _users(world):
    admin = UserFactory(is_superuser=True)
    # An admin who is also a member: what the scope holds beside "admin" is not read.
    member_admin = make_member(Role.PROJECT_LEAD, region=world.paca)
    member_admin.is_superuser = True
    member_admin.save(update_fields=["is_superuser"])
    return [(name, getattr(world, name)) for name in ROLES] + [
        ("admin", admin),
        ("admin and member", member_admin),
    ]


def test_the_list_and_its_count_are_the_orm_s_for_every_role_and_filter(world):
    _sessions(world)
    for (name, user), query in itertools.product(_users(world), QUERIES):
        form = SessionFilterForm(QueryDict(query) or None, cities=["Aix-en-Provence"], user=user)
        criteria = form.criteria()
        expected = Session.objects.visible_to(user).filtered(**criteria)
        arguments = {**session_visibility(user), **criteria}
        assert LIST_ROWS(**arguments) == list(expected.as_list_rows()), (name, query)
        assert sorted(pk for (pk,) in LIST_KEYS(**arguments)) == sorted(
            expected.values_list("pk", flat=True)
        ), (name, query)


def test_the_calendar_is_the_orm_s_for_every_role_and_filter(world):
    _sessions(world)
    day = timezone.localdate()
    start, end = month_bounds(day.year, day.month)
    for (name, user), query in itertools.product(_users(world), QUERIES):
        form = SessionFilterForm(QueryDict(query) or None, cities=["Aix-en-Provence"], user=user)
        criteria = form.criteria(with_period=False)
        expected = (
            Session.objects.visible_to(user)
            .in_month(day.year, day.month)
            .filtered(**criteria)
            .as_calendar_entries()
        )
        entries = CALENDAR_ENTRIES(
            **session_visibility(user), **criteria, month_start=start, month_end=end
        )
        assert entries == list(expected), (name, query)


def test_the_platforms_banner_is_the_orm_s_for_every_role(world):
    year = timezone.localdate().year
    cohort = CohortFactory(region=world.paca, year=year)
    CohortFactory(region=world.paca, year=year - 1)
    CohortFactory(region=world.other_region, year=year)
    CaeContractFactory.create_batch(2, cohort=cohort, youth__mission_locale=world.ml)
    for name, user in _users(world):
        rows = OCCUPANCY_ROWS(**cohort_visibility(user), year=year)
        expected = Cohort.objects.visible_to(user).filter(year=year).with_occupancy()
        assert rows == [(c.pk, c.year, c.region.name, c.size, c.occupancy) for c in expected], name
    assert OCCUPANCY_ROWS(**cohort_visibility(world.advisor), year=year) == [
        (cohort.pk, year, world.paca.name, cohort.size, 2)
    ]


def test_the_feed_regions_are_those_of_the_memberships_with_the_key(world):
    for name, user in _users(world):
        regions, key = feed.regions_and_key(user)
        assert [(r.pk, r.name) for r in regions] == list(
            Region.objects.of_memberships(user).order_by("name").values_list("pk", "name")
        ), name
        assert key is None
    made = feed.current_key(world.advisor)
    assert feed.regions_and_key(world.advisor)[1] == made
    assert feed.regions_and_key(world.advisor_2)[1] is None


def test_a_session_s_page_reads_the_session_and_its_host_as_the_orm(world):
    _sessions(world)
    sessions = list(Session.objects.all()) + [None]
    for (name, user), session in itertools.product(_users(world), sessions):
        pk = session.pk if session else 10**6
        expected = Session.objects.visible_to(user).select_related("host").filter(pk=pk).first()
        found = visible_session_with_host(user, pk)
        assert found == expected, (name, pk)
        if found is not None:
            assert [getattr(found, f.attname) for f in Session._meta.concrete_fields] == [
                getattr(expected, f.attname) for f in Session._meta.concrete_fields
            ]
            assert found.host.name == expected.host.name and not found._state.adding
            assert found.get_deferred_fields() == set()
    assert visible_session_with_host(world.advisor, 2**63) is None


def test_a_session_s_page_lists_the_enrolments_of_the_orm(world):
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:2])
    services.enrol_youths(actor=world.advisor_aix, session=world.session, youths=world.youths_aix)
    for name, user in _users(world):
        rows = SESSION_PAGE_ENROLMENTS(
            session_id=world.session.pk, **enrolment_visibility(user), user_id=user.pk
        )
        assert rows == list(world.session.enrolments.for_session_page(user)), name
    assert (
        len(
            SESSION_PAGE_ENROLMENTS(
                session_id=world.session.pk, **enrolment_visibility(world.advisor), user_id=1
            )
        )
        == 2
    )


def test_a_session_s_page_knows_whether_a_youth_is_left_to_enrol_as_the_orm(world):
    """The enrolment panel shows its picker while a youth is left to enrol: a query
    compiled once per shape of scope (`_ANY_ENROLABLE`), the ORM's `_enrolable_youths`
    for every role, before and after each of the advisor's youths is enrolled, and when
    the last left is a closed file."""
    from candidates.enums import YouthStatus
    from candidates.models import Youth
    from immersion.views.sessions import _ANY_ENROLABLE, _enrolable_youths

    def both(user) -> tuple[bool, bool]:
        who = enrolment_visibility(user)
        compiled = _ANY_ENROLABLE(
            session_id=world.session.pk,
            is_admin=who["is_admin"],
            mission_locales=who["mission_locales"],
        )
        return bool(compiled), _enrolable_youths(user, world.session).exists()

    users = _users(world)
    for name, user in users:
        compiled, orm = both(user)
        assert compiled == orm, name
    assert both(world.advisor) == (True, True)
    assert both(world.other_advisor) == (False, False)
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:-1])
    assert both(world.advisor) == (True, True)
    Youth.objects.filter(pk=world.youths[-1].pk).update(status=YouthStatus.CLOSED)
    assert both(world.advisor) == (False, False)
    assert both(world.advisor_aix) == (True, True)
    for name, user in users:
        compiled, orm = both(user)
        assert compiled == orm, name
