"""Every email the portal sends, and the one way it sends them.

Each app says, in its own `emails.py`, which kinds of email it sends and how each is
built (`@email_kind`); its tasks say who receives one (`queue_emails`). Every email is
then one `OutgoingEmail` row, sent by the one task `accounts.tasks.send_email` through
`deliver_email`: the row is locked, the message built from the data of that moment,
sent within EMAIL_TIMEOUT, and the row marked sent. A refusal is sorted: a 5xx answer is
the server's final word (failed at once, listed for admins), anything else is retried
with a growing delay, then failed. Messages are rendered in the recipient's language
(French by default).
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .enums import EmailStatus

if TYPE_CHECKING:
    from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link usable from an email: SITE_URL plus the path."""
    return f"{settings.SITE_URL}{path}"


def send_templated_mail(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str = "fr",
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> int:
    """Render `<template>_subject.txt`, `<template>.txt` (plain text, not escaped: the
    "text" template engine) and the HTML part (`render_email_html`: the one layout of
    every email), in `language`, and send them as one message. The SMTP connection
    gives up after EMAIL_TIMEOUT seconds of silence (Django's SMTP backend reads it), so
    a relay that never answers raises instead of holding the caller forever."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or "fr"):
        subject = " ".join(
            render_to_string(f"{template}_subject.txt", context, using="text").split()
        )
        body = render_to_string(f"{template}.txt", context, using="text")
        html = render_email_html(template, {**context, "subject": subject}, body)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=body, to=to
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()


# The context entries that carry an email's main link, the first one present wins.
CALL_TO_ACTION_KEYS = ("url", "accept_url", "review_url", "login_url", "reset_url")


@dataclass(frozen=True)
class Button:
    label: str
    url: str


def text_to_html_parts(body: str, url: str | None) -> tuple[list[str], Button | None]:
    """The plain text's paragraphs, and its call to action: the line that carries the
    main link ("Voir l'offre : https://...") becomes the button, labelled with what the
    line says before the link; the text keeps it, the HTML shows the button instead."""
    button = None
    paragraphs = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = []
        for line in block.splitlines():
            if url and button is None and url in line:
                label = line.replace(url, "").strip().rstrip(":").strip()
                button = Button(label=label or str(_("Ouvrir dans le portail")), url=url)
                continue
            lines.append(line)
        if any(line.strip() for line in lines):
            paragraphs.append("\n".join(lines).strip())
    if url and button is None:
        button = Button(label=str(_("Ouvrir dans le portail")), url=url)
    return paragraphs, button


def render_email_html(template: str, context: dict, body: str) -> str:
    """The HTML part of an email, in the one layout every email shares
    (`templates/email/layout.html`: the portal's name, the message, one call-to-action
    button, why the recipient gets it). A kind with its own `<template>.html` (the
    digest's tables) extends the layout; the others are their plain text, escaped,
    paragraphs and links kept, the main link as the button."""
    try:
        return render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        pass
    url = next((context[key] for key in CALL_TO_ACTION_KEYS if context.get(key)), None)
    paragraphs, button = text_to_html_parts(body, url)
    return render_to_string(
        "email/layout.html", {**context, "paragraphs": paragraphs, "button": button}
    )


# --- Kinds of email ---------------------------------------------------------------------


@dataclass(frozen=True)
class Email:
    """One message ready to leave, built by its kind's builder when it is sent."""

    to: str
    template: str
    context: dict
    language: str = "fr"
    attachments: tuple[tuple[str, bytes, str], ...] = ()


def email_to_recipient(
    email: OutgoingEmail,
    *,
    template: str,
    context: dict,
    user_as: str = "user",
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> Email:
    """The `Email` of a row addressed to a portal user: to their address, in their own
    language, with the user in the template's context (named `user_as`)."""
    user = email.recipient
    return Email(
        to=user.email,
        template=template,
        context={**context, user_as: user},
        language=user.language,
        attachments=attachments,
    )


Builder = Callable[["OutgoingEmail"], Email | None]


@dataclass(frozen=True)
class EmailKind:
    name: str
    label: str
    build: Builder


_KINDS: dict[str, EmailKind] = {}


def email_kind(name: str, label) -> Callable[[Builder], Builder]:
    """Register the builder of one kind of email, named `<app>.<what>`. The builder
    receives the row and returns the `Email` to send, or None when there is nothing to
    say any more (the object is gone, consent withdrawn, the recipient no longer
    concerned): it runs at each attempt, so it must check what the task checked."""

    def register(build: Builder) -> Builder:
        if name in _KINDS:
            raise ImproperlyConfigured(f"The email kind {name!r} is registered twice.")
        _KINDS[name] = EmailKind(name=name, label=label, build=build)
        return build

    return register


def get_email_kind(name: str) -> EmailKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No builder for the email kind {name!r}: is it registered in an emails.py?"
        ) from None


def kind_label(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name


def registered_kinds() -> list[str]:
    return sorted(_KINDS)


# --- Recording and sending ---------------------------------------------------------------


def record_emails(*, kind: str, key: str, recipient_ids: Iterable[int | None]) -> list[int]:
    """Make the rows of one email: one per recipient user id (None for an email whose
    address is the object's own, such as an invitation). The unique constraints make a
    second run add nothing. Returns the ids of every row of (kind, key) still pending:
    new ones, and older ones whose send was lost or is waiting for a retry."""
    from .models import OutgoingEmail

    get_email_kind(kind)  # a typo in a kind fails here, not in the worker
    OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(kind=kind, key=key, recipient_id=pk) for pk in recipient_ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return list(
        OutgoingEmail.objects.filter(kind=kind, key=key, status=EmailStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# Why the emails recorded in this context are held back (`held`), or "" to send them.
_HELD: ContextVar[str] = ContextVar("emails_held", default="")


@contextmanager
def held(reason: str) -> Iterator[None]:
    """Emails recorded within this block are kept, marked "Sans objet" with `reason`,
    and never sent: the demo seed walks real workflows (invitations, proposals,
    reminders) whose emails must reach nobody. The hold travels with the code that runs
    in this thread, so the caller runs the tasks it triggers in-process too."""
    token = _HELD.set(str(reason))
    try:
        yield
    finally:
        _HELD.reset(token)


def queue_emails(
    *,
    kind: str,
    key: str,
    recipient_ids: Iterable[int | None],
    countdown: float | None = None,
) -> list[int]:
    """Record one email for each recipient and queue the send of each row still pending
    (after `countdown` seconds, for an email that gathers what happens meanwhile; keep
    it under the broker's one-hour visibility timeout). Run twice, it records nothing
    more and nobody receives the email twice (a row sent is never sent again). Called by
    tasks, outside any transaction: the rows are committed before their sends are
    queued."""
    from .models import OutgoingEmail
    from .tasks import send_email

    ids = record_emails(kind=kind, key=key, recipient_ids=recipient_ids)
    if reason := _HELD.get():
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=EmailStatus.SKIPPED, last_error=reason
        )
        return ids
    for email_id in ids:
        send_email.apply_async(args=[email_id], countdown=countdown)
    return ids


_ADDRESS = re.compile(r"[^\s<>()\[\]@,;:\"']+@[^\s<>()\[\]@,;:\"']+")


def smtp_answer(exc: BaseException) -> tuple[int | None, str]:
    """The server's code and words behind a send error; (None, text) when the server
    never answered (refused connection, timeout, dropped connection)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, text = next(iter(exc.recipients.values()))
    elif isinstance(exc, smtplib.SMTPResponseException):
        code, text = exc.smtp_code, exc.smtp_error
    else:
        return None, str(exc)
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return code, str(text)


def is_permanent_refusal(exc: BaseException) -> bool:
    """A 5xx answer (550 unknown mailbox, 554 refused, 553 sender refused...) is final:
    sending the same message again gets the same answer. A 4xx answer, a refused or
    dropped connection and a timeout may pass later."""
    code, _text = smtp_answer(exc)
    return code is not None and 500 <= code <= 599


def describe_refusal(exc: BaseException) -> str:
    """The reason kept on the row for the admins: the error's class, the server's code
    and its words, any address masked (servers often quote the recipient's)."""
    code, text = smtp_answer(exc)
    text = _ADDRESS.sub("<adresse masquée>", " ".join(text.split()))
    head = f"{type(exc).__name__} {code}" if code is not None else type(exc).__name__
    return f"{head}: {text}"[:500] if text else head


def deliver_email(*, email_id: int, final_attempt: bool) -> str:
    """Send one recorded email, once. The row stays locked during the send, so two
    workers never both send it (the second skips it), and the send is bounded by
    EMAIL_TIMEOUT, so a silent relay cannot keep it locked. The message is built now,
    from the data of this moment: when there is nothing to say any more (or the
    recipient's account is closed) the row is "skipped". A permanent refusal (5xx) makes
    the row failed at once; a temporary one counts an attempt and keeps the reason, and
    on the final attempt the row is failed too. Failed rows are listed for the admins,
    who may send them again. Logs carry ids and codes only.
    Returns "sent", "skipped", "retry" or "failed"."""
    from .models import OutgoingEmail

    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("recipient")
            .filter(pk=email_id)
            .first()
        )
        # None: gone, or locked by a worker sending it right now.
        if email is None or email.status != EmailStatus.PENDING:
            return "skipped"
        now = timezone.now()
        email.last_attempt_at = now
        recipient = email.recipient
        message = None
        if recipient is None or recipient.is_active:
            message = get_email_kind(email.kind).build(email)
        if message is None:
            email.status = EmailStatus.SKIPPED
            email.save(update_fields=["status", "last_attempt_at"])
            return "skipped"
        email.attempts += 1
        try:
            send_templated_mail(
                to=[message.to],
                template=message.template,
                context=message.context,
                language=message.language,
                attachments=list(message.attachments),
            )
        except OSError as exc:  # smtplib's errors, refused connections and timeouts
            permanent = is_permanent_refusal(exc)
            code, _text = smtp_answer(exc)
            email.last_error = describe_refusal(exc)
            if permanent or final_attempt:
                email.status = EmailStatus.FAILED
            email.save(update_fields=["status", "attempts", "last_error", "last_attempt_at"])
            logger.warning(
                "email %s (%s, key %s, attempt %s) %s: %s %s",
                email.pk,
                email.kind,
                email.key,
                email.attempts,
                "refused for good"
                if permanent
                else ("failed after its last retry" if final_attempt else "will be retried"),
                type(exc).__name__,
                code or "",
            )
            return "failed" if email.status == EmailStatus.FAILED else "retry"
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "attempts", "last_error", "last_attempt_at", "sent_at"])
    return "sent"
