"""`accounts.page_rows.instances_from_rows`: the instances a page builds from its rows
behave as those of `.only()`: the model's properties read the loaded fields, a field
left out loads from the database when read (one query), the instance is not new."""

from __future__ import annotations

import pytest

from accounts.models import Organisation
from accounts.page_rows import instances_from_rows
from tests.accounts.factories import OrganisationFactory

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
