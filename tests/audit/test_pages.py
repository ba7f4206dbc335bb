"""The youth's history (advisors and managers of the youth's mission locale) and the
mission locale's trail (its managers and admins): who sees them, what they show, their
filters and their queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from audit.context import audit_context
from audit.display import NAMED_MODELS
from audit.enums import AuditPath
from audit.models import AuditEntry
from candidates.enums import AccessKind
from candidates.models import AccessLogEntry
from tests.accounts.factories import UserFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.helpers import assert_refused

pytestmark = pytest.mark.django_db


def _edit(youth, actor, **fields):
    with audit_context(path=AuditPath.PAGE, actor=actor):
        for name, value in fields.items():
            setattr(youth, name, value)
        youth.save(update_fields=list(fields))


def _history(youth):
    return reverse("audit:youth_history", args=[youth.pk])


# --- The youth's history ----------------------------------------------------------------


def test_the_history_shows_who_when_what_and_the_path_in_plain_words(client, ml):
    _edit(ml.youth, ml.advisor, education_level="cap_bep", city="Aubagne")
    client.force_login(ml.advisor)
    response = client.get(_history(ml.youth))
    assert response.status_code == 200
    body = response.content.decode()
    row = response.context["rows"][0]["row"]
    assert row.entry.actor == ml.advisor
    labels = {change.label: (change.old, change.new) for change in row.changes}
    # A choice by its label, never its code.
    assert labels["Niveau de formation"] == ("Baccalauréat", "CAP / BEP")
    assert labels["Commune"] == ("Marseille", "Aubagne")
    assert "Page du portail" in body and "cap_bep" not in body
    assert ml.advisor.get_full_name() in body
    # Its creation is there too (the factory's), the advisor shown by name.
    created = response.context["rows"][-1]["row"]
    assert created.action_label == "Création"
    advisor = {change.label: change.new for change in created.changes}["Conseiller référent"]
    assert advisor == ml.advisor.get_full_name()
    # Reading the history is reading the file: the access log keeps it.
    assert AccessLogEntry.objects.filter(
        youth=ml.youth, user=ml.advisor, kind=AccessKind.YOUTH_FILE, url_name="audit:youth_history"
    ).exists()


def test_the_manager_sees_it_and_the_youth_page_links_to_it(client, ml):
    _edit(ml.youth, ml.advisor, city="Aubagne")
    client.force_login(ml.manager)
    assert client.get(_history(ml.youth)).status_code == 200
    page = client.get(reverse("candidates:youth_detail", args=[ml.youth.pk]))
    assert _history(ml.youth) in page.content.decode()
    latest = page.context["recent_changes"][0]
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("Commune", "Marseille", "Aubagne")
    ]


@pytest.mark.parametrize(
    "who",
    ["other_advisor", "other_manager", "recruiter", "project_lead", "national", "partner"],
)
def test_nobody_outside_the_youth_s_mission_locale_sees_it(client, ml, who):
    user = (
        getattr(ml, who)
        if who.startswith("other")
        else make_member(
            {
                "recruiter": Role.RECRUITER,
                "project_lead": Role.PROJECT_LEAD,
                "national": Role.NATIONAL,
                "partner": Role.PARTNER,
            }[who],
            region=ml.home.region,
        )
    )
    assert_refused(client, user, _history(ml.youth), must_not_contain=("Aubrac", "Zéphyrine"))


def test_the_history_reads_a_fixed_number_of_queries(client, ml):
    client.force_login(ml.advisor)
    url = _history(ml.youth)
    client.get(url)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    _edit(ml.youth, ml.advisor, city="Aubagne")
    few = count()
    for n in range(30):
        _edit(ml.youth, ml.manager if n % 2 else ml.advisor, city=f"Ville {n}", advisor=ml.advisor)
    YouthFactory.create_batch(3, mission_locale=ml.home)
    assert count() == few
    # Session, user, scope, the youth, the access log's INSERT; the actors of the filter,
    # the count, the page; the youths, users and organisations its changes name.
    assert few == 4 + 1 + 3 + 3


# --- The mission locale's trail ---------------------------------------------------------


def _trail():
    return reverse("audit:audit_trail")


def test_the_trail_is_for_managers_and_admins(client, ml):
    assert_refused(client, ml.advisor, _trail())
    assert_refused(client, make_member(Role.NATIONAL), _trail())
    client.force_login(ml.manager)
    assert client.get(_trail()).status_code == 200
    client.force_login(UserFactory(admin=True))
    assert client.get(_trail()).status_code == 200


def test_the_trail_shows_its_mission_locale_only(client, ml):
    _edit(ml.youth, ml.advisor, city="Aubagne")
    _edit(ml.other_youth, ml.other_advisor, city="Toulon")
    client.force_login(ml.manager)
    response = client.get(_trail())
    youths = {cell["row"].entry.youth_id for cell in response.context["rows"]}
    assert ml.youth.pk in youths and ml.other_youth.pk not in youths
    body = response.content.decode()
    assert "Toulon" not in body and "Voisin" not in body.replace("Voisine", "")
    # The team's memberships are in it (the manager's own mission locale's rows).
    organisations = {cell["row"].entry.organisation_id for cell in response.context["rows"]}
    assert organisations == {ml.home.pk}
    # A youth since transferred away is no longer named to the former mission locale.
    ml.youth.mission_locale = ml.other
    ml.youth.save(update_fields=["mission_locale"])
    cells = client.get(_trail()).context["rows"]
    named = [c for c in cells if c["row"].entry.youth_id == ml.youth.pk]
    assert named and all(c["youth_label"] == f"Jeune n°{ml.youth.pk}" for c in named)


def test_the_trail_filters_by_youth_user_path_and_days(client, ml):
    second = YouthFactory(mission_locale=ml.home, advisor=ml.advisor)
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        _edit(ml.youth, ml.advisor, city="Ancienne")
    _edit(ml.youth, ml.manager, city="Récente")
    _edit(second, ml.advisor, city="Autre")
    client.force_login(ml.manager)

    def shown(**query):
        response = client.get(_trail(), query)
        return [
            (cell["row"].entry.youth_id, cell["row"].entry.changes.get("city", [None, None])[1])
            for cell in response.context["rows"]
            if cell["row"].entry.action == AuditEntry.Action.UPDATE
        ]

    assert shown(youth=ml.youth.pk) == [(ml.youth.pk, "Récente"), (ml.youth.pk, "Ancienne")]
    assert shown(actor=ml.manager.pk) == [(ml.youth.pk, "Récente")]
    since = (timezone.localdate() - timedelta(days=2)).strftime("%d/%m/%Y")
    assert (ml.youth.pk, "Ancienne") not in shown(since=since)
    until = (timezone.localdate() - timedelta(days=5)).strftime("%d/%m/%Y")
    assert shown(until=until) == [(ml.youth.pk, "Ancienne")]
    assert shown(path=AuditPath.IMPORT) == []
    # An invalid filter is ignored, not an error page.
    assert client.get(_trail(), {"youth": "abc", "since": "hier"}).status_code == 200


def test_the_trail_paginates_in_a_fixed_number_of_queries(client, ml):
    client.force_login(ml.manager)
    client.get(_trail())  # warm the session

    def count(**query) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(_trail(), query).status_code == 200
        return len(context)

    # A page naming people (advisors changed), with 3 changes then with 60 more.
    other = YouthFactory(mission_locale=ml.home)

    def change_advisors(times: int) -> None:
        for n in range(times):
            _edit(other, ml.manager, advisor=ml.manager if n % 2 else ml.advisor, city=f"V{n}")

    change_advisors(60)
    full = count()
    change_advisors(200)
    assert count() == full
    # Session, user, scope; the actors of the filter, the count, the page; at most one
    # query per kind of name its changes cite (youths, users, organisations).
    assert full <= 3 + 3 + len(NAMED_MODELS)
    second = client.get(_trail(), {"page": 2})
    assert second.context["page"].number == 2 and len(second.context["rows"]) > 0


def test_the_trail_exports_what_the_filters_show_and_is_logged(client, ml):
    _edit(ml.youth, ml.advisor, city="Aubagne")
    _edit(ml.other_youth, ml.other_advisor, city="Toulon")
    client.force_login(ml.manager)
    url = reverse("audit:audit_trail_export", args=["csv"])
    response = client.get(url, {"youth": ml.youth.pk})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert "Commune : Marseille → Aubagne" in content and "Toulon" not in content
    assert content.splitlines()[0].startswith("Date;Par;Chemin")
    entry = AccessLogEntry.objects.get(user=ml.manager, kind=AccessKind.LIST_EXPORT)
    assert entry.rows == AuditEntry.objects.filter(youth=ml.youth).count()
    assert entry.mission_locale_id == ml.home.pk
    assert client.get(reverse("audit:audit_trail_export", args=["xlsx"])).status_code == 200
    assert client.get(reverse("audit:audit_trail_export", args=["pdf"])).status_code == 404
    assert_refused(client, ml.advisor, url)
