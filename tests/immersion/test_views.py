"""Pages: who sees what (assert_refused for every view), forms that refuse in French and
keep what was typed, htmx fragments, and query counts that do not grow with rows."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.enums import ConsentMethod
from candidates.services import record_sharing_consent
from immersion import feed, services
from immersion.enums import ProgrammeKind
from immersion.feed import FEED_SALT
from immersion.models import CalendarFeedKey, Enrolment, Session
from tests.candidates.factories import YouthFactory
from tests.helpers import assert_refused
from tests.offers.factories import OfferFactory

from .factories import CaeContractFactory, CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"immersion:{name}", args=args)


def test_session_pages_refuse_other_regions_and_show_nothing(client, world):
    session = world.session
    services.enrol_youths(actor=world.advisor, session=session, youths=world.youths[:1])
    enrolment = Enrolment.objects.get()
    secret = ["Immersion plateau Méditel", "Zerbib", "Inès"]
    for user in (world.other_lead, world.other_advisor, world.other_recruiter, world.national):
        for name in ("session_detail", "session_edit", "session_ics"):
            assert_refused(client, user, _url(name, session.pk), must_not_contain=secret)
        for name, args in (
            ("session_action", (session.pk, "cancel")),
            ("enrol_youths", (session.pk,)),
            ("enrol_self", (session.pk,)),
        ):
            assert_refused(client, user, _url(name, *args), method="post", must_not_contain=secret)
        for name in ("enrolment_cancel", "enrolment_attendance"):
            assert_refused(client, user, _url(name, enrolment.pk), method="post")
        client.force_login(user)
        for name in ("session_list", "session_calendar"):
            body = client.get(_url(name)).content.decode()
            assert "Immersion plateau Méditel" not in body
    assert Enrolment.objects.get().is_active
    assert Session.objects.get(pk=session.pk).status == "open"


def test_actions_in_the_region_are_refused_to_the_wrong_role(client, world):
    session = world.session
    services.enrol_youths(actor=world.advisor, session=session, youths=world.youths[:1])
    enrolment = Enrolment.objects.get()
    # An advisor sees the session but does not run it.
    assert_refused(client, world.advisor, _url("session_edit", session.pk))
    assert_refused(
        client, world.advisor, _url("session_action", session.pk, "cancel"), method="post"
    )
    assert_refused(client, world.advisor, _url("enrolment_attendance", enrolment.pk), method="post")
    # The host does not enrol youths, nor itself in a youth session.
    assert_refused(client, world.recruiter, _url("enrol_youths", session.pk), method="post")
    assert_refused(client, world.advisor, _url("enrol_self", session.pk), method="post")
    # Another mission locale's advisor does not cancel my youth's enrolment.
    assert_refused(client, world.advisor_aix, _url("enrolment_cancel", enrolment.pk), method="post")
    # An advisor may not create sessions; a training body does not see a company's session.
    assert_refused(client, world.advisor, _url("session_create"))
    assert_refused(
        client, world.partner, _url("session_detail", session.pk), must_not_contain=["Zerbib"]
    )
    assert Enrolment.objects.get().is_active


def test_the_host_sees_participants_by_their_shared_profile_only(client, world):
    record_sharing_consent(
        youth=world.youths[0], actor=world.advisor, method=ConsentMethod.EMAIL
    )  # Nassim: no consent
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:1])
    services.enrol_youths(actor=world.advisor_aix, session=world.session, youths=world.youths_aix)
    client.force_login(world.recruiter)
    body = client.get(_url("session_detail", world.session.pk)).content.decode()
    assert "Inès Z." in body and "Participant·e 2" in body
    assert "Zerbib" not in body and "Aouadi" not in body and "Nassim" not in body
    client.force_login(world.advisor)
    body = client.get(_url("session_detail", world.session.pk)).content.decode()
    assert "Inès Zerbib" in body  # my youth, by name
    assert "Nassim" not in body  # another mission locale's youth: not even the first name


def test_platform_and_pool_pages_refuse_outsiders(client, world):
    cohort = CohortFactory(region=world.paca)
    shared = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Amira",
        last_name="Belkacem",
    )
    contract = CaeContractFactory(cohort=cohort, youth=shared)
    offer = OfferFactory(company=world.company, published=True)
    pool_request = services.request_pool_proposal(
        recruiter=world.recruiter, youth=shared, offer=offer
    )
    names = ["Belkacem", "Amira"]
    for user in (world.other_lead, world.other_advisor, world.other_recruiter, world.recruiter):
        assert_refused(client, user, _url("cohort_detail", cohort.pk), must_not_contain=names)
        assert_refused(client, user, _url("cohort_size", cohort.pk), method="post")
        assert_refused(client, user, _url("contract_create", cohort.pk), method="post")
        assert_refused(client, user, _url("contract_outcome", contract.pk), method="post")
    assert_refused(client, world.advisor_aix, _url("contract_outcome", contract.pk), method="post")
    assert_refused(client, world.advisor, _url("cohort_size", cohort.pk), method="post")
    assert_refused(client, world.lead, _url("contract_create", cohort.pk), method="post")
    assert_refused(client, world.advisor, _url("cohort_create"))
    for user in (world.other_recruiter, world.advisor, world.lead, world.national):
        assert_refused(client, user, _url("pool_member", shared.pk), must_not_contain=names)
    for user in (world.advisor, world.lead, world.national):
        assert_refused(client, user, _url("pool_list"), must_not_contain=names)
    client.force_login(world.other_recruiter)
    assert "Amira" not in client.get(_url("pool_list")).content.decode()
    assert "Amira" not in client.get(_url("pool_requests")).content.decode()
    assert "Amira" not in client.get(_url("cohort_list")).content.decode()
    assert_refused(
        client,
        world.recruiter,
        _url("pool_request_answer", pool_request.pk, "accept"),
        method="post",
    )
    assert_refused(
        client,
        world.advisor_aix,
        _url("pool_request_answer", pool_request.pk, "accept"),
        method="post",
    )
    assert_refused(client, world.advisor, _url("national_counts"))
    pool_request.refresh_from_db()
    assert pool_request.is_pending


def test_the_recruiter_browses_shared_profiles_and_asks(client, world):
    cohort = CohortFactory(region=world.paca)
    shared = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Amira",
        last_name="Belkacem",
    )
    CaeContractFactory(cohort=cohort, youth=shared)
    offer = OfferFactory(company=world.company, published=True)
    client.force_login(world.recruiter)
    body = client.get(_url("pool_list")).content.decode()
    assert "Amira B." in body and "Belkacem" not in body and shared.email not in body
    response = client.post(_url("pool_member", shared.pk), {"offer": "", "message": "Bonjour"})
    assert "Choisissez l&#x27;offre concernée." in response.content.decode()
    assert "Bonjour" in response.content.decode()
    response = client.post(
        _url("pool_member", shared.pk), {"offer": offer.pk, "message": "Bonjour"}
    )
    assert response.status_code == 302
    client.force_login(world.advisor)
    body = client.get(_url("pool_requests")).content.decode()
    assert "Amira Belkacem" in body and "Je propose ce jeune" in body


def test_national_staff_read_counts_without_names(client, world):
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:1])
    client.force_login(world.national)
    body = client.get(_url("national_counts")).content.decode()
    assert "Provence-Alpes-Côte d&#x27;Azur" in body
    assert "Zerbib" not in body and "Immersion plateau Méditel" not in body


def _session_post(world, **overrides):
    data = {
        "kind": ProgrammeKind.IMMERSION_DAY,
        "title": "Immersion au Prado",
        "host": world.company.pk,
        "place": "1 avenue du Prado",
        "city": "Marseille",
        "start_date": "10/12/2030",
        "start_time": "09:00",
        "end_date": "10/12/2030",
        "end_time": "12:00",
        "capacity": "2",
        "registration_deadline": "05/12/2030",
        "description": "",
        "open_registrations": "on",
    }
    data.update(overrides)
    return data


def test_the_session_form_refuses_in_french_next_to_the_field_and_keeps_the_input(client, world):
    client.force_login(world.lead)
    response = client.post(_url("session_create"), _session_post(world, end_time="08:00"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "La fin de la session doit suivre son début." in body
    assert 'value="Immersion au Prado"' in body and 'value="1 avenue du Prado"' in body
    response = client.post(_url("session_create"), _session_post(world, capacity="0"))
    assert "Une session compte au moins une place." in response.content.decode()
    response = client.post(
        _url("session_create"), _session_post(world, registration_deadline="20/12/2030")
    )
    assert "La date limite d&#x27;inscription ne peut suivre le début" in response.content.decode()
    assert not Session.objects.filter(title="Immersion au Prado").exists()
    response = client.post(_url("session_create"), _session_post(world))
    session = Session.objects.get(title="Immersion au Prado")
    assert response.status_code == 302 and session.is_enrolling
    session_edit = client.post(
        _url("session_edit", session.pk), _session_post(world, capacity="2", title="Nouveau titre")
    )
    assert session_edit.status_code == 302


def test_the_contract_form_refuses_a_contract_longer_than_six_months(client, world):
    cohort = CohortFactory(region=world.paca)
    client.force_login(world.advisor)
    response = client.post(
        _url("contract_create", cohort.pk),
        {
            "youth": world.youths[0].pk,
            "employer": "Association Nord",
            "start_on": "15/01/2026",
            "end_on": "20/07/2026",
            "weekly_hours": "26",
        },
    )
    body = response.content.decode()
    assert "dure au plus 6 mois" in body and 'value="Association Nord"' in body
    assert not cohort.contracts.exists()
    client.force_login(world.lead)
    response = client.post(_url("cohort_size", cohort.pk), {"size": "0"})
    assert "Une promotion compte au moins un contrat." in response.content.decode()


def test_the_list_answers_htmx_with_its_fragment_and_filters(client, world):
    SessionFactory(
        host=world.training,
        kind=ProgrammeKind.TRAINING,
        title="Formation accueil",
        city="Aix-en-Provence",
    )
    client.force_login(world.lead)
    response = client.get(
        _url("session_list"), {"kind": ProgrammeKind.TRAINING}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "Formation accueil" in body and "Immersion plateau Méditel" not in body
    full = client.get(_url("session_list"), {"city": "Aix-en-Provence"}).content.decode()
    assert (
        "<html" in full and "Formation accueil" in full and "Immersion plateau Méditel" not in full
    )
    month = timezone.localdate(world.session.starts_at).strftime("%Y-%m")
    body = client.get(_url("session_list"), {"month": month, "audience": "youths"}).content.decode()
    assert "Immersion plateau Méditel" in body
    body = client.get(_url("session_list"), {"month": "n'importe quoi"}).content.decode()
    assert "Mois attendu au format aaaa-mm." in body
    SessionFactory(host=world.company, past=True, title="Immersion de la semaine dernière")
    upcoming = client.get(_url("session_list")).content.decode()
    assert "Immersion plateau Méditel" in upcoming and "semaine dernière" not in upcoming
    past = client.get(_url("session_list"), {"period": "past"}).content.decode()
    assert "semaine dernière" in past and "Immersion plateau Méditel" not in past


def test_the_calendar_is_a_table_with_headers_and_the_month_sessions(client, world):
    client.force_login(world.advisor)
    starts = timezone.localdate(world.session.starts_at)
    body = client.get(
        _url("session_calendar"), {"annee": starts.year, "mois": starts.month}
    ).content.decode()
    assert '<th scope="col"><abbr title="lundi">lun.</abbr></th>' in body
    assert "Immersion plateau Méditel" in body
    fragment = client.get(
        _url("session_calendar"), {"annee": "abc", "mois": "13"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and "<table" in fragment


def _make_sessions(world, count):
    for i in range(count):
        session = SessionFactory(host=world.company, capacity=3, title=f"Session {i}")
        services.enrol_youths(actor=world.advisor, session=session, youths=world.youths)


@pytest.mark.parametrize("name", ["session_list", "session_calendar"])
def test_query_counts_do_not_grow_with_sessions(client, world, name):
    client.force_login(world.advisor)
    day = timezone.localdate(world.session.starts_at)
    params = {"annee": day.year, "mois": day.month}
    _make_sessions(world, 3)
    client.get(_url(name), params)
    with CaptureQueriesContext(connection) as few:
        response = client.get(_url(name), params)
    assert response.content.decode().count("Session 2<") == 1
    _make_sessions(world, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(name), params)
    assert response.content.decode().count("Session 26<") == 1
    assert len(many) == len(few)


def test_the_session_list_reads_its_page_and_its_count_in_one_statement(client, world, monkeypatch):
    """The rows of a page carry the list's count (`CountedListPaginator`): no count
    apart, and the same pages as the sessions the user sees, in order, to the last."""
    from immersion.views import sessions as views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    client.force_login(world.advisor)
    _make_sessions(world, 9)
    expected = list(
        Session.objects.visible_to(world.advisor)
        .filtered(
            **views.SessionFilterForm({"period": "all"}, cities=[], user=world.advisor).criteria()
        )
        .for_list()
        .values_list("pk", flat=True)
    )
    assert len(expected) >= 10
    client.get(_url("session_list"), {"period": "all"})
    shown = []
    for number in range(1, len(expected) // 4 + 2):
        with CaptureQueriesContext(connection) as sent:
            page = client.get(_url("session_list"), {"period": "all", "page": number}).context[
                "page"
            ]
        assert page.paginator.count == len(expected)
        assert not any(query["sql"].startswith("SELECT COUNT(*)") for query in sent)
        shown += [row[0] for row in page.object_list]
    assert shown == expected
    # Past the end: the last page, counted apart.
    page = client.get(_url("session_list"), {"period": "all", "page": 99}).context["page"]
    assert (
        page.number == page.paginator.num_pages
        and [row[0] for row in page] == expected[(page.number - 1) * 4 :]
    )


def test_the_region_feed_needs_a_valid_token_and_a_region_of_the_owner(client, world):
    key = feed.current_key(world.advisor)
    good = feed.token_for(world.advisor, world.paca, key=key)
    response = client.get(_url("region_feed", good))
    assert response.status_code == 200 and b"Immersion plateau M" in response.content
    wrong_region = feed.token_for(world.advisor, world.other_region, key=key)
    assert client.get(_url("region_feed", wrong_region)).status_code == 404
    assert client.get(_url("region_feed", good[:-3] + "abc")).status_code == 404
    outsider = feed.token_for(
        world.other_advisor, world.paca, key=feed.current_key(world.other_advisor)
    )
    assert client.get(_url("region_feed", outsider)).status_code == 404
    # a token without the user's key (or with another user's) is not a link of theirs
    keyless = signing.dumps({"u": world.advisor.pk, "r": world.paca.pk}, salt=FEED_SALT)
    assert client.get(_url("region_feed", keyless)).status_code == 404
    borrowed = feed.token_for(world.advisor, world.paca, key=feed.current_key(world.other_advisor))
    assert client.get(_url("region_feed", borrowed)).status_code == 404


def _feed_link(client, user, region_name):
    client.force_login(user)
    body = html.unescape(client.get(_url("session_list")).content.decode())
    match = re.search(region_name + r' :</span> <a href="http[^"]*?(/sessions/flux/[^"]+)"', body)
    assert match, "no feed link for " + region_name
    return match.group(1)


def test_renewing_the_feed_links_revokes_the_old_ones(client, world):
    old = _feed_link(client, world.advisor, world.paca.name)
    assert _feed_link(client, world.advisor, world.paca.name) == old  # stable until renewed
    colleague = _feed_link(client, world.advisor_2, world.paca.name)
    client.force_login(world.advisor)
    assert client.get(_url("renew_feed_links")).status_code == 405  # a POST only
    response = client.post(_url("renew_feed_links"), follow=True)
    assert "les anciens ne fonctionnent plus" in response.content.decode()
    new = _feed_link(client, world.advisor, world.paca.name)
    assert new != old
    client.logout()  # calendar apps do not sign in
    assert client.get(old).status_code == 404
    response = client.get(new)
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content
    # another user's links are untouched
    assert client.get(colleague).status_code == 200


def test_the_htmx_fragment_leaves_the_feed_links_to_the_full_page(client, world):
    """The fragment never shows the subscription links: it does not make the key."""
    client.force_login(world.advisor)
    fragment = client.get(_url("session_list"), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Immersion plateau Méditel" in fragment
    assert not CalendarFeedKey.objects.filter(user=world.advisor).exists()
    full = client.get(_url("session_list")).content.decode()
    assert "feed-title" in full
    assert CalendarFeedKey.objects.filter(user=world.advisor).exists()


def test_renewing_feed_links_needs_a_region(client, world):
    from accounts.enums import Role
    from tests.accounts.factories import make_member

    national = make_member(Role.NATIONAL)
    assert_refused(client, national, _url("renew_feed_links"), method="post")


def _grow_platform(world, cohort, offer, count):
    for _ in range(count):
        youth = YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)
        CaeContractFactory(cohort=cohort, youth=youth)
        services.request_pool_proposal(recruiter=world.recruiter, youth=youth, offer=offer)


@pytest.mark.parametrize(
    ("user_key", "name"),
    [
        ("advisor", "cohort_detail"),
        ("lead", "cohort_detail"),
        ("recruiter", "pool_list"),
        ("recruiter", "pool_requests"),
        ("advisor", "pool_requests"),
        ("advisor", "cohort_list"),
    ],
)
def test_platform_and_pool_pages_do_not_grow_with_rows(client, world, user_key, name):
    cohort = CohortFactory(region=world.paca)
    offer = OfferFactory(company=world.company, published=True)
    url = _url(name, cohort.pk) if name == "cohort_detail" else _url(name)
    client.force_login(getattr(world, user_key))
    _grow_platform(world, cohort, offer, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow_platform(world, cohort, offer, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_feed_link_is_the_same_whenever_the_page_shows_it(client, world):
    """A calendar app keeps the link it subscribed to: the link does not change with the
    clock, and a link handed out in the earlier, timestamped form still works."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = _feed_link(client, world.advisor, world.paca.name)
        clock.shift(timedelta(seconds=5))
        assert _feed_link(client, world.advisor, world.paca.name) == first
    key = feed.current_key(world.advisor)
    earlier = signing.dumps({"u": world.advisor.pk, "r": world.paca.pk, "k": key}, salt=FEED_SALT)
    assert feed.read_token(earlier) == (world.advisor, world.paca)
