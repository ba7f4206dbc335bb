"""The candidate pool's counters on the home page (accounts/today.py): an advisor's
follow-ups due this week and youths without a follow-up note for 60 days; a manager's
team workload and open subject requests. Each counts through the view's own queryset
function, with the parameters of the link it shows."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.today import TodayItem, TodayRow, as_query, list_url

from .permissions import can_see_subject_requests, can_use_candidate_pool
from .services import mission_locale_advisors
from .views.rights import subject_requests_listed
from .views.youths import due_this_week_rows, filtered_youths

# Art. 3: the advisor follows the youth; two months without a note is a file to reopen.
NO_CONTACT_DAYS = 60


def today_items(user, scope) -> list[TodayItem]:
    if not scope.mission_locale_ids or not can_use_candidate_pool(user):
        return []
    items = []
    _monday, _sunday, appointments, check_ins = due_this_week_rows(user, timezone.localdate())
    due = appointments.count() + check_ins.count()
    items.append(
        TodayItem(
            ngettext("%(n)s suivi à faire cette semaine", "%(n)s suivis à faire cette semaine", due)
            % {"n": due},
            due,
            list_url("candidates:due_this_week"),
            10,
        )
    )
    params = {"no_contact_days": NO_CONTACT_DAYS, "advisor": user.pk}
    _form, quiet = filtered_youths(user, as_query(params))
    silent = quiet.count()
    items.append(
        TodayItem(
            ngettext(
                "%(n)s jeune sans entretien depuis %(days)s jours",
                "%(n)s jeunes sans entretien depuis %(days)s jours",
                silent,
            )
            % {"n": silent, "days": NO_CONTACT_DAYS},
            silent,
            list_url("candidates:youth_list", params),
            11,
        )
    )
    if scope.managed_mission_locale_ids:
        # A manager's own tasks first: the team, then the youths' requests.
        items.append(_team_workload(user, scope))
    if can_see_subject_requests(user):
        open_requests = subject_requests_listed(user, {"open": "1"}).count()
        items.append(
            TodayItem(
                ngettext(
                    "%(n)s demande RGPD à traiter", "%(n)s demandes RGPD à traiter", open_requests
                )
                % {"n": open_requests},
                open_requests,
                list_url("candidates:subject_request_list", {"open": "1"}),
                6,
            )
        )
    return items


def _team_workload(user, scope) -> TodayItem:
    """Active youths per advisor of the managed missions locales: the youth list's default
    rows (active youths) grouped by advisor, in one query; each line links to the list
    filtered on that advisor, which shows the same number."""
    # Bound with the default "Suivi" (en cours), as the per-advisor links are.
    _form, active = filtered_youths(user, as_query({"status": ""}))
    per_advisor = dict(
        active.order_by()
        .values_list("advisor_id")
        .annotate(n=Count("pk"))
        .values_list("advisor_id", "n")
    )
    advisors = mission_locale_advisors(list(scope.managed_mission_locale_ids)).order_by(
        "last_name", "first_name", "pk"
    )
    rows = tuple(
        TodayRow(
            advisor.get_full_name() or advisor.email,
            per_advisor.get(advisor.pk, 0),
            list_url("candidates:youth_list", {"advisor": advisor.pk}),
        )
        for advisor in advisors
    )
    total = sum(row.count for row in rows)
    return TodayItem(
        _("Charge de l'équipe : jeunes suivis par conseiller"),
        total,
        list_url("candidates:youth_list"),
        5,
        rows=rows,
    )
