"""`{% filter_field %}` writes a filter field as crispy-bootstrap5 does: the same
elements, attributes, classes, value, selected option, help text and errors with their
ARIA links (compared element by element with crispy's own output)."""

import html

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
    # Places typed by users: a hostile one, quotes, an ampersand, a lazy label, a safe one.
    place = forms.ChoiceField(
        label="Lieu",
        choices=[
            ("", gettext_lazy("Tous")),
            (SCRIPT.text, SCRIPT.text),
            ('Saint-"Chamas"', 'Saint-"Chamas" & co'),
            ("safe", mark_safe("<b>gras</b>")),
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
    {"place": SCRIPT.text},
    {"place": 'Saint-"Chamas"'},
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


def test_hostile_places_in_a_select_stay_text():
    form = Filters({"place": SCRIPT.text})
    form.is_valid()
    place = str(render_filter_field(form["place"]))
    assert SCRIPT.text not in place
    assert f'<option value="{html.escape(SCRIPT.text)}" selected>' in place
    assert "Saint-&quot;Chamas&quot; &amp; co" in place
    assert "<b>gras</b>" in place  # a label already safe is kept as it is


def test_the_tag_renders_the_field():
    form = Filters({"stage": "hired"})
    form.is_valid()
    template = engines["django"].from_string("{% load portal_forms %}{% filter_field form.stage %}")
    html = template.render({"form": form})
    assert '<option value="hired" selected>En emploi</option>' in html
    assert 'class="select form-select"' in html


class FixedFilters(Filters):
    fixed_filter_fields = frozenset({"q", "stage", "days", "minors", "place"})


@pytest.mark.parametrize("language", ["fr", "en"])
def test_fixed_fields_are_drawn_once_and_the_same_as_each_time(language):
    """A field the form declares fixed is drawn once per state (value, language): the
    markup kept is the markup drawn, for every state, hostile values included; a typed
    text, a number or a field with errors is drawn each time and never kept."""
    from accounts import filter_fields

    filter_fields._FIXED.clear()
    with translation.override(language):
        for _round in range(2):  # the second round reads what the first kept
            for data in DATA:
                kept_form, fresh_form = FixedFilters(data), Filters(data)
                if data is not None:
                    kept_form.is_valid(), fresh_form.is_valid()
                for name in FixedFilters.fixed_filter_fields:
                    kept = str(render_filter_field(kept_form[name]))
                    assert kept == str(render_filter_field(fresh_form[name])), (data, name)
    kept_states = {(key[0][1], key[0][-1]) for key in filter_fields._FIXED}
    assert ("stage", repr("hired")) in kept_states and ("minors", "True") in kept_states
    assert ("q", repr("")) in kept_states or ("q", "None") in kept_states
    # Typed values and errors are not kept: the memo does not grow with what users type.
    assert not any(name == "q" and value not in ("None", "''") for name, value in kept_states)
    assert not any(name == "days" and value not in ("None", "''") for name, value in kept_states)
    assert ("stage", repr("nope")) not in kept_states
    assert ("place", repr(SCRIPT.text)) in kept_states  # a valid choice, escaped when drawn
    filter_fields._FIXED.clear()


def test_a_field_not_declared_fixed_is_drawn_each_time():
    from accounts import filter_fields

    filter_fields._FIXED.clear()
    form = FixedFilters({"city": "Aix", "email": "a@b.fr"})
    form.is_valid()
    for name in ("city", "email", "since", "grouped", "tags"):
        render_filter_field(form[name])
    assert len(filter_fields._FIXED) == 0


def test_a_shared_field_serves_every_form_and_draws_and_cleans_as_its_class():
    from accounts.filter_fields import shared

    class SharedFilters(forms.Form):
        stage = shared(forms.ChoiceField)(
            label="Étape", choices=[("", "Toutes"), ("info", "Information")], required=False
        )
        days = forms.IntegerField(label="Jours", required=False)

    first, second = SharedFilters({"stage": "info"}), SharedFilters({"stage": "nope"})
    assert first.fields["stage"] is second.fields["stage"] is SharedFilters.base_fields["stage"]
    assert first.fields["days"] is not second.fields["days"]
    assert isinstance(first.fields["stage"], forms.ChoiceField)
    assert first.is_valid() and first.cleaned_data["stage"] == "info"
    assert not second.is_valid()
    assert str(render_filter_field(first["stage"])) == str(
        render_filter_field(Filters({"stage": "info"})["stage"])
    ).replace('<option value="hired">En emploi</option>', "")


def test_every_shared_filter_is_one_its_form_declares_fixed():
    """A shared field serves every form of its class: only a filter whose choices and
    labels are the class's own may be (`fixed_filter_fields`), never one set per user
    (the advisors offered, the places the user sees)."""
    from accounts.filter_fields import _Shared
    from candidates.forms import YouthFilterForm
    from immersion.forms import SessionFilterForm

    for form_class in (YouthFilterForm, SessionFilterForm):
        shared_names = {
            name for name, field in form_class.base_fields.items() if isinstance(field, _Shared)
        }
        assert shared_names, form_class
        assert shared_names <= form_class.fixed_filter_fields, form_class
    assert not isinstance(SessionFilterForm.base_fields["city"], _Shared)
    # the places are the user's: each form its own choices
    first = SessionFilterForm(cities=["Aix"])
    second = SessionFilterForm(cities=["Marseille"])
    assert first.fields["city"].choices != second.fields["city"].choices
    assert first.fields["kind"] is second.fields["kind"]


class PlaceFilters(forms.Form):
    """A select whose choices the form sets per user, as the sessions' places."""

    place = forms.ChoiceField(label="Lieu", required=False)
    user_choice_filter_fields = frozenset({"place"})

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", gettext_lazy("Tous")), *places]


PLACES = [
    [("Aix", "Aix"), ("Marseille", "Marseille")],
    [("Aix", "Aix"), ("Marseille", "Marseille"), ("Toulon", "Toulon")],  # a new place
    [(SCRIPT.text, SCRIPT.text), ('Saint-"Chamas"', 'Saint-"Chamas" & co')],
    [("safe", mark_safe("<b>gras</b>"))],
    [("safe", "<b>gras</b>")],  # the same text, not safe: escaped, another state
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_select_of_the_users_choices_is_kept_by_its_choices(language):
    """A select whose choices are set per user (`user_choice_filter_fields`) is kept by
    its choices as well as its value: the markup kept for some choices is never served
    for others (a new place shows at once), and it is the markup drawn each time."""
    from accounts import filter_fields

    class Unkept(PlaceFilters):
        user_choice_filter_fields = frozenset()

    filter_fields._FIXED.clear()
    with translation.override(language):
        for _round in range(2):  # the second round reads what the first kept
            for places in PLACES:
                for data in (None, {}, {"place": places[0][0]}, {"place": "nope"}):
                    kept_form = PlaceFilters(data, places=places)
                    fresh_form = Unkept(data, places=places)
                    kept = str(render_filter_field(kept_form["place"]))
                    assert kept == str(render_filter_field(fresh_form["place"])), (places, data)
                    for value, _label in places:
                        assert f'value="{html.escape(value)}"' in kept
    # Each set of choices in each state (unbound, nothing chosen, a place), not the
    # invalid value (drawn with its error each time).
    assert len(filter_fields._FIXED) == len(PLACES) * 3
    filter_fields._FIXED.clear()
    with translation.override(language):
        render_filter_field(Unkept(None, places=PLACES[0])["place"])
    assert len(filter_fields._FIXED) == 0
    filter_fields._FIXED.clear()


def test_the_sessions_places_are_kept_by_the_places():
    from accounts import filter_fields
    from immersion.forms import SessionFilterForm

    filter_fields._FIXED.clear()
    aix = str(render_filter_field(SessionFilterForm(cities=["Aix"])["city"]))
    both = str(render_filter_field(SessionFilterForm(cities=["Aix", "Toulon"])["city"]))
    assert '<option value="Toulon">Toulon</option>' in both
    assert "Toulon" not in aix
    assert str(render_filter_field(SessionFilterForm(cities=["Aix"])["city"])) == aix
    assert len(filter_fields._FIXED) == 2
    filter_fields._FIXED.clear()


INCLUDED = (
    '{% include "immersion/_session_filters.html" with form=form action=action target="t"'
    " show_month=show_month keep_month=keep_month only %}"
)
KEPT = (
    '{% load portal_forms %}{% filter_form "immersion/_session_filters.html" form'
    ' action=action target="t" show_month=show_month keep_month=keep_month %}'
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_filter_form_is_drawn_as_its_include_and_kept_unbound(language):
    """`{% filter_form %}` writes what `{% include ... only %}` writes, in every state:
    unbound, filters chosen, a month typed wrong, hostile places. Only the unbound form
    is kept (by its places and values): a new place shows at once, and what users type
    never grows the store."""
    from accounts import filter_fields
    from immersion.forms import SessionFilterForm

    included, kept = (engines["django"].from_string(text) for text in (INCLUDED, KEPT))
    places = [["Aix", "Marseille"], ["Aix", "Marseille", "Toulon"], [SCRIPT.text, 'Sai"nt']]
    states = [None, {"kind": "immersion", "city": "Aix"}, {"month": "2026-13"}, {"city": "x"}]
    filter_fields._FORMS.clear()
    with translation.override(language):
        for _round in range(2):  # the second round reads what the first kept
            for cities in places:
                for data in states:
                    for show_month, keep_month in ((True, None), (False, (2026, 12))):
                        context = {
                            "action": "/sessions/?a=1&b=<2>",
                            "show_month": show_month,
                            "keep_month": keep_month,
                        }
                        drawn = kept.render(
                            {"form": SessionFilterForm(data, cities=cities), **context}
                        )
                        assert drawn == included.render(
                            {"form": SessionFilterForm(data, cities=cities), **context}
                        ), (cities, data, show_month)
                        for city in cities:
                            assert f'value="{html.escape(city)}"' in drawn
    # One kept markup per set of places and values, the unbound form's only.
    assert len(filter_fields._FORMS) == len(places) * 2
    filter_fields._FORMS.clear()


def test_a_filter_form_with_a_field_drawn_each_time_is_never_kept():
    from accounts import filter_fields
    from accounts.filter_fields import render_filters
    from immersion.forms import SessionFilterForm

    class Loose(SessionFilterForm):
        note = forms.CharField(required=False)  # neither fixed nor keyed by its choices

    filter_fields._FORMS.clear()
    drawn = render_filters("immersion/_session_filters.html", Loose(cities=["Aix"]), target="t")
    assert 'value="Aix"' in drawn
    assert len(filter_fields._FORMS) == 0
    render_filters("immersion/_session_filters.html", SessionFilterForm(cities=["Aix"]), target="t")
    assert len(filter_fields._FORMS) == 1
    filter_fields._FORMS.clear()


@pytest.mark.django_db
def test_the_youth_lists_filters_are_kept_by_the_advisors_offered(django_assert_num_queries):
    """The youth list's filters drawn by `{% filter_form %}` are its include's, kept for
    the unbound form by the advisors it offers: a new colleague shows at once. The
    advisors are read once per form, drawn or kept."""
    from accounts import filter_fields
    from accounts.models import User
    from candidates.forms import YouthFilterForm
    from tests.accounts.factories import UserFactory

    UserFactory(first_name="Aïcha", last_name="Benali", email="a@ml.example")
    UserFactory(first_name=SCRIPT.text, last_name="O'Neil", email="o@ml.example")
    included = engines["django"].from_string(
        '{% include "candidates/_youth_filters.html" with form=form only %}'
    )
    kept = engines["django"].from_string(
        '{% load portal_forms %}{% filter_form "candidates/_youth_filters.html" form %}'
    )

    def form(data=None):
        return YouthFilterForm(data, advisors=lambda: User.objects.order_by("last_name"))

    filter_fields._FORMS.clear()
    for _round in range(2):
        for data in (None, {"q": "léa", "advisor": "nope"}, {"stage": "hired"}):
            drawn_form = form(data)
            with django_assert_num_queries(1):  # the advisors, once
                drawn = kept.render({"form": drawn_form})
            assert drawn == included.render({"form": form(data)}), data
            assert "Benali" in drawn and "&lt;script&gt;" in drawn and "<script>" not in drawn
    assert len(filter_fields._FORMS) == 1
    UserFactory(first_name="Nouveau", last_name="Collègue", email="n@ml.example")
    assert "Collègue" in kept.render({"form": form()})
    assert len(filter_fields._FORMS) == 2
    filter_fields._FORMS.clear()
