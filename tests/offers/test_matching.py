"""Matching suggestions: ranked by fit, with the reasons, the same order every time."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.enums import AssessmentOutcome, Availability, Mobility, PathwayStage
from offers import services
from offers.enums import ContractType
from offers.matching import RANKING_KEPT, score_youth, suggest_youths
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


def _varied_youths(world, count: int) -> list:
    """`count` youths covering every branch of the score, in a seeded pseudo-random
    mix: stages, outcomes, skills with and without the role's words (capitals,
    accents, a word across skills and sector), availabilities, mobilities, postcodes
    (same commune, department, elsewhere, none) and contract wishes (none,
    the offer's, others)."""
    import random

    from candidates.models import Youth
    from candidates.text import normalise_name

    rng = random.Random(18)
    skills = [
        "",
        "Accueil, téléphone",
        "TÉLÉPHONE, ÉCOUTE, standard",
        "relation",
        "Écoute active, vente, accueil, standard, téléphone",
        "Livraison",
    ]
    sectors = ["", "Vente", "client et logistique", "Relation client", "BTP"]
    if connection.vendor == "sqlite":  # its LOWER() leaves "É" as it is: lowered here
        skills = ["".join(c if c.isascii() else c.lower() for c in text) for text in skills]
    wishes = [[], ["cdi"], ["cdd"], ["apprenticeship", "professionalisation"], ["cdd", "cdi"]]
    youths = []
    for n in range(count):
        first, last = f"Prénom{n}", rng.choice(["Martin", "Écuyer", "bernard", "Zoé", "Ölm"])
        youths.append(
            Youth(
                mission_locale=world.ml,
                advisor=world.advisor,
                first_name=first,
                last_name=last,
                search_name=normalise_name(last, first),
                birth_date=date(2005, 1, 1),
                current_stage=rng.choice(PathwayStage.values),
                last_assessment_outcome=rng.choice([*AssessmentOutcome.values, ""]),
                skills=rng.choice(skills),
                previous_sector=rng.choice(sectors),
                availability=rng.choice([*Availability.values, ""]),
                mobility=rng.choice([*Mobility.values, ""]),
                postcode=rng.choice(["13015", "13001", "69003", "", "1"]),
                contract_wishes=rng.choice(wishes),
                consent_shared_at=timezone.now(),
            )
        )
    return Youth.objects.bulk_create(youths)


@pytest.mark.parametrize(
    ("contract", "hours", "postcode"),
    [
        (ContractType.CDI, 35, "13015"),
        (ContractType.APPRENTICESHIP, 24, "13015"),
        (ContractType.CDD, 20, ""),
    ],
)
def test_the_sql_score_is_the_explained_score(world, contract, hours, postcode):
    from candidates.models import Youth
    from offers.matching import SUGGESTION_FIELDS, score_expression

    youths = _varied_youths(world, 600)
    offer = OfferFactory(
        company=world.company, contract_type=contract, weekly_hours=hours, postcode=postcode
    )
    keywords = offer.job_role.keyword_list
    rows = (
        Youth.objects.filter(pk__in=[y.pk for y in youths])
        .annotate(match_score=score_expression(offer, keywords))
        .values_list(*SUGGESTION_FIELDS, "match_score")
    )
    scores, codes = set(), set()
    for *row, in_sql in rows:
        explained = score_youth(offer, keywords, dict(zip(SUGGESTION_FIELDS, row, strict=True)))
        assert in_sql == explained.score, row
        scores.add(in_sql)
        codes.update(reason.code for reason in explained.reasons)
    # A varied set indeed: many scores, and every reason the offer allows.
    assert len(scores) >= 20
    assert codes >= {"stage", "outcome", "not_assessed", "skills", "availability"}
    assert {"contract_wished", "contract_not_wished"} <= codes
    if postcode:
        assert codes >= {"same_commune", "same_department_mobile", "same_department"}
        assert codes >= {"far_with_vehicle", "far_not_mobile"}
    assert ("part_time_met" in codes) == (hours < 35)
    assert ("outcome_work_study" in codes) == (contract == ContractType.APPRENTICESHIP)


def test_suggestions_are_the_best_scores_in_name_order(world, offer):
    """The database's rank is the former one: sorted in Python by score, then the
    lowered last name, first name and id."""
    from offers.matching import SUGGESTION_FIELDS, candidate_youths

    _varied_youths(world, 300)
    keywords = offer.job_role.keyword_list
    rows = candidate_youths(offer, world.advisor).values_list(*SUGGESTION_FIELDS)
    every = [
        score_youth(offer, keywords, dict(zip(SUGGESTION_FIELDS, row, strict=True))) for row in rows
    ]
    # SQLite's LOWER() lowers ASCII letters only.
    lower = _ascii_lower if connection.vendor == "sqlite" else str.lower
    every.sort(key=lambda s: (-s.score, lower(s.last_name), lower(s.first_name), s.youth_id))
    shown = suggest_youths(offer=offer, user=world.advisor, limit=40)
    assert len(every) > 100
    assert [(s.youth_id, s.score) for s in shown] == [(s.youth_id, s.score) for s in every[:40]]


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def test_the_suggestions_cost_the_same_queries_for_any_number_of_youths(
    client, world, offer, django_assert_num_queries
):
    client.force_login(world.advisor)
    url = reverse("offers:offer_suggestions", args=[offer.pk])
    _varied_youths(world, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _varied_youths(world, 200)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        suggest_youths(offer=offer, user=world.advisor)
    # The ranking kept by the page: the shown youths read by their ids, none scored.
    on_youths = [q for q in kept.captured_queries if 'FROM "candidates_youth"' in q["sql"]]
    assert len(on_youths) == 1 and "CASE" not in on_youths[0]["sql"]
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        suggest_youths(offer=offer, user=world.advisor)
    # None kept: the pool scored, ranked and cut by the database in one query.
    on_youths = [q for q in cold.captured_queries if 'FROM "candidates_youth"' in q["sql"]]
    assert len(on_youths) == 2 and f"LIMIT {RANKING_KEPT}" in on_youths[0]["sql"]


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


def test_the_suggestions_offer_is_the_orms_with_its_pools_stamp(world, offer):
    """`suggestion_offer` loads what the ORM's queryset gives the suggestions (the
    offer's columns, its job and company, the user's pool's stamp), and nothing where
    the queryset holds nothing or for anyone but an advisor of one mission locale."""
    from accounts.models import Membership
    from offers.matching import pool_stamps, suggestion_offer, with_pool_stamps
    from offers.models import Offer

    make_youth(world, "Inès", "Benali")
    full = with_pool_stamps(
        Offer.objects.once_published_for_missions_locales(world.advisor).select_related(
            "company", "job_role"
        ),
        world.advisor,
    ).get(pk=offer.pk)
    loaded = suggestion_offer(world.advisor, offer.pk)
    for name in ("pk", "region_id", "contract_type", "weekly_hours", "postcode", "status"):
        assert getattr(loaded, name) == getattr(full, name)
    assert loaded.published_at == full.published_at and loaded.is_full_time == full.is_full_time
    assert str(loaded.job_role) == str(full.job_role) and str(loaded.company) == str(full.company)
    assert loaded.job_role.keyword_list == full.job_role.keyword_list
    assert pool_stamps(loaded, world.advisor) == pool_stamps(full, world.advisor) != {}
    # Closed since: still found, as the ORM's queryset finds it (the page then says why).
    Offer.objects.filter(pk=offer.pk).update(status="closed_unfilled")
    assert suggestion_offer(world.advisor, offer.pk).status == "closed_unfilled"
    lyon = OfferFactory(company=world.company, job_role=world.role, published=True)
    Offer.objects.filter(pk=lyon.pk).update(region=world.lyon)
    draft = OfferFactory(company=world.company, job_role=world.role)
    assert suggestion_offer(world.advisor, lyon.pk) is None
    assert suggestion_offer(world.advisor, draft.pk) is None
    for user in (world.admin, world.recruiter, world.lead):
        assert suggestion_offer(user, offer.pk) is None
    # An advisor of two missions locales: the ORM's way.
    Membership.objects.create(user=world.advisor_aix, organisation=world.ml, role="advisor")
    assert suggestion_offer(world.advisor_aix, offer.pk) is None


def test_the_suggestions_page_reads_its_offer_the_same_for_one_mission_locale_or_two(
    client, world, offer
):
    from accounts.models import Membership

    make_youth(world, "Inès", "Benali")
    url = reverse("offers:offer_suggestions", args=[offer.pk])
    client.force_login(world.advisor)
    one = client.get(url)
    assert one.status_code == 200 and "BENALI" in one.content.decode()
    Membership.objects.create(user=world.advisor, organisation=world.ml_aix, role="advisor")
    two = client.get(url)
    assert two.status_code == 200 and "BENALI" in two.content.decode()
    assert f"{offer.job_role} · {offer.company}" in one.content.decode()
    assert f"{offer.job_role} · {offer.company}" in two.content.decode()


def test_the_compiled_candidate_rows_are_the_orms(world, offer):
    """The suggestions read their shown youths through a query compiled once
    (`_candidate_rows`, an advisor of one mission locale): the same rows as the ORM's
    `candidate_youths(offer, user)` among the same keys, whoever is left out (no
    consent, withdrawn, hired, out, already proposed, another mission locale)."""
    from candidates.enums import YouthStatus
    from candidates.models import Youth
    from offers.matching import SUGGESTION_FIELDS, _candidate_rows, candidate_youths
    from offers.models import Proposal

    from .factories import ProposalFactory

    kept = make_youth(world, "Inès", "Benali", skills="accueil")
    make_youth(world, "Sans", "Accord", consented=False)
    withdrawn = make_youth(world, "Retiré", "Accord")
    Youth.objects.filter(pk=withdrawn.pk).update(consent_withdrawn_at=timezone.now())
    make_youth(world, "En", "Emploi", in_stage=PathwayStage.HIRED)
    gone = make_youth(world, "Suivi", "Clos")
    Youth.objects.filter(pk=gone.pk).update(status=YouthStatus.CLOSED)
    proposed = make_youth(world, "Déjà", "Proposé")
    ProposalFactory(offer=offer, youth=proposed)
    declined = make_youth(world, "Refusé", "Avant")
    ProposalFactory(offer=offer, youth=declined, declined=True)
    elsewhere = YouthFactory(mission_locale=world.ml_aix, consented=True)
    keys = list(Youth.objects.order_by("pk").values_list("pk", flat=True))
    mission_locale_id = world.ml.pk
    compiled = _candidate_rows(offer.pk, mission_locale_id, keys)
    orm = (
        candidate_youths(offer, world.advisor)
        .filter(pk__in=keys)
        .order_by()
        .values_list(*SUGGESTION_FIELDS)
    )
    assert sorted(compiled) == sorted(orm)
    shown = {row[0] for row in compiled}
    assert kept.pk in shown and elsewhere.pk not in shown and proposed.pk not in shown
    # A declined proposal is no longer active: its youth may be proposed again.
    assert not Proposal.objects.active().filter(offer=offer, youth=declined).exists()
    assert declined.pk in shown
    # A subset of keys, and none: the same query, other values.
    assert _candidate_rows(offer.pk, mission_locale_id, [kept.pk]) == list(orm.filter(pk=kept.pk))
    assert _candidate_rows(offer.pk, mission_locale_id, []) == []
