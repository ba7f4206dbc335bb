"""The hostile payload table of every immersion form that stores text, run by
`tests/test_hostile_input.py` (see `tests/hostile_forms.py` for what each payload must
give); and the checks of the immersion's own: a line break in a session's title kept
out of the mail headers and on its calendar line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.enums import Role
from immersion.enums import (
    Attendance,
    ContractOutcome,
    EnrolmentStatus,
    HostAssessment,
    ProgrammeKind,
)
from immersion.forms import (
    AttendanceForm,
    CaeContractForm,
    ContractOutcomeForm,
    PoolAnswerForm,
    PoolRequestForm,
    SessionCancelForm,
    SessionForm,
)
from immersion.models import CaeContract, Enrolment, PoolRequest, Session
from tests.accounts.factories import OrganisationFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.hostile_forms import (
    MESSAGE,
    FormCase,
    Situation,
    assert_kept_out_of_headers,
    day,
    post_typed,
    stored,
)
from tests.immersion.factories import CaeContractFactory, CohortFactory, SessionFactory
from tests.offers.factories import OfferFactory
from tests.payloads import CRLF

pytestmark = pytest.mark.django_db


def _session_post(host) -> dict:
    return {
        "kind": ProgrammeKind.IMMERSION_DAY,
        "title": "Immersion plateau",
        "host": host.pk,
        "place": "12 rue de la République",
        "city": "Marseille",
        "start_date": day(20),
        "start_time": "09:00",
        "end_date": day(20),
        "end_time": "12:00",
        "capacity": 10,
        "registration_deadline": day(15),
        "description": "",
    }


def _session_create() -> Situation:
    recruiter = make_member(Role.RECRUITER)
    host = recruiter.memberships.get().organisation
    return Situation(
        url=reverse("immersion:session_create"),
        data={**_session_post(host), "open_registrations": "on"},
        user=recruiter,
        read=stored(Session.objects.all()),
    )


def _session_edit() -> Situation:
    session = SessionFactory()
    return Situation(
        url=reverse("immersion:session_edit", args=[session.pk]),
        data=_session_post(session.host),
        user=make_member(Role.RECRUITER, organisation=session.host),
        read=stored(Session.objects.filter(pk=session.pk)),
    )


def _session_cancel() -> Situation:
    session = SessionFactory()
    return Situation(
        url=reverse("immersion:session_action", args=[session.pk, "cancel"]),
        data={"reason": "Formateur indisponible"},
        user=make_member(Role.RECRUITER, organisation=session.host),
        read=stored(Session.objects.all(), reason="cancel_reason"),
    )


def _attendance() -> Situation:
    session = SessionFactory(past=True)
    youth = YouthFactory(
        mission_locale=OrganisationFactory(mission_locale=True, region=session.region)
    )
    enrolment = Enrolment.objects.create(
        session=session, youth=youth, status=EnrolmentStatus.CONFIRMED, enrolled_by=youth.advisor
    )
    prefix = f"e{enrolment.pk}"
    return Situation(
        url=reverse("immersion:enrolment_attendance", args=[enrolment.pk]),
        data={
            f"{prefix}-attendance": Attendance.ATTENDED,
            f"{prefix}-host_assessment": HostAssessment.RECOMMEND,
            f"{prefix}-host_comment": "",
        },
        user=make_member(Role.RECRUITER, organisation=session.host),
        read=stored(Enrolment.objects.all()),
        page=reverse("immersion:session_detail", args=[session.pk]),
        prefix=prefix,
    )


def _contract() -> Situation:
    cohort = CohortFactory()
    youth = YouthFactory(
        mission_locale=OrganisationFactory(mission_locale=True, region=cohort.region)
    )
    start = timezone.localdate() - timedelta(days=10)
    return Situation(
        url=reverse("immersion:contract_create", args=[cohort.pk]),
        data={
            "youth": youth.pk,
            "employer": "Association Accueil Nord",
            "start_on": start.strftime("%d/%m/%Y"),
            "end_on": (start + timedelta(days=150)).strftime("%d/%m/%Y"),
            "weekly_hours": 26,
        },
        user=youth.advisor,
        read=stored(CaeContract.objects.all()),
        page=reverse("immersion:cohort_detail", args=[cohort.pk]),
    )


def _contract_outcome() -> Situation:
    cohort = CohortFactory()
    contract = CaeContractFactory(
        cohort=cohort,
        youth=YouthFactory(
            mission_locale=OrganisationFactory(mission_locale=True, region=cohort.region)
        ),
    )
    prefix = f"c{contract.pk}"
    return Situation(
        url=reverse("immersion:contract_outcome", args=[contract.pk]),
        data={f"{prefix}-outcome": ContractOutcome.TRAINING, f"{prefix}-note": ""},
        user=contract.youth.advisor,
        read=stored(CaeContract.objects.all(), note="outcome_note"),
        page=reverse("immersion:cohort_detail", args=[contract.cohort_id]),
        prefix=prefix,
    )


def _pool_youth():
    """A consenting youth of a CAE platform, and a recruiter of the same region with a
    published offer."""
    contract = CaeContractFactory(
        youth=YouthFactory(
            consented=True,
            mission_locale=OrganisationFactory(mission_locale=True),
        )
    )
    region = contract.youth.mission_locale.region
    contract.cohort.region = region
    contract.cohort.save(update_fields=["region"])
    offer = OfferFactory(published=True, company=OrganisationFactory(company=True, region=region))
    recruiter = make_member(Role.RECRUITER, organisation=offer.company)
    return contract.youth, offer, recruiter


def _pool_request() -> Situation:
    youth, offer, recruiter = _pool_youth()
    return Situation(
        url=reverse("immersion:pool_member", args=[youth.pk]),
        data={"offer": offer.pk, "message": ""},
        user=recruiter,
        read=stored(PoolRequest.objects.all()),
        page=reverse("immersion:pool_requests"),
        viewer=youth.advisor,
    )


def _pool_answer() -> Situation:
    youth, offer, recruiter = _pool_youth()
    pool_request = PoolRequest.objects.create(
        recruiter=recruiter, company=offer.company, youth=youth, offer=offer
    )
    prefix = f"r{pool_request.pk}"
    return Situation(
        url=reverse("immersion:pool_request_answer", args=[pool_request.pk, "decline"]),
        data={f"{prefix}-note": "Le jeune a trouvé un emploi."},
        user=youth.advisor,
        read=stored(PoolRequest.objects.all(), note="answer_note"),
        page=reverse("immersion:pool_requests"),
        viewer=recruiter,
        prefix=prefix,
    )


CASES = [
    FormCase(
        "session-create",
        (SessionForm,),
        _session_create,
        text=("title", "place", "city", "description"),
    ),
    FormCase(
        "session-edit",
        (SessionForm,),
        _session_edit,
        text=("title", "place", "city", "description"),
    ),
    FormCase("session-cancel", (SessionCancelForm,), _session_cancel, text=("reason",)),
    FormCase(
        "attendance",
        (AttendanceForm,),
        _attendance,
        text=("host_comment",),
        refusal=MESSAGE,
    ),
    FormCase("cae-contract", (CaeContractForm,), _contract, text=("employer",)),
    FormCase(
        "contract-outcome",
        (ContractOutcomeForm,),
        _contract_outcome,
        text=("note",),
        refusal=MESSAGE,
    ),
    FormCase("pool-request", (PoolRequestForm,), _pool_request, text=("message",)),
    FormCase(
        "pool-answer",
        (PoolAnswerForm,),
        _pool_answer,
        text=("note",),
        refusal=MESSAGE,
    ),
]


def test_a_line_break_in_a_session_title_stays_out_of_the_mail_headers(
    client, django_capture_on_commit_callbacks, tasks_in_process
):
    # The title is typed in a one-line field and is the subject of every mail about the
    # session (cancelled, seat freed, reminders).
    situation = _session_create()
    post_typed(client, situation, "title", CRLF.text)
    session = Session.objects.get()
    assert session.title == CRLF.text
    youth = YouthFactory(
        mission_locale=OrganisationFactory(mission_locale=True, region=session.region)
    )
    Enrolment.objects.create(
        session=session, youth=youth, status=EnrolmentStatus.CONFIRMED, enrolled_by=youth.advisor
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("immersion:session_action", args=[session.pk, "cancel"]),
            {"reason": "Formateur indisponible"},
        )
    [message] = mail.outbox
    assert message.to == [youth.advisor.email]
    assert_kept_out_of_headers(message, CRLF)


def test_a_line_break_in_a_session_title_stays_on_its_calendar_line(client):
    # In an .ics file each property is a line: a raw line break in the title would
    # start a property of the attacker's choosing.
    situation = _session_create()
    post_typed(client, situation, "title", CRLF.text)
    session = Session.objects.get()
    ics = client.get(reverse("immersion:session_ics", args=[session.pk])).content.decode()
    unfolded = ics.replace("\r\n ", "").split("\r\n")
    assert "SUMMARY:Objet\\nBcc: victim@example.org\\n\\n=1+1" in unfolded
    assert not any(line.startswith(("Bcc", "=1+1")) for line in unfolded)
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert event["SUMMARY"] == "Objet\nBcc: victim@example.org\n\n=1+1"
    assert "BCC" not in event
