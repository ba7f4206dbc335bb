"""The offers pages that draw parts once rather than through the template's tags (the
board's bulk decline fields, once per language; the user read past its lazy wrapper)
give the HTML the tags gave: the former template text is kept here and rendered beside
them."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from accounts.scope import get_scope
from offers.enums import DeclineReason, ProposalStatus
from offers.forms import BulkDeclineForm
from offers.views.board import bulk_decline_fields
from offers.views.common import page_user

from .factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db

# What templates/offers/offer_board.html wrote inside the bulk decline form.
FORMER_BULK_FIELDS = (
    "{% load crispy_forms_tags portal_forms %}"
    "{% filter_field bulk_form.decline_reason %}\n"
    "    {{ bulk_form.note|as_crispy_field }}"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_bulk_decline_fields_are_the_former_ones(language):
    former = engines["django"].from_string(FORMER_BULK_FIELDS)
    with translation.override(language):
        expected = former.render({"bulk_form": BulkDeclineForm(proposal_choices=[])})
        assert bulk_decline_fields() == expected
        assert bulk_decline_fields() == expected  # drawn once, given again
    assert 'name="decline_reason"' in expected and 'name="note"' in expected


def test_each_language_has_its_own_bulk_decline_fields():
    with translation.override("fr"):
        french = bulk_decline_fields()
    with translation.override("en"):
        english = bulk_decline_fields()
    assert french != english


def test_the_board_shows_the_bulk_form_only_with_an_open_proposal(client, world):
    offer = OfferFactory(company=world.company, published=True)
    proposal = ProposalFactory(offer=offer)
    client.force_login(world.recruiter)
    url = reverse("offers:offer_board", args=[offer.pk])
    body = client.get(url).content.decode()
    assert 'id="bulk-decline-form"' in body
    assert bulk_decline_fields() in body
    type(proposal).objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.DECLINED, decline_reason=DeclineReason.POSITIONS_FILLED
    )
    body = client.get(url).content.decode()
    assert 'id="bulk-decline-form"' not in body and 'name="decline_reason"' not in body


def test_page_user_is_the_wrapped_user_and_keeps_its_scope(world):
    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: world.recruiter)
    user = page_user(request)
    assert user is world.recruiter
    assert get_scope(user) is get_scope(request.user)
    # A request whose user was set plainly (as in a view's unit test) gives it back.
    request.user = world.advisor
    assert page_user(request) is world.advisor
