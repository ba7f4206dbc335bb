"""Every form sent back with errors opens with an error summary linking to each field,
and the page title starts with "Erreur : "; required fields are explained once; date
and time fields say their format in words (docs/accessibility.md)."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from accounts.enums import Role
from accounts.form_helpers import PortalBoundField, format_hint
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.fixture
def advisor():
    region = RegionFactory(paca=True)
    ml = OrganisationFactory(mission_locale=True, region=region)
    return make_member(Role.ADVISOR, organisation=ml)


@pytest.fixture
def lead():
    region = RegionFactory(paca=True)
    OrganisationFactory(company=True, region=region)
    return make_member(
        Role.PROJECT_LEAD, organisation=OrganisationFactory(business_network=True, region=region)
    )


def test_a_form_placed_by_hand_opens_with_a_summary_linking_to_each_field(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("candidates:youth_create"), {"first_name": ""})
    assert response.status_code == 200
    body = response.content.decode()
    summary = body[
        body.index("data-error-summary") : body.index("</div>", body.index("data-error-summary"))
    ]
    assert 'tabindex="-1"' in body[body.rindex("<div", 0, body.index("data-error-summary")) :][:200]
    assert 'href="#id_first_name"' in summary
    assert 'href="#id_last_name"' in summary
    assert "Prénom : Ce champ est obligatoire." in summary
    # The summary comes before the fields it points to.
    assert body.index("data-error-summary") < body.index('id="id_first_name"')
    assert _title(response).startswith("Erreur : ")


def test_a_crispy_form_opens_with_the_summary_too(client, lead):
    client.force_login(lead)
    response = client.post(reverse("immersion:session_create"), {"title": "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-error-summary" in body
    assert 'href="#id_start_date"' in body
    assert _title(response).startswith("Erreur : ")


def test_in_english_the_title_starts_with_error(client, advisor):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("candidates:youth_create"), {"first_name": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _title(response).startswith("Error: ")


def test_a_form_shown_for_the_first_time_has_no_summary_and_explains_the_asterisk(client, advisor):
    client.force_login(advisor)
    response = client.get(reverse("candidates:youth_create"))
    body = response.content.decode()
    assert "data-error-summary" not in body
    assert not _title(response).startswith("Erreur")
    assert body.count("Les champs marqués d'un astérisque (*) sont obligatoires.") == 1


def test_the_sign_in_page_of_allauth_has_the_summary_too(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert "data-error-summary" in response.content.decode()
    assert _title(response).startswith("Erreur : ")


def test_a_form_without_required_field_has_no_note():
    class Filters(forms.Form):
        q = forms.CharField(required=False)

    html = Template('{% include "components/form_errors.html" with form=form only %}').render(
        Context({"form": Filters()})
    )
    assert "astérisque" not in html


def test_the_errors_of_the_form_itself_are_listed_without_a_link():
    class Pair(forms.Form):
        a = forms.IntegerField()

        def clean(self):
            raise forms.ValidationError("Les deux dates se contredisent.")

    form = Pair({"a": "x"})
    assert not form.is_valid()
    html = Template('{% include "components/form_errors.html" with form=form only %}').render(
        Context({"form": form})
    )
    assert "<li>Les deux dates se contredisent.</li>" in html
    assert 'href="#id_a"' in html
    assert "2 erreurs à corriger" in html


def test_the_title_prefix_never_validates_a_form_itself():
    class Never(forms.Form):
        a = forms.IntegerField()

        def clean(self):
            raise AssertionError("a template must not validate a form")

    template = Template("{% load portal_forms %}{% error_title_prefix %}")
    assert template.render(Context({"form": Never({"a": "1"})})) == ""
    assert template.render(Context({"form": Never()})) == ""


def test_the_title_prefix_builds_no_lazy_value_of_the_context():
    """The user, the menu and the CSRF token are lazy: looking for a form among the
    context's values must not build them (a page that never shows them pays nothing)."""

    class Pair(forms.Form):
        a = forms.IntegerField()

    def never():
        raise AssertionError("a lazy value was built")

    sent_back = Pair({"a": "x"})
    assert not sent_back.is_valid()
    template = Template("{% load portal_forms %}{% error_title_prefix %}")
    context = {"menu": SimpleLazyObject(never), "form": sent_back}
    assert template.render(Context(context)) == "Erreur : "
    assert template.render(Context({"menu": SimpleLazyObject(never)})) == ""


# --- Date and time formats -------------------------------------------------------------


def test_date_time_and_month_fields_say_their_format():
    assert format_hint(forms.DateInput()) == "Format : jj/mm/aaaa, par exemple 25/03/2026."
    assert format_hint(forms.TimeInput()) == "Format : hh:mm, par exemple 14:30."
    assert format_hint(forms.TextInput(attrs={"type": "month"})) == (
        "Format : aaaa-mm, par exemple 2026-03."
    )
    assert format_hint(forms.DateInput(attrs={"type": "date"})) == ""
    assert format_hint(forms.TextInput()) == ""


def test_the_hint_is_the_help_text_tied_to_the_field():
    class Meeting(forms.Form):
        day = forms.DateField(help_text="Le jour de la réunion.")
        name = forms.CharField()

    form = Meeting()
    assert isinstance(form["day"], PortalBoundField)
    assert form["day"].help_text == (
        "Le jour de la réunion. Format : jj/mm/aaaa, par exemple 25/03/2026."
    )
    assert 'aria-describedby="id_day_helptext"' in str(form["day"])
    assert form["name"].help_text == ""


def test_a_session_form_shows_the_format_under_its_date_fields(client, lead):
    client.force_login(lead)
    body = client.get(reverse("immersion:session_create")).content.decode()
    assert 'id="id_start_date_helptext"' in body
    assert "Format : jj/mm/aaaa, par exemple 25/03/2026." in body
    assert "Format : hh:mm, par exemple 14:30." in body
