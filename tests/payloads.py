"""The one list of hostile payloads, run through every form that stores text and every
export. A new form or export takes these, never a list of its own.

Each payload has a name (for test ids) and the text an attacker would type. What the
portal must do with them:
- HTML/script: stored as typed, shown escaped (never as markup);
- formula: stored as typed, neutralised in every CSV/XLSX cell (OWASP CSV injection);
- CRLF: never splits a header or an email subject, never starts a new CSV row unquoted;
- very long: refused with a message or cut to the field's length, never a 500;
- right-to-left override: stored as typed, escaped in exports like any text;
- NUL: refused with a message (PostgreSQL refuses NUL in text), never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    name: str
    text: str

    def __str__(self) -> str:
        return self.name


SCRIPT = Payload("script", '<script>alert("x")</script><img src=x onerror=alert(1)>')
FORMULA_EQUALS = Payload("formula-equals", '=HYPERLINK("http://x.example","y")')
FORMULA_PLUS = Payload("formula-plus", "+cmd|' /C calc'!A0")
FORMULA_AT = Payload("formula-at", "@SUM(1+1)")
FORMULA_MINUS = Payload("formula-minus", "-2+3")
FORMULA_TAB = Payload("formula-tab", "\t=1+1")
FORMULA_CR = Payload("formula-cr", "\r=1+1")
CRLF = Payload("crlf", "Objet\r\nBcc: victim@example.org\r\n\r\n=1+1")
VERY_LONG = Payload("very-long", "A" * 100_000)
RTL_OVERRIDE = Payload("rtl-override", "facture\u202efdp.exe")
NUL = Payload("nul", "avant\x00après")

#: Payloads that a text field stores as typed (after the form's usual stripping).
STORABLE = (
    SCRIPT,
    FORMULA_EQUALS,
    FORMULA_PLUS,
    FORMULA_AT,
    FORMULA_MINUS,
    RTL_OVERRIDE,
)
#: Every payload, for exports and for forms (which must answer each without a 500).
ALL = (
    SCRIPT,
    FORMULA_EQUALS,
    FORMULA_PLUS,
    FORMULA_AT,
    FORMULA_MINUS,
    FORMULA_TAB,
    FORMULA_CR,
    CRLF,
    VERY_LONG,
    RTL_OVERRIDE,
    NUL,
)
#: The payloads a spreadsheet would run as a formula if written raw.
FORMULAS = (FORMULA_EQUALS, FORMULA_PLUS, FORMULA_AT, FORMULA_MINUS, FORMULA_TAB, FORMULA_CR)

#: Characters that start a formula in Excel, LibreOffice or Google Sheets (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
