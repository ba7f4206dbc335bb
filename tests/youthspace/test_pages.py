"""The youth's pages: what each shows, in a fixed number of queries; "Je ne pourrai pas
venir" frees the seat for the waiting list; the consent given and withdrawn at once;
proposals in plain words without the company's notes; the advisor's side."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from candidates.enums import ConsentAction, ConsentMethod
from immersion import services as immersion_services
from immersion.enums import EnrolmentStatus
from offers.enums import ProposalStatus
from offers.services import decline_proposal
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory
from tests.immersion.factories import SessionFactory
from tests.offers.factories import OfferFactory, ProposalFactory, invite
from tests.payloads import ALL, SCRIPT, STORABLE
from youthspace.enums import Answer
from youthspace.models import SessionAnswer

from .factories import open_space

pytestmark = pytest.mark.django_db

PAGES = ("home", "sessions", "proposals", "advisor", "data")


def _signed_in(client, space):
    client.force_login(space.user)
    return space


def _enrol(space, session=None, **session_fields):
    region = space.youth.mission_locale.region
    session = session or SessionFactory(host__region=region, **session_fields)
    immersion_services.enrol_youths(
        actor=space.youth.advisor, session=session, youths=[space.youth]
    )
    return session.enrolments.get(youth=space.youth)


def _fill(space, n):
    """n sessions and n proposals for the youth."""
    for _ in range(n):
        _enrol(space)
        ProposalFactory(youth=space.youth, proposed_by=space.youth.advisor)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_each_page_reads_a_fixed_number_of_queries(client, name):
    space = _signed_in(client, open_space())
    _fill(space, 1)
    url = reverse(f"youthspace:{name}")
    client.get(url)  # the first visit writes the activation
    few = _queries(client, url)
    _fill(space, 6)
    assert _queries(client, url) == few


def test_two_youths_of_the_same_mission_locale_see_only_their_own(client):
    space = open_space(last_name="Premier")
    other = open_space(YouthFactory(mission_locale=space.youth.mission_locale, last_name="Second"))
    _enrol(space, title="Atelier du premier")
    _enrol(other, title="Atelier du second")
    ProposalFactory(youth=other.youth, proposed_by=other.youth.advisor)
    _signed_in(client, space)
    for name in PAGES:
        body = client.get(reverse(f"youthspace:{name}")).content.decode()
        assert "Second" not in body and "Atelier du second" not in body
    other_enrolment = other.youth.enrolments.get()
    assert (
        client.get(reverse("youthspace:session_ics", args=[other_enrolment.pk])).status_code == 404
    )
    response = client.post(
        reverse("youthspace:session_answer", args=[other_enrolment.pk]), {"answer": "not_coming"}
    )
    assert response.status_code == 404
    other_enrolment.refresh_from_db()
    assert other_enrolment.status == EnrolmentStatus.CONFIRMED
    download = json.loads(client.get(reverse("youthspace:data_download")).content)
    assert "Second" not in json.dumps(download)


def test_a_youth_reaches_no_staff_page(client):
    space = _signed_in(client, open_space())
    assert client.get(reverse("home"))["Location"] == reverse("youthspace:home")
    for url in (
        reverse("candidates:youth_detail", args=[space.youth.pk]),
        reverse("candidates:youth_list"),
        reverse("accounts:profile"),
        reverse("youthspace:answers"),
        reverse("youthspace:next_step", args=[space.youth.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_i_will_be_there_is_recorded_for_the_advisor(client, django_capture_on_commit_callbacks):
    space = _signed_in(client, open_space())
    enrolment = _enrol(space)
    client.post(reverse("youthspace:session_answer", args=[enrolment.pk]), {"answer": "coming"})
    answer = SessionAnswer.objects.get()
    assert answer.answer == Answer.COMING
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    client.force_login(space.youth.advisor)
    page = client.get(reverse("candidates:youth_detail", args=[space.youth.pk])).content.decode()
    assert "Sera là" in page
    home = client.get(reverse("home")).content.decode()
    assert "1 réponse de jeune depuis hier" in home
    listed = client.get(reverse("youthspace:answers")).content.decode()
    assert str(space.youth) in listed


def test_i_cannot_come_frees_the_seat_promotes_the_waiting_list_and_tells_the_advisor(
    client, send_now
):
    space = _signed_in(client, open_space())
    session = SessionFactory(capacity=1, host__region=space.youth.mission_locale.region)
    enrolment = _enrol(space, session)
    waiting_youth = YouthFactory(mission_locale=space.youth.mission_locale)
    immersion_services.enrol_youths(
        actor=waiting_youth.advisor, session=session, youths=[waiting_youth]
    )
    waiting = session.enrolments.get(youth=waiting_youth)
    assert waiting.status == EnrolmentStatus.WAITING
    with send_now():
        client.post(
            reverse("youthspace:session_answer", args=[enrolment.pk]), {"answer": "not_coming"}
        )
    enrolment.refresh_from_db()
    waiting.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED
    assert enrolment.cancelled_by == space.user
    assert waiting.status == EnrolmentStatus.CONFIRMED
    advisor_mails = [m for m in mail.outbox if m.to == [space.youth.advisor.email]]
    assert any("ne pourra pas venir" in m.subject for m in advisor_mails)


def test_consent_given_and_withdrawn_in_the_space_is_recorded_as_the_youths(client):
    space = _signed_in(client, open_space())
    youth = space.youth
    client.post(reverse("youthspace:consent"), {"action": "give"})
    youth.refresh_from_db()
    assert youth.has_sharing_consent and youth.consent_recorded_by is None
    proposal = ProposalFactory(youth=youth, proposed_by=youth.advisor)
    client.post(reverse("youthspace:consent"), {"action": "withdraw"})
    youth.refresh_from_db()
    proposal.refresh_from_db()
    assert not youth.has_sharing_consent
    assert proposal.status == ProposalStatus.WITHDRAWN
    steps = list(youth.consent_records.order_by("at", "pk").values_list("action", "method"))
    assert steps[-2:] == [
        (ConsentAction.GIVEN, ConsentMethod.YOUTH_SPACE),
        (ConsentAction.WITHDRAWN, ConsentMethod.YOUTH_SPACE),
    ]
    client.force_login(youth.advisor)
    page = client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode()
    assert "Consentement modifié par le jeune" in page


def test_proposals_in_plain_words_without_the_company_notes(client):
    space = _signed_in(client, open_space(consented=True))
    youth = space.youth
    offer = OfferFactory(published=True, company__region=youth.mission_locale.region)
    recruiter = make_member(Role.RECRUITER, organisation=offer.company)
    ProposalFactory(youth=youth, offer=offer, note="Note interne du conseiller")
    interview = ProposalFactory(
        youth=youth, offer=OfferFactory(published=True, company=offer.company)
    )
    invite(interview, recruiter, note="Message interne de l'entreprise", place="5 quai du Port")
    declined = ProposalFactory(
        youth=youth, offer=OfferFactory(published=True, company=offer.company)
    )
    decline_proposal(
        proposal=declined,
        actor=recruiter,
        decline_reason="profile_mismatch",
        note="Raison interne secrète",
    )
    body = client.get(reverse("youthspace:proposals")).content.decode()
    assert "Proposée à l&#x27;entreprise" in body or "Proposée à l'entreprise" in body
    assert "Entretien prévu le" in body and "5 quai du Port" in body
    assert "Non retenue" in body
    for internal in ("Note interne", "Message interne", "Raison interne secrète"):
        assert internal not in body


@pytest.mark.parametrize("payload", ALL, ids=str)
def test_hostile_next_step_is_refused_or_shown_escaped(client, payload):
    space = open_space()
    client.force_login(space.youth.advisor)
    response = client.post(
        reverse("youthspace:next_step", args=[space.youth.pk]), {"next_step": payload.text}
    )
    assert response.status_code in (200, 302)
    space.refresh_from_db()
    if payload in STORABLE:
        assert response.status_code == 302
        assert space.next_step == payload.text.strip()
    _signed_in(client, space)
    body = client.get(reverse("youthspace:home")).content.decode()
    assert SCRIPT.text not in body


def test_the_advisors_answers_list_reads_a_fixed_number_of_queries(client):
    space = open_space()
    advisor = space.youth.advisor
    _enrol(space)
    client.force_login(advisor)
    url = reverse("youthspace:answers")

    def answer_all():
        for enrolment in space.youth.enrolments.all():
            SessionAnswer.objects.create(enrolment=enrolment, answer="coming", channel="space")

    answer_all()
    few = _queries(client, url)
    for _ in range(5):
        _enrol(space)
    answer_all()
    assert _queries(client, url) == few
    assert client.get(url).content.decode().count(str(space.youth)) == 1 + 6


def test_signing_out_leads_back_to_the_link_page(client):
    _signed_in(client, open_space())
    response = client.post(reverse("account_logout"), {"next": reverse("youthspace:request_link")})
    assert response["Location"] == reverse("youthspace:request_link")
    assert client.get(reverse("youthspace:home"))["Location"].startswith(reverse("account_login"))
