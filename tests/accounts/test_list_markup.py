"""`{% export_links %}`, `{% pagination %}` and `{% filter_actions %}`
(accounts/list_markup.py) write what the templates they replace wrote,
`components/export_links.html`, `components/pagination.html` and the filter buttons
five list templates held, kept here as they were: every page of a list, first,
middle, last and alone, with and without filters and an htmx target, hostile filters
and labels, in both languages."""

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from accounts.list_markup import export_links_markup, filter_actions_markup, pagination_markup
from tests.payloads import CRLF, FORMULA_EQUALS, SCRIPT

# The templates as they were, before `accounts/list_markup.py` wrote their markup.
EXPORT_LINKS_TEMPLATE = '{% load i18n %}<p class="small mb-0 export-links">{% translate "Exporter cette liste :" %}\n{% for link in links %}<a href="{{ link.url }}" download>{{ link.format }}<span class="visually-hidden"> · {% blocktranslate with list=label format=link.format %}{{ list }} au format {{ format }}{% endblocktranslate %}</span></a>{% if not forloop.last %} · {% endif %}{% endfor %}</p>\n'
PAGINATION_TEMPLATE = '{% load i18n %}{% comment %}\nA list\'s pages: include "components/pagination.html" with page=page query=query only.\n`query` is the filters without the page (accounts.pagination.filters_query); with\n`hx_target` (a CSS selector) the links swap that element in place and push the URL,\nand still work without JavaScript.\n{% endcomment %}{% if page.has_other_pages %}\n<nav aria-label="{% translate \'Pages de résultats\' %}">\n  <ul class="pagination">\n    {% if page.has_previous %}<li class="page-item"><a class="page-link" href="?{{ query }}{% if query %}&amp;{% endif %}page={{ page.previous_page_number }}"{% if hx_target %} hx-get="?{{ query }}{% if query %}&amp;{% endif %}page={{ page.previous_page_number }}" hx-target="{{ hx_target }}" hx-push-url="true"{% endif %}>{% translate "Précédente" %}</a></li>{% endif %}\n    <li class="page-item active" aria-current="page"><span class="page-link">{% blocktranslate with n=page.number total=page.paginator.num_pages %}Page {{ n }} sur {{ total }}{% endblocktranslate %}</span></li>\n    {% if page.has_next %}<li class="page-item"><a class="page-link" href="?{{ query }}{% if query %}&amp;{% endif %}page={{ page.next_page_number }}"{% if hx_target %} hx-get="?{{ query }}{% if query %}&amp;{% endif %}page={{ page.next_page_number }}" hx-target="{{ hx_target }}" hx-push-url="true"{% endif %}>{% translate "Suivante" %}</a></li>{% endif %}\n  </ul>\n</nav>\n{% endif %}\n'
# The filter buttons as the lists' templates wrote them (the published offers, the
# sessions and the youth list with a loading indicator; the trail and the access log
# without).
FILTER_ACTIONS_TEMPLATE = '{% load i18n %}<div class="d-flex gap-2 align-items-center">\n    <button class="btn btn-outline-primary" type="submit">{% translate "Filtrer" %}</button>\n    <a class="btn btn-link" href="{{ clear_url }}">{% translate "Effacer les filtres" %}</a>{% if indicator %}\n    <span id="{{ indicator }}" class="htmx-indicator small text-body-secondary">{% translate "Chargement…" %}</span>{% endif %}\n  </div>'

HOSTILE = [SCRIPT.text, FORMULA_EQUALS.text, CRLF.text, "a&b=<c>\"'"]


def _render(text: str, context: dict) -> str:
    return engines["django"].from_string(text).render(context)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_export_links_are_the_templates(language):
    links = [
        {"format": "CSV", "url": "/sessions/export/csv/"},
        {"format": "XLSX", "url": "/sessions/export/xlsx/?city=%3Cb%3E&kind=a"},
    ]
    with translation.override(language):
        for label in ["Sessions", "Offres d'emploi publiées", *HOSTILE, mark_safe("<b>sûr</b>")]:
            hostile = [{"format": SCRIPT.text, "url": f"/x/?q={SCRIPT.text}"}]
            for shown in (links, links[:1], [], hostile):
                expected = _render(EXPORT_LINKS_TEMPLATE, {"links": shown, "label": label})
                drawn = export_links_markup(shown, label)
                assert drawn == expected, (label, shown)
                assert "<script>" not in drawn


def test_a_label_translated_by_the_template_is_written_as_the_include_wrote_it():
    """In a template the label is `{% translate "…" as label %}`: the tag writes it as
    the include did (a template's own text is trusted), never escaped twice."""
    links = {"links": [{"format": "CSV", "url": "/x/"}]}
    translated = '{% load i18n %}{% translate "Plan d\'action" as label %}'
    drawn = _render(translated + "{% load portal_lists %}{% export_links links label %}", links)
    assert "Plan d'action au format CSV" in drawn and "&amp;" not in drawn
    assert drawn == _render(translated + EXPORT_LINKS_TEMPLATE, links)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pages_navigation_is_the_templates(language):
    queries = ["", "stage=hired&q=l%C3%A9a", *HOSTILE]
    with translation.override(language):
        for count in (0, 5, 25, 26, 60, 1000):
            paginator = Paginator(range(count), 25)
            for number in sorted({1, 2, paginator.num_pages}):
                if number > paginator.num_pages:
                    continue
                page = paginator.page(number)
                for query in queries:
                    for target in ("", "#youth-results", '"><script>'):
                        context = {"page": page, "query": query}
                        if target:
                            context["hx_target"] = target
                        expected = _render(PAGINATION_TEMPLATE, context)
                        drawn = pagination_markup(page, query, target)
                        assert drawn == expected, (count, number, query, target)


def test_the_tags_write_the_markup():
    page = Paginator(range(60), 25).page(2)
    text = (
        '{% load portal_lists %}{% pagination page query hx_target="#r" %}'
        "{% export_links links label %}"
    )
    drawn = _render(
        text,
        {"page": page, "query": "q=a", "links": [{"format": "CSV", "url": "/x/"}], "label": "L"},
    )
    assert 'href="?q=a&amp;page=1" hx-get="?q=a&amp;page=1" hx-target="#r"' in drawn
    assert 'href="?q=a&amp;page=3"' in drawn and 'href="/x/" download>CSV' in drawn


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_filter_buttons_are_the_templates(language):
    with translation.override(language):
        for clear_url in ["/offres/publiees/", "/jeunes/12/historique/", *HOSTILE]:
            for indicator in ["", "offer-loading", *HOSTILE]:
                context = {"clear_url": clear_url, "indicator": indicator}
                drawn = filter_actions_markup(clear_url, indicator)
                assert drawn == _render(FILTER_ACTIONS_TEMPLATE, context), context
                assert ("htmx-indicator" in drawn) == bool(indicator)
                assert "<script>" not in drawn
        tag = "{% load portal_lists %}{% filter_actions clear_url indicator %}"
        context = {"clear_url": SCRIPT.text, "indicator": "youth-loading"}
        assert _render(tag, context) == _render(FILTER_ACTIONS_TEMPLATE, context)
