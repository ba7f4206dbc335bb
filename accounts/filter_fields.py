"""A list's filter fields, written out in Python: `{% filter_field form.stage %}`.

The filters above a list (youths, sessions, offers, the trail...) are drawn on every
request of that list, and an htmx swap of the results redraws none of them. Through
crispy-forms each field goes through a dozen templates and Django's widget templates
(one per option of a select): the youth list's nine filters took more time than its 25
rows and their query. This module writes the same Bootstrap 5 markup as
crispy-bootstrap5 (wrapper, label, widget classes, help text, errors and their ARIA
links) for the widgets a filter uses, in about 0.05 ms a field; any other widget is
left to crispy (`render_filter_field` falls back to `as_crispy_field`). A form may list
in `fixed_filter_fields` the fields whose choices, label and help text are its class's
own (never set per user or request): each state of those (value, language) is drawn
once per process and kept. A select whose choices it sets per user (the places a user
sees) may be listed in `user_choice_filter_fields`: it is kept by its choices too, so
users offered the same choices share its markup, and a new choice is a new key.

What the markup keeps, as crispy wrote it (`tests/accounts/test_filter_fields.py`
compares both): the label tied to its field, `aria-describedby` to the help text and
to the errors, `aria-invalid` on a field with errors, the field's own attributes (min,
max, placeholder...), the value sent back, and the selected option.
"""

from __future__ import annotations

import html
from functools import cache

from django import forms
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from accounts.kept_markup import KeptMarkup


class _Shared:
    def __deepcopy__(self, memo):
        return self


@cache
def shared(field_class: type[forms.Field]) -> type[forms.Field]:
    """`field_class`, its instances shared by every form of the class declaring them
    instead of copied for each form (Django deep-copies every field and widget, their
    choices included: 0.1 ms for the youth list's filters). Only for a field nothing
    sets per form or request (its choices, label, help text, widget and attributes
    are the class's own): a filter of `fixed_filter_fields`."""
    return type(f"Shared{field_class.__name__}", (_Shared, field_class), {})


#: The widgets written here, with crispy-bootstrap5's class for each kind.
_INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.DateInput,
    forms.SearchInput,
)


def _joined(parts: list[SafeString]) -> SafeString:
    """Pieces already escaped by `format_html`, put end to end (escaped again if not)."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _kind(widget) -> str | None:
    if type(widget) is forms.Select:
        return "select"
    if type(widget) is forms.CheckboxInput:
        return "checkbox"
    if type(widget) in _INPUTS:
        return "input"
    return None


def _attrs(bound, widget, css: str) -> dict:
    """The widget's attributes as `BoundField.as_widget` builds them (with
    `aria-invalid` and `aria-describedby` naming the help text and the errors), and
    crispy's classes: the widget's class name, Bootstrap's, `is-invalid` on errors."""
    attrs = bound.build_widget_attrs(widget.attrs)
    classes = [type(widget).__name__.lower(), css]
    if attrs.get("class"):
        classes = [attrs["class"], *(c for c in classes if c not in attrs["class"].split())]
    if bound.errors:
        classes.append("is-invalid")
    attrs["class"] = " ".join(classes)
    if bound.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound.auto_id
    return attrs


def _text(value) -> str:
    """`conditional_escape` without its lazy wrapper: a value already safe as is, any
    other escaped as Django's `escape` does (`html.escape`)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _options(bound, widget) -> SafeString | None:
    """The select's options, the first matching the value selected (as Django's `Select`
    does); None when the choices are grouped (crispy draws those). Written with
    `html.escape` rather than a `format_html` an option: a select of places or advisors
    holds dozens of them on every request of its list."""
    values = {str(value) for value in widget.format_value(bound.value())}
    selected = False
    parts = []
    for value, label in bound.field.choices:
        if isinstance(label, list | tuple):
            return None
        text = "" if value is None else str(value)
        chosen = not selected and text in values
        selected = selected or chosen
        parts.append(
            f'<option value="{html.escape(text)}"{" selected" if chosen else ""}>'
            f"{_text(label)}</option>"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


def _feedback(bound) -> SafeString:
    """The help text and the errors, under the widget, with the ids the widget names."""
    parts = []
    if bound.errors:
        parts.append(
            format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                bound.auto_id,
                format_html_join(
                    "",
                    '<p id="error_{}_{}"><strong>{}</strong></p>',
                    ((n, bound.auto_id, error) for n, error in enumerate(bound.errors, 1)),
                ),
            )
        )
    if bound.help_text:
        parts.append(
            format_html(
                '<div id="{}_helptext" class="form-text">{}</div>',
                bound.auto_id,
                conditional_escape(bound.help_text),
            )
        )
    return _joined(parts)


def _label(bound, css: str) -> SafeString:
    if not bound.label:
        return mark_safe("")
    required = ""
    if bound.field.required:
        css = f"{css} requiredField"
        required = mark_safe('<span class="asteriskField">*</span>')
    return format_html(
        '<label for="{}" class="{}">{}{}</label>', bound.id_for_label, css, bound.label, required
    )


def render_control(bound) -> SafeString | None:
    """The field's widget alone (select, input or checkbox), with crispy's classes; None
    for a widget this module does not write (the caller falls back to Django's)."""
    widget = bound.field.widget
    kind = _kind(widget)
    if kind == "select":
        options = _options(bound, widget)
        if options is None:
            return None
        return format_html(
            '<select name="{}"{}>{}</select>',
            bound.html_name,
            flatatt(_attrs(bound, widget, "form-select")),
            options,
        )
    if kind == "checkbox":
        attrs = _attrs(bound, widget, "form-check-input")
        if widget.check_test(bound.value()):
            attrs["checked"] = True
        value = widget.format_value(bound.value())
        if value is not None:
            attrs["value"] = value
        return format_html('<input type="checkbox" name="{}"{}>', bound.html_name, flatatt(attrs))
    if kind == "input":
        attrs = _attrs(bound, widget, "form-control")
        value = widget.format_value(bound.value())
        if value is not None:
            attrs["value"] = str(value)
        return format_html(
            '<input type="{}" name="{}"{}>', widget.input_type, bound.html_name, flatatt(attrs)
        )
    return None


#: The markup of the fields a form declares fixed (`fixed_filter_fields`) or keyed by
#: their choices (`user_choice_filter_fields`), by form class, field, id, value and
#: choices (and language): drawn once per process rather than on
#: every request of the list (the youth list's eight fixed filters took 0.7 ms a request).
_FIXED = KeptMarkup(size=4096)


def _fixed_key(bound) -> tuple | None:
    """The memo's key for a field whose markup depends only on its value and the
    language: one the form lists in `fixed_filter_fields` (its choices, label and help
    text are the class's own, never set per user), without errors, holding a choice of
    its own or nothing (a typed text or number is drawn each time: no memo grows with
    what users type). A select the form lists in `user_choice_filter_fields` (choices
    set per user, label and help text the class's) is keyed by its choices as well.
    None for any other."""
    form = bound.form
    if bound.name in getattr(form, "fixed_filter_fields", ()):
        choices = ()
    elif bound.name in getattr(form, "user_choice_filter_fields", ()):
        choices = _choices_key(bound.field)
        if choices is None:
            return None
    else:
        return None
    if bound.errors:
        return None
    value = bound.value()
    if not (
        value is None
        or isinstance(value, bool)
        or value == ""
        or (isinstance(bound.field, forms.ChoiceField) and isinstance(value, str))
    ):
        return None
    return (type(form), bound.name, bound.auto_id, form.is_bound, choices, repr(value))


def _choices_key(field) -> tuple | None:
    """What a select's options are drawn from, as part of its memo's key: each choice's
    value, its label's text, and whether the label is already safe (written as it is)
    or text (escaped). None for grouped choices (crispy draws those) and for a field
    without choices. Choices read from the database (a model's select) are read once
    here and set on the field, which then draws these, without reading them again."""
    choices = getattr(field, "choices", None)
    if choices is None:
        return None
    if not isinstance(choices, list):
        # Iterated, not measured: a model's choice iterator counts its rows for a length.
        choices = field.choices = list(iter(choices))
    key = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            return None
        key.append((value, str(label), hasattr(label, "__html__")))
    return tuple(key)


def render_filter_field(bound) -> SafeString:
    """The whole field as crispy-bootstrap5 writes it: wrapper, label, widget, help text
    and errors; crispy itself for a widget `render_control` does not write."""
    key = _fixed_key(bound)
    if key is None:
        return _render_filter_field(bound)
    return _FIXED.get(key, lambda: _render_filter_field(bound))


def _render_filter_field(bound) -> SafeString:
    control = render_control(bound)
    if control is None:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound)
    if _kind(bound.field.widget) == "checkbox":
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}{}{}</div></div>',
            bound.auto_id,
            control,
            _label(bound, "form-check-label"),
            _feedback(bound),
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}</div>',
        bound.auto_id,
        _label(bound, "form-label"),
        control,
        _feedback(bound),
    )


#: Whole filter forms in their unbound state (`render_filters`), by template, values,
#: form class and choices (and language).
_FORMS = KeptMarkup(size=1024)


def render_filters(template_name: str, form, **values) -> SafeString:
    """A list's filter form, `template_name` drawn with `form` and `values` alone (as
    `{% include template_name with form=form ... only %}` draws it). Unbound (a list
    opened without filters, its most frequent request), a form whose every field is
    kept (`fixed_filter_fields` or `user_choice_filter_fields`) is drawn once per state
    and kept: by its template, the values, and the choices of its users' selects. A
    list's first page drew its filters through a dozen template nodes and one tag a
    field, each request: 0.5 ms of the sessions list's page."""

    def draw() -> SafeString:
        return render_to_string(template_name, {"form": form, **values})

    key = _unbound_key(form)
    if key is None:
        return draw()
    try:
        key = (template_name, key, tuple(sorted(values.items())))
        hash(key)
    except TypeError:
        return draw()
    return _FORMS.get(key, draw)


def _unbound_key(form) -> tuple | None:
    """What an unbound form's markup depends on, when each of its fields is kept by
    `_fixed_key`: its class, prefix and ids, and the choices of its users' selects.
    None for a bound form, or one with a field drawn each time."""
    if form.is_bound or form.initial:
        return None
    fixed = getattr(form, "fixed_filter_fields", frozenset())
    by_choices = getattr(form, "user_choice_filter_fields", frozenset())
    choices = []
    for name, field in form.fields.items():
        if name in fixed:
            continue
        if name not in by_choices:
            return None
        field_choices = _choices_key(field)
        if field_choices is None:
            return None
        choices.append((name, field_choices))
    return (type(form), form.prefix, form.auto_id, tuple(choices))
