"""The scope's sets of organisations and regions, made once per scope: each call gives
the set its roles name, whatever was asked before."""

from accounts.enums import Role
from accounts.scope import MembershipInfo, Scope


def _scope():
    return Scope(
        user_id=1,
        memberships=(
            MembershipInfo(10, "mission_locale", "ML Marseille", 1, Role.ADVISOR),
            MembershipInfo(11, "mission_locale", "ML Aix", 1, Role.ML_MANAGER),
            MembershipInfo(20, "company", "Méditel", 2, Role.RECRUITER),
            MembershipInfo(30, "cepl", "CEPL", None, Role.PROJECT_LEAD),
        ),
    )


def test_each_question_gets_its_own_answer_in_any_order():
    scope = _scope()
    assert scope.company_ids == {20}
    assert scope.organisation_ids() == {10, 11, 20, 30}
    assert scope.mission_locale_ids == {10, 11}
    assert scope.managed_mission_locale_ids == {11}
    assert scope.region_ids() == {1, 2}
    assert scope.region_ids(Role.RECRUITER) == {2}
    assert scope.organisation_ids(Role.ADVISOR) == {10}
    # Asked again: the same sets, not rebuilt.
    assert scope.organisation_ids(Role.ADVISOR) is scope.organisation_ids(Role.ADVISOR)
    assert scope.company_ids is scope.company_ids
    # The regions and the organisations of the same roles are not confused.
    assert scope.region_ids(Role.ADVISOR) == {1}


def test_two_scopes_keep_their_own_sets_and_still_compare_by_memberships():
    first, second = _scope(), Scope(user_id=2, memberships=())
    assert first.mission_locale_ids == {10, 11}
    assert second.mission_locale_ids == frozenset()
    assert first == _scope()  # what was made is not part of the comparison


def test_the_sets_asked_of_every_row_are_kept_on_the_scope():
    """`mission_locale_ids` and `company_ids`, asked by the predicates of each row of a
    list, are read once and kept: the same set each time, still its roles' answer."""
    scope = _scope()
    assert scope.mission_locale_ids is scope.mission_locale_ids
    assert scope.mission_locale_ids == scope.organisation_ids(Role.ADVISOR, Role.ML_MANAGER)
    assert scope.company_ids is scope.company_ids
    assert scope == _scope()  # kept sets are not part of the comparison either
