"""The retention rules are written twice, once to run (candidates.retention.RULES) and
once for the data protection officer (the table of docs/rgpd.md): they must say the
same, rule for rule, word for word, in the same order."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from candidates.retention import RULES

DOC = Path(settings.BASE_DIR) / "docs" / "rgpd.md"
HEADER = "| règle | ce qui est concerné | durée | ce qui est fait | raison |"


def documented_rules() -> list[tuple[str, ...]]:
    """The rows of the retention table of docs/rgpd.md, the key without its backquotes."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    assert lines.count(HEADER) == 1, f"docs/rgpd.md must hold one table headed {HEADER!r}"
    start = lines.index(HEADER) + 2  # the header, then its |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 5, f"a row of five cells: {line!r}"
        cells[0] = cells[0].strip("`")
        rows.append(tuple(cells))
    return rows


def coded_rules() -> list[tuple[str, ...]]:
    with translation.override("fr"):
        return [
            (rule.key, str(rule.what), str(rule.period), str(rule.action), str(rule.legal_reason))
            for rule in RULES
        ]


def test_the_table_of_docs_rgpd_is_the_table_of_the_code():
    assert documented_rules() == coded_rules()


def test_the_comparison_would_catch_a_difference(tmp_path, monkeypatch):
    """The control: a period changed in the document alone is caught."""
    changed = DOC.read_text(encoding="utf-8").replace("| 12 mois |", "| 18 mois |", 1)
    copy = tmp_path / "rgpd.md"
    copy.write_text(changed, encoding="utf-8")
    monkeypatch.setitem(globals(), "DOC", copy)
    assert documented_rules() != coded_rules()


def test_each_rule_has_every_column_filled_and_a_unique_key():
    keys = [rule.key for rule in RULES]
    assert len(set(keys)) == len(keys)
    for row in coded_rules():
        assert all(cell.strip() for cell in row), row
