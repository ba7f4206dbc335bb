"""The hostile payload table of every form of the candidate pool that stores text, run by
`tests/test_hostile_input.py` (see `tests/hostile_forms.py` for what each payload must
give)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.enums import NoticePurpose, Role
from accounts.models import InformationNotice
from candidates.enums import (
    AssessmentMethod,
    AssessmentOutcome,
    CheckInOutcome,
    ConsentMethod,
    EducationLevel,
    MentorKind,
    NoteChannel,
    PathwayStage,
    SubjectRequestKind,
    VaeStatus,
)
from candidates.forms import (
    AnonymiseForm,
    AssessmentForm,
    CheckInForm,
    CloseSubjectRequestForm,
    ConsentForm,
    FollowUpNoteForm,
    MeetingForm,
    MentorForm,
    MoveForm,
    PairEndForm,
    PathwayMoveForm,
    SubjectRequestForm,
    VaeProjectForm,
    YouthForm,
)
from candidates.models import (
    SCORE_FIELDS,
    Assessment,
    ConsentRecord,
    DataSubjectRequest,
    FollowUpNote,
    InCompanyCheckIn,
    Mentor,
    MentoringMeeting,
    MentoringPair,
    PathwayEvent,
    SubjectRequest,
    VaeProject,
    Youth,
    YouthTransfer,
    years_ago,
)
from candidates.subject_request_services import record_subject_request
from tests.accounts.factories import OrganisationFactory, make_member
from tests.candidates.factories import MentorFactory, MentoringPairFactory, YouthFactory
from tests.hostile_forms import (
    NOT_SHOWN,
    FormCase,
    Situation,
    day,
    stored,
)


def _youth_post(advisor) -> dict:
    return {
        "first_name": "Inès",
        "last_name": "Zerbib",
        "birth_date": years_ago(20, timezone.localdate()).strftime("%d/%m/%Y"),
        "email": "ines@exemple.fr",
        "phone": "06 12 34 56 78",
        "postcode": "13001",
        "city": "Marseille",
        "education_level": EducationLevel.BAC,
        "previous_sector": "Vente",
        "skills": "Accueil du public",
        "mobility": "",
        "availability": "",
        "civis_start": "",
        "civis_end": "",
        "advisor": advisor.pk,
    }


def _youth_create() -> Situation:
    advisor = make_member(Role.ADVISOR)
    return Situation(
        url=reverse("candidates:youth_create"),
        data={
            **_youth_post(advisor),
            "mission_locale": advisor.memberships.get().organisation_id,
            "submission_token": "",
        },
        user=advisor,
        read=stored(Youth.objects.all()),
    )


def _youth() -> Youth:
    return YouthFactory()


def _youth_edit() -> Situation:
    youth = _youth()
    return Situation(
        url=reverse("candidates:youth_edit", args=[youth.pk]),
        data=_youth_post(youth.advisor),
        user=youth.advisor,
        read=stored(Youth.objects.filter(pk=youth.pk)),
    )


def _on_youth(name: str, data: dict, queryset, page="youth_detail", **columns):
    """A small form of a youth's page: posted by their advisor, shown on their page
    (or on the data-access page, which shows the whole file)."""

    def arrange() -> Situation:
        target = _youth()
        return Situation(
            url=reverse(f"candidates:{name}", args=[target.pk]),
            data=data,
            user=target.advisor,
            read=stored(queryset, **columns),
            page=reverse(f"candidates:{page}", args=[target.pk]),
        )

    return arrange


def _check_in() -> Situation:
    youth = YouthFactory(hired=True)
    check_in = youth.check_ins.order_by("due_on").first()
    return Situation(
        url=reverse("candidates:check_in_record", args=[check_in.pk]),
        data={"missed": "", "done_on": day(), "outcome": CheckInOutcome.GOING_WELL, "note": ""},
        user=youth.advisor,
        read=stored(InCompanyCheckIn.objects.all()),
        page=reverse("candidates:youth_data_page", args=[youth.pk]),
    )


def _mentor_post() -> dict:
    return {
        "first_name": "Bernard",
        "last_name": "Roche",
        "email": "bernard@exemple.fr",
        "phone": "0612345678",
        "kind": MentorKind.RETIRED,
        "occupation": "Ancien chef d'équipe",
        "charter_signed_on": day(-30),
        "is_active": "on",
    }


def _mentor_create() -> Situation:
    advisor = make_member(Role.ADVISOR)
    return Situation(
        url=reverse("candidates:mentor_create"),
        data={**_mentor_post(), "mission_locale": advisor.memberships.get().organisation_id},
        user=advisor,
        read=stored(Mentor.objects.all()),
        page=reverse("candidates:mentor_list"),
    )


def _mentor_edit() -> Situation:
    advisor = make_member(Role.ADVISOR)
    mentor = MentorFactory(mission_locale=advisor.memberships.get().organisation)
    return Situation(
        url=reverse("candidates:mentor_edit", args=[mentor.pk]),
        data=_mentor_post(),
        user=advisor,
        read=stored(Mentor.objects.filter(pk=mentor.pk)),
        page=reverse("candidates:mentor_detail", args=[mentor.pk]),
    )


def _on_pair(name: str, data: dict, queryset, **columns):
    """A mentoring pair's form: posted by the youth's advisor, shown on the youth's
    data-access page (which shows every pair and meeting)."""

    def arrange() -> Situation:
        pair = MentoringPairFactory()
        return Situation(
            url=reverse(f"candidates:{name}", args=[pair.pk]),
            data=data,
            user=pair.youth.advisor,
            read=stored(queryset, **columns),
            page=reverse("candidates:youth_data_page", args=[pair.youth_id]),
        )

    return arrange


def _consent(name: str, *, consented: bool, method: str, with_notice: bool):
    """The consent pages: the advisor records a consent (with the notice version given)
    or its withdrawal; the note shows in the history on the youth's page."""

    def arrange() -> Situation:
        target = YouthFactory(consented=consented)
        data = {"method": method, "note": ""}
        if with_notice:
            data["notice"] = InformationNotice.objects.current_for(NoticePurpose.PROFILE_SHARING).pk
        return Situation(
            url=reverse(f"candidates:{name}", args=[target.pk]),
            data=data,
            user=target.advisor,
            read=stored(ConsentRecord.objects.all()),
            page=reverse("candidates:youth_detail", args=[target.pk]),
        )

    return arrange


def _by_manager(name: str, data, queryset):
    """A manager's form on a youth's file. Its reason is kept in the file's journal
    (and the JSON export), shown on no page."""

    def arrange() -> Situation:
        youth = _youth()
        manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
        return Situation(
            url=reverse(f"candidates:{name}", args=[youth.pk]),
            data=data() if callable(data) else data,
            user=manager,
            read=stored(queryset),
            page=NOT_SHOWN,
        )

    return arrange


def _subject_request_close() -> Situation:
    """A manager answers an access request; the answer shows on the "Demandes RGPD"
    page once closed."""
    youth = _youth()
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    subject_request = record_subject_request(
        youth=youth,
        actor=youth.advisor,
        kind=SubjectRequestKind.ACCESS,
        received_on=timezone.localdate(),
    )
    return Situation(
        url=reverse("candidates:subject_request_close", args=[subject_request.pk]),
        data={"outcome": "Dossier remis en main propre."},
        user=manager,
        read=stored(SubjectRequest.objects.all()),
        page=reverse("candidates:subject_request_list"),
    )


CASES = [
    FormCase(
        "youth-create",
        (YouthForm,),
        _youth_create,
        text=("first_name", "last_name", "city", "previous_sector", "skills"),
        constrained=("email", "phone", "postcode"),
    ),
    FormCase(
        "youth-edit",
        (YouthForm,),
        _youth_edit,
        text=("first_name", "last_name", "city", "previous_sector", "skills"),
        constrained=("email", "phone", "postcode"),
    ),
    FormCase(
        "pathway-move",
        (PathwayMoveForm,),
        _on_youth(
            "pathway_move",
            {
                "stage": PathwayStage.DISCOVERY,
                "occurred_on": day(),
                "source": "Atelier découverte",
                "exit_reason": "",
                "note": "",
            },
            PathwayEvent.objects.all(),
        ),
        text=("source", "note"),
    ),
    FormCase(
        "assessment",
        (AssessmentForm,),
        _on_youth(
            "assessment_create",
            {
                "assessed_on": day(),
                "method": AssessmentMethod.INTERVIEW,
                **dict.fromkeys(SCORE_FIELDS, 3),
                "outcome": AssessmentOutcome.FAVOURABLE,
                "comment": "",
            },
            Assessment.objects.all(),
        ),
        text=("comment",),
    ),
    FormCase(
        "follow-up-note",
        (FollowUpNoteForm,),
        _on_youth(
            "note_create",
            {
                "met_on": day(),
                "channel": NoteChannel.IN_PERSON,
                "summary": "Point sur la recherche.",
                "next_appointment_on": "",
            },
            FollowUpNote.objects.all(),
        ),
        text=("summary",),
    ),
    FormCase("check-in", (CheckInForm,), _check_in, text=("note",)),
    FormCase(
        "mentor-create",
        (MentorForm,),
        _mentor_create,
        # A mentor's phone takes any text up to 20 characters.
        text=("first_name", "last_name", "phone", "occupation"),
        constrained=("email",),
    ),
    FormCase(
        "mentor-edit",
        (MentorForm,),
        _mentor_edit,
        text=("first_name", "last_name", "phone", "occupation"),
        constrained=("email",),
    ),
    FormCase(
        "mentoring-end",
        (PairEndForm,),
        _on_pair("pair_end", {"ended_on": day(), "end_reason": ""}, MentoringPair.objects.all()),
        text=("end_reason",),
    ),
    FormCase(
        "mentoring-meeting",
        (MeetingForm,),
        _on_pair("meeting_create", {"met_on": day(), "note": ""}, MentoringMeeting.objects.all()),
        text=("note",),
    ),
    FormCase(
        "vae",
        (VaeProjectForm,),
        _on_youth(
            "vae_create",
            {
                "certification": "Titre professionnel conseiller relation client",
                "certifier": "Ministère du travail",
                "status": VaeStatus.PROJECT,
                "started_on": day(),
                "jury_on": "",
                "note": "",
            },
            VaeProject.objects.all(),
            page="youth_data_page",
        ),
        text=("certification", "certifier", "note"),
    ),
    FormCase(
        "consent",
        (ConsentForm,),
        _consent("consent", consented=False, method=ConsentMethod.SIGNED_FORM, with_notice=True),
        text=("note",),
    ),
    FormCase(
        "consent-withdraw",
        (ConsentForm,),
        _consent("consent_withdraw", consented=True, method=ConsentMethod.ORAL, with_notice=False),
        text=("note",),
    ),
    FormCase(
        "youth-move",
        (MoveForm,),
        _by_manager(
            "youth_move",
            lambda: {
                "mission_locale": OrganisationFactory(mission_locale=True).pk,
                "reason": "Déménagement",
            },
            YouthTransfer.objects.all(),
        ),
        text=("reason",),
    ),
    FormCase(
        "subject-request",
        (SubjectRequestForm,),
        _on_youth(
            "subject_request_create",
            {"kind": SubjectRequestKind.RECTIFICATION, "received_on": day(), "details": ""},
            SubjectRequest.objects.all(),
            page="youth_data_page",
        ),
        text=("details",),
    ),
    FormCase(
        "subject-request-close",
        (CloseSubjectRequestForm,),
        _subject_request_close,
        text=("outcome",),
    ),
    FormCase(
        "anonymise",
        (AnonymiseForm,),
        _by_manager(
            "youth_anonymise",
            {"reason": "Demande du 12/03", "confirm": "on"},
            DataSubjectRequest.objects.all(),
        ),
        text=("reason",),
    ),
]
