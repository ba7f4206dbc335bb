"""The list filters store nothing (tests/test_form_guard.py excludes them from the
hostile payload table), but they read text from the query string: every payload gives
the list, never a 500 (a NUL in a query would make PostgreSQL refuse it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.accounts.factories import make_member
from tests.payloads import ALL

pytestmark = pytest.mark.django_db

FILTERS = [
    ("candidates:youth_list", "q", Role.ADVISOR),
    ("candidates:youth_export", "q", Role.ADVISOR),
    ("offers:browse_offers", "place", Role.ADVISOR),
    ("offers:browse_offers_export", "place", Role.ADVISOR),
    ("offers:proposal_list", "status", Role.ADVISOR),
    ("offers:proposal_list", "offre", Role.ADVISOR),
    ("offers:proposal_list_export", "status", Role.ADVISOR),
    ("offers:my_offers_export", "status", Role.RECRUITER),
    ("offers:region_offers_export", "status", Role.PROJECT_LEAD),
    ("immersion:session_list", "month", Role.ADVISOR),
    ("immersion:session_list_export", "month", Role.ADVISOR),
    ("immersion:session_list_export", "city", Role.ADVISOR),
    ("immersion:session_calendar", "month", Role.ADVISOR),
    ("candidates:access_log", "since", Role.ML_MANAGER),
    ("candidates:access_log", "reader", Role.ML_MANAGER),
    # The home page's counters link to these filters (docs/navigation.md).
    ("offers:proposal_list", "status", Role.ADVISOR),
    ("offers:proposal_list", "news", Role.RECRUITER),
    ("offers:new_offers", "unread", Role.ADVISOR),
    ("offers:my_offers", "sent_back", Role.RECRUITER),
    ("offers:region_offers", "accompaniment", Role.PROJECT_LEAD),
    ("immersion:session_list", "period", Role.PROJECT_LEAD),
    ("immersion:session_list", "mine", Role.ADVISOR),
    ("committees:committee_list", "quiet", Role.PROJECT_LEAD),
    ("committees:my_action_items", "overdue", Role.PROJECT_LEAD),
    ("candidates:subject_request_list", "open", Role.ML_MANAGER),
    ("accounts:invitations", "pending", Role.ML_MANAGER),
    ("accounts:access_requests", "pending", Role.PROJECT_LEAD),
]


@pytest.mark.parametrize(
    ("url_name", "param", "role"), FILTERS, ids=[f"{f[0]}?{f[1]}" for f in FILTERS]
)
def test_a_hostile_filter_gives_the_list(client, subtests, url_name, param, role):
    client.force_login(make_member(role))
    url = reverse(url_name, args=["csv"]) if url_name.endswith("export") else reverse(url_name)
    for payload in ALL:
        with subtests.test(payload=payload.name):
            response = client.get(url, {param: payload.text})
            assert response.status_code == 200
            assert "<script>" not in response.content.decode(errors="replace")
