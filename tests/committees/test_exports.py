"""The committees' lists as CSV and XLSX (issue 15, item 5): "Mes actions", a convention's
commitments, a plan's progress and its items, a meeting's attendance. Each has its
page's columns, the user's scope only (another region: 404), the same rows in both
formats and constant queries. None names a youth: none is in the access log."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind, Role
from candidates.access_log import AccessLogEntry
from committees import services
from committees.enums import (
    ActionItemStatus,
    AttendanceStatus,
    AwarenessAudience,
    CommitmentStatus,
    IndicatorKey,
    PlanSection,
)
from tests.accounts.factories import OrganisationFactory, make_member
from tests.exports import download, export_link_urls, page_columns, read_csv

from .factories import (
    ActionItemFactory,
    ActionPlanFactory,
    CommitmentFactory,
    CommitteeMemberFactory,
    ConventionFactory,
    MeetingFactory,
    PlanItemFactory,
)

pytestmark = pytest.mark.django_db


def _constant(client, url, grow, django_assert_num_queries):
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    return read_csv(response.content)


def _links(name, *args):
    return [reverse(name, args=[*args, fmt]) for fmt in ("csv", "xlsx")]


# --- "Mes actions" ------------------------------------------------------------------------------


def test_my_action_items_export_has_the_page_columns_and_the_user_s_items(client, world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    plan_item = PlanItemFactory(plan=ActionPlanFactory(region=world.paca), title="Forum emploi")
    late = ActionItemFactory(
        meeting=meeting,
        owner=world.advisor,
        title="Relancer les entreprises",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    ActionItemFactory(
        meeting=meeting,
        owner=world.advisor,
        title="Préparer le forum",
        plan_item=plan_item,
        status=ActionItemStatus.IN_PROGRESS,
    )
    ActionItemFactory(meeting=meeting, owner=world.recruiter, title="Pas la mienne")
    client.force_login(world.advisor)
    page = client.get(reverse("committees:my_action_items"))
    assert export_link_urls(page.content) == _links("committees:my_action_items_export")
    header, *rows = download(client, "committees:my_action_items_export")
    # The page's last column holds the buttons: the file has the others.
    assert header == page_columns(page.content, after="Actions qui vous sont confiées")[:-1]
    assert rows == [
        [
            "Relancer les entreprises",
            str(world.committee),
            late.due_on.strftime("%d/%m/%Y"),
            "À faire",
            "—",
        ],
        [
            "Préparer le forum",
            str(world.committee),
            rows[1][2],
            "En cours",
            "Forum emploi",
        ],
    ]
    # Each user exports their own items only.
    client.force_login(world.recruiter)
    _header, *theirs = download(client, "committees:my_action_items_export")
    assert [row[0] for row in theirs] == ["Pas la mienne"]
    client.force_login(world.other_lead)
    _header, *none = download(client, "committees:my_action_items_export")
    assert none == []
    assert not AccessLogEntry.objects.exists()


def test_my_action_items_export_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    meeting = MeetingFactory(committee=world.committee, past=True)
    ActionItemFactory(meeting=meeting, owner=world.advisor)
    client.force_login(world.advisor)

    def grow():
        plan = ActionPlanFactory(region=world.paca)
        for _ in range(15):
            ActionItemFactory(
                meeting=meeting, owner=world.advisor, plan_item=PlanItemFactory(plan=plan)
            )

    url = reverse("committees:my_action_items_export", args=["csv"])
    assert len(_constant(client, url, grow, django_assert_num_queries)) == 17


# --- A convention's commitments -----------------------------------------------------------------


@pytest.fixture
def regional_convention(world):
    national = ConventionFactory()
    network = OrganisationFactory(
        kind=OrganisationKind.BUSINESS_NETWORK, region=world.paca, name="CEPL"
    )
    regional = ConventionFactory(regional=True, parent=national, region=world.paca)
    CommitmentFactory(
        convention=regional,
        signatory=network,
        article=4,
        text="Accompagner les recrutements",
        status=CommitmentStatus.MET,
        evidence_text="Compte rendu",
    )
    CommitmentFactory(
        convention=regional, signatory=network, article=19, text="Forum annuel", is_additional=True
    )
    return regional


def test_commitments_export_has_the_page_columns_and_the_convention_s_commitments(
    client, world, regional_convention
):
    client.force_login(world.lead)
    page = client.get(reverse("committees:convention"))
    assert set(_links("committees:commitments_export", regional_convention.pk)) <= set(
        export_link_urls(page.content)
    )
    header, *rows = download(client, "committees:commitments_export", regional_convention.pk)
    assert header == page_columns(page.content, after=f"— {regional_convention.title}")
    assert rows == [
        ["4", "CEPL", "Accompagner les recrutements", "Tenu", "Oui"],
        ["19 · supplémentaire", "CEPL", "Forum annuel", "Non engagé", "—"],
    ]


def test_commitments_export_of_another_region_s_convention_is_a_404(
    client, world, regional_convention
):
    url = reverse("committees:commitments_export", args=[regional_convention.pk, "csv"])
    for outsider in (world.other_lead, world.advisor):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_commitments_export_queries_do_not_grow_with_rows(
    client, world, regional_convention, django_assert_num_queries
):
    client.force_login(world.lead)
    url = reverse("committees:commitments_export", args=[regional_convention.pk, "csv"])

    def grow():
        for _ in range(15):
            CommitmentFactory(
                convention=regional_convention,
                signatory=OrganisationFactory(
                    kind=OrganisationKind.BUSINESS_NETWORK, region=world.paca
                ),
            )

    assert len(_constant(client, url, grow, django_assert_num_queries)) == 18


# --- A plan's progress and items ---------------------------------------------------------------


@pytest.fixture
def plan(world):
    regional = ActionPlanFactory(region=world.paca, year=2007)
    owner = OrganisationFactory(mission_locale=True, region=world.paca, name="ML Marseille")
    PlanItemFactory(
        plan=regional,
        section=PlanSection.AWARENESS,
        audience=AwarenessAudience.YOUTHS,
        title="Réunions d'information",
        owner_organisation=owner,
        due_on=datetime.date(2007, 3, 1),
    )
    PlanItemFactory(
        plan=regional,
        section=PlanSection.IMMERSION,
        title="Journées d'immersion",
        indicator_key=IndicatorKey.OPEN_DAYS_HELD,
        indicator_target=12,
        due_on=datetime.date(2007, 6, 1),
        done=True,
    )
    PlanItemFactory(plan=ActionPlanFactory(region=world.other_region), title="Ailleurs")
    return regional


def test_plan_progress_export_is_the_page_s_progress_table(client, world, plan):
    client.force_login(world.lead)
    page = client.get(reverse("committees:plan_detail", args=[plan.pk]))
    links = export_link_urls(page.content)
    assert links[:2] == _links("committees:plan_progress_export", plan.pk)
    header, *rows = download(client, "committees:plan_progress_export", plan.pk)
    assert header == page_columns(page.content, after="Actions réalisées et en retard")
    assert rows == [
        ["I - Sensibilisation", "1", "0", "1", "0"],
        ["II - Comité de pilotage entreprises", "0", "0", "0", "0"],
        ["III - Immersion", "1", "1", "0", "100"],
        ["IV - Processus de diffusion des offres et de recrutement", "0", "0", "0", "0"],
    ]


def test_plan_items_export_has_the_section_then_the_page_columns(client, world, plan):
    client.force_login(world.lead)
    page = client.get(reverse("committees:plan_detail", args=[plan.pk]))
    assert export_link_urls(page.content)[2:] == _links("committees:plan_items_export", plan.pk)
    header, *rows = download(client, "committees:plan_items_export", plan.pk)
    assert header == ["Section", *page_columns(page.content, after='id="section-awareness"')]
    assert rows == [
        [
            "I - Sensibilisation",
            "B) Les jeunes · Réunions d'information",
            "ML Marseille",
            "01/03/2007",
            "Prévue",
            "—",
            "0",
        ],
        [
            "III - Immersion",
            "Journées d'immersion",
            "—",
            "01/06/2007",
            "Réalisée",
            "12 · Journées portes ouvertes organisées",
            "0",
        ],
    ]


def test_plan_exports_of_another_region_are_a_404_and_national_staff_read_them(client, world, plan):
    for name in ("committees:plan_progress_export", "committees:plan_items_export"):
        url = reverse(name, args=[plan.pk, "csv"])
        for outsider in (world.other_lead, world.advisor):
            client.force_login(outsider)
            assert client.get(url).status_code == 404, (name, outsider)
        client.force_login(world.national)
        assert client.get(url).status_code == 200


def test_plan_items_export_queries_do_not_grow_with_rows(
    client, world, plan, django_assert_num_queries
):
    client.force_login(world.lead)
    url = reverse("committees:plan_items_export", args=[plan.pk, "csv"])

    def grow():
        owner = OrganisationFactory(mission_locale=True, region=world.paca)
        PlanItemFactory.create_batch(20, plan=plan, owner_organisation=owner)

    assert len(_constant(client, url, grow, django_assert_num_queries)) == 23


# --- A meeting's attendance ---------------------------------------------------------------------


def test_attendance_export_is_the_meeting_s_attendance(client, world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    services.record_attendance(
        actor=world.lead,
        meeting=meeting,
        statuses={world.advisor.pk: AttendanceStatus.PRESENT},
    )
    client.force_login(world.advisor)  # a member reads the meeting and its attendance
    page = client.get(reverse("committees:meeting_detail", args=[meeting.pk]))
    assert export_link_urls(page.content) == _links("committees:attendance_export", meeting.pk)
    header, *rows = download(client, "committees:attendance_export", meeting.pk)
    assert header == page_columns(page.content, after="Présences à la réunion")
    assert rows == [[str(world.advisor), "Présent"]]
    url = reverse("committees:attendance_export", args=[meeting.pk, "csv"])
    for outsider in (world.other_lead, world.outsider):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_attendance_export_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    meeting = MeetingFactory(committee=world.committee, past=True)
    services.record_attendance(
        actor=world.lead, meeting=meeting, statuses={world.advisor.pk: AttendanceStatus.PRESENT}
    )
    client.force_login(world.lead)
    url = reverse("committees:attendance_export", args=[meeting.pk, "csv"])

    def grow():
        members = []
        for _ in range(12):
            member = make_member(Role.ADVISOR, region=world.paca)
            CommitteeMemberFactory(committee=world.committee, user=member)
            members.append(member)
        services.record_attendance(
            actor=world.lead,
            meeting=meeting,
            statuses={member.pk: AttendanceStatus.EXCUSED for member in members},
        )

    assert len(_constant(client, url, grow, django_assert_num_queries)) == 14


def test_an_export_reads_in_the_user_s_language_like_its_page(client, world, plan):
    """The column titles come from the page's own catalogue entries: in English too, the
    file's header is the page's (the "% done" title included, a percent sign the
    template doubles in its msgid)."""
    client.cookies["django_language"] = "en"
    client.force_login(world.lead)
    page = client.get(reverse("committees:plan_detail", args=[plan.pk]))
    header, *rows = download(client, "committees:plan_progress_export", plan.pk)
    assert header == page_columns(page.content, after="plan-progress")
    assert header == ["Section", "Actions", "Done", "Overdue", "% done"]
    items_header, *_items = download(client, "committees:plan_items_export", plan.pk)
    assert items_header[1:] == page_columns(page.content, after='id="section-awareness"')


# --- A committee's open action items ------------------------------------------------------------


def test_committee_action_items_export_is_the_page_s_open_items(client, world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    late = ActionItemFactory(
        meeting=meeting,
        owner=world.recruiter,
        title="Relancer",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    ActionItemFactory(meeting=meeting, owner=world.advisor, title="Clos", done=True)
    soon = ActionItemFactory(meeting=meeting, owner=world.advisor, title="Préparer")
    client.force_login(world.lead)
    page = client.get(reverse("committees:committee_detail", args=[world.committee.pk]))
    assert export_link_urls(page.content) == _links(
        "committees:committee_action_items_export", world.committee.pk
    )
    header, *rows = download(client, "committees:committee_action_items_export", world.committee.pk)
    assert header == page_columns(page.content, after="Actions ouvertes du comité, les retards")
    assert rows == [
        ["Relancer", "Julien Moreau", late.due_on.strftime("%d/%m/%Y"), "À faire"],
        ["Préparer", "Camille Durand", soon.due_on.strftime("%d/%m/%Y"), "À faire"],
    ]
    url = reverse("committees:committee_action_items_export", args=[world.committee.pk, "csv"])
    for outsider in (world.other_lead, world.outsider):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_committee_action_items_export_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    meeting = MeetingFactory(committee=world.committee, past=True)
    ActionItemFactory(meeting=meeting, owner=world.advisor)
    client.force_login(world.lead)
    url = reverse("committees:committee_action_items_export", args=[world.committee.pk, "csv"])

    def grow():
        for _ in range(15):
            ActionItemFactory(meeting=meeting, owner=make_member(Role.ADVISOR, region=world.paca))

    assert len(_constant(client, url, grow, django_assert_num_queries)) == 17
