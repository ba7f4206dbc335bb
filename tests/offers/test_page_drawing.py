"""The offers pages that draw parts once rather than through the template's tags (the
board's bulk decline fields, once per language; the user read past its lazy wrapper)
give the HTML the tags gave: the former template text is kept here and rendered beside
them."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from accounts.scope import get_scope
from candidates.enums import PathwayStage
from candidates.models import PoolStamp, Youth, fold_pool_stamps
from candidates.models.pool import pool_stamp_columns, pool_stamps_read
from offers.enums import DeclineReason, ProposalStatus
from offers.forms import BulkDeclineForm, OfferFilterForm
from offers.matching import Reason, Suggestion, suggest_youths
from offers.models import JobRole, Offer
from offers.views.board import _suggestion_items, bulk_decline_fields
from offers.views.common import page_user
from tests.accounts.factories import OrganisationFactory
from tests.candidates.factories import YouthFactory
from tests.payloads import CRLF, FORMULA_EQUALS, NUL, RTL_OVERRIDE, SCRIPT, VERY_LONG

from .factories import JobRoleFactory, OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db

# What templates/offers/offer_board.html wrote inside the bulk decline form.
FORMER_BULK_FIELDS = (
    "{% load crispy_forms_tags portal_forms %}"
    "{% filter_field bulk_form.decline_reason %}\n"
    "    {{ bulk_form.note|as_crispy_field }}"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_bulk_decline_fields_are_the_former_ones(language):
    former = engines["django"].from_string(FORMER_BULK_FIELDS)
    with translation.override(language):
        expected = former.render({"bulk_form": BulkDeclineForm(proposal_choices=[])})
        assert bulk_decline_fields() == expected
        assert bulk_decline_fields() == expected  # drawn once, given again
    assert 'name="decline_reason"' in expected and 'name="note"' in expected


def test_each_language_has_its_own_bulk_decline_fields():
    with translation.override("fr"):
        french = bulk_decline_fields()
    with translation.override("en"):
        english = bulk_decline_fields()
    assert french != english


def test_the_board_shows_the_bulk_form_only_with_an_open_proposal(client, world):
    offer = OfferFactory(company=world.company, published=True)
    proposal = ProposalFactory(offer=offer)
    client.force_login(world.recruiter)
    url = reverse("offers:offer_board", args=[offer.pk])
    body = client.get(url).content.decode()
    assert 'id="bulk-decline-form"' in body
    assert bulk_decline_fields() in body
    type(proposal).objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.DECLINED, decline_reason=DeclineReason.POSITIONS_FILLED
    )
    body = client.get(url).content.decode()
    assert 'id="bulk-decline-form"' not in body and 'name="decline_reason"' not in body


def test_page_user_is_the_wrapped_user_and_keeps_its_scope(world):
    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: world.recruiter)
    user = page_user(request)
    assert user is world.recruiter
    assert get_scope(user) is get_scope(request.user)
    # A request whose user was set plainly (as in a view's unit test) gives it back.
    request.user = world.advisor
    assert page_user(request) is world.advisor


# --- The matching suggestions -------------------------------------------------------------

# What templates/offers/offer_suggestions.html wrote for each suggestion (the reasons
# as their former loop wrote them), with the context the view gave it.
FORMER_SUGGESTIONS = (
    "{% load i18n %}"
    "{% for row in suggestions %}{% with s=row.s %}\n"
    '  <li class="card mb-2 suggestion">'
    '<div class="card-body d-flex flex-wrap justify-content-between gap-2">\n'
    "    <div>\n"
    '      <h2 class="h5 mb-1">{{ forloop.counter }}. <a href="{{ row.url }}">'
    "{{ s.first_name }} {{ s.last_name|upper }}</a> "
    '<span class="badge text-bg-primary">{{ row.points }}</span></h2>\n'
    '      <ul class="small mb-0 suggestion-reasons">\n'
    '        {% for reason in s.reasons %}<li class="{% if reason.is_positive %}reason-plus'
    '{% elif reason.points < 0 %}reason-minus{% endif %}">{{ reason.text }} '
    "({% if reason.points > 0 %}+{% endif %}{{ reason.points }})</li>{% endfor %}\n"
    "      </ul>\n"
    "    </div>\n"
    '    <form method="post" action="{{ propose_url }}">{% csrf_token %}\n'
    '      <input type="hidden" name="youth" value="{{ s.youth_id }}">\n'
    '      <input type="hidden" name="from_suggestion" value="on">\n'
    '      <button class="btn btn-outline-primary" type="submit" '
    'aria-label="{{ row.propose_label }}">{% translate "Proposer" %}</button>\n'
    "    </form>\n"
    "  </div></li>{% endwith %}\n"
    "{% endfor %}"
)
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _former_suggestions(request, suggestions, propose_url: str) -> str:
    rows = [
        {
            "s": s,
            "url": reverse("candidates:youth_detail", args=[s.youth_id]),
            "points": mark_safe(gettext("%(score)s points") % {"score": s.score}),  # noqa: S308
            "propose_label": mark_safe(  # noqa: S308
                gettext("Proposer %(name)s") % {"name": conditional_escape(s.first_name)}
            ),
        }
        for s in suggestions
    ]
    template = engines["django"].from_string(FORMER_SUGGESTIONS)
    return template.render({"suggestions": rows, "propose_url": propose_url}, request=request)


def _same_but_token(drawn: str, former: str) -> None:
    """Equal once the CSRF fields' masked values (new with each reading) are set aside;
    one field a suggestion either way."""
    assert CSRF_VALUE.sub("", drawn) == CSRF_VALUE.sub("", former)
    assert len(CSRF_VALUE.findall(drawn)) == len(CSRF_VALUE.findall(former))


HOSTILE_NAMES = [
    (payload.name, payload.text)
    for payload in (SCRIPT, FORMULA_EQUALS, CRLF, VERY_LONG, NUL, RTL_OVERRIDE)
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_suggestions_are_written_as_the_templates_loop_wrote_them(language):
    suggestions = [
        Suggestion(
            youth_id=n + 1,
            first_name=text,
            last_name=f"{text} ß o'neil",
            stage=PathwayStage.IMMERSION,
            score=40 - n,
            reasons=[
                Reason("stage", 10, PathwayStage.IMMERSION),
                Reason("not_assessed", 0),
                Reason("skills", 5, ("accueil", text)),
                Reason("contract_not_wished", -10),
            ],
        )
        for n, (_name, text) in enumerate(HOSTILE_NAMES)
    ]
    request = RequestFactory().get("/")
    propose_url = '/offres/1/proposer/?a="b"&c=<d>'
    with translation.override(language):
        drawn = _suggestion_items(request, suggestions, propose_url)
        former = _former_suggestions(request, suggestions, propose_url)
    _same_but_token(drawn, former)
    for _name, text in HOSTILE_NAMES:
        if "<" in text:
            assert text not in drawn
    assert "<script>" not in drawn and "\x00" in drawn  # kept as text, as the tags did
    assert _suggestion_items(request, [], propose_url) == ""


def test_the_suggestions_page_is_the_former_one_with_hostile_names(client, world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    for n, payload in enumerate((SCRIPT, FORMULA_EQUALS, CRLF, RTL_OVERRIDE)):
        YouthFactory(
            mission_locale=world.ml,
            advisor=world.advisor,
            consented=True,
            first_name=payload.text[:100],
            last_name=f"{payload.text[:100]} {n}",
            in_stage=PathwayStage.IMMERSION,
        )
    client.force_login(world.advisor)
    response = client.get(reverse("offers:offer_suggestions", args=[offer.pk]))
    body = response.content.decode()
    suggestions = suggest_youths(offer=offer, user=world.advisor)
    assert len(suggestions) == 4
    former = _former_suggestions(
        response.wsgi_request, suggestions, reverse("offers:offer_propose", args=[offer.pk])
    )
    start = body.index('<ol class="list-unstyled">\n') + len('<ol class="list-unstyled">\n')
    _same_but_token(body[start : body.index("\n</ol>", start)], former)
    assert "<script>" not in body


def test_without_suggestion_the_page_says_why(client, world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    client.force_login(world.advisor)
    body = client.get(reverse("offers:offer_suggestions", args=[offer.pk])).content.decode()
    assert '<ol class="list-unstyled">\n\n  <li>Aucun de vos jeunes ne peut être proposé' in body
    assert "csrfmiddlewaretoken" not in body.split('<ol class="list-unstyled">')[1]


# --- The pools' stamps, read with the offer -----------------------------------------------


def test_the_stamps_read_with_the_offer_are_the_stamps(world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    never = OrganisationFactory(mission_locale=True, region=world.paca)
    ids = sorted([world.ml.pk, world.ml_aix.pk, never.pk])

    def read():
        row = Offer.objects.annotate(**pool_stamp_columns(ids)).get(pk=offer.pk)
        return pool_stamps_read(row, ids)

    assert read() == PoolStamp.objects.of(ids)
    for _n in range(3):  # several rows a pool, then folded into one
        youth = YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)
        assert read() == PoolStamp.objects.of(ids)
    Youth.objects.filter(pk=youth.pk).update(skills="vente")
    assert read() == PoolStamp.objects.of(ids)
    fold_pool_stamps()
    assert read() == PoolStamp.objects.of(ids)
    assert read()[never.pk] == "" and read()[world.ml.pk] != ""


def test_the_suggestions_page_reads_the_stamps_with_its_offer(client, world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    first = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Anna",
        last_name="Arnaud",
        in_stage=PathwayStage.DISCOVERY,
    )
    second = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Zoé",
        last_name="Zeller",
        in_stage=PathwayStage.DISCOVERY,
    )
    client.force_login(world.advisor)
    url = reverse("offers:offer_suggestions", args=[offer.pk])
    with CaptureQueriesContext(connection) as page:
        body = client.get(url).content.decode()
    stamps_alone = [q for q in page.captured_queries if 'FROM "candidates_poolstamp"' in q["sql"]]
    assert all('FROM "offers_offer"' in q["sql"] for q in stamps_alone) and stamps_alone
    assert body.index("Anna") < body.index("Zoé")
    # A change the ranking reads gives the pool a new stamp: the page ranks again.
    Youth.objects.filter(pk=second.pk).update(current_stage=PathwayStage.IMMERSION)
    body = client.get(url).content.decode()
    assert body.index("Zoé") < body.index("Anna"), first


# --- The published offers' filters --------------------------------------------------------


def test_the_job_role_filter_reads_its_choices_in_one_plain_query(world, monkeypatch):
    JobRoleFactory(name=SCRIPT.text[:100])
    JobRoleFactory(name=FORMULA_EQUALS.text)
    former = forms.ModelChoiceField(
        queryset=JobRole.objects.all(), required=False, empty_label=gettext("Tous")
    )
    form = OfferFilterForm({"job_role": str(world.role.pk)})
    expected = list(former.choices)
    template = engines["django"].from_string(
        "{% load portal_forms %}{% filter_field form.job_role %}"
    )

    def no_cursor(*args, **kwargs):
        raise AssertionError("a server-side cursor for seven rows")

    monkeypatch.setattr(QuerySet, "iterator", no_cursor)
    with CaptureQueriesContext(connection) as queries:
        template.render({"form": OfferFilterForm(None)})
    assert len(queries.captured_queries) == 1
    html = template.render({"form": form})  # the choice checked (and read) besides
    assert [(str(value), str(label)) for value, label in form["job_role"].field.choices] == [
        (str(value), str(label)) for value, label in expected
    ]
    assert f'<option value="{world.role.pk}" selected>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert form.is_valid() and form.cleaned_data["job_role"] == world.role


FORMER_FILTERS = (
    "{% load portal_forms %}"
    '<div class="col-md-3">{% filter_field form.job_role %}</div>\n'
    '    <div class="col-md-3">{% filter_field form.contract_type %}</div>\n'
    '    <div class="col-md-2">{% filter_field form.place %}</div>\n'
    '    <div class="col-md-2">{% filter_field form.start_before %}</div>\n'
    '    <div class="col-md-2 pt-md-4">{% filter_field form.full_time %}</div>'
)


def _filters_of(body: str) -> str:
    start = body.index('<div class="col-md-3">')
    return body[start : body.index("</div>\n  </div>", start) + len("</div>")]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"contract_type": "cdi", "full_time": "on", "start_before": "31/12/2030"},
        {"place": SCRIPT.text[:100], "start_before": "pas une date", "contract_type": "x"},
        {"place": f"{FORMULA_EQUALS.text}{CRLF.text}"},
        {"page": "2"},
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_published_offers_filters_are_the_former_ones(client, world, query, language):
    client.force_login(world.advisor)
    former = engines["django"].from_string(FORMER_FILTERS)
    for _round in range(2):  # drawn, then given again
        with translation.override(language):
            response = client.get(
                reverse("offers:browse_offers"), query, HTTP_ACCEPT_LANGUAGE=language
            )
            expected = former.render({"form": OfferFilterForm(query or None)})
        body = response.content.decode()
        assert _filters_of(body) == expected
    assert "<script>" not in body
