"""Text helpers of the candidate pool: the accent- and case-insensitive key used to
search names and spot duplicates the same way on PostgreSQL and SQLite."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\s\-']+")


# Names repeat (an import of 50,000 rows holds a few thousand first names): the keys
# of the latest ones are kept.
@lru_cache(maxsize=20_000)
def normalise_name(*parts: str) -> str:
    """'Éloïse  D'Arc-Lévy' -> 'eloise d arc levy': no accents, lower case, one space."""
    text = " ".join(p for p in parts if p)
    if not text.isascii():  # plain ASCII has no accent to take off
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.casefold()).strip()


def searched_words(text: str) -> list[str]:
    """The words of a name search, normalised, longest first (ties keep their order):
    the longest is the one `YouthNameWord` reads a range of the index for. The list
    compiles its search statements with marks of one length in their place
    (`views.youths._kept_page`), in this order too."""
    return sorted(normalise_name(text).split(), key=len, reverse=True)
