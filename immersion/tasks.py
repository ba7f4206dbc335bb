"""Background jobs of the immersion app. Each takes primary keys and is safe to run
twice: a SentNotification row keyed on the session or enrolment and the recipient says
what already left, and is released when sending fails so a retry sends it."""

from __future__ import annotations

import datetime
from collections import defaultdict

from celery import shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import absolute_url, send_templated_mail
from accounts.models import User
from candidates.sharing import youth_as_seen_by

from .models import HOSTING_ROLES, Enrolment, PoolRequest, SentNotification, Session
from .sharing import participant_placeholder, pool_request_youth_label

REMINDER_DAYS_BEFORE = 2


def _claim(kind: str, key: str, user: User) -> bool:
    """Reserve the right to send one email; False when it already went."""
    try:
        with transaction.atomic():
            SentNotification.objects.create(kind=kind, key=key, recipient=user)
    except IntegrityError:
        return False
    return True


def _release(kind: str, key: str, user: User) -> None:
    SentNotification.objects.filter(kind=kind, key=key, recipient=user).delete()


def _send_once(task, *, kind: str, key: str, user: User, template: str, context: dict) -> int:
    if not user or not user.is_active or not _claim(kind, key, user):
        return 0
    try:
        return send_templated_mail(
            to=[user.email],
            template=template,
            context={**context, "user": user},
            language=user.language,
        )
    except OSError as exc:
        _release(kind, key, user)
        raise task.retry(exc=exc) from exc


def _session_url(session: Session) -> str:
    return absolute_url(reverse("immersion:session_detail", args=[session.pk]))


def _people_by_advisor(enrolments) -> dict[User, list[Enrolment]]:
    """Group enrolments by the advisor who hears about them (the youth's advisor, or
    the advisor enrolled themselves)."""
    grouped: dict[User, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        advisor = enrolment.advisor
        if advisor is not None:
            grouped[advisor].append(enrolment)
    return grouped


def _host_contacts(session: Session):
    """Who receives the participant list: the host's staff who run sessions, or the
    person who created the session when the host has none on the portal."""
    contacts = list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation_id=session.host_id,
            memberships__role__in=HOSTING_ROLES,
        )
        .distinct()
        .order_by("pk")
    )
    if not contacts and session.created_by_id:
        contacts = [session.created_by]
    return contacts


def _participants_for(contact: User, enrolments) -> list[dict]:
    """The participant list as this host contact may see it, read when the email leaves:
    a youth who withdrew consent meanwhile is "Participant·e 3" with no mission locale
    (`youth_as_seen_by`, the rule of the roster page)."""
    participants = []
    for number, enrolment in enumerate(enrolments, start=1):
        if not enrolment.youth_id:
            participants.append({"label": str(enrolment.participant), "organisation": ""})
            continue
        seen = youth_as_seen_by(
            contact, enrolment.youth, placeholder=participant_placeholder(number)
        )
        participants.append(
            {
                "label": seen.label,
                "organisation": "" if seen.is_hidden else str(enrolment.youth.mission_locale),
            }
        )
    return participants


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_promotion(self, enrolment_id: int) -> dict:
    """Tell the advisor that their youth (or they themselves) left the waiting list."""
    enrolment = (
        Enrolment.objects.select_related(
            "session", "session__host", "youth__advisor", "participant"
        )
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not enrolment.is_confirmed or enrolment.session.is_cancelled:
        return {"sent": 0}
    sent = _send_once(
        self,
        kind="promotion",
        key=str(enrolment.pk),
        user=enrolment.advisor,
        template="immersion/email/promoted",
        context={
            "enrolment": enrolment,
            "session": enrolment.session,
            "url": _session_url(enrolment.session),
        },
    )
    return {"sent": sent}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_session_cancelled(self, session_id: int) -> dict:
    """Tell every advisor concerned (youths enrolled or waiting, advisors enrolled) that
    the session is cancelled, once each, with their people listed."""
    session = Session.objects.select_related("host").filter(pk=session_id).first()
    if session is None or not session.is_cancelled:
        return {"sent": 0}
    enrolments = session.enrolments.active().select_related("youth__advisor", "participant")
    sent = 0
    for advisor, people in _people_by_advisor(enrolments).items():
        sent += _send_once(
            self,
            kind="cancelled",
            key=str(session.pk),
            user=advisor,
            template="immersion/email/session_cancelled",
            context={"session": session, "people": people, "url": _session_url(session)},
        )
    return {"sent": sent}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_session_reminders(self, session_id: int) -> dict:
    """Two days before: each advisor gets the list of their people enrolled, confirmed
    and still waiting (with their rank: a seat may free up), and the host the
    participant list (first name, initial and mission locale of the consenting youths,
    "Participant·e 3" for the others: `_participants_for`) and how many wait."""
    session = Session.objects.select_related("host", "created_by").filter(pk=session_id).first()
    if session is None or not session.is_enrolling:
        return {"sent": 0}
    people = ("youth__advisor", "youth__mission_locale", "participant")
    confirmed = list(session.enrolments.confirmed().select_related(*people).order_by("pk"))
    # Ranked in the order promotion takes them, so the rank emailed is the one that counts.
    waiting = list(session.enrolments.waiting_in_order().select_related(*people))
    if not confirmed and not waiting:
        return {"sent": 0}
    for rank, enrolment in enumerate(waiting, start=1):
        enrolment.rank = rank
    url = _session_url(session)
    sent = 0
    confirmed_by_advisor = _people_by_advisor(confirmed)
    waiting_by_advisor = _people_by_advisor(waiting)
    for advisor in sorted({*confirmed_by_advisor, *waiting_by_advisor}, key=lambda u: u.pk):
        sent += _send_once(
            self,
            kind="reminder_advisor",
            key=str(session.pk),
            user=advisor,
            template="immersion/email/reminder_advisor",
            context={
                "session": session,
                "people": confirmed_by_advisor.get(advisor, []),
                "waiting": waiting_by_advisor.get(advisor, []),
                "url": url,
            },
        )
    for contact in _host_contacts(session):
        sent += _send_once(
            self,
            kind="reminder_host",
            key=str(session.pk),
            user=contact,
            template="immersion/email/reminder_host",
            context={
                "session": session,
                "participants": _participants_for(contact, confirmed),
                "waiting_count": len(waiting),
                "url": url,
            },
        )
    return {"sent": sent}


@shared_task
def remind_upcoming_sessions(today: str | None = None) -> dict:
    """Daily: queue the reminders of the sessions starting in two days. Safe to run twice
    (each reminder is keyed on its session and recipient)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    target = day + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    ids = list(
        Session.objects.open_for_enrolment()
        .filter(starts_at__date=target)
        .values_list("pk", flat=True)
    )
    for session_id in ids:
        send_session_reminders.delay(session_id)
    return {"sessions": len(ids)}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_pool_request(self, pool_request_id: int) -> dict:
    """Tell the youth's advisor that a recruiter asks them to propose the youth."""
    pool_request = (
        PoolRequest.objects.select_related(
            "youth__advisor", "company", "recruiter", "offer__job_role", "offer__company"
        )
        .filter(pk=pool_request_id)
        .first()
    )
    if pool_request is None or not pool_request.is_pending:
        return {"sent": 0}
    sent = _send_once(
        self,
        kind="pool_request",
        key=str(pool_request.pk),
        user=pool_request.youth.advisor,
        template="immersion/email/pool_request",
        context={
            "pool_request": pool_request,
            "url": absolute_url(reverse("immersion:pool_requests")),
        },
    )
    return {"sent": sent}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_pool_answer(self, pool_request_id: int) -> dict:
    """Tell the recruiter the advisor's answer, naming the youth only as the recruiter
    may see them when the email leaves ("Profil retiré" after a consent withdrawal)."""
    pool_request = (
        PoolRequest.objects.select_related(
            "youth", "company", "recruiter", "answered_by", "offer__job_role", "offer__company"
        )
        .filter(pk=pool_request_id)
        .first()
    )
    if pool_request is None or pool_request.is_pending:
        return {"sent": 0}
    sent = _send_once(
        self,
        kind="pool_answer",
        key=str(pool_request.pk),
        user=pool_request.recruiter,
        template="immersion/email/pool_answer",
        context={
            "pool_request": pool_request,
            "youth_label": pool_request_youth_label(pool_request.recruiter, pool_request),
            "url": absolute_url(reverse("immersion:pool_requests")),
        },
    )
    return {"sent": sent}
