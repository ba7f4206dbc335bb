"""The youth list's rows, written by the view (`views.youths.list_rows`) rather than
per row by the template: the same cells, every value escaped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.enums import Role
from candidates.enums import AssessmentOutcome, PathwayStage
from tests.accounts.factories import make_member
from tests.payloads import RTL_OVERRIDE, SCRIPT, STORABLE

from .factories import YouthFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def _row_of(body: str, pk: int) -> str:
    start = body.index(f'<a href="{reverse("candidates:youth_detail", args=[pk])}">')
    return body[body.rindex("<tr>", 0, start) : body.index("</tr>", start)]


@time_machine.travel(TODAY, tick=False)
def test_a_row_shows_name_badges_age_stage_advisor_contact_and_outcome(client):
    youth = YouthFactory(
        first_name="Éloïse",
        last_name="Lefèvre",
        birth_date=date(2009, 3, 11),  # 17 tomorrow
        civis_start=TODAY - timedelta(days=1),
        current_stage=PathwayStage.IMMERSION,
        last_contact_on=date(2026, 2, 3),
        last_assessment_outcome=AssessmentOutcome.FAVOURABLE,
    )
    youth.advisor.first_name, youth.advisor.last_name = "Marc", "Aubert"
    youth.advisor.save()
    bare = YouthFactory(
        mission_locale=youth.mission_locale,
        advisor=None,
        birth_date=date(2001, 3, 11),  # 24 tomorrow
        civis_start=TODAY - timedelta(days=60),
        civis_end=TODAY - timedelta(days=1),
    )
    client.force_login(youth.advisor)
    body = client.get(reverse("candidates:youth_list")).content.decode()
    row = _row_of(body, youth.pk)
    assert "LEFÈVRE Éloïse" in row
    assert '<span class="badge text-bg-warning">mineur</span>' in row
    assert '<span class="badge text-bg-info">CIVIS</span>' in row
    assert "<td>16</td>" in row
    assert 'class="badge stage-badge stage-immersion">Immersion</span>' in row
    assert "<td>Marc Aubert</td><td>03/02/2026</td><td>Favorable</td>" in row
    row = _row_of(body, bare.pk)
    assert "mineur" not in row and "CIVIS" not in row
    assert "<td>24</td>" in row
    assert row.endswith("<td>—</td><td>—</td><td>—</td>")
    client.cookies["django_language"] = "en"
    english = client.get(reverse("candidates:youth_list")).content.decode()
    assert '<span class="badge text-bg-warning">minor</span>' in _row_of(english, youth.pk)


@pytest.mark.parametrize("payload", STORABLE, ids=str)
def test_hostile_names_are_escaped_in_the_rows(client, payload):
    advisor = make_member(Role.ADVISOR, first_name=payload.text[:150], last_name="<b>x</b>")
    ml = advisor.memberships.get().organisation
    youth = YouthFactory(
        mission_locale=ml, advisor=advisor, first_name=payload.text, last_name=payload.text
    )
    client.force_login(advisor)
    body = client.get(reverse("candidates:youth_list")).content.decode()
    row = _row_of(body, youth.pk)
    assert "<script>" not in row and "<b>" not in row and "<img" not in row
    if payload is SCRIPT:
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in row
        assert "&lt;SCRIPT&gt;ALERT(&quot;X&quot;)&lt;/SCRIPT&gt;" in row
    if payload is RTL_OVERRIDE:
        assert RTL_OVERRIDE.text in row
    assert "&lt;b&gt;x&lt;/b&gt;" in row


def test_the_advisor_filter_offers_the_team_by_name_and_filters_by_one(client):
    youth = YouthFactory()
    ml, advisor = youth.mission_locale, youth.advisor
    nameless = make_member(Role.ML_MANAGER, organisation=ml, first_name="", last_name="")
    other_ml = make_member(Role.ADVISOR)
    followed = YouthFactory(mission_locale=ml, advisor=nameless)
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    body = client.get(url).content.decode()
    select = body[
        body.index('<select name="advisor"') : body.index(
            "</select>", body.index('<select name="advisor"')
        )
    ]
    assert f'<option value="{advisor.pk}">{advisor.get_full_name()}</option>' in select
    assert f'<option value="{nameless.pk}">{nameless.email}</option>' in select
    assert f'value="{other_ml.pk}"' not in select  # not its id as a digit of an email
    response = client.get(url, {"advisor": nameless.pk})
    assert f'<option value="{nameless.pk}" selected>' in response.content.decode()
    assert [row[0] for row in response.context["page"].object_list] == [followed.pk]
    response = client.get(url, {"advisor": other_ml.pk})
    assert "Ce choix ne fait pas partie de ceux disponibles." in response.content.decode()


def test_the_advisor_filter_offers_the_teams_of_each_mission_locale_of_the_user(client):
    from accounts.models import Membership

    user = make_member(Role.ADVISOR)
    first = user.memberships.get().organisation
    colleague = make_member(Role.ADVISOR, organisation=first)
    second_team = make_member(Role.ADVISOR)
    second = second_team.memberships.get().organisation
    Membership.objects.create(user=user, organisation=second, role=Role.ML_MANAGER)
    third_team = make_member(Role.ADVISOR)
    left = Membership.objects.create(
        user=user, organisation=third_team.memberships.get().organisation, role=Role.ADVISOR
    )
    left.is_active = False
    left.save()
    client.force_login(user)
    body = client.get(reverse("candidates:youth_list")).content.decode()
    select = body[
        body.index('<select name="advisor"') : body.index(
            "</select>", body.index('<select name="advisor"')
        )
    ]
    for member in (user, colleague, second_team):
        assert f'<option value="{member.pk}">' in select
    assert f'<option value="{third_team.pk}">' not in select


def test_the_advisors_are_read_only_when_the_filter_is_drawn_or_an_advisor_chosen():
    """The list's htmx swaps, exports and the home page's counters draw no filter: the
    advisors' queryset is built only when the select is drawn or an advisor is chosen,
    and then offers and accepts exactly the team."""
    from accounts.models import User
    from candidates.forms import YouthFilterForm
    from candidates.models import Youth

    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    followed = YouthFactory(mission_locale=ml, advisor=advisor)
    stranger = make_member(Role.ADVISOR)
    built = []

    def advisors():
        built.append(1)
        return User.objects.filter(pk=advisor.pk)

    form = YouthFilterForm({"q": "", "sort": "name"}, advisors=advisors)
    assert [y.pk for y in form.filter(Youth.objects.visible_to(advisor))] == [followed.pk]
    assert built == []
    assert [value for value, _label in form.fields["advisor"].choices] == ["", advisor.pk]
    assert built == [1]
    chosen = YouthFilterForm({"advisor": advisor.pk}, advisors=advisors)
    assert chosen.is_valid() and chosen.cleaned_data["advisor"] == advisor
    refused = YouthFilterForm({"advisor": stranger.pk}, advisors=advisors)
    assert not refused.is_valid()
    assert built == [1, 1, 1]


def test_the_advisors_offered_are_the_querysets_for_one_to_four_missions_locales():
    """The select's advisors are read by SQL compiled once per number of missions
    locales (one to three; the ORM past that, and for an admin): the same advisors, in
    the same order, as the queryset that validates a choice."""
    from accounts.models import Membership
    from candidates.views.youths import filtered_youths

    user = make_member(Role.ADVISOR)
    teams = [user.memberships.get().organisation]
    make_member(Role.ML_MANAGER, organisation=teams[0], last_name="Zola")
    make_member(Role.ADVISOR, organisation=teams[0], last_name="Abel")
    make_member(Role.ADVISOR)  # another mission locale's, never offered
    for n in range(4):
        fields = filtered_youths(user, {})[0].fields["advisor"]
        assert (fields.rows is not None) == (len(teams) <= 3)
        offered = [value for value, _label in fields.choices][1:]
        assert offered == [u.pk for u in fields.queryset]
        team_members = Membership.objects.active().filter(organisation__in=teams)
        assert set(offered) == set(team_members.values_list("user_id", flat=True))
        colleague = make_member(Role.ADVISOR, last_name=f"Team{n}")
        teams.append(colleague.memberships.get().organisation)
        Membership.objects.create(user=user, organisation=teams[-1], role=Role.ADVISOR)
        user = type(user).objects.get(pk=user.pk)  # its scope read again


def test_the_fixed_filters_are_shared_by_every_form_and_the_advisors_are_not():
    """A field shared by every form of the list must be one nothing sets per user: the
    fixed filters (drawn once per state), never the advisors."""
    from accounts.models import User
    from candidates.forms import YouthFilterForm

    first = YouthFilterForm({}, advisors=User.objects.none())
    second = YouthFilterForm({}, advisors=User.objects.none())
    shared = {name for name, field in first.fields.items() if field is second.fields[name]}
    assert shared == YouthFilterForm.fixed_filter_fields
