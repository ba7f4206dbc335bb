"""Statistical disclosure control (docs/indicators.md, "Disclosure control"): no masked
count can be worked out from the figures beside it, in the page, the CSV and XLSX
exports, the annual review and the monthly digest. Each output is read by an attacker
(`disclosure_attack`) that fails on the protected figures and succeeds without the
secondary suppression (so the test has teeth)."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from accounts.mail import deliver_email
from accounts.models import OutgoingEmail
from candidates.enums import PathwayStage as S
from immersion.enums import ProgrammeKind, SessionStatus
from immersion.models import Session
from offers.enums import ContractType, OfferStatus
from offers.models import JobRole, Offer
from reporting import dashboard, disclosure, services
from reporting.periods import Period
from reporting.review import render_review_html
from reporting.scopes import national_population
from reporting.tables import MASKED, Count, Delta, Group, Rate, Table
from tests.accounts.factories import OrganisationFactory, make_member

from . import disclosure_attack as attacker
from .factories import AnnualReviewFactory, YouthFactory, walk

d = datetime.date
YEAR, MARCH = Period(2025), Period(2025, 3)


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def exposed(world):
    """Figures a careless output would give away. Hires in 2025: region A 3 (all in
    March), region B 20 (10 in January, 9 in February, 1 in March): March's 4 is the
    only small month, region A the only small region. One offer of 28 positions with 4
    filled ("14,3 %" would give the 4 away). Sessions held: 6 immersion days and 2 open
    days."""
    for index in range(2):
        youth = YouthFactory(mission_locale=world.ml2, registered_on=d(2025, 3, 1))
        walk(youth, (S.INFORMATION, d(2025, 3, 1)), (S.HIRED, d(2025, 3, 15 + index)))
    for index in range(19):
        day = d(2025, 1, 10) if index < 10 else d(2025, 2, 10)
        youth = YouthFactory(mission_locale=world.ml3, registered_on=day)
        walk(youth, (S.INFORMATION, day), (S.HIRED, day))
    company = OrganisationFactory(company=True, region=world.region_a)
    role, _ = JobRole.objects.get_or_create(name="Téléconseiller (test)")
    Offer.objects.create(
        company=company,
        region=world.region_a,
        job_role=role,
        contract_type=ContractType.CDI,
        positions=28,
        positions_filled=4,
        weekly_hours=35,
        status=OfferStatus.PARTLY_FILLED,
        submitted_at=aware(d(2025, 3, 3)),
        published_at=aware(d(2025, 3, 5)),
    )
    for kind, count in ((ProgrammeKind.IMMERSION_DAY, 6), (ProgrammeKind.OPEN_DAY, 2)):
        for index in range(count):
            day = d(2025, 3, 2 + index)
            Session.objects.create(
                region=world.region_a,
                kind=kind,
                audience="youths",
                title=f"{kind} {index}",
                host=company,
                place="1 rue de la Paix",
                city="Marseille",
                starts_at=aware(day),
                ends_at=aware(day, 12),
                capacity=10,
                registration_deadline=day,
                status=SessionStatus.HELD,
            )
    cache.clear()
    return world


@pytest.fixture
def national(exposed):
    return make_member(Role.NATIONAL, email="national@cnml.fr")


@pytest.fixture
def primary_only(monkeypatch):
    """The protection without its secondary suppression: what the attacker must beat."""
    monkeypatch.setattr(
        disclosure,
        "suppress",
        lambda values, groups: {k: disclosure.PRIMARY for k, v in values.items() if 0 < v < 5},
    )
    cache.clear()


def titles(period):
    return {t.key: t.title for t in dashboard.build(national_population(), period, masked=True)}


def page(client, period) -> attacker.Published:
    params = f"?year={period.year}" + (f"&month={period.month}" if period.month else "")
    html = client.get(reverse("reporting:dashboard", args=["national"]) + params).content
    return attacker.from_html(html.decode(), titles(period))


def export(client, period, fmt) -> attacker.Published:
    params = f"?year={period.year}" + (f"&month={period.month}" if period.month else "")
    tables = {}
    for key in titles(period):
        response = client.get(reverse("reporting:export", args=["national", key, fmt]) + params)
        assert response.status_code == 200
        if fmt == "csv":
            rows = list(
                csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
            )
            rows = [[_csv_number(c) for c in row] for row in rows[1:]]
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            rows = [[c.value for c in row] for row in sheet.iter_rows()][2:]
        tables[key] = rows
    return attacker.Published(tables)


def _csv_number(text: str):
    if text.lstrip("-").isdigit():
        return int(text)
    if text.replace(",", "", 1).lstrip("-").isdigit():
        return float(text.replace(",", "."))
    return text


def test_the_page_gives_no_masked_count_away(client, national):
    client.force_login(national)
    for period in (YEAR, MARCH):
        published = page(client, period)
        assert published.tables["kpis"] and published.tables["breakdown"]
        assert attacker.attack(published, year_page=not period.month) == {}
    # the masked counts are there, and so are the cells withheld beside them
    year = page(client, YEAR)
    kpis = {row[0]: row[1:] for row in year.tables["kpis"]}
    assert kpis["Postes pourvus (offres de la période)"][0] == MASKED
    assert kpis["Taux de satisfaction des offres"][0] == "masqué"
    assert kpis["Postes offerts"][0] == "28"
    regions = {row[0]: row[1:] for row in year.tables["breakdown"]}
    assert regions["Provence-Alpes-Côte d'Azur"][1] == MASKED
    assert regions["Auvergne-Rhône-Alpes"][1] == "masqué"
    assert kpis["Embauches"][0] == "23"


def test_the_page_without_secondary_suppression_gives_counts_away(client, national, primary_only):
    client.force_login(national)
    found = attacker.attack(page(client, YEAR), year_page=True)
    # the region A's 3 hires, March's 4, and the open days' 2 sessions come out
    assert found[("breakdown", "Provence-Alpes-Côte d'Azur", 2)] == 3
    assert found[("sessions", "Journée portes ouvertes / visite de site", 1)] == 2
    assert 4 in {value for key, value in found.items() if key[0] == "hires"}


def test_rates_on_masked_counts_are_withheld_even_without_secondary_suppression(
    client, national, primary_only
):
    """The rate rule stands on its own: "14,3 %" of 28 never sits beside "< 5"."""
    client.force_login(national)
    kpis = {row[0]: row[1:] for row in page(client, YEAR).tables["kpis"]}
    assert kpis["Taux de satisfaction des offres"][0] == "masqué"
    assert kpis["Taux d'atteinte de l'objectif national"][0] == "2,3 %"  # 23 hires: shown


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports_give_no_masked_count_away(client, national, fmt):
    client.force_login(national)
    for period in (YEAR, MARCH):
        published = export(client, period, fmt)
        assert published.tables["breakdown"]
        assert attacker.attack(published, year_page=not period.month) == {}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports_without_secondary_suppression_give_counts_away(
    client, national, primary_only, fmt
):
    client.force_login(national)
    found = attacker.attack(export(client, YEAR, fmt), year_page=True)
    assert found[("breakdown", "Provence-Alpes-Côte d'Azur", 2)] == 3


def test_the_annual_review_gives_no_masked_count_away(national):
    review = AnnualReviewFactory(year=2025)
    published = attacker.from_html(render_review_html(review), titles(YEAR))
    assert published.tables["kpis"] and published.tables["breakdown"]
    assert attacker.attack(published, year_page=True) == {}


def test_the_regional_review_gives_no_masked_count_away(exposed):
    review = AnnualReviewFactory(year=2025, region=exposed.region_a)
    html = render_review_html(review)
    from reporting.scopes import region_population

    names = {
        t.key: t.title
        for t in dashboard.build(region_population(exposed.region_a), YEAR, masked=True)
    }
    published = attacker.from_html(html, names)
    assert published.tables["breakdown"]
    assert attacker.attack(published, year_page=True) == {}


def test_the_review_without_secondary_suppression_gives_counts_away(national, primary_only):
    review = AnnualReviewFactory(year=2025)
    published = attacker.from_html(render_review_html(review), titles(YEAR))
    assert attacker.attack(published, year_page=True)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_the_review_pdf_prints_the_protected_cells(national, tmp_path):
    from reporting.review import render_review_pdf_bytes

    review = AnnualReviewFactory(year=2025)
    path = tmp_path / "review.pdf"
    path.write_bytes(render_review_pdf_bytes(review))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "masqué" in text and "< 5" in text
    assert "14,3 %" not in text


def test_the_digest_gives_no_masked_count_away(national):
    ids = services.create_digest_deliveries(month=MARCH)
    delivery = OutgoingEmail.objects.get(pk__in=ids, recipient=national)
    assert deliver_email(email_id=delivery.pk, final_attempt=False) == "sent"
    body = mail.outbox[-1].body
    published = attacker.from_digest_text(body)
    kpis = {row[0]: row[1:] for row in published.tables["kpis"]}
    assert kpis["Embauches"][0] == MASKED
    # February's 9 is withheld on the month's page (March is the only small month of
    # the year): the digest withholds it too, and the change with it
    assert kpis["Embauches"][1] == "masqué"
    assert kpis["Taux de satisfaction des offres"][0] == "masqué"
    assert attacker.attack(published, year_page=False) == {}
    # the digest and the month's page say the same
    page_kpis = {
        row[0]: row[1:]
        for row in next(
            t for t in dashboard.build(national_population(), MARCH, masked=True) if t.key == "kpis"
        ).display_rows
    }
    assert page_kpis["Embauches"][:2] == [MASKED, "masqué"]


# --- The mechanism itself -------------------------------------------------------------


def _table(rows, groups=()):
    return Table(key="t", title="t", columns=["", "a"], rows=rows, groups=list(groups))


def test_one_masked_part_withholds_the_next_smallest():
    parts = [Count(v, ("p", i)) for i, v in enumerate([3, 7, 12, 0])]
    table = _table(
        [[str(i), c] for i, c in enumerate(parts)] + [["total", Count(22, ("total",))]],
        [Group(("total",), tuple(c.key for c in parts))],
    )
    (shown,) = disclosure.protect([table], masked=True)
    assert [row[1] for row in shown.rows] == [MASKED, "masqué", 12, 0, 22]
    (open_,) = disclosure.protect([table], masked=False)
    assert [row[1] for row in open_.rows] == [3, 7, 12, 0, 22]


def test_a_complement_of_five_beside_a_one_is_not_enough():
    """1 + 5 = 6: knowing "< 5" is at least 1 and "masqué" at least 5 pins both; a third
    count is withheld."""
    parts = [Count(v, ("p", i)) for i, v in enumerate([1, 5, 9])]
    table = _table(
        [[str(i), c] for i, c in enumerate(parts)], [Group(("t",), tuple(c.key for c in parts))]
    )
    (shown,) = disclosure.protect([table], masked=True)
    assert [row[1] for row in shown.rows] == [MASKED, "masqué", "masqué"]


def test_two_masked_parts_that_pin_each_other_are_protected():
    """2 + 1 = 3 with the rest shown: two "< 5" cells summing to 2 would both be 1."""
    parts = [Count(v, ("p", i)) for i, v in enumerate([1, 1, 30])]
    table = _table(
        [[str(i), c] for i, c in enumerate(parts)], [Group(("t",), tuple(c.key for c in parts))]
    )
    (shown,) = disclosure.protect([table], masked=True)
    assert [row[1] for row in shown.rows] == [MASKED, MASKED, "masqué"]


def test_rates_and_changes_follow_their_counts():
    filled, offered = Count(4, ("filled",)), Count(28, ("offered",))
    before = Count(9, ("before",))
    table = _table(
        [
            ["rate", Rate(filled, offered)],
            ["change", Delta(filled, before)],
            ["target", Rate(Count(23, ("hires",)), 1000)],
            ["points", Delta(Rate(filled, offered), 12.5)],
        ]
    )
    (shown,) = disclosure.protect([table], masked=True)
    assert [row[1] for row in shown.rows] == ["masqué", None, 2.3, None]
    (open_,) = disclosure.protect([table], masked=False)
    assert [row[1] for row in open_.rows] == [14.3, -5, 2.3, 1.8]


def test_a_withheld_count_is_withheld_in_every_table_of_the_output():
    month = Count(9, ("hires", "2025-02"))
    small = Count(4, ("hires", "2025-03"))
    months = _table(
        [["jan", Count(10, ("hires", "2025-01"))], ["feb", month], ["mar", small]],
        [Group(("hires", "2025"), (("hires", "2025-01"), month.key, small.key))],
    )
    key_figures = _table([["hires", Count(9, ("hires", "2025-02"))]])
    shown_months, shown_key_figures = disclosure.protect([months, key_figures], masked=True)
    assert [row[1] for row in shown_months.rows] == [10, "masqué", MASKED]
    assert shown_key_figures.rows == [["hires", "masqué"]]


def test_charts_draw_the_protected_cells():
    parts = [Count(v, ("p", i)) for i, v in enumerate([3, 7, 12])]
    table = _table(
        [[str(i), c] for i, c in enumerate(parts)], [Group(("t",), tuple(c.key for c in parts))]
    )
    table.chart_kind, table.chart_columns = "funnel", {"values": 1, "shown": 1}
    (shown,) = disclosure.protect([table], masked=True)
    assert shown.chart_data["values"] == [0, 0, 12]
    assert shown.chart_data["shown"] == [MASKED, "masqué", "12"]


@pytest.mark.parametrize("period", [YEAR, MARCH], ids=["year", "month"])
def test_a_key_names_one_figure_across_the_tables_of_a_page(exposed, monkeypatch, period):
    """Two cells with the same key are withheld together: they must be the same figure
    (the month of the key figures and the month of the monthly hires, the year's
    positions offered and the sum of its months...)."""
    from reporting.scopes import region_population

    built = []
    original = disclosure.protect

    def capture(tables, *, masked):
        built.append(tables)
        return original(tables, masked=masked)

    monkeypatch.setattr(dashboard, "protect", capture)
    for scope in (national_population(), region_population(exposed.region_a)):
        cache.clear()
        dashboard.build(scope, period, masked=True)
    assert len(built) == 2
    for tables in built:
        seen: dict = {}
        for table in tables:
            for row in table.rows:
                for cell in row:
                    for count in disclosure._counts_of(cell):
                        assert seen.setdefault(count.key, count.value) == count.value, count.key
            for group in table.groups:
                if group.total in seen:
                    parts = sum(seen.get(part, 0) for part in group.parts)
                    assert parts == seen[group.total], group.total
