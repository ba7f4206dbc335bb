"""Youths with their space opened, as the advisor's invitation opens it."""

from __future__ import annotations

import re

from django.core import mail

from candidates.models import Youth
from tests.candidates.factories import YouthFactory
from youthspace import services
from youthspace.models import YouthSpace


def open_space(youth: Youth | None = None, **youth_fields) -> YouthSpace:
    """A youth (made when not given) invited by their advisor: their space and account
    exist; no email is sent (the on-commit send is not run)."""
    youth = youth or YouthFactory(**youth_fields)
    return services.invite_youth(actor=youth.advisor, youth=youth)


LINK = re.compile(r"https?://\S+/espace/connexion/lien/\?t=[\w\-:.]+")


def link_in(message) -> str:
    """The sign-in link of an email (its plain text)."""
    return LINK.search(message.body).group(0)


def last_link() -> str:
    return link_in(mail.outbox[-1])


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])
