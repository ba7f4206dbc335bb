"""`{% filter_field %}` writes a filter field as crispy-bootstrap5 does: the same
elements, attributes, classes, value, selected option, help text and errors with their
ARIA links (compared element by element with crispy's own output)."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import engines
from django.test.html import parse_html
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from accounts.filter_fields import render_filter_field
from tests.payloads import SCRIPT


class Filters(forms.Form):
    q = forms.CharField(label="Nom <ou> prénom", required=False)
    search = forms.CharField(label="Recherche", required=False, widget=forms.SearchInput)
    stage = forms.ChoiceField(
        label="Étape",
        choices=[("", "Toutes"), ("info", "Information"), ("hired", "En emploi")],
        required=False,
    )
    days = forms.IntegerField(
        label="Jours", min_value=1, max_value=3650, required=False, help_text="Au plus 3650."
    )
    since = forms.DateField(label="Depuis", required=False, widget=forms.DateInput)
    email = forms.EmailField(label="Courriel", required=False)
    minors = forms.BooleanField(label="Mineurs seulement", required=False)
    city = forms.CharField(
        label="Ville", widget=forms.TextInput(attrs={"placeholder": "Marseille"})
    )
    grouped = forms.ChoiceField(
        label="Groupé",
        choices=[("A", [("a1", "Un"), ("a2", "Deux")]), ("b", "Bé")],
        required=False,
    )
    # Labels as a list may hold them: hostile text, safe markup, a lazy translation.
    hostile = forms.ChoiceField(
        label="Choix",
        choices=[
            ("", gettext_lazy("Tous")),
            ('<x>"&', SCRIPT.text),
            ("safe", mark_safe("<b>Sûr</b>")),  # noqa: S308
        ],
        required=False,
    )
    tags = forms.MultipleChoiceField(
        label="Étiquettes", choices=[("x", "X"), ("y", "Y")], required=False
    )


DATA = [
    None,
    {},
    {"q": "lefèvre", "stage": "hired", "days": "30", "minors": "on", "city": "Aix"},
    {
        "q": SCRIPT.text,
        "stage": "nope",
        "days": "x",
        "email": "pas-un-courriel",
        "since": "32/13/2020",
    },
    {"stage": '"><script>', "days": "0", "city": ""},
    {"hostile": '<x>"&'},
]


def crispy_markup(bound):
    # crispy adds its classes to the widget's attributes in place: a fresh form each time.
    return parse_html(str(as_crispy_field(bound)))


@pytest.mark.parametrize(
    "data", DATA, ids=lambda data: "unbound" if data is None else str(len(data))
)
@pytest.mark.parametrize("name", [n for n in Filters.base_fields])
def test_the_markup_is_crispys(data, name):
    with translation.override("fr"):
        ours_form, crispy_form = Filters(data), Filters(data)
        if data is not None:
            ours_form.is_valid(), crispy_form.is_valid()
        ours = parse_html(str(render_filter_field(ours_form[name])))
        theirs = crispy_markup(crispy_form[name])
    assert ours == theirs, f"\nours:   {ours}\ncrispy: {theirs}"


def test_errors_help_and_hostile_values_are_there_and_escaped():
    form = Filters({"q": SCRIPT.text, "days": "x", "city": ""})
    form.is_valid()
    days = str(render_filter_field(form["days"]))
    assert 'aria-invalid="true"' in days
    assert 'aria-describedby="id_days_helptext id_days_error"' in days
    assert 'id="id_days_error"' in days and 'id="id_days_helptext"' in days
    assert "is-invalid" in days
    q = str(render_filter_field(form["q"]))
    assert "<script>" not in q and "&lt;script&gt;" in q
    assert "Nom &lt;ou&gt; prénom" in q
    city = str(render_filter_field(form["city"]))
    assert "required" in city and 'class="asteriskField"' in city
    assert 'placeholder="Marseille"' in city


def test_the_tag_renders_the_field():
    form = Filters({"stage": "hired"})
    form.is_valid()
    template = engines["django"].from_string("{% load portal_forms %}{% filter_field form.stage %}")
    html = template.render({"form": form})
    assert '<option value="hired" selected>En emploi</option>' in html
    assert 'class="select form-select"' in html


def test_option_labels_and_values_are_escaped_unless_safe():
    form = Filters({"hostile": '<x>"&'})
    form.is_valid()
    select = str(render_filter_field(form["hostile"]))
    assert '<option value="&lt;x&gt;&quot;&amp;" selected>' in select
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in select
    assert "<script>" not in select
    assert '<option value="safe"><b>Sûr</b></option>' in select
