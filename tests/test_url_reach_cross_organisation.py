"""URL reach, part 2: a user of another organisation or region never reaches an object.

`CROSS_ORGANISATION` has an entry for every URL of the portal that takes an argument (an
object id, an action on an object, a scope): it builds an object of organisation/region
A (tests/url_reach_scenes.py), then the most dangerous outsider (same role, other
organisation or region; a regional user for what only national staff or admins may do)
asks for it through `assert_refused`: 403 or 404, and none of A's names or titles in the
answer. A user of A then asks for the same URL and must reach it: without that control,
an entry whose URL 404s for everyone would prove nothing.

How to add a URL that takes an argument (the URL reach rule):
- add an entry to CROSS_ORGANISATION, keyed by the URL name: the scene that builds A's
  object (add a scene or an attribute to tests/url_reach_scenes.py if none fits), the
  URL's arguments, the methods the view answers (GET, POST or both), the outsider;
- only if the argument names no object nor scope (a file format), add it to
  NO_OBJECT_IN_URL with the reason.
A URL with an argument and no entry fails
`test_every_url_with_an_argument_has_a_cross_organisation_entry`, naming it.

The admin's URLs are not in the table: anonymous visitors and sessions without their
second factor are refused there by tests/test_url_reach_anonymous.py, and signed-in
users without `is_staff` by `test_the_admin_refuses_every_signed_in_user_without_is_staff`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests import url_reach_scenes as scenes
from tests.accounts.factories import make_member
from tests.helpers import assert_refused
from tests.test_url_reach_anonymous import PUBLIC
from tests.url_walk import all_routes, refusal_problem

pytestmark = pytest.mark.django_db

GET = ("get",)
POST = ("post",)
BOTH = ("get", "post")


@dataclass(frozen=True)
class Entry:
    """How to reach one URL in a scene. `outsider`, `also` and `insider` name attributes
    of the scene; `args`, `data` and `query` are functions of the scene."""

    scene: Callable[[], SimpleNamespace]
    args: Callable[[SimpleNamespace], list]
    methods: tuple[str, ...] = GET
    outsider: str = "outsider"
    also: tuple[str, ...] = ()  # more outsiders, refused the same way
    insider: str = "insider"
    data: Callable[[SimpleNamespace], dict] | None = None
    query: Callable[[SimpleNamespace], str] | None = None
    shows_secret: bool = True  # the insider's 200 shows one of the scene's secrets

    def url(self, name: str, scene: SimpleNamespace) -> str:
        url = reverse(name, args=self.args(scene))
        return f"{url}?{self.query(scene)}" if self.query else url


def _youth(s):
    return [s.youth.pk]


def _offer(s):
    return [s.offer.pk]


def _proposal(s):
    return [s.proposal.pk]


def _session(s):
    return [s.session.pk]


def _cohort(s):
    return [s.cohort.pk]


def _committee(s):
    return [s.committee.pk]


def _meeting(s):
    return [s.meeting.pk]


def _plan(s):
    return [s.plan.pk]


def _plan_item(s):
    return [s.item.pk]


def _commitment(s):
    return [s.commitment.pk]


def _review(s):
    return [s.review.year, s.scope]


def _regional_dashboard(s):
    """reporting's `kind` is the dashboard level; its object is the region in the query
    string, so the entry is keyed by that region."""
    return f"region={s.region.pk}"


def _text(s):
    return {"text": "Écrit par un intrus", "title": "Intrus", "reason": "Intrus"}


youth, team, offer, sessions = scenes.youth_file, scenes.team, scenes.offer, scenes.sessions
platform, committee, plan = scenes.platform, scenes.committee, scenes.plan
convention, figures = scenes.convention, scenes.figures
youth_space = scenes.youth_space

CROSS_ORGANISATION: dict[str, Entry] = {
    # --- accounts: a mission locale's team, the region's company access requests
    "accounts:toggle_membership": Entry(team, lambda s: [s.membership.pk], POST),
    "accounts:revoke_invitation": Entry(team, lambda s: [s.invitation.pk], POST),
    "accounts:decide_access_request": Entry(
        team,
        lambda s: [s.access_request.pk, "reject"],
        POST,
        outsider="other_lead",
        insider="lead",
        data=lambda s: {"reason": "Intrus"},
    ),
    # --- candidates: a youth's file, seen by the advisor of the neighbouring mission locale
    "candidates:youth_detail": Entry(youth, _youth),
    "candidates:youth_edit": Entry(youth, _youth, BOTH, data=lambda s: {"last_name": "Intrus"}),
    "candidates:pathway_move": Entry(youth, _youth, BOTH, data=lambda s: {"stage": "exit"}),
    "candidates:assessment_create": Entry(youth, _youth, BOTH),
    "candidates:note_create": Entry(youth, _youth, BOTH, data=lambda s: {"summary": "Intrus"}),
    "candidates:consent": Entry(
        youth, _youth, BOTH, data=lambda s: {"method": "signed_form", "note": "Intrus"}
    ),
    "candidates:consent_withdraw": Entry(
        youth, _youth, BOTH, data=lambda s: {"method": "oral", "note": "Intrus"}
    ),
    "candidates:check_in_record": Entry(youth, lambda s: [s.check_in.pk], BOTH),
    "candidates:pair_create": Entry(youth, _youth, BOTH),
    "candidates:pair_end": Entry(youth, lambda s: [s.pair.pk], BOTH),
    "candidates:meeting_create": Entry(youth, lambda s: [s.pair.pk], BOTH),
    "candidates:vae_create": Entry(youth, _youth, BOTH),
    "candidates:vae_edit": Entry(youth, lambda s: [s.youth.pk, s.project.pk], BOTH),
    "candidates:youth_data_page": Entry(youth, _youth),
    "candidates:youth_data_json": Entry(youth, _youth),
    # The ZIP is compressed: the control checks the status only.
    "candidates:youth_data_zip": Entry(
        youth, _youth, also=("outsider_manager",), shows_secret=False
    ),
    "candidates:subject_request_create": Entry(
        youth,
        _youth,
        BOTH,
        data=lambda s: {"kind": "erasure", "received_on": "01/01/2020", "details": "Intrus"},
    ),
    # Managers' actions: the manager of the neighbouring mission locale.
    "candidates:youth_move": Entry(
        youth, _youth, BOTH, outsider="outsider_manager", insider="manager"
    ),
    "candidates:youth_anonymise": Entry(
        youth,
        _youth,
        BOTH,
        outsider="outsider_manager",
        insider="manager",
        data=lambda s: {"reason": "Intrus"},
    ),
    # The history of changes (audit trail): the youth's mission locale only.
    "audit:youth_history": Entry(youth, _youth, also=("outsider_manager",)),
    # Who read the file: the managers of its mission locale only.
    "candidates:youth_access_log": Entry(
        youth, _youth, outsider="outsider_manager", also=("outsider",), insider="manager"
    ),
    # Answering a request (an erasure anonymises): the neighbouring manager.
    "candidates:subject_request_close": Entry(
        youth,
        lambda s: [s.subject_request.pk],
        BOTH,
        outsider="outsider_manager",
        insider="manager",
        data=lambda s: {"outcome": "Intrus"},
    ),
    "candidates:mentor_detail": Entry(youth, lambda s: [s.mentor.pk]),
    "candidates:mentor_edit": Entry(youth, lambda s: [s.mentor.pk], BOTH),
    "candidates:import_columns": Entry(youth, lambda s: [s.batch.pk], BOTH),
    "candidates:import_preview": Entry(youth, lambda s: [s.batch.pk]),
    "candidates:import_confirm": Entry(youth, lambda s: [s.batch.pk], POST),
    # --- offers: the recruiter of another company of the same region
    "offers:offer_detail": Entry(offer, _offer),
    "offers:offer_edit": Entry(offer, _offer, BOTH, data=_text),
    "offers:offer_action": Entry(offer, lambda s: [s.offer.pk, "withdraw"], POST, data=_text),
    "offers:offer_board": Entry(offer, _offer),
    "offers:offer_board_export": Entry(offer, lambda s: [s.offer.pk, "csv"]),
    "offers:bulk_decline": Entry(
        offer,
        _offer,
        POST,
        data=lambda s: {"proposals": [s.proposal.pk], "decline_reason": "profile_mismatch"},
    ),
    # A proposal is also the youth's: the neighbouring mission locale never sees it.
    "offers:proposal_detail": Entry(offer, _proposal, also=("neighbour_advisor",)),
    "offers:proposal_hire": Entry(offer, _proposal, BOTH, also=("neighbour_advisor",)),
    "offers:proposal_invite": Entry(offer, _proposal, BOTH, also=("neighbour_advisor",)),
    "offers:proposal_action": Entry(
        offer, lambda s: [s.proposal.pk, "mark_seen"], POST, also=("neighbour_advisor",)
    ),
    # The project lead's accompaniment: the lead of another region.
    "offers:offer_accompany": Entry(offer, _offer, POST, outsider="other_lead", insider="lead"),
    # Advisors propose to the published offers of their region: an advisor elsewhere.
    "offers:offer_propose": Entry(
        offer,
        _offer,
        BOTH,
        outsider="other_advisor",
        insider="advisor",
        data=lambda s: {"youth": s.proposal.youth.pk},
    ),
    "offers:offer_suggestions": Entry(offer, _offer, outsider="other_advisor", insider="advisor"),
    # The proposal form's search among the youths to propose (without htmx: a redirect
    # to the form); tests/offers/test_propose_search.py checks what it lists.
    "offers:propose_search": Entry(offer, _offer, outsider="other_advisor", insider="advisor"),
    # --- immersion: region A's sessions, run by its project lead and the host
    # A recruiter of another company of A sees none of A's sessions either.
    "immersion:session_detail": Entry(sessions, _session, also=("other_recruiter",)),
    "immersion:session_edit": Entry(
        sessions, _session, BOTH, also=("other_recruiter",), data=_text
    ),
    "immersion:session_action": Entry(
        sessions, lambda s: [s.session.pk, "cancel"], POST, also=("other_recruiter",), data=_text
    ),
    "immersion:session_ics": Entry(sessions, _session, also=("other_recruiter",)),
    # The roster runs through the consent rule: the lead of A reads a placeholder for a
    # youth who does not share, so the control checks the status only.
    "immersion:session_roster_export": Entry(
        sessions,
        lambda s: [s.session.pk, "csv"],
        also=("other_recruiter", "neighbour_advisor"),
        shows_secret=False,
    ),
    "immersion:enrol_youths": Entry(
        sessions,
        _session,
        POST,
        outsider="other_advisor",
        insider="advisor",
        data=lambda s: {"youths": [s.youth.pk]},
    ),
    # The search among the youths to enrol: who may not enrol into A's session is
    # refused; the neighbouring mission locale's advisor finds only their own youths
    # (tests/immersion/test_enrol_search.py).
    "immersion:enrol_search": Entry(
        sessions,
        _session,
        outsider="other_advisor",
        also=("other_recruiter",),
        insider="advisor",
    ),
    "immersion:enrol_self": Entry(
        sessions,
        lambda s: [s.for_advisors.pk],
        POST,
        outsider="other_advisor",
        insider="advisor",
    ),
    # An enrolment is the youth's: the neighbouring mission locale sees the session, not it.
    "immersion:enrolment_cancel": Entry(
        sessions,
        lambda s: [s.enrolment.pk],
        POST,
        outsider="neighbour_advisor",
        insider="advisor",
    ),
    "immersion:enrolment_attendance": Entry(
        sessions, lambda s: [s.attended.pk], POST, outsider="other_recruiter"
    ),
    "immersion:cohort_detail": Entry(platform, _cohort),
    "immersion:cohort_size": Entry(platform, _cohort, POST, data=lambda s: {"size": 10}),
    "immersion:contract_create": Entry(
        platform, _cohort, POST, outsider="other_advisor", insider="advisor"
    ),
    "immersion:contract_outcome": Entry(
        platform,
        lambda s: [s.contract.pk],
        POST,
        outsider="neighbour_advisor",
        insider="advisor",
    ),
    # The candidate pool is a region's: a recruiter of another region.
    "immersion:pool_member": Entry(
        platform,
        _youth,
        BOTH,
        outsider="other_recruiter",
        insider="recruiter",
    ),
    "immersion:pool_request_answer": Entry(
        platform,
        lambda s: [s.pool_request.pk, "decline"],
        POST,
        outsider="neighbour_advisor",
        insider="advisor",
    ),
    # --- committees: region A's committee, plan and convention; the lead of region B
    # An advisor of region A who does not sit on the committee sees nothing of it either.
    "committees:committee_detail": Entry(committee, _committee, also=("stranger",)),
    "committees:committee_action_items_export": Entry(
        committee, lambda s: [s.committee.pk, "csv"], also=("stranger",)
    ),
    "committees:member_add": Entry(committee, _committee, POST),
    "committees:member_remove": Entry(committee, lambda s: [s.seat.pk], POST),
    "committees:meeting_create": Entry(committee, _committee, BOTH, data=_text),
    "committees:meeting_detail": Entry(committee, _meeting, also=("stranger",)),
    "committees:meeting_edit": Entry(committee, _meeting, BOTH, data=_text),
    "committees:agenda_add": Entry(committee, _meeting, POST, data=_text),
    "committees:attendance_export": Entry(
        committee, lambda s: [s.meeting.pk, "csv"], also=("stranger",), shows_secret=False
    ),
    "committees:minutes_save": Entry(
        committee, _meeting, POST, data=lambda s: {"minutes": "Intrus"}
    ),
    "committees:attendance_save": Entry(committee, _meeting, POST),
    "committees:decision_add": Entry(committee, _meeting, POST, data=_text),
    "committees:action_add": Entry(committee, _meeting, POST, data=_text),
    "committees:document_upload": Entry(committee, _meeting, POST),
    "committees:invitations_send": Entry(committee, _meeting, POST),
    "committees:document_download": Entry(
        committee, lambda s: [s.document.pk], also=("stranger",), shows_secret=False
    ),
    "committees:action_item_transition": Entry(committee, lambda s: [s.item.pk, "start"], POST),
    # National staff read every plan and change none.
    "committees:plan_detail": Entry(plan, _plan),
    "committees:plan_items_export": Entry(plan, lambda s: [s.plan.pk, "csv"]),
    "committees:plan_progress_export": Entry(
        plan, lambda s: [s.plan.pk, "csv"], shows_secret=False
    ),
    "committees:plan_item_add": Entry(plan, _plan, POST, also=("national",), data=_text),
    "committees:plan_renew": Entry(plan, _plan, POST, also=("national",)),
    "committees:plan_item_detail": Entry(plan, _plan_item),
    "committees:plan_note_add": Entry(plan, _plan_item, POST, also=("national",), data=_text),
    "committees:plan_item_edit": Entry(plan, _plan_item, POST, also=("national",), data=_text),
    "committees:plan_item_transition": Entry(
        plan, lambda s: [s.item.pk, "start"], POST, also=("national",)
    ),
    # The national convention is managed by national staff: a regional user is refused.
    "committees:convention_renew": Entry(
        convention,
        lambda s: [s.national.pk],
        POST,
        outsider="lead",
        insider="national_staff",
        data=lambda s: {"renewed_on": "07/06/2009", "duration_years": 3},
    ),
    # The id is the national convention any lead adapts; the object at stake is region
    # A, named in the form: the lead of region B may not draw up A's convention.
    "committees:regional_convention_create": Entry(
        convention,
        lambda s: [s.national.pk],
        POST,
        data=lambda s: {
            "region": s.provence.pk,
            "title": "Convention pirate",
            "signed_on": "01/01/2007",
            "duration_years": 3,
            "signatories": [s.outsider_organisation.pk],
        },
    ),
    "committees:additional_commitment_add": Entry(
        convention,
        lambda s: [s.regional.pk],
        POST,
        data=lambda s: {"signatory": s.network.pk, "text": "Intrus"},
    ),
    "committees:commitment_detail": Entry(convention, _commitment),
    "committees:commitments_export": Entry(convention, lambda s: [s.regional.pk, "csv"]),
    "committees:commitment_update": Entry(
        convention, _commitment, POST, data=lambda s: {"status": "met"}
    ),
    "committees:commitment_document_upload": Entry(convention, _commitment, POST),
    # --- reporting: region A's figures and annual review; the lead of region B
    "reporting:dashboard": Entry(figures, lambda s: ["regional"], query=_regional_dashboard),
    "reporting:export": Entry(
        figures,
        lambda s: ["regional", "kpis", "csv"],
        query=_regional_dashboard,
        shows_secret=False,
    ),
    "reporting:chart": Entry(
        figures, lambda s: ["regional", "hires"], query=_regional_dashboard, shows_secret=False
    ),
    # `year` is no object: the review is keyed by its scope slug (region-<id>).
    "reporting:review": Entry(figures, _review),
    "reporting:review_section": Entry(
        figures,
        _review,
        POST,
        data=lambda s: {"section_key": "cooperation", "cooperation-text": "Intrus"},
    ),
    "reporting:review_generate": Entry(figures, _review, POST),
    "reporting:review_restart": Entry(figures, lambda s: [s.document.pk], POST),
    "reporting:review_download": Entry(figures, lambda s: [s.document.pk], shows_secret=False),
    # --- youthspace: a youth's own enrolment; the other youth of the same mission locale
    # and the neighbouring advisor reach nothing of it.
    "youthspace:session_ics": Entry(
        youth_space,
        lambda s: [s.enrolment.pk],
        outsider="other_youth",
        also=("neighbour_advisor", "advisor"),
    ),
    "youthspace:session_answer": Entry(
        youth_space,
        lambda s: [s.enrolment.pk],
        POST,
        outsider="other_youth",
        also=("neighbour_advisor", "advisor"),
        data=lambda s: {"answer": "not_coming"},
    ),
    # The advisor's actions on a youth's space: the neighbouring advisor, and the youths.
    "youthspace:invite": Entry(
        youth_space,
        _youth,
        POST,
        outsider="neighbour_advisor",
        also=("other_youth",),
        insider="advisor",
    ),
    "youthspace:next_step": Entry(
        youth_space,
        _youth,
        BOTH,
        outsider="neighbour_advisor",
        also=("other_youth",),
        insider="advisor",
        data=lambda s: {"next_step": "Intrus"},
    ),
    # Admins follow failed emails: the email's own recipient may not resend it.
    "accounts:retry_outgoing_email": Entry(
        figures, lambda s: [s.delivery.pk], POST, outsider="insider", insider="admin"
    ),
}

# URLs whose argument names no object nor scope, with the reason.
NO_OBJECT_IN_URL = {
    "audit:audit_trail_export": "`fmt` is a file format (csv, xlsx); the rows are the "
    "manager's own mission locale's (tests/audit/test_pages.py)",
    "candidates:youth_export": "`fmt` is a file format (csv, xlsx); the rows are the "
    "user's own youths (tests/candidates/test_list_queries_and_export.py)",
    # The lists below are the user's own scope (no object in the URL); each export's
    # rows are tested against another organisation's in tests/test_list_exports.py.
    "offers:my_offers_export": "`fmt` is a file format; the rows are the recruiter's offers",
    "offers:region_offers_export": "`fmt` is a file format; the rows are the lead's region's",
    "offers:browse_offers_export": "`fmt` is a file format; the rows are the published "
    "offers of the advisor's region",
    "offers:proposal_list_export": "`fmt` is a file format; the rows are the proposals of "
    "the advisor's mission locale's youths",
    "immersion:session_list_export": "`fmt` is a file format; the rows are the sessions the "
    "user sees",
    "committees:my_action_items_export": "`fmt` is a file format; the rows are the user's "
    "own action items",
}


def _needs_an_entry(route) -> bool:
    return not route.is_admin and route.key not in PUBLIC and bool(route.converters)


def test_every_url_with_an_argument_has_a_cross_organisation_entry():
    missing = [
        route.describe()
        for route in all_routes()
        if _needs_an_entry(route)
        and route.key not in CROSS_ORGANISATION
        and route.key not in NO_OBJECT_IN_URL
    ]
    assert not missing, (
        "These URLs take an argument but have no entry in CROSS_ORGANISATION:\n  "
        + "\n  ".join(missing)
        + "\nAdd each to CROSS_ORGANISATION in tests/test_url_reach_cross_organisation.py: "
        "the scene that builds an object of organisation/region A (tests/url_reach_scenes.py), "
        "the URL's arguments, the methods the view answers and the outsider (same role, "
        "other organisation or region) who must get 403 or 404."
    )


def test_the_tables_name_only_urls_that_take_an_argument():
    by_key = {route.key: route for route in all_routes()}
    wrong = {
        key: "no such URL" if key not in by_key else "admin, public or without argument"
        for key in [*CROSS_ORGANISATION, *NO_OBJECT_IN_URL]
        if key not in by_key or not _needs_an_entry(by_key[key])
    }
    assert not wrong, f"Remove these entries: {wrong}"
    assert not set(CROSS_ORGANISATION) & set(NO_OBJECT_IN_URL)


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


@pytest.mark.parametrize("name", sorted(CROSS_ORGANISATION))
def test_an_outsider_is_refused_and_sees_nothing(client, settings, tmp_path, name):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    entry = CROSS_ORGANISATION[name]
    scene = entry.scene()
    url = entry.url(name, scene)
    data = entry.data(scene) if entry.data else {}
    for who in (entry.outsider, *entry.also):
        for method in entry.methods:
            assert_refused(
                client,
                getattr(scene, who),
                url,
                method=method,
                data=data,
                must_not_contain=scene.secrets,
            )
    # The control: someone of A reaches the same URL, so the refusal above is the
    # outsider's, not a URL that answers 404 to everyone.
    method = entry.methods[0]
    client.force_login(getattr(scene, entry.insider))
    response = getattr(client, method)(url, data)
    assert response.status_code not in (403, 404, 405), (
        f"Control failed for {name}: the scene's {entry.insider!r} (of A) got "
        f"{response.status_code} on {method.upper()} {url}, so the outsider's refusal proves "
        "nothing. Fix the entry or its scene (tests/url_reach_scenes.py)."
    )
    body = _body(response)
    response.close()  # a file download keeps its file open until closed
    if method == "get" and response.status_code == 200 and entry.shows_secret:
        assert any(secret in body for secret in scene.secrets), (
            f"Control failed for {name}: the page of A's {entry.insider!r} shows none of "
            f"{scene.secrets}, so not seeing them proves nothing. Fix the scene's secrets."
        )


def test_the_admin_refuses_every_signed_in_user_without_is_staff(client):
    """The admin's URLs are left out of CROSS_ORGANISATION: only staff reach them. A
    project lead (a whole region's reach, second factor passed) is refused on each."""
    client.force_login(make_member(Role.PROJECT_LEAD))
    failures = []
    for route in all_routes():
        if route.is_admin and route.key not in PUBLIC:
            problem = refusal_problem(client, client.get(route.url))
            if problem:
                failures.append(f"GET {route.url}: {problem} — {route.describe()}")
    assert not failures, "The admin let a non-staff user in:\n  " + "\n  ".join(failures)
