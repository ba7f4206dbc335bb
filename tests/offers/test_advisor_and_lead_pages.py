"""The advisors' pages (browse, new offers, suggestions, propose), the project lead's
region list and the figures page; each refused outside its role, region or company."""

from __future__ import annotations

import json
from html import unescape

import pytest
from django.urls import reverse

from accounts import pagination
from accounts.enums import Role
from offers import services
from offers.enums import ContractType, NoticeKind, OfferStatus
from offers.models import OfferNotice, Proposal
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory
from tests.helpers import assert_refused

from .factories import JobRoleFactory, OfferFactory, ProposalFactory
from .test_recruiter_pages import count_queries, offer_statements

pytestmark = pytest.mark.django_db


def test_advisors_browse_the_published_offers_of_their_region(client, world):
    mine = OfferFactory(company=world.company, published=True, description="Plateau énergie")
    OfferFactory(company=world.company, submitted=True, description="Pas encore publiée")
    OfferFactory(company__region=world.lyon, published=True, description="Offre lyonnaise")
    client.force_login(world.advisor)
    response = client.get(reverse("offers:browse_offers"))
    # The page's rows are tuples, the offer's key first (`Offer.as_browse_rows`).
    assert [row[0] for row in response.context["page"]] == [mine.pk]


def test_the_filters_answer_an_htmx_request_with_the_results_only(client, world):
    cdi = OfferFactory(
        company=world.company,
        published=True,
        contract_type=ContractType.CDI,
        postcode="13015",
        city="Marseille",
    )
    part_time = OfferFactory(
        company=world.company,
        published=True,
        contract_type=ContractType.CDD,
        weekly_hours=20,
        postcode="13100",
        city="Aix-en-Provence",
    )
    other_role = JobRoleFactory(name="Superviseur / superviseuse")
    supervisor = OfferFactory(
        company=world.company, published=True, job_role=other_role, postcode="84000"
    )
    client.force_login(world.advisor)
    url = reverse("offers:browse_offers")

    def found(**params):
        response = client.get(url, params, headers={"HX-Request": "true"})
        assert "<html" not in response.content.decode()
        return {row[0] for row in response.context["page"]}

    assert found(contract_type="cdd") == {part_time.pk}
    assert found(full_time="on") == {cdi.pk, supervisor.pk}
    assert found(place="13") == {cdi.pk, part_time.pk}
    assert found(place="aix") == {part_time.pk}
    assert found(job_role=other_role.pk) == {supervisor.pk}
    full = client.get(url, {"contract_type": "cdd"})
    assert "<html" in full.content.decode()


def test_the_browse_list_query_count_does_not_grow(client, world):
    for _ in range(3):
        OfferFactory(company=world.company, published=True)
    first = count_queries(client, world.advisor, reverse("offers:browse_offers"))
    for _ in range(22):
        OfferFactory(company=world.other_company, published=True)
    assert count_queries(client, world.advisor, reverse("offers:browse_offers")) == first


def _announced(response) -> str:
    """What the screen reader hears after the swap (accounts/announce.py)."""
    return json.loads(response.headers["HX-Trigger-After-Settle"])["portal:announce"]["message"]


def test_the_published_offers_read_their_page_and_count_in_one_query(client, world):
    """The page's rows and their count (capped) come from one statement: the region's
    offers were counted whole on each page, in a query of their own."""
    for _ in range(3):
        OfferFactory(company=world.company, published=True)
    client.force_login(world.advisor)
    offers, response = offer_statements(
        client, reverse("offers:browse_offers"), **{"HX-Request": "true"}
    )
    assert len(offers) == 1 and "COUNT(" in offers[0]
    assert response.context["page"].paginator.count == 3
    assert _announced(response) == "3 offres trouvées"


def test_past_the_cap_the_published_offers_say_more_than(client, world, monkeypatch):
    for _ in range(4):
        OfferFactory(company=world.company, published=True)
    client.force_login(world.advisor)
    url = reverse("offers:browse_offers")
    assert "4 offres publiées" in client.get(url).content.decode()
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    body = client.get(url).content.decode()
    assert "Plus de 3 offres publiées : les pages montrent les 3 plus récentes." in body
    response = client.get(url, headers={"HX-Request": "true"})
    assert _announced(response) == "Plus de 3 offres trouvées"
    assert len(response.context["page"]) == 3


@pytest.mark.parametrize("who", ["recruiter", "lead", "national"])
def test_browsing_and_new_offers_are_for_missions_locales(client, world, who):
    assert_refused(client, getattr(world, who), reverse("offers:browse_offers"))
    assert_refused(client, getattr(world, who), reverse("offers:new_offers"))
    assert_refused(client, getattr(world, who), reverse("offers:new_offers_read"), method="post")


def test_new_offers_list_the_notices_and_mark_them_read(client, world):
    offer = OfferFactory(company=world.company, published=True)
    OfferNotice.objects.create(
        kind=NoticeKind.PUBLISHED, key=str(offer.pk), offer=offer, recipient=world.advisor
    )
    client.force_login(world.advisor)
    response = client.get(reverse("offers:new_offers"))
    assert "nouvelle" in response.content.decode()
    client.post(reverse("offers:new_offers_read"))
    assert OfferNotice.objects.get().read_at is not None


def test_an_offer_page_is_refused_outside_its_audience(client, world):
    draft = OfferFactory(company=world.company, description="Projet confidentiel")
    url = reverse("offers:offer_detail", args=[draft.pk])
    for user in (
        world.other_recruiter,
        world.advisor,
        world.lead_lyon,
        world.national,
        world.recruiter_lyon,
    ):
        assert_refused(client, user, url, must_not_contain=["Projet confidentiel"])
    published = OfferFactory(company=world.company, published=True, description="Plateau énergie")
    url = reverse("offers:offer_detail", args=[published.pk])
    for user in (world.advisor_lyon, world.national, world.other_recruiter):
        assert_refused(client, user, url, must_not_contain=["Plateau énergie"])
    for user in (world.advisor, world.lead, world.recruiter):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_advisor_proposes_from_the_suggestions(client, world, youth):
    offer = OfferFactory(company=world.company, published=True)
    client.force_login(world.advisor)
    response = client.get(reverse("offers:offer_suggestions", args=[offer.pk]))
    body = response.content.decode()
    assert "Inès BENHAMOU" in body and "points" in body
    client.post(
        reverse("offers:offer_propose", args=[offer.pk]),
        {"youth": youth.pk, "from_suggestion": "on"},
    )
    proposal = Proposal.objects.get()
    assert (proposal.youth, proposal.origin) == (youth, "suggestion")
    client.force_login(world.advisor)
    body = client.get(reverse("offers:offer_detail", args=[offer.pk])).content.decode()
    assert "Vos jeunes proposés" in body and "BENHAMOU" in body


def test_suggestions_and_proposing_are_refused_outside_the_region(client, world, youth):
    offer = OfferFactory(company=world.company, published=True)
    for name in ("offer_suggestions", "offer_propose"):
        url = reverse(f"offers:{name}", args=[offer.pk])
        assert_refused(client, world.advisor_lyon, url, must_not_contain=["Benhamou"])
        assert_refused(client, world.recruiter, url, must_not_contain=["Benhamou", "BENHAMOU"])
        assert_refused(client, world.lead, url, must_not_contain=["BENHAMOU"])
    draft = OfferFactory(company=world.company, description="Brouillon de Méditel")
    submitted = OfferFactory(company=world.company, submitted=True, description="Soumise")
    for offer in (draft, submitted):
        for name in ("offer_suggestions", "offer_propose"):
            url = reverse(f"offers:{name}", args=[offer.pk])
            assert_refused(client, world.advisor, url, must_not_contain=[offer.description])
        propose = reverse("offers:offer_propose", args=[offer.pk])
        assert_refused(client, world.advisor, propose, method="post", data={"youth": youth.pk})
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("name", ["offer_suggestions", "offer_propose"])
def test_a_stale_propose_link_says_the_offer_closed(client, world, youth, name):
    offer = OfferFactory(company=world.company, published=True)
    services.withdraw_offer(offer=offer, actor=world.recruiter)
    client.force_login(world.advisor)
    response = client.get(reverse(f"offers:{name}", args=[offer.pk]), follow=True)
    assert response.redirect_chain == [(reverse("offers:browse_offers"), 302)]
    assert "Cette offre n'est pas publiée (Retirée)" in unescape(response.content.decode())


def test_proposing_to_an_offer_closed_meanwhile_keeps_the_note(client, world, youth):
    offer = OfferFactory(company=world.company, published=True)
    url = reverse("offers:offer_propose", args=[offer.pk])
    client.force_login(world.advisor)
    assert client.get(url).status_code == 200
    services.close_offer(offer=offer, actor=world.recruiter)
    response = client.post(url, {"youth": youth.pk, "note": "Très motivée par le poste"})
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith("Cette offre n'est pas publiée (")
    assert "youth" not in response.context["form"].errors
    assert "Très motivée par le poste" in response.content.decode()
    # the reason shows even when the form has errors of its own (no youth chosen)
    response = client.post(url, {"note": "Très motivée par le poste"})
    assert response.context["form"].non_field_errors()[0].startswith("Cette offre n'est pas")
    assert not Proposal.objects.exists()
    # the suggestions are a page to read: a POST is not a way in
    assert client.post(reverse("offers:offer_suggestions", args=[offer.pk])).status_code == 405


def test_proposing_refuses_bad_youths_next_to_the_field(client, world, youth):
    offer = OfferFactory(company=world.company, published=True)
    no_consent = YouthFactory(mission_locale=world.ml, advisor=world.advisor, first_name="Hugo")
    elsewhere = YouthFactory(mission_locale=world.ml_aix, consented=True)
    client.force_login(world.advisor)
    url = reverse("offers:offer_propose", args=[offer.pk])
    response = client.post(url, {"youth": no_consent.pk, "note": "Motivé"})
    assert (
        "Hugo n'a pas donné son accord pour partager son profil avec les entreprises."
        in response.context["form"].errors["youth"]
    )
    assert "Motivé" in response.content.decode()
    response = client.post(url, {"youth": elsewhere.pk})
    assert "Ce jeune ne peut pas être proposé" in response.context["form"].errors["youth"][0]
    assert not Proposal.objects.exists()
    services.propose_youth(offer=offer, youth=youth, actor=world.advisor)
    response = client.post(url, {"youth": youth.pk, "note": "Encore"})
    form = response.context["form"]
    assert form.errors["youth"] == ["Ce jeune est déjà proposé sur cette offre."]
    assert not form.non_field_errors()
    assert Proposal.objects.count() == 1


def test_the_advisor_withdraws_their_proposal(client, world):
    proposal = ProposalFactory(offer=OfferFactory(company=world.company, published=True))
    client.force_login(proposal.youth.advisor)
    client.post(
        reverse("offers:proposal_action", args=[proposal.pk, "withdraw"]), {"note": "A trouvé"}
    )
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_the_project_lead_validates_offers_of_their_region(client, world):
    submitted = OfferFactory(company=world.company, submitted=True, large=True)
    OfferFactory(company=world.company)  # a draft stays with the company
    lyon = OfferFactory(company__region=world.lyon, submitted=True)
    client.force_login(world.lead)
    response = client.get(reverse("offers:region_offers"))
    assert [o.pk for o in response.context["to_validate"]] == [submitted.pk]
    assert "Accompagnement CEPL" in response.content.decode()
    url = reverse("offers:offer_action", args=[submitted.pk, "send_back"])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Indiquez au recruteur ce qu&#x27;il faut revoir." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == OfferStatus.SUBMITTED
    client.post(reverse("offers:offer_action", args=[submitted.pk, "publish"]))
    submitted.refresh_from_db()
    assert submitted.is_published and submitted.accompanied_by == world.lead
    body = client.get(reverse("offers:offer_detail", args=[submitted.pk])).content.decode()
    assert "Nadia Haddad" in body
    assert_refused(
        client, world.lead, reverse("offers:offer_action", args=[lyon.pk, "publish"]), method="post"
    )
    lyon.refresh_from_db()
    assert lyon.status == OfferStatus.SUBMITTED


def test_region_offers_query_count_does_not_grow(client, world):
    for _ in range(3):
        ProposalFactory(offer=OfferFactory(company=world.company, published=True))
    first = count_queries(client, world.lead, reverse("offers:region_offers"))
    for _ in range(20):
        ProposalFactory(offer=OfferFactory(company=world.other_company, submitted=True))
    assert count_queries(client, world.lead, reverse("offers:region_offers")) == first


@pytest.mark.parametrize("who", ["advisor", "recruiter", "national"])
def test_region_offers_are_for_project_leads(client, world, who):
    assert_refused(client, getattr(world, who), reverse("offers:region_offers"))


def test_the_accompaniment_is_taken_over_by_a_lead_only(client, world):
    offer = OfferFactory(company=world.company, published=True, large=True)
    url = reverse("offers:offer_accompany", args=[offer.pk])
    assert_refused(client, world.recruiter, url, method="post")
    assert_refused(client, world.lead_lyon, url, method="post")
    client.force_login(world.lead)
    client.post(url)
    offer.refresh_from_db()
    assert offer.accompanied_by == world.lead


def test_a_stale_accompaniment_click_gets_a_message_not_a_refusal(client, world):
    offer = OfferFactory(company=world.company, published=True, large=True)
    url = reverse("offers:offer_accompany", args=[offer.pk])
    client.force_login(world.lead)
    client.post(url)
    response = client.post(url, follow=True)  # a second tab
    assert "Vous accompagnez déjà ce recrutement." in response.content.decode()
    services.close_offer(offer=offer, actor=world.recruiter)
    other_lead = make_member(Role.PROJECT_LEAD, region=world.paca)
    client.force_login(other_lead)
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("offers:offer_detail", args=[offer.pk]), 302)]
    assert "il n'y a plus de recrutement à accompagner" in unescape(response.content.decode())
    offer.refresh_from_db()
    assert offer.accompanied_by == world.lead


def test_figures_per_role_and_never_a_youth(client, world):
    offer = OfferFactory(company=world.company, published=True, positions=4, positions_filled=1)
    ProposalFactory(offer=offer, youth__first_name="Inès", youth__last_name="Benhamou")
    OfferFactory(company__region=world.lyon, published=True, positions=9)
    url = reverse("offers:figures")
    client.force_login(world.recruiter)
    body = client.get(url).content.decode()
    assert "Méditel Relation Client" in body and "25,0 %" in body and "Rhône" not in body
    client.force_login(world.lead)
    assert "Méditel Relation Client" in client.get(url).content.decode()
    client.force_login(world.national)
    response = client.get(url)
    body = response.content.decode()
    assert "Provence-Alpes-Côte d&#x27;Azur" in body and "France entière" in body
    assert "Inès" not in body and "Benhamou" not in body and "Méditel" not in body
    assert_refused(client, world.advisor, url)


def test_figures_and_new_offers_query_counts_do_not_grow(client, world):
    from tests.accounts.factories import OrganisationFactory

    def add(n):
        for _ in range(n):
            company = OrganisationFactory(company=True, region=world.paca)
            offer = OfferFactory(company=company, published=True)
            ProposalFactory(offer=offer)
            OfferNotice.objects.create(
                kind=NoticeKind.PUBLISHED, key=str(offer.pk), offer=offer, recipient=world.advisor
            )

    add(3)
    figures_url, new_url = reverse("offers:figures"), reverse("offers:new_offers")
    counts = [
        count_queries(client, world.lead, figures_url),
        count_queries(client, world.national, figures_url),
        count_queries(client, world.advisor, new_url),
    ]
    add(15)
    assert [
        count_queries(client, world.lead, figures_url),
        count_queries(client, world.national, figures_url),
        count_queries(client, world.advisor, new_url),
    ] == counts


def test_the_lead_filters_the_region_list_on_a_state(client, world):
    submitted = OfferFactory(company=world.company, submitted=True)
    published = OfferFactory(company=world.company, published=True)
    client.force_login(world.lead)
    url = reverse("offers:region_offers")
    assert [o.pk for o in client.get(url).context["page"]] == [published.pk]
    response = client.get(url, {"status": "submitted"})
    assert [o.pk for o in response.context["page"]] == [submitted.pk]
    assert response.context["query"] == "status=submitted"


def test_publishing_an_offer_already_published_shows_a_message(client, world):
    offer = OfferFactory(company=world.company, submitted=True)
    url = reverse("offers:offer_action", args=[offer.pk, "publish"])
    client.force_login(world.lead)
    response = client.post(url, follow=True)  # the first click publishes
    assert (
        "Offre publiée : les conseillers des missions locales de la région et les "
        "recruteurs de l&#x27;entreprise ont été prévenus par e-mail."
    ) in response.content.decode()
    offer.refresh_from_db()
    assert offer.is_published and offer.transitions.count() == 1
    response = client.post(url)  # a second tab, a double click
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:offer_detail", args=[offer.pk])
    response = client.get(response["Location"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "L&#x27;offre est déjà « Publiée » : votre action n&#x27;a pas été enregistrée." in body
    assert "Offre publiée :" not in body
    offer.refresh_from_db()
    assert offer.is_published and offer.transitions.count() == 1
    # Who may not publish is still refused, whatever the offer's state.
    for user in (world.lead_lyon, world.recruiter, world.advisor, world.other_recruiter):
        assert_refused(client, user, url, method="post", must_not_contain=["déjà"])
