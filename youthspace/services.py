"""Every write of the youth's space. Each service checks its rule, runs in one
transaction and schedules its emails on commit; the rules that belong to another app
(consent, seats and waiting list) are that app's services, called from here."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from candidates.enums import ConsentMethod, DataRequestKind
from candidates.models import DataSubjectRequest, Youth
from candidates.services import record_sharing_consent, withdraw_sharing_consent
from immersion.models import Enrolment
from immersion.services import cancel_enrolment

from . import permissions
from .enums import Answer, AnswerChannel
from .identity import can_sign_in
from .models import NEXT_STEP_MAX_LENGTH, AnswerLink, SessionAnswer, YouthSpace

logger = logging.getLogger(__name__)

#: A visit is written at most this often (one UPDATE, not one per page).
VISIT_RESOLUTION = timedelta(minutes=10)


# --- The one way a youth is told something ----------------------------------------------


def send_to_youth(*, kind: str, key: str, space: YouthSpace) -> list[int]:
    """Send the youth one message of `kind`, keyed on `key` (sent once per key). Today
    by email, through the portal's one sending path (`accounts.mail.queue_emails`: the
    row is made first, the message built when it leaves); an SMS channel would be
    chosen here, from the youth's preference, without touching the callers. Call it
    outside a transaction (on commit)."""
    from accounts.mail import queue_emails

    if space.user_id is None:
        return []
    return queue_emails(kind=kind, key=key, recipient_ids=[space.user_id])


def _send_on_commit(*, kind: str, key: str, space_pk: int) -> None:
    from .tasks import send_youth_message

    send_youth_message.delay_on_commit(kind, key, space_pk)


# --- Access ---------------------------------------------------------------------------------


@transaction.atomic
def invite_youth(*, actor: User, youth: Youth) -> YouthSpace:
    """The advisor opens the youth's space and sends them a sign-in link by email. The
    youth's account is a portal user of their own, without password and without any
    organisation (so nothing outside their space reaches them), named after the file and
    signed in at the file's address. Inviting again sends a new link (to the file's
    current address). Refused when the address already belongs to someone else's
    account."""
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    if not permissions.can_invite_youth(actor, youth):
        raise PermissionDenied
    email = User.objects.normalize_email(youth.email).lower()
    space = YouthSpace.objects.select_for_update().filter(youth=youth).first()
    if space is None:
        space = YouthSpace(youth=youth)
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None and owner.pk != space.user_id:
        raise ValidationError(
            _(
                "Cette adresse est déjà celle d'un compte du portail : l'espace ne peut pas être ouvert."
            )
        )
    if space.user_id is None:
        user = User(email=email, first_name=youth.first_name, last_name=youth.last_name)
        user.set_unusable_password()
        user.save()
        space.user = user
    else:
        user = space.user
        user.email, user.first_name, user.last_name = email, youth.first_name, youth.last_name
        user.is_active = True
        user.save(update_fields=["email", "first_name", "last_name", "is_active"])
    now = timezone.now()
    space.invited_at, space.invited_by = now, actor
    space.save()
    _send_on_commit(
        kind="youthspace.invitation", key=f"{space.pk}:{int(now.timestamp())}", space_pk=space.pk
    )
    logger.info("youth space %s invited by user %s", space.pk, actor.pk)
    return space


def space_for_sign_in(email: str) -> YouthSpace | None:
    """The space whose youth may sign in at `email` right now, or None."""
    space = (
        YouthSpace.objects.select_related("youth", "user")
        .filter(user__email__iexact=email.strip(), user__is_active=True)
        .first()
    )
    if space is None or not can_sign_in(space.youth):
        return None
    return space


def request_sign_in_link(*, email: str) -> None:
    """Send a sign-in link to `email` if it is a youth's who may sign in; otherwise do
    nothing. The caller answers the same either way (nobody learns whether an address
    has a space) and limits the requests per address and per client beforehand."""
    space = space_for_sign_in(email)
    if space is None:
        return
    key = f"{space.pk}:{timezone.now().timestamp():.6f}"
    _send_on_commit(kind="youthspace.sign_in_link", key=key, space_pk=space.pk)


def record_visit(*, space: YouthSpace) -> None:
    """The youth opened a page of their space: the first visit activates it; the last
    visit is written at most every 10 minutes."""
    now = timezone.now()
    updates = {}
    if space.activated_at is None:
        updates["activated_at"] = now
    if space.last_visit_at is None or now - space.last_visit_at >= VISIT_RESOLUTION:
        updates["last_visit_at"] = now
    if updates:
        YouthSpace.objects.filter(pk=space.pk).update(**updates)
        for name, value in updates.items():
            setattr(space, name, value)


# --- The advisor's next step --------------------------------------------------------------


@transaction.atomic
def set_next_step(*, actor: User, youth: Youth, text: str) -> YouthSpace:
    """The advisor writes the next step agreed with the youth (a short plain text,
    shown on the youth's "Mon parcours"). Made even before the youth is invited."""
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    if not permissions.can_write_next_step(actor, youth):
        raise PermissionDenied
    text = text.strip()
    if len(text) > NEXT_STEP_MAX_LENGTH:
        raise ValidationError(
            {"next_step": _("Au plus %(limit)d caractères.") % {"limit": NEXT_STEP_MAX_LENGTH}}
        )
    space, _created = YouthSpace.objects.get_or_create(youth=youth)
    space.next_step = text
    space.next_step_updated_at = timezone.now()
    space.next_step_by = actor
    space.save(update_fields=["next_step", "next_step_updated_at", "next_step_by"])
    return space


# --- Sessions -------------------------------------------------------------------------------


@transaction.atomic
def answer_session(
    *, space: YouthSpace, enrolment: Enrolment, answer: str, channel: str = AnswerChannel.SPACE
) -> SessionAnswer:
    """The youth says they will come, or that they cannot. "Je ne pourrai pas venir"
    frees their seat at once through `immersion.services.cancel_enrolment` (the same
    session lock as advisors' cancellations, the waiting list promoted in order, the
    promoted youths' advisors told) and tells the youth's advisor on commit. The answer
    is kept (the advisor's page shows it; the home counts them)."""
    if answer not in Answer.values or channel not in AnswerChannel.values:
        raise ValidationError(_("Réponse inconnue."))
    enrolment = Enrolment.objects.select_related("session").get(pk=enrolment.pk)
    if not permissions.can_answer_enrolment(space, enrolment):
        raise ValidationError(_("Cette inscription ne peut plus recevoir de réponse."))
    record = SessionAnswer.objects.create(enrolment=enrolment, answer=answer, channel=channel)
    if answer == Answer.NOT_COMING:
        cancel_enrolment(
            actor=space.user,
            enrolment=enrolment,
            reason=str(_("Le jeune a indiqué ne pas pouvoir venir (espace jeune).")),
        )
        _send_on_commit(kind="youthspace.not_coming", key=str(record.pk), space_pk=space.pk)
    return record


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_answer_links(*, enrolment: Enrolment) -> dict[str, str]:
    """Two fresh single-use tokens for a reminder ({answer: token}), valid until the
    session starts. Made when the reminder leaves: only their digests are kept."""
    tokens = {}
    for answer in Answer.values:
        token = secrets.token_urlsafe(32)
        AnswerLink.objects.create(
            enrolment=enrolment,
            answer=answer,
            digest=_digest(token),
            expires_at=enrolment.session.starts_at,
        )
        tokens[answer] = token
    return tokens


def find_answer_link(token: str) -> AnswerLink | None:
    """The unused, unexpired link of `token`, or None."""
    return (
        AnswerLink.objects.select_related("enrolment__session", "enrolment__youth")
        .filter(digest=_digest(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def use_answer_link(*, token: str) -> SessionAnswer:
    """A reminder's link records its one answer and nothing else (no sign-in), once:
    every link of the enrolment is spent with it, so the other button of the same
    email no longer answers either."""
    link = (
        AnswerLink.objects.select_for_update()
        .filter(digest=_digest(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None:
        raise ValidationError(_("Ce lien a déjà servi ou n'est plus valable."))
    space = (
        YouthSpace.objects.select_related("youth", "user")
        .filter(youth_id=link.enrolment.youth_id)
        .first()
    )
    if not permissions.can_use_space(space):
        raise ValidationError(_("Ce lien a déjà servi ou n'est plus valable."))
    AnswerLink.objects.filter(enrolment_id=link.enrolment_id, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return answer_session(
        space=space, enrolment=link.enrolment, answer=link.answer, channel=AnswerChannel.EMAIL_LINK
    )


# --- Consent ----------------------------------------------------------------------------------


def give_consent(*, space: YouthSpace) -> Youth:
    """The youth agrees, in their space, that companies see their shared profile: the
    candidate pool's own service, as given by the youth themself (`ConsentMethod.
    YOUTH_SPACE`, no actor), with the information notice in force."""
    return record_sharing_consent(youth=space.youth, actor=None, method=ConsentMethod.YOUTH_SPACE)


def withdraw_consent(*, space: YouthSpace):
    """The youth withdraws consent in their space: at once, companies see nothing of them
    and their open proposals are withdrawn (the candidate pool's service)."""
    return withdraw_sharing_consent(youth=space.youth, actor=None, method=ConsentMethod.YOUTH_SPACE)


def record_own_export(*, space: YouthSpace) -> DataSubjectRequest:
    """The youth downloaded their own data from their space: kept with the other
    exports of the file (who, when), the youth's own account as the one who did it.
    Written here rather than by `candidates.services.log_data_request`, whose rule is
    the staff's (`can_export_youth_data`: the youth's mission locale)."""
    return DataSubjectRequest.objects.create(
        youth_id=space.youth_id,
        actor=space.user,
        kind=DataRequestKind.EXPORT_JSON,
        reason=str(_("Téléchargé par le jeune dans son espace")),
    )
