"""The matching suggestions' kept ranking (`offers.matching.ranked_pool`): the same
youths, in the same order, with the same scores and reasons as the whole query, and
never read again once a youth it reads has changed, whichever path wrote the change
(the pool's stamp is changed by the database: `candidates.PoolStamp`)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from candidates import services as youths
from candidates.enums import (
    AssessmentMethod,
    AssessmentOutcome,
    Availability,
    ConsentMethod,
    Mobility,
    PathwayStage,
    YouthStatus,
)
from candidates.models import SCORE_FIELDS, PoolStamp, Youth
from offers import matching, services
from offers.enums import ContractType
from offers.matching import (
    SUGGESTION_FIELDS,
    _ranked,
    candidate_youths,
    score_youth,
    suggest_youths,
)
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory

from .factories import OfferFactory
from .test_matching import _varied_youths

pytestmark = pytest.mark.django_db


def published_offer(world, **criteria):
    """A published offer of the world's company for its job role, with `criteria`
    (contract, hours, postcode) as a test needs them."""
    return OfferFactory(company=world.company, job_role=world.role, published=True, **criteria)


def whole_query(offer, user, limit=20):
    """The suggestions as the page computed them before any ranking was kept: every
    proposable youth scored and ranked by the database."""
    keywords = offer.job_role.keyword_list
    rows = _ranked(candidate_youths(offer, user), offer, keywords).values_list(*SUGGESTION_FIELDS)[
        :limit
    ]
    return [
        score_youth(offer, keywords, dict(zip(SUGGESTION_FIELDS, row, strict=True))) for row in rows
    ]


def scored_queries(user, offer, limit=20) -> int:
    """How many queries of a `suggest_youths` call scored youths (0: the kept ranking)."""
    with CaptureQueriesContext(connection) as queries:
        suggest_youths(offer=offer, user=user, limit=limit)
    return sum(1 for q in queries.captured_queries if "CASE" in q["sql"])


def stamp(ml) -> str:
    return PoolStamp.objects.of([ml.pk])[ml.pk]


@pytest.mark.parametrize(
    ("contract", "hours", "postcode"),
    [
        (ContractType.CDI, 35, "13015"),
        (ContractType.APPRENTICESHIP, 24, "13001"),
        (ContractType.CDD, 20, ""),
    ],
)
def test_the_kept_ranking_gives_the_whole_querys_suggestions(world, contract, hours, postcode):
    _varied_youths(world, 300)  # five last names: many ties, broken by first name and id
    offer = published_offer(
        world,
        contract_type=contract,
        weekly_hours=hours,
        postcode=postcode,
    )
    for limit in (20, 5, 60):
        expected = whole_query(offer, world.advisor, limit)
        assert len(expected) == limit
        assert suggest_youths(offer=offer, user=world.advisor, limit=limit) == expected
        # Read again: from the kept ranking, the same suggestions, reasons included.
        assert scored_queries(world.advisor, offer, limit) == 0
        assert suggest_youths(offer=offer, user=world.advisor, limit=limit) == expected
    # Ties indeed: equal scores among the shown.
    scores = [s.score for s in whole_query(offer, world.advisor, 60)]
    assert len(set(scores)) < len(scores)

    # The offer's own proposals are left out when read, the kept ranking unchanged.
    top = whole_query(offer, world.advisor, 5)
    for suggestion in top[::2]:
        services.propose_youth(
            offer=offer, youth=Youth.objects.get(pk=suggestion.youth_id), actor=world.advisor
        )
    assert scored_queries(world.advisor, offer) == 0
    assert suggest_youths(offer=offer, user=world.advisor) == whole_query(offer, world.advisor)


def test_offers_alike_share_a_ranking_and_others_do_not(world):
    _varied_youths(world, 120)
    first = published_offer(world)
    alike = OfferFactory(
        company=world.other_company,
        job_role=world.role,
        published=True,
        contract_type=first.contract_type,
        weekly_hours=first.weekly_hours,
        postcode=first.postcode,
    )
    suggest_youths(offer=first, user=world.advisor)
    assert scored_queries(world.advisor, alike) == 0
    assert suggest_youths(offer=alike, user=world.advisor) == whole_query(alike, world.advisor)
    for change in (
        {"postcode": "69003" if first.postcode != "69003" else "13015"},
        {"weekly_hours": 20 if first.is_full_time else 35},
        {"contract_type": ContractType.CAE if first.contract_type != "cae" else "cdi"},
    ):
        other = published_offer(
            world,
            **{
                "contract_type": first.contract_type,
                "weekly_hours": first.weekly_hours,
                "postcode": first.postcode,
                **change,
            },
        )
        assert scored_queries(world.advisor, other) == 1, change
        assert suggest_youths(offer=other, user=world.advisor) == whole_query(other, world.advisor)
    # A job role's keywords edited: its offers' rankings are computed again.
    world.role.keywords = "livraison, logistique"
    world.role.save()
    first.refresh_from_db()
    assert scored_queries(world.advisor, first) == 1
    assert suggest_youths(offer=first, user=world.advisor) == whole_query(first, world.advisor)


def test_a_kept_ranking_too_short_for_the_page_gives_way_to_the_whole_query(world, monkeypatch):
    monkeypatch.setattr(matching, "RANKING_KEPT", 25)
    monkeypatch.setattr(matching, "READ_SLACK", 2)
    _varied_youths(world, 80)
    offer = published_offer(world)
    suggest_youths(offer=offer, user=world.advisor)  # kept: the best 25
    for suggestion in whole_query(offer, world.advisor, 10):
        services.propose_youth(
            offer=offer, youth=Youth.objects.get(pk=suggestion.youth_id), actor=world.advisor
        )
    # 15 of the kept 25 are left: the page needs the whole query.
    assert scored_queries(world.advisor, offer) == 1
    assert suggest_youths(offer=offer, user=world.advisor) == whole_query(offer, world.advisor)


def test_each_mission_locale_has_its_own_ranking(client, world):
    offer = published_offer(world)
    mine = YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)
    theirs = YouthFactory(mission_locale=world.ml_aix, advisor=world.advisor_aix, consented=True)
    assert [s.youth_id for s in suggest_youths(offer=offer, user=world.advisor)] == [mine.pk]
    assert [s.youth_id for s in suggest_youths(offer=offer, user=world.advisor_aix)] == [theirs.pk]
    url = reverse("offers:offer_suggestions", args=[offer.pk])
    client.force_login(world.advisor)
    body = client.get(url).content.decode()
    assert f'value="{mine.pk}"' in body and f'value="{theirs.pk}"' not in body
    # The pages of another organisation or region, with the ranking kept.
    client.force_login(world.advisor_lyon)
    assert client.get(url).status_code == 404
    client.force_login(world.recruiter)
    assert client.get(url).status_code in (403, 404)


# --- Every path that writes a youth changes the stamp -----------------------------------


@pytest.fixture
def pool(world):
    """Twenty-two youths alike, and Zoé Zeller, alike too but last by name (not shown);
    `star`, the best of all, shown first. The offer: a CDI in 13015, full time."""
    offer = published_offer(
        world,
        contract_type=ContractType.CDI,
        weekly_hours=35,
        postcode="13015",
    )
    alike = {
        "mission_locale": world.ml,
        "advisor": world.advisor,
        "consented": True,
        "skills": "",
        "previous_sector": "",
        "availability": "",
        "mobility": Mobility.LOCAL,
        "postcode": "69003",
        "contract_wishes": [],
    }
    for n in range(22):
        YouthFactory(first_name=f"Prénom{n:02}", last_name="Arnaud", **alike)
    zoe = YouthFactory(first_name="Zoé", last_name="Zeller", **alike)
    star = YouthFactory(
        first_name="Inès",
        last_name="Benhamou",
        **{**alike, "skills": "Accueil, téléphone", "postcode": "13015"},
        in_stage=PathwayStage.IMMERSION,
    )
    shown = [s.youth_id for s in suggest_youths(offer=offer, user=world.advisor)]
    assert shown[0] == star.pk and zoe.pk not in shown
    return offer, zoe, star


def _manager(world):
    return make_member(Role.ML_MANAGER, organisation=world.ml)


RAISING_ZOE = {
    "skills": lambda world, zoe: youths.update_youth(
        youth=zoe, actor=world.advisor, skills="Accueil, téléphone, vente"
    ),
    "previous sector": lambda world, zoe: youths.update_youth(
        youth=zoe, actor=world.advisor, previous_sector="Vente, accueil"
    ),
    "postcode": lambda world, zoe: youths.update_youth(
        youth=zoe, actor=world.advisor, postcode="13015"
    ),
    "mobility": lambda world, zoe: youths.update_youth(
        youth=zoe, actor=world.advisor, mobility=Mobility.VEHICLE
    ),
    "availability": lambda world, zoe: youths.update_youth(
        youth=zoe, actor=world.advisor, availability=Availability.IMMEDIATE
    ),
    "contract wishes": lambda world, zoe: youths.update_youth(
        youth=zoe, actor=world.advisor, contract_wishes=["cdi"]
    ),
    "last name": lambda world, zoe: youths.update_youth(
        youth=zoe, actor=world.advisor, last_name="Aaron"
    ),
    "pathway stage": lambda world, zoe: youths.record_pathway_event(
        youth=zoe, stage=PathwayStage.DISCOVERY, actor=world.advisor, occurred_on=date.today()
    ),
    "assessment": lambda world, zoe: youths.record_assessment(
        youth=zoe,
        actor=world.advisor,
        assessed_on=date.today(),
        method=AssessmentMethod.values[0],
        scores=dict.fromkeys(SCORE_FIELDS, 4),
        outcome=AssessmentOutcome.FAVOURABLE,
    ),
    "bulk update": lambda world, zoe: Youth.objects.filter(pk=zoe.pk).update(
        skills="accueil, téléphone"
    ),
}


@pytest.mark.parametrize("path", sorted(RAISING_ZOE))
def test_a_change_that_raises_a_youth_is_seen_at_once(world, pool, path):
    offer, zoe, _star = pool
    before = stamp(world.ml)
    RAISING_ZOE[path](world, zoe)
    assert stamp(world.ml) != before
    shown = suggest_youths(offer=offer, user=world.advisor)
    assert zoe.pk in [s.youth_id for s in shown]
    assert shown == whole_query(offer, world.advisor)


REMOVING_STAR = {
    "consent withdrawn": lambda world, star: youths.withdraw_sharing_consent(
        youth=star, actor=world.advisor, method=ConsentMethod.EMAIL
    ),
    "anonymised": lambda world, star: youths.anonymise_youth(
        youth=star, actor=_manager(world), reason="Demande du jeune"
    ),
    "moved to another mission locale": lambda world, star: youths.move_youth_to_mission_locale(
        youth=star, mission_locale=world.ml_aix, actor=_manager(world)
    ),
    "hired": lambda world, star: youths.record_pathway_event(
        youth=star,
        stage=PathwayStage.HIRED,
        actor=world.advisor,
        occurred_on=date.today(),
        source="CDI",
    ),
    "file closed in bulk": lambda world, star: Youth.objects.filter(pk=star.pk).update(
        status=YouthStatus.CLOSED
    ),
    "row deleted": lambda world, star: Youth.objects.filter(pk=star.pk).delete(),
}


@pytest.mark.parametrize("path", sorted(REMOVING_STAR))
def test_a_youth_who_leaves_the_pool_is_never_suggested_again(world, pool, path):
    offer, _zoe, star = pool
    before = stamp(world.ml)
    REMOVING_STAR[path](world, star)
    assert stamp(world.ml) != before
    shown = suggest_youths(offer=offer, user=world.advisor)
    assert star.pk not in [s.youth_id for s in shown]
    assert shown == whole_query(offer, world.advisor)
    if path == "moved to another mission locale":
        assert [s.youth_id for s in suggest_youths(offer=offer, user=world.advisor_aix)] == [
            star.pk
        ]


def test_a_youth_added_or_consenting_is_suggested_at_once(world, pool):
    offer, _zoe, star = pool
    before = stamp(world.ml)
    # The import's path: rows written in bulk.
    [imported] = Youth.objects.bulk_create(
        [
            Youth(
                mission_locale=world.ml,
                first_name="Adam",
                last_name="Abadie",
                search_name="abadie adam",
                birth_date=date(2005, 1, 1),
                current_stage=PathwayStage.TRAINING,
                skills="Accueil, téléphone, vente",
                postcode="13015",
                consent_shared_at=star.consent_shared_at,
            )
        ]
    )
    assert stamp(world.ml) != before
    assert suggest_youths(offer=offer, user=world.advisor)[0].youth_id == imported.pk
    # A youth registered without consent, then consenting.
    [late] = youths.register_youths(
        actor=world.advisor,
        mission_locale=world.ml,
        rows=[
            {
                "first_name": "Aïcha",
                "last_name": "Aubert",
                "birth_date": date(2006, 3, 14),
                "skills": "Accueil, téléphone, vente, standard",
                "postcode": "13015",
                "availability": Availability.IMMEDIATE,
            }
        ],
    )
    assert late.pk not in [s.youth_id for s in suggest_youths(offer=offer, user=world.advisor)]
    youths.record_sharing_consent(youth=late, actor=world.advisor, method=ConsentMethod.SIGNED_FORM)
    shown = suggest_youths(offer=offer, user=world.advisor)
    assert late.pk in [s.youth_id for s in shown]
    assert shown == whole_query(offer, world.advisor)


def test_a_change_the_suggestions_do_not_read_keeps_the_ranking(world, pool):
    offer, zoe, _star = pool
    before = stamp(world.ml)
    youths.update_youth(youth=zoe, actor=world.advisor, city="Nice", phone="0601020304")
    Youth.objects.filter(pk=zoe.pk).update(next_appointment_on=date(2030, 1, 1))
    assert stamp(world.ml) == before
    assert scored_queries(world.advisor, offer) == 0


def test_a_stamp_is_never_handed_out_twice(world, pool):
    """Random tokens, not a counter: a database restored from a backup never stamps a
    new state with a stamp that was kept for another."""
    _offer, zoe, _star = pool
    seen = {stamp(world.ml)}
    for n in range(5):
        Youth.objects.filter(pk=zoe.pk).update(skills=f"compétence {n}")
        seen.add(stamp(world.ml))
    assert len(seen) == 6


# --- The page's reasons, written in Python ------------------------------------------------

# The template's former loop over a suggestion's reasons.
FORMER_REASONS = (
    '{% for reason in s.reasons %}<li class="{% if reason.is_positive %}reason-plus'
    '{% elif reason.points < 0 %}reason-minus{% endif %}">{{ reason.text }} '
    "({% if reason.points > 0 %}+{% endif %}{{ reason.points }})</li>{% endfor %}"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_reasons_are_written_as_the_templates_loop_wrote_them(world, language):
    from django.template import Context, Template
    from django.utils import translation

    from offers.views.board import _reason_items
    from tests.payloads import SCRIPT

    # A role's keyword shows in a reason: an admin's hostile one stays text.
    world.role.keywords = f"accueil, vente, {SCRIPT.text}"
    world.role.save()
    _varied_youths(world, 150)
    Youth.objects.filter(pk__in=Youth.objects.order_by("pk").values("pk")[:20]).update(
        skills=f"accueil {SCRIPT.text}"
    )
    former = Template(FORMER_REASONS)
    codes = set()
    # The page's items by reason, shared by every suggestion (and here by both offers).
    drawn: dict = {}
    with translation.override(language):
        for contract, hours, postcode in [("cdi", 35, "13015"), ("apprenticeship", 20, "13001")]:
            offer = published_offer(
                world,
                contract_type=contract,
                weekly_hours=hours,
                postcode=postcode,
            )
            for suggestion in whole_query(offer, world.advisor, limit=150):
                codes.update((r.code, (r.points > 0) - (r.points < 0)) for r in suggestion.reasons)
                assert _reason_items(suggestion.reasons, drawn) == former.render(
                    Context({"s": suggestion})
                )
    # Positive, negative and null reasons, and the hostile keyword, all met.
    assert {sign for _code, sign in codes} == {1, 0, -1}
    assert ("skills", 1) in codes
    assert SCRIPT.text not in _reason_items(
        [matching.Reason("skills", 10, ("accueil", SCRIPT.text))], {}
    )


def test_every_youth_column_the_kept_ranking_reads_changes_the_stamp(world):
    """The columns of the youths' table in the SQL that computes a kept ranking (who is
    in the pool, the score, the tie-breaks) are all in `POOL_COLUMNS`, the columns the
    triggers watch: a criterion added to the score without its trigger would keep
    rankings past a change of the youths they read."""
    import re

    from candidates.models import POOL_COLUMNS

    offer = published_offer(world)
    keywords = offer.job_role.keyword_list
    pool = matching._proposable(Youth.objects.filter(mission_locale_id=world.ml.pk))
    sql = str(matching._ranked(pool, offer, keywords).values_list("pk").query)
    table = Youth._meta.db_table
    read = set(re.findall(rf'"{table}"\."(\w+)"', sql))
    assert read, sql
    assert read - {"id"} <= set(POOL_COLUMNS), read - set(POOL_COLUMNS)


# --- Stamps appended, never updated --------------------------------------------------------


def test_a_row_committed_below_the_latest_still_changes_the_stamp(world, pool):
    """Ids are handed out at the write, not at the commit: a transaction that commits
    after a later one adds a row below the latest id. The stamp counts the rows, so it
    changes all the same."""
    latest = PoolStamp.objects.filter(mission_locale=world.ml).latest("pk")
    before = stamp(world.ml)
    PoolStamp.objects.create(pk=latest.pk + 50, mission_locale=world.ml, stamp="plus-tard")
    after_later = stamp(world.ml)
    PoolStamp.objects.create(pk=latest.pk + 20, mission_locale=world.ml, stamp="plus-tot")
    assert len({before, after_later, stamp(world.ml)}) == 3


def test_the_daily_fold_keeps_one_new_row_a_pool_and_a_stamp_never_seen(world, pool, settings):
    from candidates.tasks import fold_stamps

    offer, zoe, _star = pool
    seen = {stamp(world.ml)}
    for n in range(4):
        Youth.objects.filter(pk=zoe.pk).update(skills=f"compétence {n}")
        seen.add(stamp(world.ml))
    assert PoolStamp.objects.filter(mission_locale=world.ml).count() > 1
    suggestions_before = [
        s.youth_id for s in matching.suggest_youths(offer=offer, user=world.advisor)
    ]

    assert fold_stamps()["pools"] >= 1
    assert PoolStamp.objects.filter(mission_locale=world.ml).count() == 1
    assert stamp(world.ml) not in seen
    assert fold_stamps() == {"pools": 0}  # twice: nothing more to fold
    # The fold changes no data: the ranking computed again is the same.
    after = [s.youth_id for s in matching.suggest_youths(offer=offer, user=world.advisor)]
    assert after == suggestions_before
    jobs = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "candidates.tasks.fold_stamps" in jobs


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL's")
def test_two_writers_of_one_mission_locale_do_not_wait_for_each_other(world):
    """An import's transaction writes youths of a mission locale for its whole file: an
    advisor saving another youth of it meanwhile must not wait for it to end."""
    import threading

    from django.db import connections, transaction

    first, second = YouthFactory(mission_locale=world.ml), YouthFactory(mission_locale=world.ml)
    holding, done = threading.Event(), threading.Event()
    errors = []

    def long_transaction():
        try:
            with transaction.atomic():
                Youth.objects.filter(pk=first.pk).update(skills="accueil")
                holding.set()
                done.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=long_transaction)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            try:
                Youth.objects.filter(pk=second.pk).update(skills="vente")
            except Exception as exc:  # noqa: BLE001 (the lock timeout is the failure)
                errors.append(exc)
    finally:
        done.set()
        thread.join(10)
    assert errors == []
