"""The emails of the youth's space, built when they leave (`accounts.mail`): what the
youth receives (invitation, sign-in link, session reminder with its answer links, an
interview) and what the advisor hears when a youth cannot come.

The sign-in links and the answer links are made here, at the send: no token is ever
stored in clear, logged, or kept on the email's row."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from sesame.utils import get_query_string

from accounts.mail import Email, absolute_url, email_kind, email_to_recipient
from offers.enums import ProposalStatus
from offers.models import Proposal

from . import services
from .enums import Answer
from .models import SessionAnswer, YouthSpace
from .permissions import can_answer_enrolment, can_use_space

INVITATION = "youthspace.invitation"
SIGN_IN_LINK = "youthspace.sign_in_link"
SESSION_REMINDER = "youthspace.session_reminder"
NOT_COMING = "youthspace.not_coming"
INTERVIEW = "youthspace.interview"


def sign_in_url(user) -> str:
    """A one-time sign-in link (django-sesame: 15 minutes, once; SESAME_* settings)."""
    return absolute_url(reverse("youthspace:sign_in") + get_query_string(user))


def _answer_url(token: str) -> str:
    return absolute_url(f"{reverse('youthspace:answer_link')}?{urlencode({'t': token})}")


def _usable_space(email) -> YouthSpace | None:
    space = (
        YouthSpace.objects.select_related("youth__advisor", "youth__mission_locale", "user")
        .filter(user_id=email.recipient_id)
        .first()
    )
    return space if can_use_space(space) else None


def _to_youth(email, space, *, template: str, context: dict) -> Email:
    return email_to_recipient(
        email,
        template=f"youthspace/email/{template}",
        context={"youth": space.youth, "advisor": space.youth.advisor, **context},
        user_as="recipient",
    )


def _sign_in_context(space) -> dict:
    """A fresh one-time link (15 minutes, once), and the page that sends another."""
    return {
        "url": sign_in_url(space.user),
        "request_url": absolute_url(reverse("youthspace:request_link")),
    }


@email_kind(INVITATION, _("Invitation d'un jeune à son espace"))
def invitation_email(email) -> Email | None:
    """The advisor opened the youth's space: a sign-in link, and where to ask for a new
    one. Nothing leaves once the youth may no longer sign in."""
    space = _usable_space(email)
    if space is None:
        return None
    return _to_youth(email, space, template="invitation", context=_sign_in_context(space))


@email_kind(SIGN_IN_LINK, _("Lien de connexion à l'espace jeune"))
def sign_in_link_email(email) -> Email | None:
    """The link the youth asked for, valid 15 minutes and once."""
    space = _usable_space(email)
    if space is None:
        return None
    return _to_youth(email, space, template="sign_in_link", context=_sign_in_context(space))


@email_kind(SESSION_REMINDER, _("Rappel d'une session au jeune"))
def session_reminder_email(email) -> Email | None:
    """Two days before a session: date, place, and two links that each record one
    answer, once, and do nothing else (no sign-in). Key: the enrolment's id."""
    from immersion.models import Enrolment

    space = _usable_space(email)
    enrolment = Enrolment.objects.select_related("session__host").filter(pk=email.key).first()
    if space is None or enrolment is None or not can_answer_enrolment(space, enrolment):
        return None
    tokens = services.make_answer_links(enrolment=enrolment)
    return _to_youth(
        email,
        space,
        template="session_reminder",
        context={
            "session": enrolment.session,
            "enrolment": enrolment,
            "coming_url": _answer_url(tokens[Answer.COMING]),
            "not_coming_url": _answer_url(tokens[Answer.NOT_COMING]),
            "url": absolute_url(reverse("youthspace:sessions")),
        },
    )


@email_kind(NOT_COMING, _("Un jeune ne pourra pas venir à une session"))
def not_coming_email(email) -> Email | None:
    """To the youth's advisor: the youth said they cannot come; their seat went to the
    waiting list. Key: the answer's id."""
    answer = (
        SessionAnswer.objects.select_related("enrolment__session", "enrolment__youth")
        .filter(pk=email.key)
        .first()
    )
    if answer is None or answer.enrolment.youth.advisor_id != email.recipient_id:
        return None
    youth = answer.enrolment.youth
    return email_to_recipient(
        email,
        template="youthspace/email/not_coming",
        context={
            "youth": youth,
            "session": answer.enrolment.session,
            "answer": answer,
            "url": absolute_url(reverse("candidates:youth_detail", args=[youth.pk])),
        },
        user_as="recipient",
    )


@email_kind(INTERVIEW, _("Entretien annoncé au jeune"))
def interview_email(email) -> Email | None:
    """The company invited the youth to an interview: its date, time and place, in the
    youth's own words. Key: the proposal and the interview's time. Nothing leaves once
    the proposal has moved on."""
    pk, _sep, _stamp = email.key.partition(":")
    space = _usable_space(email)
    proposal = (
        Proposal.objects.select_related("offer__company", "offer__job_role")
        .filter(pk=pk, status=ProposalStatus.INTERVIEW, interview_at__isnull=False)
        .first()
    )
    if space is None or proposal is None or proposal.youth_id != space.youth_id:
        return None
    return _to_youth(
        email,
        space,
        template="interview",
        context={
            "proposal": proposal,
            "offer": proposal.offer,
            "url": absolute_url(reverse("youthspace:proposals")),
        },
    )
