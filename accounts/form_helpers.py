"""What every app's forms share: how a service's refusal reaches the form, the submit
button of a form rendered with `{% crispy form %}`, the caps on free text, and the
format hint every date and time field shows (`PortalFormRenderer`)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html
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


def format_hint(widget: forms.Widget) -> str:
    """The format a date, time or month field expects, said in words with an example: a
    placeholder alone disappears as soon as one types and many screen readers skip it
    (WCAG 3.3.2). Empty for other widgets."""
    if widget.attrs.get("type", getattr(widget, "input_type", "")) == "month":
        return _("Format : aaaa-mm, par exemple 2026-03.")
    if isinstance(widget, forms.DateTimeInput) and not isinstance(
        widget, forms.DateInput | forms.TimeInput
    ):
        return _("Format : jj/mm/aaaa hh:mm, par exemple 25/03/2026 14:30.")
    if isinstance(widget, forms.DateInput):
        if widget.input_type == "date":
            return ""  # the browser's own date picker says its format
        return _("Format : jj/mm/aaaa, par exemple 25/03/2026.")
    if isinstance(widget, forms.TimeInput):
        if widget.input_type == "time":
            return ""
        return _("Format : hh:mm, par exemple 14:30.")
    return ""


class PortalBoundField(BoundField):
    """Every field of every form, whatever renders it: a date or time field's help text
    ends with its format. Being the help text, it is shown under the field and tied to
    it by Django's `aria-describedby`, so it is read with the field."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        hint = format_hint(field.widget)
        if hint:
            self.help_text = format_html("{} {}", self.help_text, hint) if self.help_text else hint


class PortalFormRenderer(DjangoTemplates):
    """The project's FORM_RENDERER (settings): Django's own, with `PortalBoundField` for
    every form that does not name its own bound field class."""

    bound_field_class = PortalBoundField
