"""A warm dashboard (its figures in the cache): one cache read and no drawing serve the
page, the figures it shows are still those of the tables cached now; its filters cost
one query for their choice of places, the options Django's own field would give."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django import forms
from django.core.cache import cache
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Organisation, Region
from reporting import dashboard
from reporting.forms import DashboardFilterForm
from reporting.periods import Period
from reporting.scopes import national_population
from tests.accounts.factories import make_member

from .factories import YouthFactory

pytestmark = pytest.mark.django_db


def _url(kind: str, **params) -> str:
    from urllib.parse import urlencode

    return reverse("reporting:dashboard", args=[kind]) + ("?" + urlencode(params) if params else "")


def _body(html: str) -> str:
    return html[html.index('<div id="dashboard-body">') :]


@pytest.fixture
def national(world):
    return make_member(Role.NATIONAL)


def test_a_warm_page_is_one_cache_read_without_the_tables_nor_a_drawing(
    client, national, django_assert_num_queries
):
    client.force_login(national)
    first = client.get(_url("national", year=2025)).content.decode()

    class OneRead:
        """The views' cache: reads through get_many, and nothing else."""

        reads: list = []

        def get_many(self, keys):
            self.reads.append(keys)
            return cache.get_many(keys)

        def __getattr__(self, name):
            raise AssertionError(f"cache.{name}")

    with (
        mock.patch("reporting.views.cache", OneRead()),
        mock.patch.object(dashboard, "build_stamped", side_effect=AssertionError("tables read")),
        mock.patch("reporting.views.render_to_string", side_effect=AssertionError("drawn")),
        # The session, the user, the user's scope, the regions to filter by.
        django_assert_num_queries(4),
    ):
        second = client.get(_url("national", year=2025)).content.decode()
    assert _body(second) == _body(first)
    assert len(OneRead.reads) == 1


def test_new_figures_are_drawn_anew_even_when_the_body_is_still_cached(client, national, world):
    """The body names the stamp of the tables it was drawn from: once the tables are
    computed again (the warming job), the old body is never served."""
    client.force_login(national)
    before = _body(client.get(_url("national", year=2025)).content.decode())
    registered = re.search(r"Jeunes inscrits</th><td[^>]*>([^<]+)</td>", before).group(1)
    for _ in range(6):
        YouthFactory(mission_locale=world.ml1, registered_on=datetime.date(2025, 3, 3))
    dashboard.build(national_population(), Period(2025), masked=True, refresh=True)
    after = _body(client.get(_url("national", year=2025)).content.decode())
    now = re.search(r"Jeunes inscrits</th><td[^>]*>([^<]+)</td>", after).group(1)
    assert now != registered


def test_the_region_filter_offers_what_django_s_own_field_would(world, django_assert_num_queries):
    regions, none = Region.objects.all(), Organisation.objects.none()
    with django_assert_num_queries(1):
        form = DashboardFilterForm({"year": "2025"}, regions=regions, mission_locales=none)
    assert "mission_locale" not in form.fields
    django_field = forms.ModelChoiceField(regions, empty_label=form.fields["region"].empty_label)
    offered = [(str(value), str(label)) for value, label in form.fields["region"].choices]
    assert offered == [(str(value), str(label)) for value, label in django_field.choices]
    assert [label for _value, label in offered] == [
        "Toutes les régions",
        "Auvergne-Rhône-Alpes",
        "Provence-Alpes-Côte d'Azur",
    ]
    # A region sent is still looked up among those allowed.
    lead = Region.objects.filter(pk=world.region_a.pk)
    sent = DashboardFilterForm(
        {"year": "2025", "region": world.region_b.pk}, regions=lead, mission_locales=none
    )
    assert not sent.is_valid() and "region" in sent.errors


def test_the_months_are_named_in_the_page_s_language(client, national):
    client.force_login(national)
    french = client.get(_url("national", year=2025)).content.decode()
    english = client.get(
        _url("national", year=2025), headers={"Accept-Language": "en"}
    ).content.decode()
    assert '<option value="3">Mars</option>' in french
    assert '<option value="3">March</option>' in english
