"""Emails to the youth: the session reminder two days before with its single-use answer
links (which do nothing else), and the interview set by the company."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from immersion import services as immersion_services
from immersion.enums import EnrolmentStatus
from immersion.tasks import remind_upcoming_sessions
from tests.accounts.factories import make_member
from tests.immersion.factories import SessionFactory, _in_days
from tests.offers.factories import OfferFactory, ProposalFactory, invite
from youthspace.enums import Answer, AnswerChannel
from youthspace.models import AnswerLink, SessionAnswer

from .factories import open_space

pytestmark = pytest.mark.django_db

ANSWER_LINK = re.compile(r"https?://\S+?(/espace/reponse/lien/\?t=[\w\-]+)")


def _reminded(send_now):
    space = open_space()
    session = SessionFactory(
        host__region=space.youth.mission_locale.region, starts_at=_in_days(2), capacity=5
    )
    immersion_services.enrol_youths(
        actor=space.youth.advisor, session=session, youths=[space.youth]
    )
    with send_now():
        remind_upcoming_sessions()
    to_youth = [m for m in mail.outbox if m.to == [space.youth.email]]
    assert len(to_youth) == 1
    coming, not_coming = ANSWER_LINK.findall(to_youth[0].body)
    return space, session.enrolments.get(youth=space.youth), coming, not_coming


def test_the_reminder_carries_two_single_use_links(client, send_now):
    space, enrolment, coming, not_coming = _reminded(send_now)
    assert AnswerLink.objects.filter(enrolment=enrolment).count() == 2
    # Opening the link (a mail scanner would) records nothing; the token leaves the
    # address at once.
    opened = client.get(coming)
    assert opened["Location"] == reverse("youthspace:answer_confirm")
    assert opened["Referrer-Policy"] == "no-referrer"
    assert client.get(opened["Location"]).status_code == 200
    assert not SessionAnswer.objects.exists()
    done = client.post(reverse("youthspace:answer_confirm"))
    assert done.status_code == 200
    answer = SessionAnswer.objects.get()
    assert (answer.answer, answer.channel) == (Answer.COMING, AnswerChannel.EMAIL_LINK)
    # It signed nobody in, and neither link of the email works again.
    assert "_auth_user_id" not in client.session
    for link in (coming, not_coming):
        client.get(link)
        client.post(reverse("youthspace:answer_confirm"))
        page = client.get(reverse("youthspace:answer_confirm")).content.decode()
        assert "n'est plus valable" in page.replace("&#x27;", "'")
    assert SessionAnswer.objects.count() == 1


def test_the_not_coming_link_frees_the_seat(client, send_now):
    space, enrolment, _coming, not_coming = _reminded(send_now)
    client.get(not_coming)
    with send_now():
        client.post(reverse("youthspace:answer_confirm"))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED
    assert any(
        m.to == [space.youth.advisor.email] and "ne pourra pas venir" in m.subject
        for m in mail.outbox
    )


def test_the_reminder_is_sent_once(send_now):
    _space, _enrolment, _c, _n = _reminded(send_now)
    before = len(mail.outbox)
    with send_now():
        remind_upcoming_sessions()
    assert len(mail.outbox) == before


def test_an_interview_is_told_to_the_youth(send_now):
    space = open_space(consented=True)
    youth = space.youth
    offer = OfferFactory(published=True, company__region=youth.mission_locale.region)
    recruiter = make_member(Role.RECRUITER, organisation=offer.company)
    proposal = ProposalFactory(youth=youth, offer=offer)
    with send_now():
        invite(proposal, recruiter, place="5 quai du Port", note="Note interne")
    to_youth = [m for m in mail.outbox if m.to == [youth.email]]
    assert len(to_youth) == 1
    assert offer.company.name in to_youth[0].subject
    assert "5 quai du Port" in to_youth[0].body
    assert "Note interne" not in to_youth[0].body
    assert reverse("youthspace:proposals") in to_youth[0].body
