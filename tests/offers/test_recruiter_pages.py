"""The recruiter's pages: my offers, the offer form, the board, a proposal, the hiring.
Every view is refused to people of another company or region."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import pagination
from accounts.enums import Role
from offers import services
from offers.enums import DeclineReason, OfferStatus, ProposalStatus
from offers.models import Employment, Offer, Proposal
from tests.accounts.factories import make_member
from tests.helpers import assert_refused

from .factories import OfferFactory, ProposalFactory, interview_form, invite

pytestmark = pytest.mark.django_db


def offer_post(world, **overrides):
    today = timezone.localdate()
    data = {
        "job_role": world.role.pk,
        "contract_type": "cdi",
        "positions": "3",
        "weekly_hours": "35",
        "postcode": "13015",
        "city": "Marseille",
        "start_date": (today + timedelta(days=10)).strftime("%d/%m/%Y"),
        "closing_date": (today + timedelta(days=40)).strftime("%d/%m/%Y"),
        "description": "Réception d'appels pour un fournisseur d'énergie.",
        "requirements": "",
    }
    data.update(overrides)
    return data


def test_my_offers_shows_counts_per_stage_and_only_my_company(client, world):
    offer = OfferFactory(company=world.company, published=True, description="Offre de Méditel")
    ProposalFactory(offer=offer)
    ProposalFactory(offer=offer, interview=True)
    OfferFactory(company=world.other_company, published=True, description="Offre secrète")
    client.force_login(world.recruiter)
    response = client.get(reverse("offers:my_offers"))
    assert response.status_code == 200
    # The page's rows are tuples, the offer's key first (`Offer.as_my_offers_rows`).
    assert [row[0] for row in response.context["page"]] == [offer.pk]
    body = response.content.decode()
    assert "Téléconseiller" in body
    # A cell per stage: proposed, seen, interview, hired, declined, withdrawn.
    assert "<td>1</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td>" in body


@pytest.mark.parametrize("who", ["advisor", "lead", "national"])
def test_my_offers_is_for_recruiters(client, world, who):
    assert_refused(client, getattr(world, who), reverse("offers:my_offers"))


def count_queries(client, user, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def offer_statements(client, url, **headers) -> tuple[list[str], object]:
    """The statements reading offers of a second request of `url` (the first warms the
    caches), and its response."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    sent = [query["sql"] for query in captured.captured_queries]
    return [sql for sql in sent if 'FROM "offers_offer"' in sql], response


def test_my_offers_query_count_does_not_grow(client, world):
    for company, n in ((world.company, 3), (world.other_company, 25)):
        for _ in range(n):
            ProposalFactory(offer=OfferFactory(company=company, published=True))
    url = reverse("offers:my_offers")
    assert count_queries(client, world.recruiter, url) == count_queries(
        client, world.other_recruiter, url
    )


def test_a_recruiter_saves_a_draft_through_the_form(client, world):
    client.force_login(world.recruiter)
    response = client.post(reverse("offers:offer_create"), offer_post(world))
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:offer_detail", args=[offer.pk])
    assert offer.company == world.company and offer.is_draft and offer.created_by == world.recruiter


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("positions", "0", "Il faut au moins un poste à pourvoir."),
        ("positions", "-2", "Il faut au moins un poste à pourvoir."),
        ("weekly_hours", "60", "La durée du travail ne peut dépasser 48 heures."),
        ("postcode", "130", "Le code postal compte cinq chiffres."),
        ("start_date", "31/02/2027", "Saisissez une date valide."),
    ],
)
def test_the_offer_form_refuses_bad_input_next_to_the_field(client, world, field, value, message):
    client.force_login(world.recruiter)
    response = client.post(reverse("offers:offer_create"), offer_post(world, **{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors[field]
    assert f'value="{value}"' in response.content.decode()
    assert not Offer.objects.exists()


def test_a_closing_date_before_the_start_is_refused_in_the_form(client, world):
    client.force_login(world.recruiter)
    response = client.post(
        reverse("offers:offer_create"),
        offer_post(world, start_date="20/06/2030", closing_date="01/06/2030"),
    )
    assert response.context["form"].errors["closing_date"] == [
        "La date de clôture ne peut précéder la date de début."
    ]
    assert 'value="01/06/2030"' in response.content.decode()
    assert not Offer.objects.exists()


@pytest.mark.parametrize("who", ["advisor", "lead", "national"])
def test_only_recruiters_post_offers(client, world, who):
    assert_refused(client, getattr(world, who), reverse("offers:offer_create"))


def test_editing_another_companys_draft_is_a_404(client, world):
    offer = OfferFactory(company=world.company, description="Brouillon confidentiel")
    url = reverse("offers:offer_edit", args=[offer.pk])
    assert_refused(client, world.other_recruiter, url, must_not_contain=["Brouillon confidentiel"])
    assert_refused(client, world.lead, url)
    assert_refused(client, world.other_recruiter, url, method="post", data={"positions": "9"})
    client.force_login(world.recruiter)
    assert client.get(url).status_code == 200


def test_a_stale_edit_link_says_the_offer_was_submitted_and_keeps_what_was_typed(client, world):
    offer = OfferFactory(company=world.company, description="Texte d'origine")
    url = reverse("offers:offer_edit", args=[offer.pk])
    client.force_login(world.recruiter)
    assert client.get(url).status_code == 200
    services.submit_offer(
        offer=offer, actor=make_member(Role.RECRUITER, organisation=world.company)
    )
    refusal = "Cette offre n'est plus un brouillon (Soumise au chargé de projet)"

    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("offers:offer_detail", args=[offer.pk]), 302)]
    assert refusal in unescape(response.content.decode())

    typed = "Texte réécrit pendant que la collègue soumettait."
    response = client.post(url, offer_post(world, description=typed))
    assert response.status_code == 200
    assert any(refusal in error for error in response.context["form"].non_field_errors())
    assert typed in unescape(response.content.decode())
    # the reason shows even when the form has errors of its own
    response = client.post(url, offer_post(world, description=typed, positions="0"))
    assert any(refusal in error for error in response.context["form"].non_field_errors())
    assert typed in unescape(response.content.decode())
    offer.refresh_from_db()
    assert (offer.status, offer.description) == (OfferStatus.SUBMITTED, "Texte d'origine")


def test_the_recruiter_submits_and_cannot_publish(client, world):
    offer = OfferFactory(company=world.company)
    client.force_login(world.recruiter)
    client.post(reverse("offers:offer_action", args=[offer.pk, "submit"]))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUBMITTED
    assert_refused(
        client,
        world.recruiter,
        reverse("offers:offer_action", args=[offer.pk, "publish"]),
        method="post",
    )
    assert_refused(
        client,
        world.other_recruiter,
        reverse("offers:offer_action", args=[offer.pk, "withdraw"]),
        method="post",
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUBMITTED


def test_an_unknown_action_is_a_404(client, world):
    offer = OfferFactory(company=world.company)
    client.force_login(world.recruiter)
    assert (
        client.post(reverse("offers:offer_action", args=[offer.pk, "explode"])).status_code == 404
    )


def test_the_board_has_a_column_per_stage(client, world):
    offer = OfferFactory(company=world.company, published=True)
    ProposalFactory(offer=offer, youth__first_name="Inès", youth__last_name="Benhamou")
    ProposalFactory(offer=offer, interview=True, youth__first_name="Yanis")
    client.force_login(world.recruiter)
    response = client.get(reverse("offers:offer_board", args=[offer.pk]))
    columns = {value: cards for value, _l, _n, cards in response.context["columns"]}
    assert "Inès" in columns["proposed"] and "Yanis" not in columns["proposed"]
    assert "Yanis" in columns["interview"] and "Inès" not in columns["interview"]
    body = response.content.decode()
    assert "Inès B." in body and "Benhamou" not in body  # first name and initial only


def test_the_board_query_count_does_not_grow(client, world):
    def board_with(n):
        offer = OfferFactory(company=world.company, published=True, positions=30)
        for i in range(n):
            ProposalFactory(offer=offer, status=ProposalStatus.values[i % 4])
        return reverse("offers:offer_board", args=[offer.pk])

    small, large = board_with(3), board_with(24)
    assert count_queries(client, world.recruiter, small) == count_queries(
        client, world.recruiter, large
    )


def test_the_board_is_refused_outside_the_company(client, world):
    offer = OfferFactory(company=world.company, published=True)
    ProposalFactory(offer=offer, youth__first_name="Inès", youth__last_name="Benhamou")
    url = reverse("offers:offer_board", args=[offer.pk])
    for user in (world.other_recruiter, world.recruiter_lyon, world.national, world.advisor_lyon):
        assert_refused(client, user, url, must_not_contain=["Inès", "Benhamou"])
    # The region's advisors and lead see the offer, not the company's board.
    assert_refused(client, world.advisor, url, must_not_contain=["Benhamou"])
    assert_refused(client, world.lead, url, must_not_contain=["Benhamou"])


def test_bulk_decline_from_the_board(client, world):
    offer = OfferFactory(company=world.company, published=True)
    a, b = ProposalFactory(offer=offer), ProposalFactory(offer=offer, seen=True)
    url = reverse("offers:bulk_decline", args=[offer.pk])
    assert_refused(client, world.other_recruiter, url, method="post", data={"proposals": [a.pk]})
    client.force_login(world.recruiter)
    response = client.post(url, {"proposals": [a.pk, b.pk], "decline_reason": ""}, follow=True)
    assert "Choisissez le motif du refus." in response.content.decode()
    client.post(url, {"proposals": [a.pk, b.pk], "decline_reason": DeclineReason.POSITIONS_FILLED})
    assert set(Proposal.objects.values_list("status", flat=True)) == {ProposalStatus.DECLINED}


def test_the_shared_profile_hides_contact_until_the_interview(client, world):
    offer = OfferFactory(company=world.company, published=True)
    proposal = ProposalFactory(
        offer=offer,
        youth__first_name="Inès",
        youth__last_name="Benhamou",
        youth__email="ines@exemple.fr",
        youth__phone="0611223344",
    )
    url = reverse("offers:proposal_detail", args=[proposal.pk])
    client.force_login(world.recruiter)
    body = client.get(url).content.decode()
    assert "Inès B." in body and "Benhamou" not in body
    assert "ines@exemple.fr" not in body and "0611223344" not in body
    client.post(reverse("offers:proposal_invite", args=[proposal.pk]), interview_form())
    body = client.get(url).content.decode()
    # The contact details come with the full name: the recruiter calls a person.
    assert "ines@exemple.fr" in body and "0611223344" in body
    assert "Inès Benhamou" in body
    board = client.get(reverse("offers:offer_board", args=[offer.pk])).content.decode()
    assert "Inès Benhamou" in board


def test_a_proposal_is_refused_to_outsiders(client, world):
    proposal = ProposalFactory(
        offer=OfferFactory(company=world.company, published=True),
        youth__first_name="Inès",
        youth__last_name="Benhamou",
    )
    url = reverse("offers:proposal_detail", args=[proposal.pk])
    for user in (
        world.other_recruiter,
        world.advisor_aix,
        world.lead,
        world.national,
        world.recruiter_lyon,
    ):
        assert_refused(client, user, url, must_not_contain=["Inès", "Benhamou"])
    for action in ("decline", "mark_seen", "withdraw"):
        assert_refused(
            client,
            world.other_recruiter,
            reverse("offers:proposal_action", args=[proposal.pk, action]),
            method="post",
        )
    invite_url = reverse("offers:proposal_invite", args=[proposal.pk])
    for user in (world.other_recruiter, world.lead, world.national, world.recruiter_lyon):
        assert_refused(client, user, invite_url, must_not_contain=["Inès", "Benhamou"])
        assert_refused(client, user, invite_url, method="post", data=interview_form())
    # The youth's advisor sees it but may not decide for the company.
    assert_refused(client, proposal.youth.advisor, invite_url)
    assert_refused(client, proposal.youth.advisor, invite_url, method="post", data=interview_form())
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_the_second_person_is_told_the_proposal_already_moved(client, world):
    proposal = ProposalFactory(
        offer=OfferFactory(company=world.company, published=True), declined=True
    )
    client.force_login(world.recruiter)
    response = client.post(
        reverse("offers:proposal_invite", args=[proposal.pk]), interview_form(note="Mardi")
    )
    body = response.content.decode()
    assert "Cette candidature est déjà « Refusée »" in body
    assert "Mardi" in body  # what was typed is kept


def test_hiring_through_the_form(client, world):
    offer = OfferFactory(company=world.company, published=True, positions=1)
    proposal = ProposalFactory(offer=offer, interview=True)
    url = reverse("offers:proposal_hire", args=[proposal.pk])
    for user in (world.other_recruiter, world.lead, world.national):
        assert_refused(client, user, url)
    assert_refused(client, proposal.youth.advisor, url)
    client.force_login(world.recruiter)
    start = (timezone.localdate() + timedelta(days=5)).strftime("%d/%m/%Y")
    response = client.post(url, {"contract_type": "cdi", "start_date": start, "weekly_hours": "0"})
    assert (
        "Indiquez au moins une heure par semaine."
        in response.context["form"].errors["weekly_hours"]
    )
    assert f'value="{start}"' in response.content.decode()
    response = client.post(url, {"contract_type": "cdi", "start_date": start, "weekly_hours": "35"})
    assert response.status_code == 302
    assert Employment.objects.get().proposal == proposal
    offer.refresh_from_db()
    assert offer.status == OfferStatus.FILLED


def test_hiring_on_a_closed_offer_shows_the_reason(client, world):
    offer = OfferFactory(company=world.company, withdrawn=True)
    proposal = ProposalFactory(offer=offer, interview=True)
    client.force_login(world.recruiter)
    start = (timezone.localdate() + timedelta(days=5)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("offers:proposal_hire", args=[proposal.pk]),
        {"contract_type": "cdi", "start_date": start, "weekly_hours": "35"},
    )
    assert "on ne peut plus y embaucher" in response.content.decode()
    assert not Employment.objects.exists()


def test_the_first_opening_by_a_recruiter_of_the_company_marks_the_proposal_seen(client, world):
    proposal = ProposalFactory(offer=OfferFactory(company=world.company, published=True))
    url = reverse("offers:proposal_detail", args=[proposal.pk])
    client.force_login(world.recruiter)
    assert client.get(url).status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SEEN
    log = proposal.transitions.get()
    assert (log.action, log.from_status, log.to_status, log.actor) == (
        "mark_seen",
        ProposalStatus.PROPOSED,
        ProposalStatus.SEEN,
        world.recruiter,
    )
    # Opening it again records nothing more.
    assert client.get(url).status_code == 200
    assert proposal.transitions.count() == 1


def test_the_advisor_or_an_admin_opening_the_profile_does_not_mark_it_seen(client, world):
    proposal = ProposalFactory(offer=OfferFactory(company=world.company, published=True))
    url = reverse("offers:proposal_detail", args=[proposal.pk])
    for user in (proposal.youth.advisor, world.admin):
        client.force_login(user)
        assert client.get(url).status_code == 200
    # Refused viewers (another company, the project lead) change nothing either.
    for user in (world.other_recruiter, world.lead):
        client.force_login(user)
        assert client.get(url).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not proposal.transitions.exists()


def test_opening_a_closed_proposal_does_not_move_it(client, world):
    proposal = ProposalFactory(
        offer=OfferFactory(company=world.company, published=True), declined=True
    )
    before = proposal.transitions.count()
    client.force_login(world.recruiter)
    assert client.get(reverse("offers:proposal_detail", args=[proposal.pk])).status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.transitions.count() == before


def test_a_recruiter_cannot_post_an_offer_for_another_company(client, world):
    client.force_login(world.recruiter)
    response = client.post(
        reverse("offers:offer_create"), offer_post(world, company=world.other_company.pk)
    )
    assert response.status_code == 403
    assert not Offer.objects.exists()


def test_acting_on_a_proposal_a_colleague_already_moved_shows_a_message(client, world):
    colleague = make_member(Role.RECRUITER, organisation=world.company, first_name="Sarah")
    proposal = ProposalFactory(offer=OfferFactory(company=world.company, published=True))
    invite(proposal, colleague)
    client.force_login(world.recruiter)
    for action in ("mark_seen",):
        url = reverse("offers:proposal_action", args=[proposal.pk, action])
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("offers:proposal_detail", args=[proposal.pk])
        response = client.get(response["Location"])
        assert response.status_code == 200
        assert f"Cette candidature est déjà « Entretien » (par {colleague}" in (
            response.content.decode()
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INTERVIEW
    assert proposal.transitions.count() == 1


def test_a_stale_click_is_still_refused_to_who_may_not_act(client, world):
    proposal = ProposalFactory(
        offer=OfferFactory(company=world.company, published=True), declined=True
    )
    url = reverse("offers:proposal_invite", args=[proposal.pk])
    # The youth's advisor sees the proposal but never decides for the company, whatever
    # its state; another company's recruiter does not even see it.
    for user in (proposal.youth.advisor, world.other_recruiter, world.recruiter_lyon):
        assert_refused(
            client, user, url, method="post", data=interview_form(), must_not_contain=["déjà"]
        )
    client.force_login(proposal.youth.advisor)
    assert client.post(url, interview_form()).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert not proposal.transitions.exists()


@pytest.mark.parametrize("reason", ["", "bof"])
def test_declining_without_a_reason_from_the_list_shows_the_error(client, world, reason):
    proposal = ProposalFactory(offer=OfferFactory(company=world.company, published=True), seen=True)
    client.force_login(world.recruiter)
    response = client.post(
        reverse("offers:proposal_action", args=[proposal.pk, "decline"]),
        {"decline_reason": reason, "note": "Pas le bon profil"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choisissez le motif du refus." in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (ProposalStatus.SEEN, "")
    assert not proposal.transitions.exists()


def test_hiring_with_a_contract_ending_before_it_starts_is_refused(client, world):
    offer = OfferFactory(company=world.company, published=True, positions=1)
    proposal = ProposalFactory(offer=offer, interview=True)
    client.force_login(world.recruiter)
    start = timezone.localdate() + timedelta(days=10)
    end = start - timedelta(days=1)
    response = client.post(
        reverse("offers:proposal_hire", args=[proposal.pk]),
        {
            "contract_type": "cdd",
            "start_date": start.strftime("%d/%m/%Y"),
            "end_date": end.strftime("%d/%m/%Y"),
            "weekly_hours": "35",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "La fin du contrat ne peut précéder son début."
    ]
    assert f'value="{end:%d/%m/%Y}"' in response.content.decode()
    assert not Employment.objects.exists()
    proposal.refresh_from_db()
    offer.refresh_from_db()
    assert proposal.status == ProposalStatus.INTERVIEW and proposal.transitions.count() == 0
    assert (offer.status, offer.positions_filled) == (OfferStatus.PUBLISHED, 0)


def test_withdrawing_an_offer_already_withdrawn_shows_a_message(client, world):
    offer = OfferFactory(company=world.company, withdrawn=True)
    client.force_login(world.recruiter)
    response = client.post(
        reverse("offers:offer_action", args=[offer.pk, "withdraw"]), {"reason": ""}, follow=True
    )
    assert response.status_code == 200
    assert "L&#x27;offre est déjà « Retirée »" in response.content.decode()
    assert not offer.transitions.exists()
    response = client.post(
        reverse("offers:offer_action", args=[offer.pk, "close"]), {"reason": ""}, follow=True
    )
    assert "Action impossible : l&#x27;offre est « Retirée »." in response.content.decode()
    assert_refused(
        client,
        world.other_recruiter,
        reverse("offers:offer_action", args=[offer.pk, "withdraw"]),
        method="post",
    )


def test_each_action_says_what_happened_and_who_was_told(client, world):
    """A message names what the click did, not the button's label again."""
    offer = OfferFactory(company=world.company)
    client.force_login(world.recruiter)
    response = client.post(reverse("offers:offer_action", args=[offer.pk, "submit"]), follow=True)
    body = response.content.decode()
    assert "Offre soumise aux chargés de projet de la région, prévenus par e-mail" in body
    assert "C&#x27;est fait" not in body
    proposal = ProposalFactory(offer=OfferFactory(company=world.company, published=True))
    response = client.post(
        reverse("offers:proposal_action", args=[proposal.pk, "mark_seen"]), follow=True
    )
    assert "Candidature marquée comme vue : le conseiller du jeune le voit" in (
        response.content.decode()
    )
    response = client.post(
        reverse("offers:proposal_action", args=[proposal.pk, "decline"]),
        {"decline_reason": "schedule", "note": ""},
        follow=True,
    )
    assert "Candidature refusée : le conseiller du jeune voit le motif" in (
        response.content.decode()
    )


def test_my_offers_read_their_page_and_count_in_one_query(client, world, monkeypatch):
    """The page's rows and their count (capped at 10,000, as the youth list's) in one
    statement; past the cap the page says there are more."""
    for _ in range(4):
        OfferFactory(company=world.company, published=True)
    client.force_login(world.recruiter)
    url = reverse("offers:my_offers")
    offers, response = offer_statements(client, url)
    assert len(offers) == 1 and "COUNT(" in offers[0]
    assert response.context["page"].paginator.count == 4
    assert "Plus de" not in response.content.decode()
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    response = client.get(url)
    assert len(response.context["page"]) == 3
    assert "Plus de 3 offres : les pages montrent les 3 plus récentes." in response.content.decode()
