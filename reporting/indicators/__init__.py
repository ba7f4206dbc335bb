"""Indicators computed from the data, never typed in: one function per indicator, each
aggregating in the database for a scope (national, a region, a mission locale) and a
period (a year or a month), with optional breakdowns. Definitions: docs/indicators.md.
"""

from . import pathway  # noqa: F401,E402
from .extras import extra_kpis, extra_tables  # noqa: F401,E402
from .pathway import (  # noqa: F401
    ANNUAL_HIRES_TARGET,
    FUNNEL_STAGES,
    civis_share,
    exits,
    funnel,
    hires,
    hires_target,
    mentoring_pairs_active,
    mentoring_pairs_started,
    monthly_target,
    stabilised_jobs,
    youths_at_stage,
    youths_entering_stage,
    youths_registered,
)
from .plan import (  # noqa: F401
    action_plan_items_by_status,
    action_plan_progress,
    commitments_by_status,
)
