"""The one transition-and-log helper (accounts/workflow.py) and the tables it serves."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from accounts.workflow import TransitionLog, can_move, log_move, move, target_of
from offers.enums import OfferStatus
from offers.models import Offer, OfferTransition
from tests.accounts.factories import make_member

WORKFLOW_MODELS = [model for model in apps.get_models() if hasattr(model, "TRANSITIONS")]
LOG_MODELS = [model for model in apps.get_models() if issubclass(model, TransitionLog)]


def test_every_workflow_and_log_of_the_apps_is_found():
    names = {model._meta.label for model in WORKFLOW_MODELS}
    assert {
        "offers.Offer",
        "offers.Proposal",
        "immersion.Session",
        "immersion.PoolRequest",
        "committees.ActionItem",
        "committees.PlanItem",
        "candidates.SubjectRequest",
    } <= names
    assert {model._meta.label for model in LOG_MODELS} == {
        "offers.OfferTransition",
        "offers.ProposalTransition",
        "immersion.SessionLog",
        "committees.CommitmentLog",
        "committees.PlanItemLog",
    }


@pytest.mark.parametrize("model", WORKFLOW_MODELS, ids=lambda model: model._meta.label)
def test_each_table_moves_between_statuses_of_its_model(model):
    statuses = {value for value, _label in model._meta.get_field("status").choices}
    for action, (sources, target) in model.TRANSITIONS.items():
        assert sources, action
        assert set(sources) <= statuses, action
        assert target in statuses, action


@pytest.mark.parametrize("log", LOG_MODELS, ids=lambda model: model._meta.label)
def test_each_log_names_the_row_it_follows(log):
    subject = log._meta.get_field(log.SUBJECT)
    assert subject.many_to_one
    assert subject.related_model._meta.get_field("status")
    for name in ("action", "actor", "from_status", "to_status", "reason", "created_at"):
        assert log._meta.get_field(name)


@pytest.mark.django_db
def test_move_checks_the_table_sets_the_status_and_logs_who_from_to_and_why():
    from tests.offers.factories import OfferFactory

    recruiter = make_member("recruiter")
    offer = OfferFactory(status=OfferStatus.DRAFT)
    assert can_move(offer, "submit")
    assert not can_move(offer, "publish")

    log = move(offer, action="submit", actor=recruiter, log=OfferTransition, reason="prête")

    assert offer.status == OfferStatus.SUBMITTED
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DRAFT  # the caller saves
    stored = OfferTransition.objects.get(pk=log.pk)
    assert (stored.offer, stored.action, stored.from_status, stored.to_status) == (
        offer,
        "submit",
        OfferStatus.DRAFT,
        OfferStatus.SUBMITTED,
    )
    assert (stored.actor, stored.reason) == (recruiter, "prête")


@pytest.mark.django_db
def test_a_move_the_table_refuses_says_why_and_changes_nothing():
    from tests.offers.factories import OfferFactory

    offer = OfferFactory(status=OfferStatus.DRAFT)
    with pytest.raises(ValidationError) as refused:
        move(offer, action="publish", actor=None, log=OfferTransition)
    assert "Brouillon" in refused.value.messages[0]
    with pytest.raises(ValidationError) as unknown:
        target_of(offer, "fly")
    assert unknown.value.messages == ["Action inconnue."]
    with pytest.raises(ValidationError) as told:
        target_of(offer, "publish", refused="Déjà fait.")
    assert told.value.messages == ["Déjà fait."]
    assert offer.status == OfferStatus.DRAFT
    assert not OfferTransition.objects.exists()


@pytest.mark.django_db
def test_log_move_records_a_move_made_without_an_action():
    from tests.offers.factories import OfferFactory

    offer = OfferFactory(status=OfferStatus.PUBLISHED)
    offer.status = OfferStatus.FILLED
    log = log_move(offer, log=OfferTransition, previous=OfferStatus.PUBLISHED, actor=None)
    assert (log.from_status, log.to_status, log.actor, log.action) == (
        OfferStatus.PUBLISHED,
        OfferStatus.FILLED,
        None,
        "",
    )
