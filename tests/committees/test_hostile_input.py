"""The hostile payload table of every committees form that stores text, run by
`tests/test_hostile_input.py` (see `tests/hostile_forms.py` for what each payload must
give); and the checks of the committees' own: a link past its column, an agenda line
too long, a line break kept out of the mail headers."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind, Role
from committees.enums import CommitmentStatus, CommitteeKind, CommitteeRole, PlanSection
from committees.forms import (
    ActionItemForm,
    AdditionalCommitmentForm,
    AgendaItemForm,
    CommitmentForm,
    CommitteeForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    PlanForm,
    PlanItemForm,
    PlanNoteForm,
    RegionalConventionForm,
    RenewalForm,
)
from committees.models import (
    ActionItem,
    ActionPlan,
    AgendaItem,
    Commitment,
    CommitmentLog,
    Committee,
    Convention,
    ConventionRenewal,
    Decision,
    Meeting,
    PlanItem,
    PlanItemNote,
)
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
from tests.committees.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    ConventionFactory,
    MeetingFactory,
    PlanItemFactory,
)
from tests.hostile_forms import (
    MESSAGE,
    FormCase,
    Situation,
    assert_kept_out_of_headers,
    day,
    errors_of,
    post_typed,
    stored,
)
from tests.payloads import CRLF

pytestmark = pytest.mark.django_db


def _lead():
    """A project lead and their region."""
    region = RegionFactory()
    return make_member(Role.PROJECT_LEAD, region=region), region


def _committee_create() -> Situation:
    lead, region = _lead()
    return Situation(
        url=reverse("committees:committee_create"),
        data={
            "kind": CommitteeKind.PILOT,
            "name": "Comité de pilotage",
            "region": region.pk,
            "description": "",
        },
        user=lead,
        read=stored(Committee.objects.all()),
    )


def _meeting_post() -> dict:
    return {
        "title": "Réunion trimestrielle",
        "starts_on": day(20),
        "starts_time": "14:00",
        "duration_minutes": 120,
        "place": "CEPL, Marseille",
        "video_url": "https://visio.exemple.fr/comite",
    }


def _meeting_create() -> Situation:
    lead, region = _lead()
    committee = CommitteeFactory(region=region)
    return Situation(
        url=reverse("committees:meeting_create", args=[committee.pk]),
        data={**_meeting_post(), "agenda": "", "prepare_from_previous": ""},
        user=lead,
        read=stored(Meeting.objects.all(), agenda=(AgendaItem.objects.all(), "title")),
    )


def _meeting(**kwargs):
    """A past meeting of a committee of the lead's region, with a member who may own
    actions."""
    lead, region = _lead()
    committee = CommitteeFactory(region=region)
    member = make_member(Role.ADVISOR, region=region)
    CommitteeMemberFactory(committee=committee, user=member, role=CommitteeRole.MEMBER)
    return lead, member, MeetingFactory(committee=committee, past=True, **kwargs)


def _meeting_edit() -> Situation:
    lead, _member, meeting = _meeting()
    return Situation(
        url=reverse("committees:meeting_edit", args=[meeting.pk]),
        data=_meeting_post(),
        user=lead,
        read=stored(Meeting.objects.filter(pk=meeting.pk)),
    )


def _on_meeting(name: str, data, queryset, **columns):
    """A form of a meeting's page, run by the committee's project lead; its text shows
    on the meeting's page."""

    def arrange() -> Situation:
        lead, member, meeting = _meeting()
        return Situation(
            url=reverse(f"committees:{name}", args=[meeting.pk]),
            data=data(member),
            user=lead,
            read=stored(queryset, **columns),
            page=reverse("committees:meeting_detail", args=[meeting.pk]),
        )

    return arrange


def _plan_create() -> Situation:
    lead, region = _lead()
    return Situation(
        url=reverse("committees:plan_create"),
        data={"region": region.pk, "year": timezone.localdate().year, "title": "Plan d'action"},
        user=lead,
        read=stored(ActionPlan.objects.all()),
    )


def _plan_item_post() -> dict:
    return {
        "section": PlanSection.IMMERSION,
        "audience": "",
        "title": "Organiser des journées d'immersion",
        "owner_organisation": "",
        "due_on": day(30),
        "indicator_key": "",
        "indicator_target": "",
    }


def _plan_item_add() -> Situation:
    lead, region = _lead()
    plan = ActionPlanFactory(region=region)
    return Situation(
        url=reverse("committees:plan_item_add", args=[plan.pk]),
        data=_plan_item_post(),
        user=lead,
        read=stored(PlanItem.objects.all()),
        page=reverse("committees:plan_detail", args=[plan.pk]),
    )


def _on_plan_item(name: str, data: dict, queryset):
    def arrange() -> Situation:
        lead, region = _lead()
        item = PlanItemFactory(plan=ActionPlanFactory(region=region))
        return Situation(
            url=reverse(f"committees:{name}", args=[item.pk]),
            data=data,
            user=lead,
            read=stored(queryset),
        )

    return arrange


def _regional_convention():
    """The national convention, a regional one of the lead's region, and a signatory of
    that region (the CEPL)."""
    lead, region = _lead()
    national = ConventionFactory()
    regional = ConventionFactory(regional=True, parent=national, region=region)
    cepl = OrganisationFactory(kind=OrganisationKind.BUSINESS_NETWORK, region=region)
    regional.signatories.add(cepl)
    return lead, region, national, regional, cepl


def _commitment_update() -> Situation:
    lead, _region, _national, regional, cepl = _regional_convention()
    commitment = CommitmentFactory(convention=regional, signatory=cepl, article=19)
    return Situation(
        url=reverse("committees:commitment_update", args=[commitment.pk]),
        data={
            "status": CommitmentStatus.IN_PROGRESS,
            "evidence_text": "",
            "evidence_url": "",
            "note": "",
        },
        user=lead,
        read=stored(
            Commitment.objects.filter(pk=commitment.pk),
            note=(CommitmentLog.objects.all(), "reason"),
        ),
    )


def _convention_renewal() -> Situation:
    national = ConventionFactory()
    return Situation(
        url=reverse("committees:convention_renew", args=[national.pk]),
        data={"renewed_on": day(0), "extra_years": 3, "note": ""},
        user=make_member(Role.NATIONAL),
        read=stored(ConventionRenewal.objects.all()),
        page=reverse("committees:convention"),
    )


def _regional_convention_create() -> Situation:
    lead, region = _lead()
    national = ConventionFactory()
    cepl = OrganisationFactory(kind=OrganisationKind.BUSINESS_NETWORK, region=region)
    return Situation(
        url=reverse("committees:regional_convention_create", args=[national.pk]),
        data={
            "region": region.pk,
            "title": "Convention régionale",
            "signed_on": day(0),
            "duration_years": 3,
            "signatories": [cepl.pk],
        },
        user=lead,
        read=stored(Convention.objects.all()),
        page=reverse("committees:convention"),
    )


def _additional_commitment() -> Situation:
    lead, _region, _national, regional, cepl = _regional_convention()
    return Situation(
        url=reverse("committees:additional_commitment_add", args=[regional.pk]),
        data={"signatory": cepl.pk, "text": "Accueillir dix jeunes en immersion."},
        user=lead,
        read=stored(Commitment.objects.all()),
        page=reverse("committees:convention"),
    )


CASES = [
    FormCase("committee-create", (CommitteeForm,), _committee_create, text=("name", "description")),
    FormCase(
        "meeting-create",
        (MeetingForm,),
        _meeting_create,
        text=("title", "place"),
        lines=("agenda",),
        constrained=("video_url",),
    ),
    FormCase(
        "meeting-edit",
        (MeetingForm,),
        _meeting_edit,
        text=("title", "place"),
        constrained=("video_url",),
    ),
    FormCase(
        "agenda-item",
        (AgendaItemForm,),
        _on_meeting("agenda_add", lambda member: {"title": "Bilan"}, AgendaItem.objects.all()),
        text=("title",),
    ),
    FormCase(
        "minutes",
        (MinutesForm,),
        _on_meeting("minutes_save", lambda member: {"minutes": ""}, Meeting.objects.all()),
        text=("minutes",),
    ),
    FormCase(
        "decision",
        (DecisionForm,),
        _on_meeting(
            "decision_add",
            lambda member: {
                "text": "Lancer les portes ouvertes",
                "action_title": "",
                "owner": member.pk,
                "due_on": day(10),
                "plan_item": "",
            },
            Decision.objects.all(),
            action_title=(ActionItem.objects.all(), "title"),
        ),
        text=("text", "action_title"),
    ),
    FormCase(
        "action-item",
        (ActionItemForm,),
        _on_meeting(
            "action_add",
            lambda member: {
                "title": "Relancer les entreprises",
                "owner": member.pk,
                "due_on": day(10),
                "plan_item": "",
            },
            ActionItem.objects.all(),
        ),
        text=("title",),
    ),
    FormCase("plan-create", (PlanForm,), _plan_create, text=("title",)),
    FormCase("plan-item-add", (PlanItemForm,), _plan_item_add, text=("title",)),
    FormCase(
        "plan-item-edit",
        (PlanItemForm,),
        _on_plan_item("plan_item_edit", _plan_item_post(), PlanItem.objects.all()),
        text=("title",),
    ),
    FormCase(
        "plan-note",
        (PlanNoteForm,),
        _on_plan_item(
            "plan_note_add", {"written_on": day(0), "text": "Avancé"}, PlanItemNote.objects.all()
        ),
        text=("text",),
    ),
    FormCase(
        "commitment",
        (CommitmentForm,),
        _commitment_update,
        text=("evidence_text", "note"),
        constrained=("evidence_url",),
    ),
    FormCase(
        "convention-renewal",
        (RenewalForm,),
        _convention_renewal,
        text=("note",),
        refusal=MESSAGE,
    ),
    FormCase(
        "regional-convention",
        (RegionalConventionForm,),
        _regional_convention_create,
        text=("title",),
        refusal=MESSAGE,
    ),
    FormCase(
        "additional-commitment",
        (AdditionalCommitmentForm,),
        _additional_commitment,
        text=("text",),
        refusal=MESSAGE,
    ),
]


# A valid link may run to 2,048 characters (Django's URLValidator), but the columns hold
# 200: the form says so itself, before any service.
LONG_LINK = "https://visio.exemple.fr/" + "a" * 200


@pytest.mark.parametrize(
    ("arrange", "name"),
    [
        (_meeting_create, "video_url"),
        (_meeting_edit, "video_url"),
        (_commitment_update, "evidence_url"),
    ],
    ids=["meeting-create", "meeting-edit", "commitment"],
)
def test_a_valid_link_longer_than_its_column_is_refused_next_to_the_field(client, arrange, name):
    situation = arrange()
    before = situation.read(name)
    response = post_typed(client, situation, name, LONG_LINK)
    assert response.status_code in (200, 400)
    assert errors_of(response, name) == ["Au plus 200 caractères (il y en a 225)."]
    assert situation.read(name) == before


def test_an_agenda_line_too_long_for_a_point_is_refused_not_cut(client):
    situation = _meeting_create()
    agenda = "Bilan du trimestre\n" + "B" * 256
    response = post_typed(client, situation, "agenda", agenda)
    assert response.status_code == 200
    assert errors_of(response, "agenda") == [
        "Un point de l'ordre du jour tient en 255 caractères au plus (une ligne en compte 256)."
    ]
    assert not AgendaItem.objects.exists()
    assert "B" * 256 in response.content.decode()


def test_a_line_break_in_a_committee_name_stays_out_of_the_mail_headers(
    client, django_capture_on_commit_callbacks, tasks_in_process
):
    # The name is typed in a one-line field and is the subject of the meeting
    # invitations and of the quarterly reminder.
    situation = _committee_create()
    post_typed(client, situation, "name", CRLF.text)
    committee = Committee.objects.get()
    assert committee.name == CRLF.text
    member = make_member(Role.ADVISOR, region=committee.region)
    CommitteeMemberFactory(committee=committee, user=member, role=CommitteeRole.MEMBER)
    meeting = MeetingFactory(committee=committee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("committees:invitations_send", args=[meeting.pk]))
    assert mail.outbox
    for message in mail.outbox:
        assert_kept_out_of_headers(message, CRLF)
