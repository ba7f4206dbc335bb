import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from candidates.enums import PathwayStage
from tests.accounts.factories import make_member

from .factories import YouthFactory

pytestmark = pytest.mark.django_db


def test_list_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    first = YouthFactory(in_stage=PathwayStage.DISCOVERY)
    ml, advisor = first.mission_locale, first.advisor
    YouthFactory.create_batch(2, mission_locale=ml, advisor=advisor)
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    params = {"q": "m", "sort": "contact", "civis": "no"}
    client.get(url, params)  # warm the session
    # The session, the user, their scope, the advisors offered, the page with its count.
    with django_assert_num_queries(5) as small:
        client.get(url)
    other = make_member(Role.ADVISOR, organisation=ml)
    # Names with a word beginning with "m": the search's page 2 below exists whatever the factory's
    # random names (a page past the end takes the counted path, one query more).
    YouthFactory.create_batch(27, mission_locale=ml, advisor=other, last_name="Martin")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 25
    # The htmx fragment does not render the filter form (no advisor choices). A name
    # search counts in its page's statement on PostgreSQL, apart elsewhere.
    apart = connection.vendor != "postgresql"
    with django_assert_max_num_queries(len(small.captured_queries) - 1 + apart):
        client.get(url, {**params, "page": 2}, headers={"HX-Request": "true"})


def test_csv_export_is_french_excel_and_follows_the_filters(client):
    youth = YouthFactory(last_name="Lefèvre", first_name="Éloïse", in_stage=PathwayStage.IMMERSION)
    YouthFactory(mission_locale=youth.mission_locale, last_name="Autre")
    client.force_login(youth.advisor)
    response = client.get(reverse("candidates:youth_export", args=["csv"]), {"stage": "immersion"})
    assert response["Content-Type"].startswith("text/csv")
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Prénom", "Date de naissance"]
    assert len(rows) == 2
    assert rows[1][:3] == ["Lefèvre", "Éloïse", youth.birth_date.strftime("%d/%m/%Y")]
    assert "Immersion" in rows[1]


def test_xlsx_export_and_reimport_round_trip(client):
    from candidates.importing import preview_import

    youth = YouthFactory(last_name="Lefèvre", first_name="Éloïse")
    client.force_login(youth.advisor)
    response = client.get(reverse("candidates:youth_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "Lefèvre"
    other_advisor = make_member(Role.ADVISOR)
    batch = preview_import(
        mission_locale=other_advisor.memberships.get().organisation,
        actor=other_advisor,
        file_name="export.xlsx",
        data=response.content,
    )
    # Every column reads back; only the advisor, of another mission locale, is unknown.
    assert batch.rejected_rows == []
    [row] = batch.valid_rows
    assert row["line"] == 2
    assert len(row["warnings"]) == 1 and "n'est pas un conseiller" in row["warnings"][0]


def test_export_answers_404_for_any_other_format(client):
    youth = YouthFactory(last_name="Lefèvre")
    client.force_login(youth.advisor)
    for fmt in ("pdf", "CSV", "csv.exe", 'csv"; x="'):
        response = client.get(reverse("candidates:youth_export", args=[fmt]))
        assert response.status_code == 404, fmt
        assert "Content-Disposition" not in response
    response = client.get(reverse("candidates:youth_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
