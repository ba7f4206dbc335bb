"""The values of an imported spreadsheet as people write them, read into the portal's.

Education levels come as everyday names ("CAP", "BTS", "Bac pro commerce", "Brevet")
or as official levels ("niveau 4", the 2019 national nomenclature; "niveau IV", the
1969 one); yes/no in French ("oui", "o", "x", "1", "vrai"); advisors by email or by
name. Dates that do not exist say why ("30/02/2004 : ce jour n'existe pas").
docs/candidates.md holds the same tables.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import lru_cache

from django.utils.translation import gettext as _

from .enums import EducationLevel
from .import_columns import header_key
from .text import normalise_name

_NONE, _CAP, _BAC, _BAC2, _HIGHER = (
    EducationLevel.NONE,
    EducationLevel.CAP_BEP,
    EducationLevel.BAC,
    EducationLevel.BAC_2,
    EducationLevel.HIGHER,
)
#: Normalised name -> level. A value is matched whole, else by its longest leading
#: name ("bac pro commerce" -> "bac pro", "cap cuisine" -> "cap").
EDUCATION_NAMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "sans diplome",
            "aucun",
            "aucun diplome",
            "non diplome",
            "brevet",
            "brevet des colleges",
            "dnb",
            "bepc",
            "cfg",
            "niveau 1",
            "niveau 2",
            "niveau vi",
            "niveau v bis",
            "infra",
        ),
        _NONE,
    ),
    **dict.fromkeys(
        ("cap", "bep", "cap bep", "niveau 3", "niveau v", "mention complementaire"), _CAP
    ),
    **dict.fromkeys(
        (
            "bac",
            "baccalaureat",
            "bac pro",
            "bac professionnel",
            "bac techno",
            "bac technologique",
            "bac general",
            "brevet professionnel",
            "bp",
            "daeu",
            "niveau 4",
            "niveau iv",
        ),
        _BAC,
    ),
    **dict.fromkeys(
        ("bac 2", "bts", "dut", "but", "deug", "deust", "niveau 5", "niveau iii"), _BAC2
    ),
    **dict.fromkeys(
        (
            "bac 3",
            "bac 4",
            "bac 5",
            "bac 3 et plus",
            "licence",
            "licence pro",
            "licence professionnelle",
            "maitrise",
            "master",
            "mastere",
            "ingenieur",
            "doctorat",
            "niveau 6",
            "niveau 7",
            "niveau 8",
            "niveau ii",
            "niveau i",
        ),
        _HIGHER,
    ),
    # The portal's own values and labels ("CAP / BEP", "Bac +2"), so an export imports.
    **{header_key(value): value for value, _label in EducationLevel.choices},
    **{header_key(str(label)): value for value, label in EducationLevel.choices},
}
_LEADING = sorted(EDUCATION_NAMES, key=len, reverse=True)


def _level_key(text: str) -> str:
    # "Bac+2" -> "bac 2", "Niv. 4" -> "niveau 4"
    key = header_key(str(text).replace("+", " "))
    return re.sub(r"^niv\b", "niveau", key)


@lru_cache(maxsize=1024)  # a file holds a few dozen different names, 50,000 times
def parse_education_level(text: str) -> str:
    """'BTS NDRC' -> 'bac_2'. Raises ValueError when no name fits."""
    key = _level_key(text)
    if key in EDUCATION_NAMES:
        return EDUCATION_NAMES[key]
    for name in _LEADING:
        if key.startswith(name + " "):
            return EDUCATION_NAMES[name]
    raise ValueError(text)


YES = ("oui", "o", "x", "1", "vrai", "yes", "y", "true")
NO = ("non", "n", "0", "faux", "no", "false")


def parse_yes_no(text: str) -> bool:
    """'Oui', 'o', 'X', '1', 'vrai' -> True; 'non', 'n', '0', 'faux' -> False."""
    key = normalise_name(str(text))
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValueError(text)


class AdvisorIndex:
    """The mission locale's advisors found by email or by name ("Camille Roche" or
    "ROCHE Camille", accents and case ignored). A name two advisors share finds
    nobody: the person importing then chooses, as for an unknown advisor."""

    def __init__(self, advisors) -> None:
        self._by_key: dict[str, int | None] = {}
        for pk, email, first_name, last_name in advisors:
            self._add(email.lower(), pk)
            self._add(normalise_name(first_name, last_name), pk)
            self._add(normalise_name(last_name, first_name), pk)

    def _add(self, key: str, pk: int) -> None:
        if not key:
            return
        if key in self._by_key and self._by_key[key] != pk:
            self._by_key[key] = None
        else:
            self._by_key[key] = pk

    def find(self, text: str) -> int | None:
        text = text.strip()
        return self._by_key.get(text.lower()) or self._by_key.get(normalise_name(text))


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value) -> date:
    """A date written dd/mm/yyyy (or with dots or dashes, or yyyy-mm-dd). Raises
    ValueError with the message to show: the month or the day that does not exist,
    or the format expected."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YMD.match(text)
        if not match:
            raise ValueError(_("« %(v)s » n'est pas une date jj/mm/aaaa") % {"v": text})
        year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(_("%(v)s : le mois %(month)s n'existe pas") % {"v": text, "month": month})
    if year < 1 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(_("%(v)s : ce jour n'existe pas") % {"v": text})
    return date(year, month, day)
