"""Emails to users, rendered in the recipient's language (French by default)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


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
    """Render `<template>_subject.txt`, `<template>.txt` and, when it exists,
    `<template>.html`, in `language`, and send them as one message."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or "fr"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=body, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()
