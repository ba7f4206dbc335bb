"""Every kind of email the portal sends, against a relay that stalls, refuses for good
(550) or refuses for now (451): see `tests/outgoing_mail.py` for what each check proves.

Each app's test module builds one `Scenario` per kind of its own, in its `SCENARIOS`;
those of an app with a small world are set in it (`build_world` of the app's
`conftest.py`, the `world` fixture's). The three checks run here over all of them, one
test per check and kind, named after the kind; the last test fails on a kind registered
without a scenario."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.mail import registered_kinds
from tests.accounts.test_outgoing_mail import SCENARIOS as ACCOUNTS
from tests.candidates.test_mail_failures import SCENARIOS as CANDIDATES
from tests.committees.conftest import build_world as committees_world
from tests.committees.test_mail_failures import SCENARIOS as COMMITTEES
from tests.immersion.conftest import build_world as immersion_world
from tests.immersion.test_mail_failures import SCENARIOS as IMMERSION
from tests.offers.conftest import build_world as offers_world
from tests.offers.test_mail_failures import SCENARIOS as OFFERS
from tests.outgoing_mail import (
    Scenario,
    check_permanent_refusal,
    check_stalled_relay,
    check_temporary_refusal,
)
from tests.reporting.conftest import build_world as reporting_world
from tests.reporting.test_mail_failures import SCENARIOS as REPORTING
from tests.youthspace.test_mail_failures import SCENARIOS as YOUTHSPACE

pytestmark = pytest.mark.django_db

#: Each app's scenarios, and the world they are set in (None: they set their own scene).
BY_APP = (
    (ACCOUNTS, None),
    (CANDIDATES, None),
    (OFFERS, offers_world),
    (IMMERSION, immersion_world),
    (COMMITTEES, committees_world),
    (REPORTING, reporting_world),
    (YOUTHSPACE, None),
)


def _in_world(build_world, build_scenario) -> Callable[[], Scenario]:
    return lambda: build_scenario(build_world())


def _every_scenario() -> dict[str, Callable[[], Scenario]]:
    every: dict[str, Callable[[], Scenario]] = {}
    for scenarios, build_world in BY_APP:
        for kind, build in scenarios.items():
            assert kind not in every, f"two scenarios for the kind {kind}"
            every[kind] = build if build_world is None else _in_world(build_world, build)
    return every


SCENARIOS = _every_scenario()


@pytest.mark.parametrize("kind", SCENARIOS)
def test_a_stalled_relay_costs_the_timeout_not_the_worker(
    kind, relay, transactional_db, tasks_in_process
):
    check_stalled_relay(relay, SCENARIOS[kind]())


@pytest.mark.parametrize("kind", SCENARIOS)
def test_a_permanent_refusal_fails_at_once(kind, relay, tasks_in_process):
    check_permanent_refusal(relay, SCENARIOS[kind]())


@pytest.mark.parametrize("kind", SCENARIOS)
def test_a_temporary_refusal_is_retried_then_sent(kind, relay, tasks_retrying_in_process):
    check_temporary_refusal(relay, SCENARIOS[kind]())


@pytest.mark.parametrize("kind", SCENARIOS)
def test_each_kind_leaves_in_the_one_html_layout(kind, relay, tasks_in_process):
    """Every kind of email has its plain text and its HTML part in the one layout
    (`templates/email/layout.html`: the portal's name, one button, why it came)."""
    scenario = SCENARIOS[kind]()
    scenario.forget_earlier_sends()
    before = len(relay.messages)
    scenario.run()
    arrived = relay.messages[before:]
    assert arrived, f"{kind} sent nothing"
    for message in arrived:
        html = message.get_body(("html",))
        text = message.get_body(("plain",))
        assert html is not None and text is not None, kind
        content = html.get_content()
        assert "Portail Convention" in content and "Vous recevez ce message" in content, kind
        assert "&amp;#x27;" not in content and "&#x27;" not in text.get_content(), kind


def test_every_kind_of_email_goes_through_the_three_failures():
    """A new kind of email needs its scenario in its app's test module."""
    assert set(SCENARIOS) == set(registered_kinds())
    assert len(SCENARIOS) == 27
