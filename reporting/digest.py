"""The monthly digest's content (Art. 18): for each scope of the recipient, the key
figures of the past month beside the month before."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language

from accounts.enums import Role
from accounts.models import Membership, User
from convention_portal.db_router import reading_from_replica

from . import dashboard
from .models import DigestSubscription
from .periods import Period
from .scopes import Population, digest_populations

DIGEST_ROLES = (Role.ADVISOR, Role.ML_MANAGER, Role.PROJECT_LEAD, Role.NATIONAL)
CACHE_SECONDS = 60 * 60


def digest_recipients():
    """Active users holding a role with a dashboard, minus those who unsubscribed."""
    holders = Membership.objects.active().filter(role__in=DIGEST_ROLES).values("user_id")
    opted_out = DigestSubscription.objects.filter(subscribed=False).values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=holders).exclude(pk__in=opted_out).order_by("pk")
    )


def is_subscribed(user) -> bool:
    row = DigestSubscription.objects.filter(user=user).first()
    return row.subscribed if row else True


def scope_table(scope: Population, month: Period):
    """The key figures of one scope for the month, cached: many recipients share a scope.
    National figures are masked (aggregates only). They are the key figures of the
    month's dashboard page, protected with the page's other tables: a count withheld
    there so that a masked count cannot be worked out is withheld here too."""
    masked = scope.level == "national"
    key = f"reporting:digest:v2:{scope.key}:{month.key}:{get_language()}"
    table = cache.get(key)
    if table is None:
        table = next(t for t in dashboard.build(scope, month, masked=masked) if t.key == "kpis")
        cache.set(key, table, CACHE_SECONDS)
    return table


def digest_context(user, month: Period) -> dict:
    """Everything the digest templates need; also what the preview page shows."""
    with reading_from_replica():
        sections = [(scope, scope_table(scope, month)) for scope in digest_populations(user)]
    return {
        "user": user,
        "month": month,
        "previous": month.previous(),
        "sections": sections,
        "dashboard_path": reverse("reporting:home"),
        "preview_path": reverse("reporting:digest_preview"),
    }
