"""The breadcrumbs, the badges under the youth's name and the consent card's first paragraph, written by
the view (`header_badges`, `consent_paragraphs`) rather than by the template's tags: the
same markup, every value escaped, the texts in the page's language, the days in the
portal's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from candidates.enums import AssessmentOutcome, YouthStatus
from candidates.views.youths import (
    YOUTH_LINKS,
    consent_paragraphs,
    header_actions,
    header_badges,
    history_panel,
    rights_actions,
    youth_breadcrumbs,
)
from tests.accounts.factories import UserFactory
from tests.payloads import SCRIPT

from .factories import YouthFactory

pytestmark = pytest.mark.django_db

#: What `candidates/youth_detail.html` had, word for word.
TEMPLATE_BADGES = Template(
    """{% load i18n %}<span class="badge stage-badge stage-{{ youth.current_stage }}">{{ youth.get_current_stage_display }}</span>
      {% if youth.stage_changed_on %}<span class="small text-body-secondary">{% blocktranslate with day=youth.stage_changed_on|date:"d/m/Y" %}depuis le {{ day }}{% endblocktranslate %}</span>{% endif %}
      {% if youth.is_minor %}<span class="badge text-bg-warning">{% translate "mineur" %}</span>{% endif %}
      {% if youth.is_in_civis %}<span class="badge text-bg-info">CIVIS</span>{% endif %}
      <span class="badge text-bg-light">{{ youth.get_status_display }}</span>"""  # noqa: E501
)
TEMPLATE_CONSENT = Template(
    """{% load i18n %}{% if shared_profile %}
          {% if youth.consent_recorded_by %}<p>{% blocktranslate with day=youth.consent_shared_at|date:"d/m/Y" who=youth.consent_recorded_by %}Consentement recueilli le {{ day }} par {{ who }}.{% endblocktranslate %}</p>{% else %}<p>{% blocktranslate with day=youth.consent_shared_at|date:"d/m/Y" %}Consentement donné le {{ day }} par le jeune, dans son espace.{% endblocktranslate %}</p>{% endif %}
          <p class="small mb-1">{% translate "Ce que voient les entreprises :" %}</p>
          <p class="small">{{ shared_profile.first_name }} {{ shared_profile.initial }}, {{ shared_profile.age }} {% translate "ans" %} · {{ shared_profile.pathway_stage }}{% if shared_profile.assessment_outcome %} · {{ shared_profile.assessment_outcome }}{% endif %}</p>
        {% elif youth.consent_withdrawn_at %}
          <p>{% blocktranslate with day=youth.consent_withdrawn_at|date:"d/m/Y" %}Consentement retiré le {{ day }} : le profil n'est pas visible des entreprises.{% endblocktranslate %}</p>
        {% else %}
          <p>{% translate "Pas de consentement : le profil n'est pas visible des entreprises." %}</p>
        {% endif %}"""  # noqa: E501
)
TEMPLATE_HEADER_ACTIONS = Template(
    """{% load i18n %}{% if actions.move_stage %}<a class="btn btn-primary" href="{{ links.pathway_move }}">{% translate "Changer d'étape" %}</a>{% endif %}
    {% if actions.note %}<a class="btn btn-outline-primary" href="{{ links.note_create }}">{% translate "Ajouter un entretien" %}</a>{% endif %}
    {% if actions.assess %}<a class="btn btn-outline-primary" href="{{ links.assessment_create }}">{% translate "Évaluer les aptitudes" %}</a>{% endif %}
    {% if actions.edit %}<a class="btn btn-outline-secondary" href="{{ links.youth_edit }}">{% translate "Modifier la fiche" %}</a>{% endif %}"""  # noqa: E501
)
TEMPLATE_RIGHTS_ACTIONS = Template(
    """{% load i18n %}{% if actions.export %}
            <a class="btn btn-sm btn-outline-secondary" href="{{ links.youth_data_page }}">{% translate "Tout voir (droit d'accès)" %}</a>
            <a class="btn btn-sm btn-outline-secondary" href="{{ links.youth_data_json }}">{% translate "Télécharger en JSON" %}</a>
            <a class="btn btn-sm btn-outline-secondary" href="{{ links.youth_data_zip }}">{% translate "Dossier complet (ZIP)" %}</a>
          {% endif %}
          {% if actions.record_request %}<a class="btn btn-sm btn-outline-primary" href="{{ links.subject_request_create }}">{% translate "Enregistrer une demande RGPD" %}</a>{% endif %}
          {% if actions.transfer %}<a class="btn btn-sm btn-outline-secondary" href="{{ links.youth_move }}">{% translate "Transférer à une autre mission locale" %}</a>{% endif %}
          {% if actions.anonymise %}<a class="btn btn-sm btn-outline-danger" href="{{ links.youth_anonymise }}">{% translate "Anonymiser" %}</a>{% endif %}"""  # noqa: E501
)

# Late in the evening in UTC: the next day in Paris, which the page shows.
LATE = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)


def _youths():
    recorder = UserFactory(first_name=SCRIPT.text, last_name="Durand")
    assessed = YouthFactory(consented=True, last_assessment_outcome=AssessmentOutcome.WITH_TRAINING)
    return [
        assessed,
        YouthFactory(),
        YouthFactory(minor=True, civis_start=date(2025, 1, 6), stage_changed_on=None),
        YouthFactory(consent_shared_at=LATE, consent_recorded_by=recorder),
        YouthFactory(consented=True, first_name=SCRIPT.text),
        YouthFactory(consent_shared_at=LATE, consent_recorded_by=None),
        YouthFactory(consent_shared_at=LATE, consent_withdrawn_at=LATE),
        YouthFactory(status=YouthStatus.CLOSED),
    ]


def test_the_badges_and_the_consent_are_the_templates():
    youths = _youths()
    for language in ("fr", "en"):
        with translation.override(language):
            for youth in youths:
                seen = youth.shared_profile() if youth.has_sharing_consent else None
                assert header_badges(youth) == TEMPLATE_BADGES.render(Context({"youth": youth}))
                assert consent_paragraphs(youth, seen) == TEMPLATE_CONSENT.render(
                    Context({"youth": youth, "shared_profile": seen})
                ), (language, youth.pk)


def test_the_days_are_the_portals_and_the_names_escaped():
    recorded = _youths()[3]
    with translation.override("fr"):
        text = consent_paragraphs(recorded, recorded.shared_profile())
    assert "le 15/03/2026 par" in text
    assert "<script>" not in text and "&lt;script&gt;" in text


@override_settings(DEBUG=False)  # kept once drawn, as in production
def test_the_breadcrumbs_are_the_components_with_each_youths_name():
    youths = [YouthFactory(first_name=SCRIPT.text), YouthFactory(last_name="Lefèvre")]
    for language in ("fr", "en"):
        with translation.override(language):
            for youth in youths * 2:  # drawn, then kept
                assert youth_breadcrumbs(youth) == render_to_string(
                    "components/breadcrumbs.html",
                    {
                        "first_label": translation.gettext("Jeunes du vivier"),
                        "first_url": reverse("candidates:youth_list"),
                        "current": youth,
                    },
                )
    assert "&lt;script&gt;" in youth_breadcrumbs(youths[0])
    with translation.override("en"):
        assert "Lefèvre" in youth_breadcrumbs(youths[1])
        assert "Jeunes du vivier" not in youth_breadcrumbs(youths[1])


@pytest.mark.parametrize("offered", ["all", "none", "editing only", "rights only"])
def test_the_buttons_are_the_templates(offered):
    names = ("move_stage", "note", "assess", "edit", "export", "record_request")
    names += ("transfer", "anonymise")
    editing = {"move_stage", "note", "assess", "edit"}
    actions = {
        name: offered == "all"
        or (offered == "editing only" and name in editing)
        or (offered == "rights only" and name not in editing)
        for name in names
    }
    links = {name: reverse(f"candidates:{name}", args=[42]) for name in YOUTH_LINKS}
    for language in ("fr", "en"):
        with translation.override(language):
            context = Context({"actions": actions, "links": links})
            assert header_actions(actions, links) == TEMPLATE_HEADER_ACTIONS.render(context)
            assert rights_actions(actions, links) == TEMPLATE_RIGHTS_ACTIONS.render(context)


def test_what_companies_see_has_the_latest_outcome():
    youth = _youths()[0]
    with translation.override("fr"):
        assert youth.shared_profile()["assessment_outcome"]
        assert f" · {youth.shared_profile()['assessment_outcome']}</p>" in consent_paragraphs(
            youth, youth.shared_profile()
        )


@override_settings(DEBUG=False)  # kept once drawn, as in production
def test_the_history_panel_is_the_included_template():
    included = Template('{% include "audit/_history_panel.html" with rows=rows url=url only %}')
    for language in ("fr", "en"):
        with translation.override(language):
            for url in ("/historique/jeunes/1/", "/historique/jeunes/2/") * 2:
                expected = included.render(Context({"rows": [], "url": url}))
                assert history_panel([], url) == expected
                assert f'href="{url}"' in expected
    assert history_panel(None, "/historique/jeunes/1/") == ""
