"""The one export writer (`reporting.exports`): every hostile payload is written as inert
text in CSV and XLSX, numbers stay numbers, dates stay dates; and every export URL of
every app (the youths' list, the dashboards' tables, every list page's export) goes
through it."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from candidates.importing import read_spreadsheet, validate_rows
from reporting.exports import csv_bytes, export_response, neutralise, restore, xlsx_bytes
from reporting.tables import Days, Points
from tests.accounts.factories import OrganisationFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.offers.factories import JobRoleFactory, OfferFactory
from tests.payloads import (
    ALL,
    FORMULA_AT,
    FORMULA_EQUALS,
    FORMULA_MINUS,
    FORMULA_TRIGGERS,
    FORMULAS,
    NUL,
)

BOM = b"\xef\xbb\xbf"
# Excel holds at most 32,767 characters in a cell; openpyxl cuts longer text there.
EXCEL_CELL_LIMIT = 32_767
# PostgreSQL refuses NUL in text: a NUL can reach the writer only from elsewhere, and the
# writer's own tests below take it.
STORABLE = tuple(p for p in ALL if p is not NUL)


def exported(text: str) -> str:
    """What a text cell must hold once exported: NUL gone, a quote before a trigger."""
    text = text.replace("\x00", "")
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def exported_xlsx(text: str) -> str:
    """The same, as read back from XLSX: cut at Excel's limit, and CR read as LF (XML
    reads every line end as LF; the cell stays text either way)."""
    return exported(text)[:EXCEL_CELL_LIMIT].replace("\r\n", "\n").replace("\r", "\n")


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(BOM)
    return list(
        csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8"), newline=""), delimiter=";")
    )


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


# --- The writer ---------------------------------------------------------------------------


@pytest.mark.parametrize("payload", ALL, ids=str)
def test_csv_writes_every_payload_as_one_inert_cell(payload):
    rows = read_csv(csv_bytes([["Texte", "Nombre"], [payload.text, -2], ["suite", 3]]))
    # One cell, whatever it holds (CRLF, semicolons, quotes): the next row is intact.
    assert rows == [["Texte", "Nombre"], [exported(payload.text), "-2"], ["suite", "3"]]


@pytest.mark.parametrize("payload", FORMULAS, ids=str)
def test_csv_prefixes_every_formula_with_a_quote(payload):
    [[cell]] = read_csv(csv_bytes([[payload.text]]))
    assert cell.startswith("'")
    assert cell[1:] == payload.text


@pytest.mark.parametrize("payload", ALL, ids=str)
def test_xlsx_types_every_payload_as_text(payload):
    sheet = read_xlsx(xlsx_bytes([["Texte", "Nombre"], [payload.text, -2]], sheet_title="Test"))
    text, number = sheet["A2"], sheet["B2"]
    assert text.data_type == "s"
    assert text.value == exported_xlsx(payload.text)
    assert number.data_type == "n"
    assert number.value == -2


@pytest.mark.parametrize("payload", FORMULAS, ids=str)
def test_xlsx_never_holds_a_formula(payload):
    content = xlsx_bytes([[payload.text]], sheet_title="Test")
    cell = read_xlsx(content)["A1"]
    assert cell.data_type == "s"
    assert cell.value.startswith("'")
    # No <f> element anywhere in the sheet: nothing Excel would compute.
    assert b"<f>" not in _sheet_xml(content)


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_text_that_looks_like_an_error_stays_text():
    cell = read_xlsx(xlsx_bytes([["#N/A"]], sheet_title="Test"))["A1"]
    assert (cell.data_type, cell.value) == ("s", "#N/A")


@pytest.mark.parametrize(
    ("value", "as_csv"),
    [
        (-2, "-2"),
        (-2.5, "-2,5"),
        (Decimal("-2.50"), "-2,50"),
        (Points(-2.5), "-2,5"),
        (Days(12.5), "12,5"),
        (0, "0"),
        (1234567, "1234567"),
    ],
    ids=repr,
)
def test_numbers_stay_numbers(value, as_csv):
    assert read_csv(csv_bytes([[value]])) == [[as_csv]]
    cell = read_xlsx(xlsx_bytes([[value]], sheet_title="Test"))["A1"]
    assert cell.data_type == "n"
    assert cell.value == value


def test_dates_stay_dates():
    day = datetime.date(2025, 3, 5)
    # 23:30 UTC on 5 March is 00:30 on 6 March in Paris: written in the portal's time.
    moment = datetime.datetime(2025, 3, 5, 23, 30, tzinfo=datetime.UTC)
    assert read_csv(csv_bytes([[day, moment]])) == [["05/03/2025", "06/03/2025 00:30"]]
    sheet = read_xlsx(xlsx_bytes([[day, moment]], sheet_title="Test"))
    assert sheet["A1"].data_type == "d"
    assert sheet["A1"].value == datetime.datetime(2025, 3, 5)
    assert sheet["A1"].number_format == "DD/MM/YYYY"
    assert sheet["B1"].data_type == "d"
    assert sheet["B1"].value == datetime.datetime(2025, 3, 6, 0, 30)


@pytest.mark.parametrize("payload", FORMULAS, ids=str)
def test_a_neutralised_value_is_not_prefixed_twice(payload):
    once = neutralise(payload.text)
    assert once == "'" + payload.text
    assert neutralise(once) == once
    assert read_csv(csv_bytes([[once]])) == [[once]]
    assert read_xlsx(xlsx_bytes([[once]], sheet_title="Test"))["A1"].value == (
        exported_xlsx(payload.text)
    )
    # The import reads the exported cell back as typed.
    assert restore(once) == payload.text


def test_restore_leaves_other_quotes_alone():
    assert restore("'Brien") == "'Brien"
    assert restore("O'Brien") == "O'Brien"
    assert restore("''=1") == "''=1"


def test_csv_is_what_french_excel_reads():
    content = csv_bytes([["Nom", "Ville"], ["Lefèvre; fils", 'Le "Vieux" Port'], ["a\r\nb", "c"]])
    assert (
        content
        == BOM + ('Nom;Ville\r\n"Lefèvre; fils";"Le ""Vieux"" Port"\r\n"a\r\nb";c\r\n').encode()
    )


def test_the_download_is_named_by_an_ascii_slug():
    response = export_response(
        [["Nom"]],
        fmt="csv",
        filename='indicateurs-Côte d\'Azur "x"\r\nSet-Cookie: a=b/../..',
        sheet_title="Test",
    )
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.csv"', disposition), disposition
    assert disposition.startswith('attachment; filename="indicateurs-cote-dazur-x')
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_a_sheet_name_excel_refuses_is_cleaned():
    title = "Jeunes [PACA] : 2025/03 ?*\\" + "x" * 40
    sheet = read_xlsx(xlsx_bytes([["Nom"]], sheet_title=title))
    assert sheet.title == ("Jeunes PACA  202503 " + "x" * 40)[:31]


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "csv.exe", 'csv"; x="'])
def test_any_other_format_is_a_404(fmt):
    with pytest.raises(Http404):
        export_response([["Nom"]], fmt=fmt, filename="x", sheet_title="Test")


# --- The youths' list (/jeunes/export.csv, .xlsx) -----------------------------------------


def _youths_carrying_every_payload():
    """One youth per payload, in one mission locale, the payload in their first name, town
    and skills (cut to the field's length); told apart by their last name."""
    first = None
    for payload in STORABLE:
        youth = YouthFactory(
            last_name=f"Témoin {payload.name}",
            first_name=payload.text[:100],
            city=payload.text[:100],
            skills=payload.text,
            phone="+33612345678",
            **({"mission_locale": first.mission_locale, "advisor": first.advisor} if first else {}),
        )
        first = first or youth
    return first.advisor


def _by_payload(header, rows):
    """{payload name: {column title: cell}} of the exported youths."""
    return {
        row[header.index("Nom")].removeprefix("Témoin "): dict(zip(header, row, strict=True))
        for row in rows
    }


@pytest.mark.django_db
def test_youth_list_csv_neutralises_every_payload(client):
    client.force_login(_youths_carrying_every_payload())
    response = client.get(reverse("candidates:youth_export", args=["csv"]))
    assert response.status_code == 200
    header, *rows = read_csv(response.content)
    exports = _by_payload(header, rows)
    fields = ("Prénom", "Commune", "Compétences", "Téléphone")
    assert {name: [row[f] for f in fields] for name, row in exports.items()} == {
        p.name: [
            exported(p.text[:100]),
            exported(p.text[:100]),
            exported(p.text),
            "'+33612345678",
        ]
        for p in STORABLE
    }


@pytest.mark.django_db
def test_youth_list_xlsx_types_every_payload_as_text(client):
    client.force_login(_youths_carrying_every_payload())
    response = client.get(reverse("candidates:youth_export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = read_xlsx(response.content)
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(STORABLE)
    for row in rows:
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (cell.coordinate, cell.value[:40])
    exports = _by_payload(header, [[c.value for c in row] for row in rows])
    fields = ("Prénom", "Commune", "Compétences")
    assert {name: [row[f] for f in fields] for name, row in exports.items()} == {
        p.name: [
            exported_xlsx(p.text[:100]),
            exported_xlsx(p.text[:100]),
            exported_xlsx(p.text),
        ]
        for p in STORABLE
    }
    # Dates stay dates.
    for row in rows:
        birth = row[header.index("Date de naissance")]
        assert birth.data_type == "d" and birth.number_format == "DD/MM/YYYY"


@pytest.mark.django_db
def test_an_exported_list_reads_back_as_typed(client):
    """The import undoes the export's quote: an exported list imported into another
    mission locale gives back the names and the +33 phone number as typed."""
    advisor = make_member(Role.ADVISOR)
    YouthFactory(
        mission_locale=advisor.memberships.get().organisation,
        advisor=None,
        first_name=FORMULA_EQUALS.text,
        last_name=FORMULA_MINUS.text,
        city=FORMULA_AT.text,
        phone="+33612345678",
    )
    other = OrganisationFactory(mission_locale=True)
    client.force_login(advisor)
    read_back = {}
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("candidates:youth_export", args=[fmt]))
        positions, rows = read_spreadsheet(response.content, f"export.{fmt}")
        valid, rejected, _present = validate_rows(
            positions=positions, rows=rows, mission_locale=other
        )
        assert rejected == [], fmt
        [row] = valid
        read_back[fmt] = {k: row[k] for k in ("first_name", "last_name", "city", "phone")}
    typed = {
        "first_name": FORMULA_EQUALS.text,
        "last_name": FORMULA_MINUS.text,
        "city": FORMULA_AT.text,
        "phone": "+33612345678",
    }
    assert read_back == {"csv": typed, "xlsx": typed}


# --- The dashboards' tables (/indicateurs/tableau/<kind>/export/<table>.<fmt>) -------------


@pytest.fixture
def names_carrying_every_payload(world):
    """In the first region, one mission locale (breakdown table) and one job role of an
    offer registered in 2025 (recruitment needs table) named after each payload."""
    company = OrganisationFactory(company=True, region=world.region_a)
    submitted = timezone.make_aware(datetime.datetime(2025, 3, 3, 10))
    for payload in STORABLE:
        OrganisationFactory(mission_locale=True, region=world.region_a, name=payload.text[:200])
        OfferFactory(
            submitted=True,
            submitted_at=submitted,
            company=company,
            job_role=JobRoleFactory(name=payload.text[:100]),
            positions=3,
        )
    return make_member(Role.PROJECT_LEAD, region=world.region_a)


def _table_export(client, table: str, fmt: str):
    response = client.get(reverse("reporting:export", args=["regional", table, fmt]) + "?year=2025")
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_dashboard_csv_exports_neutralise_every_payload(client, names_carrying_every_payload):
    client.force_login(names_carrying_every_payload)
    breakdown = read_csv(_table_export(client, "breakdown", "csv").content)
    needs = read_csv(_table_export(client, "needs", "csv").content)
    for payload in STORABLE:
        assert [exported(payload.text[:200]), "0", "0", "0"] in breakdown, payload.name
        assert [exported(payload.text[:100]), "3"] in needs, payload.name
    # The counts of the world's own mission locale are written as numbers, unquoted.
    [marseille] = [row for row in breakdown if row[0] == "Mission locale de Marseille"]
    assert all(re.fullmatch(r"\d+", cell) for cell in marseille[1:]), marseille


@pytest.mark.django_db
def test_dashboard_xlsx_exports_type_every_payload_as_text(client, names_carrying_every_payload):
    client.force_login(names_carrying_every_payload)
    for table, width, length in (("breakdown", 4, 200), ("needs", 2, 100)):
        sheet = read_xlsx(_table_export(client, table, "xlsx").content)
        # The table's title, then its column titles, then its rows.
        rows = list(sheet.iter_rows(min_row=3, max_col=width))
        labels = {row[0].value: row for row in rows}
        for payload in STORABLE:
            row = labels.get(exported_xlsx(payload.text[:length]))
            assert row is not None, (table, payload.name)
            assert row[0].data_type == "s", (table, payload.name)
            assert all(c.data_type == "n" for c in row[1:]), (table, payload.name)
        for row in rows:
            assert row[0].data_type == "s", (table, row[0].value)


# --- Every list page's export (offers, proposals, sessions, rosters, committees) ----------------
# One scene per payload: every text a list export writes (names, titles, places, texts)
# holds it, cut to its column's length; each export of each list is read back in CSV and
# XLSX: the rows are whole (a CR or LF never starts a row), no text cell starts with a
# formula trigger, every XLSX text cell is typed text, and the payload is there.


def _fit(model, field: str, text: str) -> str:
    length = model._meta.get_field(field).max_length
    return text[:length] if length else text


def _scene_carrying(payload):
    from accounts.models import Organisation, User
    from candidates.models import Youth
    from committees import services as committee_services
    from committees.enums import AttendanceStatus
    from committees.models import ActionItem, ActionPlan, Commitment, Committee, PlanItem
    from immersion import services as immersion_services
    from immersion.models import Session
    from offers.models import JobRole, Offer
    from tests.accounts.factories import RegionFactory
    from tests.committees.factories import (
        ActionItemFactory,
        ActionPlanFactory,
        CommitmentFactory,
        CommitteeFactory,
        CommitteeMemberFactory,
        ConventionFactory,
        MeetingFactory,
        PlanItemFactory,
    )
    from tests.immersion.factories import SessionFactory
    from tests.offers.factories import ProposalFactory

    text = payload.text
    org_name = _fit(Organisation, "name", text)
    user_name = {
        "first_name": _fit(User, "first_name", text),
        "last_name": _fit(User, "last_name", text),
    }
    region = RegionFactory(code="93", name="Provence")
    ml = OrganisationFactory(mission_locale=True, region=region, name=org_name)
    company = OrganisationFactory(company=True, region=region, name=org_name)
    network = OrganisationFactory(business_network=True, region=region, name=org_name)
    advisor = make_member(Role.ADVISOR, organisation=ml, **user_name)
    lead = make_member(Role.PROJECT_LEAD, region=region, **user_name)
    recruiter = make_member(Role.RECRUITER, organisation=company)
    offer = OfferFactory(
        company=company,
        job_role=JobRoleFactory(name=_fit(JobRole, "name", text)),
        published=True,
        large=True,
        city=_fit(Offer, "city", text),
        accompanied_by=lead,
    )
    youth = YouthFactory(
        mission_locale=ml,
        advisor=advisor,
        consented=True,
        first_name=_fit(Youth, "first_name", text),
        last_name=_fit(Youth, "last_name", text),
    )
    ProposalFactory(offer=offer, youth=youth, proposed_by=advisor)
    session = SessionFactory(
        host=company, title=_fit(Session, "title", text), city=_fit(Session, "city", text)
    )
    immersion_services.enrol_youths(actor=advisor, session=session, youths=[youth])
    committee = CommitteeFactory(region=region, name=_fit(Committee, "name", text))
    CommitteeMemberFactory(committee=committee, user=advisor)
    meeting = MeetingFactory(committee=committee, past=True)
    committee_services.record_attendance(
        actor=lead, meeting=meeting, statuses={advisor.pk: AttendanceStatus.PRESENT}
    )
    plan = ActionPlanFactory(region=region, title=_fit(ActionPlan, "title", text))
    plan_item = PlanItemFactory(
        plan=plan, title=_fit(PlanItem, "title", text), owner_organisation=network
    )
    ActionItemFactory(
        meeting=meeting, owner=advisor, title=_fit(ActionItem, "title", text), plan_item=plan_item
    )
    convention = ConventionFactory(regional=True, parent=ConventionFactory(), region=region)
    CommitmentFactory(convention=convention, signatory=network, text=_fit(Commitment, "text", text))
    # (who downloads, URL name, arguments, data rows expected)
    return [
        (advisor, "offers:browse_offers_export", [], 1),
        (advisor, "offers:proposal_list_export", [], 1),
        (advisor, "committees:my_action_items_export", [], 1),
        (advisor, "committees:attendance_export", [meeting.pk], 1),
        (recruiter, "offers:my_offers_export", [], 1),
        (recruiter, "offers:offer_board_export", [offer.pk], 1),
        (lead, "offers:region_offers_export", [], 1),
        (lead, "immersion:session_list_export", [], 1),
        (lead, "immersion:session_roster_export", [session.pk], 1),
        (lead, "committees:commitments_export", [convention.pk], 1),
        (lead, "committees:committee_action_items_export", [committee.pk], 1),
        (lead, "committees:plan_items_export", [plan.pk], 1),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", STORABLE, ids=str)
def test_every_list_export_neutralises_every_payload(client, payload):
    for user, name, args, data_rows in _scene_carrying(payload):
        client.force_login(user)
        csv_response = client.get(reverse(name, args=[*args, "csv"]))
        assert csv_response.status_code == 200, name
        rows = read_csv(csv_response.content)
        assert len(rows) == 1 + data_rows, (name, len(rows))
        cells = [cell for row in rows[1:] for cell in row]
        assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)], name
        # A person's name reads stripped (`get_full_name`): either form is the payload.
        typed = (payload.text, payload.text.strip())
        assert any(exported(t)[:60] in cell for cell in cells for t in typed), name

        xlsx_response = client.get(reverse(name, args=[*args, "xlsx"]))
        assert xlsx_response.status_code == 200, name
        assert b"<f>" not in _sheet_xml(xlsx_response.content), name
        sheet = read_xlsx(xlsx_response.content)
        sheet_rows = list(sheet.iter_rows(min_row=2))
        assert len(sheet_rows) == data_rows, name
        texts = [c for row in sheet_rows for c in row if isinstance(c.value, str)]
        assert all(c.data_type == "s" for c in texts), name
        assert not [c.value for c in texts if c.value.startswith(FORMULA_TRIGGERS)], name
        assert any(exported_xlsx(t)[:60] in c.value for c in texts for t in typed), name
