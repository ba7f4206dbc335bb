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


def full_space():
    """A youth of Marseille with everything their space shows: consent given (proof
    recorded), a next step, two sessions (one in five days), proposals at three stages,
    and a recruiter whose board shows them. Returns (space, recruiter, board offer)."""
    from accounts.enums import Role
    from candidates.enums import ConsentMethod, PathwayStage
    from candidates.services import record_pathway_event, record_sharing_consent
    from immersion import services as immersion_services
    from offers.services import decline_proposal
    from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
    from tests.immersion.factories import SessionFactory, _in_days
    from tests.offers.factories import OfferFactory, ProposalFactory, invite
    from youthspace.services import set_next_step

    region = RegionFactory(paca=True)
    ml = OrganisationFactory(
        mission_locale=True, region=region, name="Mission locale de Marseille", city="Marseille"
    )
    advisor = make_member(
        Role.ADVISOR, organisation=ml, first_name="Camille", last_name="Roche", phone="0491000000"
    )
    youth = YouthFactory(
        mission_locale=ml,
        advisor=advisor,
        first_name="Inès",
        last_name="Bensaïd",
        email="ines.bensaid@exemple.fr",
    )
    record_sharing_consent(youth=youth, actor=advisor, method=ConsentMethod.SIGNED_FORM)
    record_pathway_event(
        youth=youth,
        stage=PathwayStage.DISCOVERY,
        actor=advisor,
        occurred_on=youth.registered_on,
    )
    space = open_space(youth)
    set_next_step(
        actor=advisor,
        youth=youth,
        text="Venir à la journée d'immersion chez Méditel avec une pièce d'identité.",
    )
    company = OrganisationFactory(company=True, region=region, name="Méditel Relation Client")
    recruiter = make_member(Role.RECRUITER, organisation=company, first_name="Romain")
    for days, title in ((5, "Journée d'immersion chez Méditel"), (12, "Rencontre métiers")):
        session = SessionFactory(
            host=company, starts_at=_in_days(days), title=title, place="12 rue de la République"
        )
        immersion_services.enrol_youths(actor=advisor, session=session, youths=[youth])
    board = OfferFactory(published=True, company=company)
    ProposalFactory(youth=youth, offer=board, proposed_by=advisor)
    interview = ProposalFactory(
        youth=youth, offer=OfferFactory(published=True, company=company), proposed_by=advisor
    )
    invite(interview, recruiter, place="5 quai du Port, Marseille")
    declined = ProposalFactory(
        youth=youth, offer=OfferFactory(published=True, company=company), proposed_by=advisor
    )
    decline_proposal(proposal=declined, actor=recruiter, decline_reason="profile_mismatch")
    space.refresh_from_db()
    return space, recruiter, board
