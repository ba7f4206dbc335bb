"""`accounts.page_rows`: the instances a page builds from its rows behave as those of
`.only()`: the model's properties read the loaded fields, a field left out loads from
the database when read (one query), the instance is not new. The links written from one
`reverse` are `reverse`'s, whatever the script prefix and the URL configuration."""

from __future__ import annotations

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from accounts.models import Organisation, User
from accounts.page_rows import CompiledRows, instances_from_rows, url_for_each, url_of
from tests.accounts.factories import OrganisationFactory, UserFactory

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
