"""What every app's forms share: how a service's refusal reaches the form, the submit
button of a form rendered with `{% crispy form %}`, and the caps on free text."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .validators import validate_no_bidi_controls

# Caps on free text typed in a textarea. The database column (PostgreSQL's `text`) has
# none, so without a cap one post can store megabytes that every page, export and PDF
# then carries. Past its cap the form refuses the text with a message next to the
# field; nothing is ever cut silently. Each field picks the tier that fits it.
#: A note, a comment, a reason, a message to someone.
NOTE_MAX_LENGTH = 5_000
#: A longer text: a description, a mission, a decision, an engagement, its evidence.
TEXT_MAX_LENGTH = 10_000
#: The minutes of a meeting (Markdown): some twenty-five printed pages.
MINUTES_MAX_LENGTH = 50_000
MAX_LENGTH_MESSAGE = _("Au plus %(limit_value)d caractères (il y en a %(show_value)d).")


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


def error_messages_of(form: forms.BaseForm) -> list[str]:
    """The form's errors as lines for the page's messages, each after its field's label:
    for the small forms of a list page, which answer with a redirect."""
    lines = []
    for name, errors in form.errors.items():
        for error in errors:
            if name in form.fields:
                label = form.fields[name].label or name
                lines.append(_("%(label)s : %(error)s") % {"label": label, "error": error})
            else:
                lines.append(error)
    return lines


def link_field(label, *, max_length: int, **kwargs) -> forms.URLField:
    """A link typed in a form: https assumed, no longer than its column (`max_length`,
    the model's: a valid URL may run to 2,048 characters, which the column refuses),
    and no bidirectional control character (see accounts.validators.BIDI_CONTROLS)."""
    return forms.URLField(
        label=label,
        max_length=max_length,
        assume_scheme="https",
        validators=[validate_no_bidi_controls],
        error_messages={"max_length": MAX_LENGTH_MESSAGE},
        **kwargs,
    )


def submit_helper(label) -> FormHelper:
    """The submit button of a form rendered with `{% crispy form %}`. Forms rendered with
    the `|crispy` filter ignore any helper: their templates hold the button."""
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


def free_text(
    label, *, max_length: int = NOTE_MAX_LENGTH, rows: int = 3, required: bool = False, **kwargs
) -> forms.CharField:
    """A multi-line text field with its cap (see NOTE_MAX_LENGTH) and the cap's message.
    Like every `forms.CharField`, it refuses a NUL character (PostgreSQL cannot store one)
    with Django's message next to the field."""
    error_messages = {"max_length": MAX_LENGTH_MESSAGE, **kwargs.pop("error_messages", {})}
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=error_messages,
        **kwargs,
    )


def cap_text_fields(form: forms.BaseForm, limits: dict[str, int]) -> None:
    """Give the named fields of a ModelForm their cap. A model TextField carries no
    length, so the form field built from it accepts any size: `limits` maps each such
    field to its tier (NOTE_MAX_LENGTH...)."""
    for name, limit in limits.items():
        field = form.fields[name]
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
        field.error_messages["max_length"] = MAX_LENGTH_MESSAGE
        field.widget.attrs["maxlength"] = str(limit)
