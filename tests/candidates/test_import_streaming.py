"""The largest file the import accepts (issue 15, item 6): the row cap and the byte cap
describe the same file (about 50,000 youths in 5 MB), and the preview of a large file
stays one page of bounded size and a fixed number of queries, whatever its rows.
`bench/import_bench.py` times that file end to end (docs/benchmarks.md)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.importing import MAX_BYTES, MAX_ROWS, confirm_import, preview_import, read_table
from candidates.views.imports import PREVIEW_PAGE_SIZE
from tests.candidates.factories import born
from tests.candidates.test_import_limits import field_error, post_file

pytestmark = pytest.mark.django_db

TITLES = "NOM;Prénom;Date naiss.;Mail;Portable;CP;Ville;Niveau;Référent"


def _realistic_csv(count: int) -> bytes:
    """A French Excel export of `count` youths, the columns mission locales send most
    often all filled (about 100 bytes a row)."""
    lines = [TITLES]
    for n in range(count):
        lines.append(
            f"LEFÈVRE;Inès;{born(20)};i.lefevre{n}@free.fr;06{n:08d};13003;Marseille;"
            "Bac pro;c.roux@ml.fr"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_a_full_file_at_the_row_cap_fits_under_the_byte_cap(client, advisor, ml):
    at_cap = _realistic_csv(MAX_ROWS)
    # The byte cap is what the person importing meets first only with unusually wide
    # rows: an ordinary export of MAX_ROWS youths is accepted whole.
    assert 0.8 * MAX_BYTES < len(at_cap) <= MAX_BYTES
    table = read_table(at_cap, "vivier.csv")
    assert len(table.rows) == MAX_ROWS
    one_more = _realistic_csv(MAX_ROWS + 1)
    assert len(one_more) <= MAX_BYTES
    response = post_file(client, advisor, ml, "vivier.csv", one_more)
    assert f"Le fichier dépasse {MAX_ROWS} lignes" in field_error(response)


def _preview(ml, advisor, size: int):
    """A checked file of `size` new youths (a third of them minors), `size` refused rows
    and `size` youths already in the pool (imported just before)."""
    pool = [f"Pool{n};Léo;{born(19)}" for n in range(size)]
    first = preview_import(
        mission_locale=ml,
        actor=advisor,
        file_name="v.csv",
        data=("Nom;Prénom;Date de naissance\r\n" + "\r\n".join(pool)).encode(),
    )
    confirm_import(batch=first, actor=advisor)
    lines = [*pool]
    for n in range(size):
        lines.append(f"Neuf{n};Noé;{born(16 if n % 3 == 0 else 20)}")
        lines.append(f"Faux{n};Léa;30/02/2004")
    data = ("Nom;Prénom;Date de naissance\r\n" + "\r\n".join(lines)).encode()
    return preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=data)


def test_the_preview_of_many_rows_is_one_bounded_page(client, advisor, ml):
    client.force_login(advisor)
    figures = []
    for size in (150, 300):
        batch = _preview(ml, advisor, size)
        assert (len(batch.valid_rows), batch.skipped_count) == (size, size)
        url = reverse("candidates:import_preview", args=[batch.pk])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        body = response.content.decode()
        # One page of each table: PREVIEW_PAGE_SIZE refused rows and as many valid
        # rows (a row header each), as many present youths.
        assert body.count('<th scope="row">') == 2 * PREVIEW_PAGE_SIZE
        assert body.count(">ligne ") == PREVIEW_PAGE_SIZE
        assert f"Lignes 1 à {PREVIEW_PAGE_SIZE} sur {size}" in body
        # The counts are the file's, not the page's.
        assert re.search(rf'text-bg-success">{size}<', body)
        assert f"Importer {size} jeunes" in body
        figures.append((len(captured), len(body)))
    (queries_small, size_small), (queries_large, size_large) = figures
    assert queries_small == queries_large
    assert abs(size_large - size_small) < 2_000


def test_each_table_of_the_preview_pages_on_its_own(client, advisor, ml):
    batch = _preview(ml, advisor, 150)
    client.force_login(advisor)
    url = reverse("candidates:import_preview", args=[batch.pk])
    body = client.get(url, {"page": 2, "refused": 1}).content.decode()
    valid_lines = sorted(row["line"] for row in batch.valid_rows)
    # The valid rows' second page: their 101st to 150th, the refused rows' first page.
    assert f"Lignes {PREVIEW_PAGE_SIZE + 1} à 150 sur 150" in body
    assert f'<th scope="row">{valid_lines[PREVIEW_PAGE_SIZE]}</th>' in body
    assert f'<th scope="row">{valid_lines[0]}</th>' not in body
    assert "refused=1&amp;page=1#valid-rows" in body or "page=1&amp;refused=1" in body
    # A page past the end shows the last one, never an error.
    assert client.get(url, {"present": 99}).status_code == 200


def test_confirmation_creates_the_youths_round_by_round_without_duplicates(
    monkeypatch, advisor, ml
):
    from candidates import import_confirm
    from candidates.models import PathwayEvent, Youth
    from tests.candidates.factories import YouthFactory

    monkeypatch.setattr(import_confirm, "CONFIRM_CHUNK", 2)
    lines = [f"Rond{n};Noé;{born(20)}" for n in range(5)]
    data = ("Nom;Prénom;Date de naissance\r\n" + "\r\n".join(lines)).encode()
    batch = preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=data)
    # A youth of the last round entered the pool since the preview: skipped, not doubled.
    birth = datetime.strptime(born(20), "%d/%m/%Y").date()
    YouthFactory(mission_locale=ml, last_name="Rond4", first_name="Noé", birth_date=birth)
    batch = confirm_import(batch=batch, actor=advisor)
    assert (batch.created_count, batch.skipped_count) == (4, 1)
    assert Youth.objects.filter(mission_locale=ml).count() == 5
    assert PathwayEvent.objects.filter(youth__mission_locale=ml).count() >= 4
