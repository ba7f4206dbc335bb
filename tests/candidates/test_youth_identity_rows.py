"""The facts of the youth's file on their page ("Fiche"), written by the view
(`candidates.views.youths.identity_rows`) rather than by thirteen rows of the template:
the same markup, every value escaped, the labels in the page's language."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from candidates.enums import Availability, ContractType, EducationLevel, Mobility
from candidates.views.youths import identity_rows
from tests.accounts.factories import UserFactory
from tests.payloads import ALL, SCRIPT

from .factories import YouthFactory

pytestmark = pytest.mark.django_db

#: The rows `candidates/youth_detail.html` had, word for word.
TEMPLATE_ROWS = Template(
    """{% load i18n %}<dt class="col-sm-5">{% translate "Âge" %}</dt><dd class="col-sm-7">{% blocktranslate with age=youth.age day=youth.birth_date|date:"d/m/Y" %}{{ age }} ans (né(e) le {{ day }}){% endblocktranslate %}</dd>
          <dt class="col-sm-5">{% translate "Contact" %}</dt><dd class="col-sm-7">{{ youth.email|default:"—" }}<br>{{ youth.phone|default:"—" }}</dd>
          <dt class="col-sm-5">{% translate "Commune" %}</dt><dd class="col-sm-7">{{ youth.postcode }} {{ youth.city|default:"—" }}</dd>
          <dt class="col-sm-5">{% translate "Mission locale" %}</dt><dd class="col-sm-7">{{ youth.mission_locale }}</dd>
          <dt class="col-sm-5">{% translate "Conseiller" %}</dt><dd class="col-sm-7">{{ youth.advisor.get_full_name|default:"—" }}</dd>
          <dt class="col-sm-5">{% translate "Niveau" %}</dt><dd class="col-sm-7">{{ youth.get_education_level_display|default:"—" }}</dd>
          <dt class="col-sm-5">{% translate "Secteur précédent" %}</dt><dd class="col-sm-7">{{ youth.previous_sector|default:"—" }}</dd>
          <dt class="col-sm-5">{% translate "Compétences" %}</dt><dd class="col-sm-7">{{ youth.skills|default:"—"|linebreaksbr }}</dd>
          <dt class="col-sm-5">{% translate "Mobilité" %}</dt><dd class="col-sm-7">{{ youth.get_mobility_display|default:"—" }}</dd>
          <dt class="col-sm-5">{% translate "Disponibilité" %}</dt><dd class="col-sm-7">{{ youth.get_availability_display|default:"—" }}</dd>
          <dt class="col-sm-5">{% translate "Contrats souhaités" %}</dt><dd class="col-sm-7">{{ youth.get_contract_wishes_display|default:"—" }}</dd>
          <dt class="col-sm-5">CIVIS</dt><dd class="col-sm-7">{% if youth.civis_start %}{{ youth.civis_start|date:"d/m/Y" }} → {{ youth.civis_end|date:"d/m/Y"|default:"…" }}{% else %}—{% endif %}</dd>
          <dt class="col-sm-5">{% translate "Prochain rendez-vous" %}</dt><dd class="col-sm-7">{{ youth.next_appointment_on|date:"d/m/Y"|default:"—" }}</dd>"""  # noqa: E501
)


def _as_the_template_wrote(youth) -> str:
    return TEMPLATE_ROWS.render(Context({"youth": youth}))


def test_a_youth_with_every_fact_and_one_with_none():
    full = YouthFactory(
        education_level=EducationLevel.BAC,
        mobility=Mobility.VEHICLE,
        availability=Availability.IMMEDIATE,
        contract_wishes=[ContractType.CDI, ContractType.CDD],
        civis_start=date(2025, 1, 6),
        civis_end=date(2026, 1, 5),
        next_appointment_on=date(2026, 12, 31),
        birth_date=date(2005, 2, 28),
        skills="Caisse\r\naccueil\rvente\n",
    )
    bare = YouthFactory(
        advisor=None,
        email="",
        phone="",
        postcode="",
        city="",
        education_level="",
        previous_sector="",
        skills="",
        mobility="",
        availability="",
        contract_wishes=[],
        civis_start=date(2025, 1, 6),  # running, no end yet
    )
    nameless = YouthFactory(advisor=UserFactory(first_name="", last_name=""), civis_start=None)
    for language in ("fr", "en"):
        with translation.override(language):
            for youth in (full, bare, nameless):
                assert identity_rows(youth) == _as_the_template_wrote(youth), (language, youth)
    assert "Caisse<br>accueil<br>vente<br>" in identity_rows(full)
    assert "06/01/2025 → 05/01/2026" in identity_rows(full)
    assert "06/01/2025 → …" in identity_rows(bare)


@pytest.mark.parametrize("payload", ALL, ids=str)
def test_the_rows_are_the_templates_with_any_text(payload):
    text = payload.text[:100].replace("\x00", "")
    youth = YouthFactory.build(
        advisor=UserFactory.build(first_name=text, last_name=text),
        mission_locale__name=text,
        email=text,
        phone=text,
        postcode=text,
        city=text,
        previous_sector=text,
        skills=text,
        education_level=text,  # not a choice: shown as stored
    )
    assert identity_rows(youth) == _as_the_template_wrote(youth)


def test_the_page_shows_the_facts_escaped(client):
    youth = YouthFactory(city=SCRIPT.text, skills=f"{SCRIPT.text}\nsuite")
    client.force_login(youth.advisor)
    body = client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode()
    assert "<script>" not in body
    assert "13001 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;<br>suite</dd>" in body
