"""What every app's forms share: how a service's refusal reaches the form, and the
submit button of a form rendered with `{% crispy form %}`."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(
    form: forms.Form, exc: ValidationError, mapping: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: next to its field when it names one
    of the form's fields (`mapping` renames a model field to the form's), on top
    otherwise. The form stays bound, so what was typed is shown again."""
    mapping = mapping or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = mapping.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit_helper(label) -> FormHelper:
    """The submit button of a form rendered with `{% crispy form %}`. Forms rendered with
    the `|crispy` filter ignore any helper: their templates hold the button."""
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper
