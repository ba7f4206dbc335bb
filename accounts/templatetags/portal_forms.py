"""What every form page shares, whatever renders the form (crispy's templates, allauth's
elements, a template placing fields by hand): the "Erreur : " prefix of the page title
when a form was sent back with errors, and the facts the error summary and the
required-field note read (components/form_errors.html)."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


def _has_errors(candidate) -> bool:
    """A bound form or formset already validated by its view, with errors. A form never
    validated is not validated here (`_errors` is None): reading `.errors` would run its
    cleaning from a template. Its type decides, not isinstance(): that asks a lazy value of
    the context (the user, the menu, the CSRF token) its class, which builds the value."""
    kind = type(candidate)
    if issubclass(kind, forms.BaseForm):
        return candidate.is_bound and candidate._errors is not None and bool(candidate._errors)
    if issubclass(kind, BaseFormSet):
        return candidate.is_bound and candidate._errors is not None and not candidate.is_valid()
    return False


def forms_with_errors(values: Iterable) -> list:
    return [value for value in values if _has_errors(value)]


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Erreur : " when a form of the page's context was sent back with errors, so the
    page title says so first (WCAG 3.3.1: screen readers read the title on load)."""
    values = (value for layer in context.dicts for value in layer.values())
    return _("Erreur : ") if forms_with_errors(values) else ""


@register.simple_tag
def filter_field(bound_field):
    """A list's filter field, with crispy-bootstrap5's markup at a fraction of its cost
    (`accounts/filter_fields.py`)."""
    from accounts.filter_fields import render_filter_field

    return render_filter_field(bound_field)


@register.simple_tag
def filter_form(template_name, form, **values):
    """`{% filter_form "immersion/_session_filters.html" form action=url %}`: a list's
    filter form drawn as `{% include ... with form=form action=url only %}` draws it,
    kept for an unbound form (`accounts/filter_fields.py`, `render_filters`)."""
    from accounts.filter_fields import render_filters

    return render_filters(template_name, form, **values)


@register.simple_tag
def filter_control(bound_field):
    """A filter's widget alone, for a form that lays out its own labels: crispy's
    classes, Django's attributes (`accounts/filter_fields.py`); Django's own rendering
    for a widget that module does not write."""
    from accounts.filter_fields import render_control

    control = render_control(bound_field)
    return bound_field.as_widget() if control is None else control


@register.filter
def has_required_fields(form) -> bool:
    """The form shows a field the user must fill: the note explaining the asterisk is due."""
    return any(field.field.required for field in form.visible_fields())


@register.filter
def error_entries(form) -> list[tuple[str, str, str]]:
    """(field id to link to, label, message) for each error of the form, in the order of
    its fields; the form's own errors (and those of hidden fields) come first, unlinked."""
    entries = [("", "", str(error)) for error in form.non_field_errors()]
    for field in form.hidden_fields():
        entries += [("", "", str(error)) for error in field.errors]
    for field in form.visible_fields():
        target = field.id_for_label or field.auto_id or ""
        entries += [(target, str(field.label or field.name), str(error)) for error in field.errors]
    return entries
