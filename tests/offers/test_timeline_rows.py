"""The proposals' moves on the youth's timeline, read as plain rows
(`offers.timeline.youth_timeline_parts`, read by `candidates.timeline.read_parts`): the same entries as read through the models,
whatever the actor's name, the note or the decline reason holds."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.timeline import TimelineEntry, read_parts
from offers import services
from offers.enums import DeclineReason, ProposalStatus
from offers.models import ProposalTransition
from offers.timeline import youth_timeline_parts
from tests.payloads import CRLF, SCRIPT, STORABLE

from .factories import OfferFactory, invite

pytestmark = pytest.mark.django_db


def _as_read_through_the_models(youth) -> list[TimelineEntry]:
    """The entries as the timeline wrote them from the models, before the rows."""
    entries = []
    transitions = (
        ProposalTransition.objects.filter(proposal__youth=youth)
        .select_related("proposal__offer__company", "proposal__offer__job_role", "actor")
        .order_by("created_at", "pk")
    )
    for transition in transitions:
        proposal = transition.proposal
        offer = proposal.offer
        if transition.from_status:
            title = f"Candidature {offer} : {transition.get_to_status_display()}"
        else:
            title = f"Proposé(e) à l'offre {offer}"
        text = transition.reason
        if transition.to_status == ProposalStatus.DECLINED and proposal.decline_reason:
            text = " ".join(filter(None, [proposal.get_decline_reason_display() + ".", text]))
        entries.append(
            TimelineEntry(
                timezone.localtime(transition.created_at).date(),
                "proposal",
                title,
                text,
                str(transition.actor or ""),
                url=reverse("offers:proposal_detail", args=[proposal.pk]),
                order=transition.pk,
            )
        )
    return entries


@pytest.mark.parametrize("payload", [*STORABLE, CRLF], ids=str)
def test_the_rows_give_the_entries_the_models_gave(world, published_offer, youth, payload):
    world.recruiter.first_name = payload.text
    world.recruiter.save()
    world.role.name = payload.text
    world.role.save()
    declined = services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    invite(declined, world.recruiter, note=payload.text)
    services.decline_proposal(
        proposal=declined,
        actor=world.recruiter,
        decline_reason=DeclineReason.OTHER,
        note=payload.text,
    )
    other = OfferFactory(company=world.company, job_role=world.role, published=True)
    open_one = services.propose_youth(offer=other, youth=youth, actor=world.advisor)
    # An actor since deleted, and one with no name (shown by their email).
    ProposalTransition.objects.filter(proposal=open_one).update(actor=None)
    world.advisor.first_name = world.advisor.last_name = ""
    world.advisor.save()
    entries = read_parts(youth_timeline_parts(youth))
    assert entries == _as_read_through_the_models(youth)
    assert len(entries) == 4
    assert {entry.author for entry in entries} == {
        f"{payload.text} Moreau".strip(),
        world.advisor.email,
        "",
    }
    assert any(entry.text.startswith("Autre motif.") for entry in entries)


def test_the_page_shows_the_moves_escaped(client, world, published_offer, youth):
    world.recruiter.last_name = SCRIPT.text
    world.recruiter.save()
    proposal = services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    invite(proposal, world.recruiter, note=SCRIPT.text)
    client.force_login(world.advisor)
    body = client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode()
    assert SCRIPT.text not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert f'<a href="{reverse("offers:proposal_detail", args=[proposal.pk])}">' in body
