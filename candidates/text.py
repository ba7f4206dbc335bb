"""Text helpers of the candidate pool: the accent- and case-insensitive key used to
search names and spot duplicates the same way on PostgreSQL and SQLite."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\-']+")


def normalise_name(*parts: str) -> str:
    """'Éloïse  D'Arc-Lévy' -> 'eloise d arc levy': no accents, lower case, one space."""
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.casefold()).strip()
