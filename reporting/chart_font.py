"""The advance widths of DejaVu Sans, the charts' font, so that `reporting.charts` can
measure its texts (and leave room for them) without loading a font or a drawing library.

Widths in font units (2,048 to the em) of DejaVu Sans 2.37 (Debian's fonts-dejavu-core,
which the image installs and WeasyPrint draws the charts' text with), for the characters
of French and English labels: ASCII, Latin-1, Latin Extended-A, the general punctuation
(dashes, quotes, ellipsis, narrow no-break space), the euro sign, the arrow and the
minus sign. `tests/reporting/test_charts.py` compares them with the installed font.
"""

from __future__ import annotations

UNITS_PER_EM = 2048
# A character outside the table counts one em: a wide guess leaves room, never cuts.
UNKNOWN = UNITS_PER_EM
# Vertical metrics of the font, in em: cap height (H), ascent and descent (hhea).
CAP_HEIGHT = 1493 / UNITS_PER_EM
ASCENT = 1901 / UNITS_PER_EM
DESCENT = 483 / UNITS_PER_EM

# The first code point of each run, then the widths of the run's characters in order.
# fmt: off
ADVANCES = {
    0x0020: (
        651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651,
        690, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716,
        1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604,
        1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403,
        1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721,
        1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298,
        1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
    ),
    0x00A0: (
        651, 821, 1303, 1303, 1303, 1303, 690, 1024, 1024, 2048, 965, 1253, 1716, 739, 2048,
        1024, 1024, 1716, 821, 821, 1024, 1303, 1303, 651, 1024, 821, 965, 1253, 1985, 1985,
        1985, 1087, 1401, 1401, 1401, 1401, 1401, 1401, 1995, 1430, 1294, 1294, 1294, 1294,
        604, 604, 604, 604, 1587, 1532, 1612, 1612, 1612, 1612, 1612, 1716, 1612, 1499,
        1499, 1499, 1499, 1251, 1239, 1290, 1255, 1255, 1255, 1255, 1255, 1255, 2011, 1126,
        1260, 1260, 1260, 1260, 569, 569, 569, 569, 1253, 1298, 1253, 1253, 1253, 1253,
        1253, 1716, 1253, 1298, 1298, 1298, 1298, 1212, 1300, 1212,
    ),
    0x0100: (
        1401, 1255, 1401, 1255, 1401, 1255, 1430, 1126, 1430, 1126, 1430, 1126, 1430, 1126,
        1577, 1300, 1587, 1300, 1294, 1260, 1294, 1260, 1294, 1260, 1294, 1260, 1294, 1260,
        1587, 1300, 1587, 1300, 1587, 1300, 1587, 1300, 1540, 1298, 1876, 1423, 604, 569,
        604, 569, 604, 569, 604, 569, 604, 569, 1208, 1138, 604, 569, 1343, 1186, 1186,
        1141, 569, 1141, 569, 1141, 768, 1141, 700, 1151, 582, 1532, 1298, 1532, 1298, 1532,
        1298, 1666, 1532, 1298, 1612, 1253, 1612, 1253, 1612, 1253, 2191, 2095, 1423, 842,
        1423, 842, 1423, 842, 1300, 1067, 1300, 1067, 1300, 1067, 1300, 1067, 1251, 803,
        1251, 803, 1251, 803, 1499, 1298, 1499, 1298, 1499, 1298, 1499, 1298, 1499, 1298,
        1499, 1298, 2025, 1675, 1251, 1212, 1251, 1403, 1075, 1403, 1075, 1403, 1075, 721,
    ),
    0x2010: (
        739, 739, 1303, 1024, 2048, 2048, 1024, 1024, 651, 651, 651, 651, 1061, 1061, 1061,
        1061, 1024, 1024, 1208, 1208, 685, 1367, 2048, 651,
    ),
    0x202F: (
        409, 2748,
    ),
    0x2039: (
        819, 819,
    ),
    0x20AC: (
        1303,
    ),
    0x2192: (
        1716,
    ),
    0x2212: (
        1716,
    ),
}
# fmt: on
WIDTHS: dict[str, int] = {
    chr(first + offset): width
    for first, widths in ADVANCES.items()
    for offset, width in enumerate(widths)
}


def text_width(text: str, size: float) -> float:
    """The width of `text` set in DejaVu Sans at `size` (in the size's unit), without
    kerning (a few tenths of a point at most over a label)."""
    return sum(WIDTHS.get(char, UNKNOWN) for char in str(text)) * size / UNITS_PER_EM
