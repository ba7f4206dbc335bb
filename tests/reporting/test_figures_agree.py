"""Figures agree across the portal: each figure of a dashboard equals the one of the page
that lists the same things, on the same data: the immersion platform against the cohort
pages, the offers against the region's offers and their satisfaction page, the sessions
against the sessions list and the national counts. And a period still running is
measured today, not on a last day still to come."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from immersion.enums import ProgrammeKind, SessionStatus
from immersion.models import CaeContract, Cohort, Session
from offers.enums import ContractType, OfferStatus
from offers.models import JobRole, Offer
from tests.accounts.factories import OrganisationFactory, make_member

from .disclosure_attack import _Tables
from .factories import YouthFactory

TODAY = datetime.date(2026, 12, 5)
d = datetime.date


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 10, tzinfo=datetime.UTC), tick=False):
        cache.clear()
        yield


@pytest.fixture
def region_life(world, frozen):
    """Region A in 2026: a platform of 50 with 7 contracts (5 running today, one ended,
    one starting next week); 3 offers (one waiting for validation); 7 sessions held and
    one cancelled."""
    region = world.region_a
    cohort = Cohort.objects.create(region=region, year=2026, size=50)
    starts = [TODAY - datetime.timedelta(days=30 + i) for i in range(5)]
    starts += [d(2026, 1, 5), TODAY + datetime.timedelta(days=7)]
    for start in starts:
        CaeContract.objects.create(
            cohort=cohort,
            youth=YouthFactory(mission_locale=world.ml1, registered_on=d(2026, 1, 2)),
            employer="Centre d'appels",
            start_on=start,
            end_on=start + datetime.timedelta(days=150),
            weekly_hours=26,
        )
    company = OrganisationFactory(company=True, region=region)
    role, _ = JobRole.objects.get_or_create(name="Téléconseiller (test)")
    for positions, filled, status in (
        (12, 7, OfferStatus.PARTLY_FILLED),
        (6, 6, OfferStatus.FILLED),
        (5, 0, OfferStatus.SUBMITTED),
    ):
        Offer.objects.create(
            company=company,
            region=region,
            job_role=role,
            contract_type=ContractType.CDI,
            positions=positions,
            positions_filled=filled,
            weekly_hours=35,
            status=status,
            submitted_at=aware(d(2026, 4, 2)),
            published_at=None if status == OfferStatus.SUBMITTED else aware(d(2026, 4, 5)),
        )
    for index in range(8):
        day = d(2026, 3, 2 + index)
        Session.objects.create(
            region=region,
            kind=ProgrammeKind.IMMERSION_DAY if index % 2 else ProgrammeKind.OPEN_DAY,
            audience="youths",
            title=f"Session {index}",
            host=company,
            place="1 rue de la Paix",
            city="Marseille",
            starts_at=aware(day),
            ends_at=aware(day, 12),
            capacity=10,
            registration_deadline=day,
            status=SessionStatus.CANCELLED if index == 7 else SessionStatus.HELD,
        )
    return world


@pytest.fixture
def lead(region_life):
    return make_member(Role.PROJECT_LEAD, region=region_life.region_a)


def key_figures(client, kind, **params):
    from reporting import dashboard

    url = reverse("reporting:dashboard", args=[kind])
    response = client.get(url, params)
    assert response.status_code == 200
    tables = {t.key: t for t in response.context["tables"]}
    assert isinstance(tables["kpis"], dashboard.Table)
    return {key: row for key, row in zip(tables["kpis"].row_keys, tables["kpis"].rows, strict=True)}


def html_tables(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return dict(parser.tables)


def test_the_platform_agrees_with_the_cohort_pages(client, lead):
    client.force_login(lead)
    figures = key_figures(client, "regional", year=2026)
    # the cohort pages show the contracts signed: "7 / 50"
    listed = client.get(reverse("immersion:cohort_list")).content.decode()
    assert re.search(r'class="occupancy">7 / 50<', listed)
    cohort = Cohort.objects.get(year=2026)
    detail = client.get(reverse("immersion:cohort_detail", args=[cohort.pk])).content.decode()
    assert "7 / 50 contrats" in detail
    assert figures["contracts"][1] == 7
    # running today, not on 31 December (the week-old plan and the ended one left out)
    assert figures["occupancy"][1] == 5
    assert figures["occupancy"][0] == "Jeunes sur la plateforme d'immersion (au 05/12/2026)"
    running = CaeContract.objects.filter(start_on__lte=TODAY, end_on__gte=TODAY).count()
    assert running == 5
    # the occupancy table stops at the running month, measured today
    response = client.get(reverse("reporting:dashboard", args=["regional"]), {"year": 2026})
    occupancy = next(t for t in response.context["tables"] if t.key == "occupancy")
    assert occupancy.rows[11][1] == 5 and occupancy.rows[11][2] == 50
    tile = next(t for t in response.context["tiles"] if t.key == "occupancy")
    assert tile.value == "5"
    assert "Capacité : 50 contrats CAE · 7 signés" in tile.target
    # a past year is measured on its last day
    past = key_figures(client, "regional", year=2025)
    assert past["occupancy"][0] == "Jeunes sur la plateforme d'immersion (fin de période)"


def test_the_national_platform_and_sessions_agree_with_the_national_counts(client, region_life):
    national = make_member(Role.NATIONAL)
    client.force_login(national)
    counts = html_tables(client.get(reverse("immersion:national_counts"), {"year": 2026}))
    figures = key_figures(client, "national", year=2026, region=region_life.region_a.pk)
    by_region = next(rows for caption, rows in counts.items() if "région" in caption.lower())
    row = next(r for r in by_region if r[0] == region_life.region_a.name)
    assert str(figures["sessions"][1]) in row  # held sessions: 7
    assert figures["sessions"][1] == 7
    platform = next(rows for caption, rows in counts.items() if "plateforme" in caption.lower())
    assert [region_life.region_a.name, "7 / 50"] in platform
    assert figures["contracts"][1] == 7


def test_the_offers_agree_with_the_regions_offers_and_their_satisfaction(client, lead):
    client.force_login(lead)
    figures = key_figures(client, "regional", year=2026)
    listed = client.get(reverse("offers:region_offers")).content.decode()
    assert len(re.findall(r'href="/offres/\d+/"', listed)) == figures["offers"][1] == 3
    satisfaction = html_tables(client.get(reverse("offers:figures")))
    rows = next(rows for caption, rows in satisfaction.items() if "région" in caption)
    company = rows[1]
    assert company[1:5] == [
        str(figures["offers"][1]),
        str(figures["positions_offered"][1]),
        str(figures["positions_filled"][1]),
        "56,5 %",
    ]
    assert figures["positions_offered"][1] == 23 and figures["positions_filled"][1] == 13
    assert figures["satisfaction"][1] == 56.5


def test_the_sessions_agree_with_the_sessions_list(client, lead):
    client.force_login(lead)
    figures = key_figures(client, "regional", year=2026, month=3)
    listed = client.get(reverse("immersion:session_list"), {"month": "2026-03"}).content.decode()
    # the list shows every session of the month, the cancelled one too: 8, 7 held
    assert "8 sessions" in listed
    assert listed.count("Réalisée") >= 7
    held = Session.objects.filter(status=SessionStatus.HELD, starts_at__month=3).count()
    assert figures["sessions"][1] == held == 7
