"""The emails of the immersion app: who hears about a session, an enrolment or a pool
request, and what each email says, built when it leaves (see `accounts.mail`). Keys are
the enrolment's, the session's or the pool request's id."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.mail import Email, absolute_url, email_kind, email_to_recipient
from accounts.models import User
from candidates.sharing import youth_as_seen_by

from .models import HOSTING_ROLES, Enrolment, PoolRequest, Session
from .sharing import participant_placeholder, pool_request_youth_label

PROMOTION = "immersion.promotion"
CANCELLED = "immersion.cancelled"
REMINDER_ADVISOR = "immersion.reminder_advisor"
REMINDER_HOST = "immersion.reminder_host"
POOL_REQUEST = "immersion.pool_request"
POOL_ANSWER = "immersion.pool_answer"

_PEOPLE = ("youth__advisor", "youth__mission_locale", "participant")


def session_url(session: Session) -> str:
    return absolute_url(reverse("immersion:session_detail", args=[session.pk]))


def people_by_advisor(enrolments) -> dict[User, list[Enrolment]]:
    """Group enrolments by the advisor who hears about them (the youth's advisor, or
    the advisor enrolled themselves)."""
    grouped: dict[User, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        advisor = enrolment.advisor
        if advisor is not None:
            grouped[advisor].append(enrolment)
    return grouped


def host_contacts(session: Session) -> list[User]:
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


def reminder_lists(session: Session) -> tuple[list[Enrolment], list[Enrolment]]:
    """The confirmed enrolments, and the waiting ones ranked in the order promotion
    takes them (`rank`), so the rank emailed is the one that counts."""
    confirmed = list(session.enrolments.confirmed().select_related(*_PEOPLE).order_by("pk"))
    waiting = list(session.enrolments.waiting_in_order().select_related(*_PEOPLE))
    for rank, enrolment in enumerate(waiting, start=1):
        enrolment.rank = rank
    return confirmed, waiting


@email_kind(PROMOTION, _("Inscription confirmée depuis la liste d'attente"))
def promotion_email(email) -> Email | None:
    """Tell the advisor that their youth (or they themselves) left the waiting list."""
    enrolment = (
        Enrolment.objects.select_related(
            "session", "session__host", "youth__advisor", "participant"
        )
        .filter(pk=email.key)
        .first()
    )
    if enrolment is None or not enrolment.is_confirmed or enrolment.session.is_cancelled:
        return None
    if enrolment.advisor != email.recipient:
        return None
    return email_to_recipient(
        email,
        template="immersion/email/promoted",
        context={
            "enrolment": enrolment,
            "session": enrolment.session,
            "url": session_url(enrolment.session),
        },
    )


@email_kind(CANCELLED, _("Session annulée"))
def session_cancelled_email(email) -> Email | None:
    """Tell an advisor the session is cancelled, with their people listed."""
    session = Session.objects.select_related("host").filter(pk=email.key).first()
    if session is None or not session.is_cancelled:
        return None
    enrolments = session.enrolments.active().select_related("youth__advisor", "participant")
    people = people_by_advisor(enrolments).get(email.recipient)
    if not people:
        return None
    return email_to_recipient(
        email,
        template="immersion/email/session_cancelled",
        context={"session": session, "people": people, "url": session_url(session)},
    )


@email_kind(REMINDER_ADVISOR, _("Rappel de session (conseiller)"))
def reminder_advisor_email(email) -> Email | None:
    """Two days before: an advisor's people enrolled, confirmed and still waiting (with
    their rank: a seat may free up)."""
    session = Session.objects.select_related("host").filter(pk=email.key).first()
    if session is None or not session.is_enrolling:
        return None
    confirmed, waiting = reminder_lists(session)
    people = people_by_advisor(confirmed).get(email.recipient, [])
    still_waiting = people_by_advisor(waiting).get(email.recipient, [])
    if not people and not still_waiting:
        return None
    return email_to_recipient(
        email,
        template="immersion/email/reminder_advisor",
        context={
            "session": session,
            "people": people,
            "waiting": still_waiting,
            "url": session_url(session),
        },
    )


@email_kind(REMINDER_HOST, _("Rappel de session (accueil)"))
def reminder_host_email(email) -> Email | None:
    """Two days before: the host gets the participant list and how many wait; only a
    contact of the host today receives it. Each youth appears as this contact may see
    them when the email leaves (`participants_for`): the shared label and mission locale
    of a consenting youth, "Participant·e 3" for the others."""
    session = Session.objects.select_related("host", "created_by").filter(pk=email.key).first()
    if session is None or not session.is_enrolling:
        return None
    if email.recipient not in host_contacts(session):
        return None
    confirmed, waiting = reminder_lists(session)
    if not confirmed and not waiting:
        return None
    return email_to_recipient(
        email,
        template="immersion/email/reminder_host",
        context={
            "session": session,
            "participants": participants_for(email.recipient, confirmed),
            "waiting_count": len(waiting),
            "url": session_url(session),
        },
    )


def participants_for(contact: User, enrolments) -> list[dict]:
    """The participant list as this host contact may see it (`youth_as_seen_by`, the
    rule of the roster page)."""
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


def _pool_request(email, *related: str) -> PoolRequest | None:
    return (
        PoolRequest.objects.select_related(
            "youth__advisor", "company", "recruiter", "offer__job_role", "offer__company", *related
        )
        .filter(pk=email.key)
        .first()
    )


@email_kind(POOL_REQUEST, _("Demande d'un recruteur sur le vivier"))
def pool_request_email(email) -> Email | None:
    """Tell the youth's advisor that a recruiter asks them to propose the youth."""
    pool_request = _pool_request(email)
    if pool_request is None or not pool_request.is_pending:
        return None
    if pool_request.youth.advisor_id != email.recipient_id:
        return None
    return email_to_recipient(
        email,
        template="immersion/email/pool_request",
        context={
            "pool_request": pool_request,
            "url": absolute_url(reverse("immersion:pool_requests")),
        },
    )


@email_kind(POOL_ANSWER, _("Réponse à une demande sur le vivier"))
def pool_answer_email(email) -> Email | None:
    """Tell the recruiter the advisor's answer, naming the youth only as the recruiter
    may see them when the email leaves ("Profil retiré" after a consent withdrawal)."""
    pool_request = _pool_request(email, "answered_by")
    if pool_request is None or pool_request.is_pending:
        return None
    if pool_request.recruiter_id != email.recipient_id:
        return None
    return email_to_recipient(
        email,
        template="immersion/email/pool_answer",
        context={
            "pool_request": pool_request,
            "youth_label": pool_request_youth_label(pool_request.recruiter, pool_request),
            "url": absolute_url(reverse("immersion:pool_requests")),
        },
    )
