"""Matching suggestions: ranked by fit, with the reasons, the same order every time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from candidates.enums import AssessmentOutcome, Availability, Mobility, PathwayStage
from offers import services
from offers.enums import ContractType
from offers.matching import score_youth, suggest_youths
from tests.candidates.factories import YouthFactory

from .factories import OfferFactory

pytestmark = pytest.mark.django_db


def make_youth(world, first, last, **kwargs):
    in_stage = kwargs.pop("in_stage", None)
    outcome = kwargs.pop("outcome", "")
    youth = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=kwargs.pop("consented", True),
        first_name=first,
        last_name=last,
        in_stage=in_stage,
        **kwargs,
    )
    if outcome:
        type(youth).objects.filter(pk=youth.pk).update(last_assessment_outcome=outcome)
    return youth


@pytest.fixture
def offer(world):
    return OfferFactory(
        company=world.company,
        job_role=world.role,
        published=True,
        postcode="13015",
        weekly_hours=35,
        contract_type=ContractType.CDI,
    )


def test_the_best_fit_comes_first_with_its_reasons(world, offer):
    make_youth(
        world,
        "Inès",
        "Benhamou",
        in_stage=PathwayStage.IMMERSION,
        outcome=AssessmentOutcome.FAVOURABLE,
        skills="Accueil, téléphone",
        previous_sector="Vente",
        availability=Availability.IMMEDIATE,
        mobility=Mobility.LOCAL,
        postcode="13015",
    )
    make_youth(
        world,
        "Yanis",
        "Moulin",
        in_stage=PathwayStage.DISCOVERY,
        outcome=AssessmentOutcome.WITH_TRAINING,
        skills="Livraison",
        previous_sector="Logistique",
        availability=Availability.WITHIN_MONTH,
        mobility=Mobility.PUBLIC_TRANSPORT,
        postcode="13001",
    )
    make_youth(
        world,
        "Mehdi",
        "Chabane",
        outcome=AssessmentOutcome.UNFAVOURABLE,
        skills="",
        previous_sector="",
        availability=Availability.PART_TIME,
        mobility=Mobility.LOCAL,
        postcode="69003",
    )
    suggestions = suggest_youths(offer=offer, user=world.advisor)
    assert [(s.first_name, s.score) for s in suggestions] == [
        # immersion 25 + favourable 30 + accueil/téléphone/vente 15 + immediate 15 + commune 15
        ("Inès", 100),
        # discovery 15 + with training 15 + within a month 10 + same department, mobile 10
        ("Yanis", 50),
        # information 5 + unfavourable -20 + part time on a full-time job -15 + far -10
        ("Mehdi", -40),
    ]
    ines = suggestions[0]
    assert [(r.text, r.points) for r in ines.reasons] == [
        ("Parcours : Immersion", 25),
        ("Évaluation : Favorable", 30),
        ("Compétences utiles au poste : téléphone, accueil, vente", 15),
        ("Disponibilité : Immédiate", 15),
        ("Habite la commune du poste", 15),
    ]


def test_ties_are_broken_by_name_then_id_so_the_order_never_changes(world, offer):
    for first, last in [("Zoé", "Martin"), ("Adam", "Martin"), ("Léo", "Bernard")]:
        make_youth(world, first, last, skills="", previous_sector="", postcode="13015")
    first = [s.first_name for s in suggest_youths(offer=offer, user=world.advisor)]
    assert first == ["Léo", "Adam", "Zoé"]
    assert [s.first_name for s in suggest_youths(offer=offer, user=world.advisor)] == first


def test_only_proposable_youths_of_the_advisors_mission_locale_are_suggested(world, offer):
    keep = make_youth(world, "Inès", "Benhamou")
    make_youth(world, "Sans", "Accord", consented=False)
    make_youth(world, "Déjà", "Embauché", in_stage=PathwayStage.HIRED)
    proposed = make_youth(world, "Déjà", "Proposé")
    services.propose_youth(offer=offer, youth=proposed, actor=world.advisor)
    YouthFactory(mission_locale=world.ml_aix, consented=True, first_name="Autre")
    assert [s.youth_id for s in suggest_youths(offer=offer, user=world.advisor)] == [keep.pk]
    assert suggest_youths(offer=offer, user=world.advisor_aix)[0].first_name == "Autre"


def test_a_work_study_contract_values_an_assessment_asking_for_training(world):
    offer = OfferFactory(company=world.company, contract_type=ContractType.APPRENTICESHIP)
    row = {
        "pk": 1,
        "first_name": "A",
        "last_name": "B",
        "current_stage": PathwayStage.INFORMATION,
        "last_assessment_outcome": AssessmentOutcome.WITH_TRAINING,
        "skills": "",
        "previous_sector": "",
        "availability": "",
        "mobility": "",
        "postcode": "",
    }
    suggestion = score_youth(offer, [], row)
    assert suggestion.reasons[1].points == 25
    assert "l'alternance la fournit" in suggestion.reasons[1].text


def test_part_time_wish_meets_a_part_time_offer(world):
    offer = OfferFactory(company=world.company, weekly_hours=24)
    row = {
        "pk": 1,
        "first_name": "A",
        "last_name": "B",
        "current_stage": PathwayStage.INFORMATION,
        "last_assessment_outcome": "",
        "skills": "",
        "previous_sector": "",
        "availability": Availability.PART_TIME,
        "mobility": Mobility.VEHICLE,
        "postcode": "75012",
    }
    reasons = {r.text: r.points for r in score_youth(offer, [], row).reasons}
    assert reasons["Souhaite un temps partiel, comme le poste"] == 10
    assert reasons["Loin du poste mais véhiculé(e)"] == 5
    assert reasons["Pas encore évalué(e)"] == 0


def test_the_fast_ranking_gives_the_same_points_as_the_explained_score(world):
    import itertools

    from offers.matching import SUGGESTION_FIELDS, fast_scorer

    for contract, hours in ((ContractType.CDI, 35), (ContractType.APPRENTICESHIP, 24)):
        offer = OfferFactory(
            company=world.company, contract_type=contract, weekly_hours=hours, postcode="13015"
        )
        keywords = offer.job_role.keyword_list
        fast = fast_scorer(offer, keywords)
        combos = itertools.product(
            list(PathwayStage.values[:4]),
            [*AssessmentOutcome.values, ""],
            ["Accueil, téléphone", ""],
            [*Availability.values, ""],
            [*Mobility.values, ""],
            ["13015", "13001", "69003", ""],
            [[], ["cdi"], ["apprenticeship", "professionalisation"]],
        )
        for n, (stage, outcome, skills, availability, mobility, postcode, wishes) in enumerate(
            combos
        ):
            row = (
                n,
                "A",
                "B",
                stage,
                outcome,
                skills,
                "Vente",
                availability,
                mobility,
                postcode,
                wishes,
            )
            explained = score_youth(offer, keywords, dict(zip(SUGGESTION_FIELDS, row, strict=True)))
            assert fast(row) == explained.score, row


def test_contract_wishes_weigh_in_with_their_reason(world, offer):
    common = {
        "in_stage": PathwayStage.IMMERSION,
        "outcome": AssessmentOutcome.FAVOURABLE,
        "availability": Availability.IMMEDIATE,
        "postcode": "13015",
    }
    make_youth(world, "Anna", "Arnaud", contract_wishes=["apprenticeship"], **common)
    make_youth(world, "Chloé", "Caron", **common)
    make_youth(world, "Zoé", "Zeller", contract_wishes=["cdd", "cdi"], **common)
    suggestions = suggest_youths(offer=offer, user=world.advisor)
    # Same profile otherwise: the one wishing a CDI first, no preference next, then the
    # one who wants another contract (the name order alone would say the reverse).
    assert [s.first_name for s in suggestions] == ["Zoé", "Chloé", "Anna"]
    wished, neutral, unwished = suggestions
    assert wished.score - neutral.score == 10 and neutral.score - unwished.score == 10
    assert {r.text: r.points for r in wished.reasons}["Souhaite un CDI"] == 10
    assert {r.text: r.points for r in unwished.reasons}["Ne souhaite pas ce type de contrat"] == -10
    assert not [r for r in neutral.reasons if "contrat" in r.text.lower() or "CDI" in r.text]
    # The same order every time.
    assert [s.youth_id for s in suggest_youths(offer=offer, user=world.advisor)] == [
        s.youth_id for s in suggestions
    ]


def test_the_suggestions_page_shows_the_contract_wish_reason(client, world, offer):
    make_youth(world, "Zoé", "Zeller", contract_wishes=["cdi"], in_stage=PathwayStage.IMMERSION)
    client.force_login(world.advisor)
    body = client.get(reverse("offers:offer_suggestions", args=[offer.pk])).content.decode()
    assert "Zoé" in body and "Souhaite un CDI" in body
