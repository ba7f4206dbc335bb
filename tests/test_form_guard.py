"""So that a new form is not forgotten by the hostile payload table.

Every Form or ModelForm of the portal's apps with a text field (any `forms.CharField`:
email, URL and JSON fields included) is either in the table of an app's
`test_hostile_input.py` or in the short exclusion list below, each entry saying why.
Every text field of a form in a table is listed by its case (or ignored below, with a
reason). And no view reads text from `request.POST` itself: text goes through a form,
which refuses a NUL character and caps the length (a raw read once let a NUL reach
PostgreSQL: an HTTP 500).

Django's admin builds its own forms, for superusers only, and allauth's forms (sign-in,
password reset, second factor) store no free text: neither lives in the portal's apps.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings

from accounts.forms import (
    AcceptInvitationForm,
    CompanyAccessRequestForm,
    StableSecretActivateTOTPForm,
)
from candidates.forms import YouthFilterForm, YouthForm
from candidates.forms_import import ImportColumnsForm
from committees.forms import AttendanceForm as MeetingAttendanceForm
from immersion.forms import SessionFilterForm
from offers.forms import OfferFilterForm
from reporting.forms import ReviewSectionForm
from tests.test_hostile_input import CASES

#: Forms with a text field that store nothing: they filter a list (GET).
EXCLUDED = {
    YouthFilterForm: "filters the list of youths (the name searched is stored nowhere)",
    OfferFilterForm: "filters the published offers (the place searched is stored nowhere)",
    SessionFilterForm: "filters the sessions (the month is parsed, stored nowhere)",
    StableSecretActivateTOTPForm: "allauth's TOTP code: compared with the expected code, never stored",
}

#: Forms building every field in `__init__` (so a class alone shows none) that hold no
#: text. One that does (VaeProjectForm) must be in a table like any other.
BUILT_WITHOUT_TEXT = {
    MeetingAttendanceForm: "one choice of presence per committee member",
    ImportColumnsForm: "one choice of field per column of an imported file (the file's "
    "cells go through tests/candidates/test_import_pages.py's hostile payloads)",
}

#: Text fields of tabled forms that hold no text a person reads back.
IGNORED_FIELDS = {
    (AcceptInvitationForm, "password1"): "a password: hashed, never stored or shown",
    (AcceptInvitationForm, "password2"): "the password's confirmation, compared only",
    (YouthForm, "submission_token"): "the form's hidden one-time token, never shown",
    (CompanyAccessRequestForm, "website"): "the honeypot: filled only by robots, never stored",
    (ReviewSectionForm, "key"): "a hidden choice among the review's section keys",
}

#: The keys views read from request.POST themselves: none of them is text.
RAW_POST_KEYS = {
    "company": "offers.offer_create: a company's id, checked against the user's",
    "next": "where to go back: 'board' or 'meeting', compared only",
    "section_key": "reporting.review_section: checked against the section keys (404)",
    "answer": "youthspace.session_answer: checked against the answers' values",
    "action": "youthspace.consent: 'give' or 'withdraw', compared only (404 otherwise)",
}


def _project_apps():
    root = Path(settings.BASE_DIR).resolve()
    return [
        config for config in apps.get_app_configs() if Path(config.path).resolve().parent == root
    ]


def _project_forms() -> set[type]:
    """Every form class defined in a module of the portal's apps."""
    names = []
    for config in _project_apps():
        package = importlib.import_module(config.name)
        names.append(config.name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
                names.append(module.name)

    found, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__ in names:
                found.add(sub)
    return found


def _text_fields(form_class) -> set[str]:
    return {
        name for name, field in form_class.base_fields.items() if isinstance(field, forms.CharField)
    }


def test_every_form_with_text_is_in_a_hostile_table_or_excluded():
    tabled = {form_class for case in CASES for form_class in case.forms}
    with_text = {form_class for form_class in _project_forms() if _text_fields(form_class)}
    forgotten = with_text - tabled - set(EXCLUDED)
    assert not forgotten, (
        "Forms with a text field missing from the hostile payload table "
        "(tests/<app>/test_hostile_input.py) and from EXCLUDED: "
        + ", ".join(sorted(f"{cls.__module__}.{cls.__name__}" for cls in forgotten))
    )
    stale = {cls for cls in EXCLUDED if cls not in with_text} | (tabled & set(EXCLUDED))
    assert not stale, f"EXCLUDED holds forms without text, or tabled ones: {stale}"


def test_every_form_building_its_fields_at_run_time_is_tabled_or_known():
    built = {form_class for form_class in _project_forms() if not form_class.base_fields}
    tabled = {form_class for case in CASES for form_class in case.forms}
    unknown = built - tabled - set(BUILT_WITHOUT_TEXT)
    assert not unknown, (
        "Forms whose fields are built in __init__ (text fields cannot be seen from the "
        "class): put them in a hostile table, or in BUILT_WITHOUT_TEXT if they hold no "
        f"text: {sorted(cls.__name__ for cls in unknown)}"
    )


def test_every_text_field_of_a_tabled_form_is_listed_by_its_case():
    listed: dict[type, set[str]] = {}
    for case in CASES:
        for form_class in case.forms:
            listed.setdefault(form_class, set()).update(case.text + case.lines + case.constrained)
    missing = {
        (form_class.__name__, name)
        for form_class, names in listed.items()
        for name in _text_fields(form_class) - names
        if (form_class, name) not in IGNORED_FIELDS
    }
    assert not missing, f"Text fields no hostile case posts to: {sorted(missing)}"


RAW_POST = re.compile(r"request\.POST(?:\.get(?:list)?\(\s*|\[\s*)[\"'](\w+)[\"']")


def test_no_view_reads_text_from_the_post_itself():
    read = {}
    for config in _project_apps():
        for path in Path(config.path).rglob("*.py"):
            for key in RAW_POST.findall(path.read_text()):
                read.setdefault(key, []).append(str(path.relative_to(settings.BASE_DIR)))
    unknown = {key: where for key, where in read.items() if key not in RAW_POST_KEYS}
    assert not unknown, (
        "Views read these POST keys without a form (text must go through a form, which "
        f"refuses NUL and caps the length): {unknown}"
    )
