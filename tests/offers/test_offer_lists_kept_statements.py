"""The published offers' and "Mes offres"' pages from statements compiled once per
shape (`accounts.pagination.kept_page`): for every scope and filter, the rows and count
of the page the ORM builds for the request, never a shape shared across regions or
companies, and a place typed always read through the ORM (its text is not part of the
shape)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offers.enums import ContractType
from offers.forms import OfferFilterForm
from offers.views import lists as views
from tests.accounts.factories import UserFactory

from .factories import OfferFactory

pytestmark = pytest.mark.django_db


def _offers(world):
    today = timezone.localdate()
    for n in range(7):
        OfferFactory(
            company=world.company if n % 2 else world.other_company,
            job_role=world.role,
            published=True,
            contract_type=ContractType.CDI if n % 3 else ContractType.CDD,
            weekly_hours=35 if n % 2 else 24,
            city="Marseille" if n % 2 else "Aix-en-Provence",
            postcode="13001" if n % 2 else "13100",
            start_date=today + timedelta(days=n),
        )
    for _n in range(3):
        OfferFactory(company__region=world.lyon, published=True, city="Lyon", postcode="69001")
    OfferFactory(company=world.company, submitted=True)


def _requests(world):
    today = timezone.localdate()
    return [
        {},
        {"page": "2"},
        {"page": "99"},
        {"page": "x"},
        {"contract_type": ContractType.CDI},
        {"full_time": "on", "page": "2"},
        {"start_before": (today + timedelta(days=3)).isoformat()},
        {"job_role": str(world.role.pk), "contract_type": ContractType.CDD},
        {"start_before": "pas une date"},
        {"place": "Mars"},
        {"place": "131"},
        {"place": "<script>%_"},
    ]


def test_each_scope_sees_the_page_the_orm_builds_from_the_kept_statement(
    client, world, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _offers(world)
    admin = UserFactory(is_staff=True, is_superuser=True)
    url = reverse("offers:browse_offers")
    shapes = {}
    for user in (world.advisor, world.advisor_aix, world.advisor_lyon, admin):
        client.force_login(user)
        views._BROWSE_STATEMENTS.clear()
        for params in _requests(world):
            first = client.get(url, params)
            with CaptureQueriesContext(connection) as sent:
                kept = client.get(url, params)
            form = OfferFilterForm(QueryDict(mutable=True) | params or None)
            expected = views._browse_paginator(views._browsed(user, form)).get_page(
                params.get("page")
            )
            for response in (first, kept):
                page = response.context["page"]
                assert list(page.object_list) == list(expected.object_list), (user, params)
                assert (page.number, page.paginator.count) == (
                    expected.number,
                    expected.paginator.count,
                ), (user, params)
            shape = views._browse_shape(user, form, params.get("page"))
            if params.get("place"):
                assert shape is None
                continue
            if expected.number == views.number_of_page(params.get("page")):
                # Kept, and read from it: the page's statement as the ORM wrote it.
                statement = views._BROWSE_STATEMENTS.get(shape)
                assert statement is not None, (user, params)
                sent_sql = [query["sql"] for query in sent.captured_queries]
                assert any(sql.startswith(statement.sql.split("%s")[0]) for sql in sent_sql)
                shapes.setdefault(shape, set()).add(user.pk)
    # Marseille's and Aix's advisors share a region, hence their shapes; Lyon's and the
    # admin's are their own.
    assert {frozenset(users) for users in shapes.values()} <= {
        frozenset({world.advisor.pk, world.advisor_aix.pk}),
        frozenset({world.advisor_lyon.pk}),
        frozenset({admin.pk}),
    }
    assert any(world.advisor_lyon.pk in users for users in shapes.values())


def test_a_kept_statement_follows_the_offers_published_since(client, world):
    """Only SQL is kept, never rows nor a count."""
    _offers(world)
    client.force_login(world.advisor)
    url = reverse("offers:browse_offers")
    before = client.get(url).context["page"].paginator.count
    OfferFactory(company=world.company, published=True)
    assert client.get(url).context["page"].paginator.count == before + 1


def test_each_company_sees_its_offers_page_the_orm_builds_from_the_kept_statement(
    client, world, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _offers(world)
    url = reverse("offers:my_offers")
    shapes = {}
    requests = [
        {},
        {"page": "2"},
        {"page": "99"},
        {"status": "published"},
        {"status": "submitted", "page": "x"},
        {"status": "bogus"},
        {"sent_back": "1"},
    ]
    for user in (world.recruiter, world.other_recruiter, world.recruiter_lyon):
        client.force_login(user)
        views._MY_OFFERS_STATEMENTS.clear()
        for params in requests:
            first = client.get(url, params)
            kept = client.get(url, params)
            data = QueryDict(mutable=True) | params
            form, offers = views.my_offers_listed(user, data)
            expected = views._my_offers_paginator(offers).get_page(params.get("page"))
            for response in (first, kept):
                page = response.context["page"]
                assert list(page.object_list) == list(expected.object_list), (user, params)
                assert page.paginator.count == expected.paginator.count, (user, params)
            if expected.number == views.number_of_page(params.get("page")):
                shape = views._my_offers_shape(user, form, data, params.get("page"))
                assert views._MY_OFFERS_STATEMENTS.get(shape) is not None, (user, params)
                shapes.setdefault(shape, set()).add(user.pk)
    assert all(len(users) == 1 for users in shapes.values())
    assert {next(iter(users)) for users in shapes.values()} == {
        world.recruiter.pk,
        world.other_recruiter.pk,
        world.recruiter_lyon.pk,
    }
