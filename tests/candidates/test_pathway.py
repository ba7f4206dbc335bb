from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.enums import Role
from accounts.years import add_months
from candidates.enums import CheckInStatus, ConsentMethod, ExitReason, PathwayStage, YouthStatus
from candidates.models import InCompanyCheckIn, PathwayEvent, Youth
from candidates.services import (
    record_pathway_event,
    record_sharing_consent,
    register_youth,
    schedule_follow_ups_after_hiring,
    withdraw_sharing_consent,
)
from tests.accounts.factories import make_member

from .factories import YouthFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_register_youth_starts_the_pathway_with_information():
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    youth = register_youth(
        actor=advisor,
        mission_locale=ml,
        first_name="Éloïse",
        last_name="Lefèvre",
        birth_date=TODAY() - timedelta(days=365 * 20),
        advisor=advisor,
    )
    assert youth.current_stage == PathwayStage.INFORMATION
    assert youth.search_name == "lefevre eloise"
    event = youth.pathway_events.get()
    assert (event.stage, event.author) == (PathwayStage.INFORMATION, advisor)


@pytest.mark.parametrize("years", [15, 26])
def test_register_youth_refuses_outside_16_to_25(years):
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    with pytest.raises(ValidationError) as exc:
        register_youth(
            actor=advisor,
            mission_locale=ml,
            first_name="A",
            last_name="B",
            birth_date=TODAY() - timedelta(days=365 * years + 30),
        )
    assert "entre 16 et 25 ans" in exc.value.message_dict["birth_date"][0]
    assert not Youth.objects.exists()


def test_register_youth_refuses_an_advisor_of_another_mission_locale():
    advisor = make_member(Role.ADVISOR)
    other = make_member(Role.ADVISOR)
    with pytest.raises(ValidationError) as exc:
        register_youth(
            actor=advisor,
            mission_locale=advisor.memberships.get().organisation,
            first_name="A",
            last_name="B",
            birth_date=TODAY() - timedelta(days=365 * 20),
            advisor=other,
        )
    assert "advisor" in exc.value.message_dict


def test_moves_follow_the_table_and_update_the_current_stage():
    youth = YouthFactory()
    day = TODAY() - timedelta(days=5)
    record_pathway_event(
        youth=youth, stage=PathwayStage.DISCOVERY, actor=youth.advisor, occurred_on=day
    )
    youth.refresh_from_db()
    assert youth.current_stage == PathwayStage.DISCOVERY
    with pytest.raises(ValidationError) as exc:
        record_pathway_event(
            youth=youth, stage=PathwayStage.STABILISED, actor=youth.advisor, occurred_on=TODAY()
        )
    assert "Passage impossible" in exc.value.message_dict["stage"][0]
    assert youth.pathway_events.count() == 2


def test_hiring_without_contract_or_proposal_is_refused():
    youth = YouthFactory(in_stage=PathwayStage.IMMERSION)
    with pytest.raises(ValidationError) as exc:
        record_pathway_event(
            youth=youth, stage=PathwayStage.HIRED, actor=youth.advisor, occurred_on=TODAY()
        )
    assert "pas d'embauche sans offre ni contrat" in exc.value.message_dict["source"][0]
    youth.refresh_from_db()
    assert youth.current_stage == PathwayStage.IMMERSION
    assert not InCompanyCheckIn.objects.exists()


def test_hiring_with_a_proposal_plans_three_check_ins_once():
    youth = YouthFactory(in_stage=PathwayStage.IMMERSION)
    hired_on = TODAY() - timedelta(days=1)
    event = record_pathway_event(
        youth=youth,
        stage=PathwayStage.HIRED,
        actor=youth.advisor,
        occurred_on=hired_on,
        source="offers.Proposal#12",
    )
    assert event.source_reference == ("offers.Proposal", 12)
    schedule_follow_ups_after_hiring(youth=youth, hired_on=hired_on, actor=youth.advisor)
    check_ins = list(youth.check_ins.order_by("months_after"))
    assert [c.months_after for c in check_ins] == [1, 3, 6]
    assert all(c.status == CheckInStatus.PLANNED for c in check_ins)
    assert check_ins[0].due_on > hired_on


def test_hiring_check_ins_count_from_the_contract_start_date():
    youth = YouthFactory(in_stage=PathwayStage.IMMERSION)
    hired_on = TODAY()
    starts_on = hired_on + timedelta(days=20)
    record_pathway_event(
        youth=youth,
        stage=PathwayStage.HIRED,
        actor=youth.advisor,
        occurred_on=hired_on,
        source="offers.Proposal#12",
        follow_ups_from=starts_on,
    )
    check_ins = list(youth.check_ins.order_by("months_after"))
    assert [(c.months_after, c.hired_on, c.due_on) for c in check_ins] == [
        (months, starts_on, add_months(starts_on, months)) for months in (1, 3, 6)
    ]


def test_follow_ups_from_is_ignored_for_other_stages():
    youth = YouthFactory()
    record_pathway_event(
        youth=youth,
        stage=PathwayStage.DISCOVERY,
        actor=youth.advisor,
        occurred_on=TODAY(),
        follow_ups_from=TODAY(),
    )
    assert not youth.check_ins.exists()


def test_stabilised_only_after_hired_and_exit_needs_reason():
    youth = YouthFactory(hired=True)
    record_pathway_event(
        youth=youth, stage=PathwayStage.STABILISED, actor=youth.advisor, occurred_on=TODAY()
    )
    with pytest.raises(ValidationError) as exc:
        record_pathway_event(
            youth=youth, stage=PathwayStage.EXIT, actor=youth.advisor, occurred_on=TODAY()
        )
    assert "exit_reason" in exc.value.message_dict
    record_pathway_event(
        youth=youth,
        stage=PathwayStage.EXIT,
        actor=youth.advisor,
        occurred_on=TODAY(),
        exit_reason=ExitReason.OTHER_JOB,
    )
    youth.refresh_from_db()
    assert (youth.current_stage, youth.status) == (PathwayStage.EXIT, YouthStatus.CLOSED)


def test_dates_in_the_future_or_before_the_last_event_are_refused():
    youth = YouthFactory(in_stage=PathwayStage.DISCOVERY)
    for day in (TODAY() + timedelta(days=1), TODAY() - timedelta(days=3000)):
        with pytest.raises(ValidationError) as exc:
            record_pathway_event(
                youth=youth, stage=PathwayStage.IMMERSION, actor=youth.advisor, occurred_on=day
            )
        assert "occurred_on" in exc.value.message_dict
    assert PathwayEvent.objects.filter(youth=youth).count() == 2


def test_visible_to_and_sharing_consent():
    youth = YouthFactory(consented=True)
    colleague = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    stranger = make_member(Role.ADVISOR)
    recruiter = make_member(Role.RECRUITER)
    assert list(Youth.objects.visible_to(colleague)) == [youth]
    assert not Youth.objects.visible_to(stranger).exists()
    assert not Youth.objects.visible_to(recruiter).exists()
    assert list(Youth.objects.sharing_consented()) == [youth]
    withdraw_sharing_consent(youth=youth, actor=colleague, method=ConsentMethod.EMAIL)
    assert not Youth.objects.sharing_consented().exists()
    record_sharing_consent(youth=youth, actor=colleague, method=ConsentMethod.EMAIL)
    assert Youth.objects.sharing_consented().get().consent_recorded_by == colleague


def test_shared_profile_hides_identity_and_contact():
    youth = YouthFactory(consented=True, first_name="Inès", last_name="Martin", minor=True)
    profile = youth.shared_profile()
    assert profile["first_name"] == "Inès"
    assert profile["initial"] == "M."
    assert profile["age"] == 17
    assert "Martin" not in str(profile.values())
    assert youth.email not in str(profile.values())
    assert Youth.objects.minors().get() == youth


@pytest.mark.django_db(transaction=True)
def test_two_hirings_at_once_record_one_event():
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("select_for_update needs PostgreSQL")
    youth = YouthFactory(in_stage=PathwayStage.IMMERSION)
    barrier = threading.Barrier(2)
    outcomes = []

    def hire(source):
        barrier.wait()
        try:
            record_pathway_event(
                youth=youth,
                stage=PathwayStage.HIRED,
                actor=youth.advisor,
                occurred_on=TODAY(),
                source=source,
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=hire, args=(f"offers.Proposal#{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert PathwayEvent.objects.filter(youth=youth, stage=PathwayStage.HIRED).count() == 1
    assert InCompanyCheckIn.objects.filter(youth=youth).count() == 3


def test_anonymised_file_is_frozen():
    from candidates.services import anonymise_youth

    youth = YouthFactory()
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    anonymise_youth(youth=youth, actor=manager, reason="Demande écrite")
    with pytest.raises(ValidationError) as exc:
        record_pathway_event(
            youth=youth, stage=PathwayStage.DISCOVERY, actor=manager, occurred_on=TODAY()
        )
    assert "anonymisé" in exc.value.messages[0]
    assert youth.pathway_events.count() == 1
