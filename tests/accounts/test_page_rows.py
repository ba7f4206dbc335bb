"""`accounts.page_rows`: the instances a page builds from its rows behave as those of
`.only()`: the model's properties read the loaded fields, a field left out loads from
the database when read (one query), the instance is not new. The links written from one
`reverse` are `reverse`'s, whatever the script prefix and the URL configuration."""

from __future__ import annotations

import pytest
from django.db.models import Count, F, Value
from django.urls import clear_script_prefix, reverse, set_script_prefix

from accounts.compiled_shapes import CompiledRows, CompiledShapes
from accounts.enums import Role
from accounts.models import Membership, Organisation, User
from accounts.page_rows import instances_from_rows, url_for_each, url_named, url_of
from tests.accounts.factories import OrganisationFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


def test_instances_read_their_rows_and_load_what_was_left_out(django_assert_num_queries):
    organisation = OrganisationFactory(company=True, name="Méditel")
    fields = ("id", "name")
    rows = Organisation.objects.filter(pk=organisation.pk).values_list(*fields)
    with django_assert_num_queries(1):
        (built,) = instances_from_rows(Organisation, fields, rows, using="default")
    assert built == organisation and str(built) == "Méditel"
    assert not built._state.adding and built.get_deferred_fields() >= {"kind"}
    with django_assert_num_queries(1):
        assert built.kind == organisation.kind


@pytest.mark.parametrize(
    "viewname", ["candidates:youth_detail", "candidates:youth_edit", "audit:youth_history"]
)
def test_url_of_is_reverse(viewname):
    for pk in (1, 42, 2147483647):
        assert url_of(viewname, pk) == reverse(viewname, args=[pk])
        assert url_for_each(viewname)(pk) == reverse(viewname, args=[pk])


@pytest.mark.parametrize("viewname", ["candidates:youth_list", "offers:browse_offers"])
def test_url_named_is_reverse_whatever_the_script_prefix(viewname):
    assert url_named(viewname) == reverse(viewname)
    set_script_prefix("/portail/")
    try:
        assert url_named(viewname) == reverse(viewname)
        assert url_named(viewname).startswith("/portail/")
    finally:
        clear_script_prefix()
    assert url_named(viewname) == reverse(viewname)


def test_url_of_follows_the_script_prefix_and_the_url_configuration(settings):
    set_script_prefix("/portail/")
    try:
        assert url_of("candidates:youth_detail", 7) == reverse("candidates:youth_detail", args=[7])
        assert url_of("candidates:youth_detail", 7).startswith("/portail/")
    finally:
        clear_script_prefix()
    assert url_of("candidates:youth_detail", 7) == reverse("candidates:youth_detail", args=[7])
    settings.ROOT_URLCONF = "bench.floor_urls"
    assert url_of("candidates:youth_detail", 7) == reverse("candidates:youth_detail", args=[7])


def test_compiled_rows_are_the_querysets_rows_with_each_calls_arguments(
    django_assert_num_queries,
):
    first, second = UserFactory(first_name="Anne"), UserFactory(first_name="<b>Léa</b>")

    def build(pk):
        return User.objects.filter(pk=pk).values_list("first_name", "date_joined", "is_active")

    rows = CompiledRows(build)
    for user in (first, second, first):
        expected = list(build(user.pk))
        with django_assert_num_queries(1):  # counted as any query
            got = rows(user.pk)
        assert [tuple(row) for row in got] == expected
    # The datetimes converted as the ORM does (aware, on SQLite too).
    assert rows(second.pk)[0][1] == second.date_joined
    assert rows(-5) == []


def test_compiled_rows_refuse_a_query_that_does_not_take_each_argument():
    rows = CompiledRows(lambda pk, other: User.objects.filter(pk=pk).values_list("pk"), arity=2)
    with pytest.raises(ValueError, match="each argument"):
        rows(1, 2)


def test_compiled_instances_are_the_querysets_with_their_related_objects_and_annotations(
    django_assert_num_queries,
):
    """Four arguments (more than a list of marks once held), a `select_related` two
    levels deep, an annotation: each instance as the queryset's own."""
    region = OrganisationFactory(mission_locale=True).region
    members = [make_member(Role.ADVISOR, region=region) for _ in range(3)]

    def build(first, second, third, region_id):
        return (
            Membership.objects.filter(
                user_id__in=[first, second, third], organisation__region_id=region_id
            )
            .select_related("user", "organisation__region")
            .annotate(
                doubled=F("user_id") * Value(2), colleagues=Count("organisation__memberships")
            )
            .order_by("pk")
        )

    query = CompiledRows(build, arity=4, instances=True)
    for args in (
        (members[0].pk, members[1].pk, members[2].pk, region.pk),
        (members[2].pk, -1, -2, region.pk),
        (members[0].pk, members[1].pk, members[2].pk, region.pk + 1000),
    ):
        expected = list(build(*args))
        with django_assert_num_queries(1):
            got = query(*args)
        assert [vars_of(m) for m in got] == [vars_of(m) for m in expected]
        with django_assert_num_queries(0):  # loaded with the row, as select_related does
            for membership, same in zip(got, expected, strict=True):
                assert vars_of(membership.user) == vars_of(same.user)
                assert vars_of(membership.organisation.region) == vars_of(same.organisation.region)
                assert membership.doubled == 2 * membership.user_id and membership.colleagues == 1
                assert not membership._state.adding and membership._state.db == "default"
    assert len(query(members[0].pk, members[1].pk, members[2].pk, region.pk)) == 3


def test_compiled_instances_of_an_empty_query_ask_nothing(django_assert_num_queries):
    query = CompiledShapes(
        lambda pk, ids: Organisation.objects.filter(pk=pk, region_id__in=ids), instances=True
    )
    with django_assert_num_queries(0):
        assert query(pk=1, ids=()) == [] and query(pk=2, ids=()) == []


def vars_of(instance) -> dict:
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def test_any_of_is_in_whatever_the_number_of_ids():
    organisations = [OrganisationFactory(company=True) for _ in range(3)]
    ids = [organisation.pk for organisation in organisations]
    for chosen in ([], ids[:1], ids[1:], ids):
        assert set(
            Organisation.objects.filter(pk__any_of=chosen).values_list("pk", flat=True)
        ) == set(chosen)
    users = [UserFactory() for _ in range(2)]
    assert set(
        User.objects.filter(pk__any_of=[u.pk for u in users]).values_list("pk", flat=True)
    ) == {u.pk for u in users}


def test_compiled_rows_take_a_list_of_ids_as_one_argument(django_assert_num_queries):
    organisations = [OrganisationFactory(company=True, name=f"Entreprise {n}") for n in range(3)]
    ids = [organisation.pk for organisation in organisations]

    def build(left_out, pks):
        return (
            Organisation.objects.filter(pk__any_of=pks)
            .exclude(pk=left_out)
            .order_by("name")
            .values_list("name", flat=True)
        )

    rows = CompiledRows(build, arity=2, lists=(1,))
    for left_out in (0, ids[0]):
        for chosen in (ids, ids[:1], [], ids[1:]):
            with django_assert_num_queries(1):
                names = [row[0] for row in rows(left_out, chosen)]
            assert names == list(build(left_out, chosen))


def test_a_choices_labels_are_kept_per_language_and_escaped_once(settings):
    """`choice_labels` and `escaped_labels` give each value's label in the active
    language, translated once per language for the process: a page in English after one
    in French reads English labels, and the escaped labels are the labels escaped."""
    from django.db import models
    from django.utils import translation

    from accounts import page_rows
    from candidates.enums import PathwayStage

    class Hostile(models.TextChoices):
        TAG = "tag", "<b>Chargé</b> d'accueil"

    settings.DEBUG = False
    page_rows._LABELS.clear()
    with translation.override("fr"):
        french = page_rows.choice_labels(PathwayStage)
        assert french == {value: str(label) for value, label in PathwayStage.choices}
        assert page_rows.choice_labels(PathwayStage) is french  # kept
    with translation.override("en"):
        english = page_rows.choice_labels(PathwayStage)
        assert english == {value: str(label) for value, label in PathwayStage.choices}
    assert english != french  # the stages are translated
    assert page_rows.escaped_labels(Hostile) == {"tag": "&lt;b&gt;Chargé&lt;/b&gt; d&#x27;accueil"}
    page_rows._LABELS.clear()
