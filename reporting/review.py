"""The annual review (Art. 20) as a PDF: cover, table of contents, the year's figures and
charts against the previous year, the narrative sections (unwritten ones marked so), the
commitments' status and the action plan's progress. Rendered by WeasyPrint from an HTML
template; the charts are the dashboards' SVGs."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from accounts.markdown import render_markdown
from committees.enums import CommitmentStatus, PlanItemStatus, PlanSection
from committees.models import ActionPlan, Commitment

from . import dashboard
from .enums import ReviewSectionKey
from .models import AnnualReview
from .pdf import html_to_pdf, render_html
from .periods import Period
from .scopes import Population, national_population, region_population


def review_scope(review: AnnualReview) -> Population:
    return region_population(review.region) if review.region_id else national_population()


def narrative(review: AnnualReview) -> list[dict]:
    """Every Article 20 section in order, with its text or None when not written yet.

    `html` is the text's Markdown rendered safely for the PDF, where each section sits
    under an `<h3>`: the writer's own titles start at `<h4>`."""
    written = {s.key: s for s in review.sections.select_related("updated_by")}
    return [
        {
            "key": key.value,
            "title": key.label,
            "text": written[key.value].text if key.value in written else None,
            "html": render_markdown(written[key.value].text, top_heading=4)
            if key.value in written
            else "",
            "section": written.get(key.value),
        }
        for key in ReviewSectionKey
    ]


def commitments(review: AnnualReview) -> list[Commitment]:
    qs = Commitment.objects.select_related("signatory", "convention").order_by(
        "convention__signed_on", "article", "position", "pk"
    )
    if review.region_id:
        qs = qs.filter(
            Q(convention__region__isnull=True) | Q(convention__region_id=review.region_id)
        )
    return list(qs)


def plans(review: AnnualReview) -> list[dict]:
    """The action plans of the year in the scope, with per-section progress."""
    qs = ActionPlan.objects.filter(year=review.year).with_progress().order_by("region__name")
    if review.region_id:
        qs = qs.filter(region_id=review.region_id)
    plans = list(qs)
    rows = (
        ActionPlan.objects.filter(pk__in=[p.pk for p in plans])
        .values("pk", "items__section")
        .annotate(
            total=Count("items", filter=~Q(items__status=PlanItemStatus.DROPPED)),
            done=Count("items", filter=Q(items__status=PlanItemStatus.DONE)),
        )
        .order_by()
    )
    by_plan: dict[int, dict[str, tuple[int, int]]] = {}
    for row in rows:
        if row["items__section"]:
            by_plan.setdefault(row["pk"], {})[row["items__section"]] = (row["done"], row["total"])
    return [
        {
            "plan": plan,
            "sections": [
                {
                    "label": section.label,
                    "done": by_plan.get(plan.pk, {}).get(section.value, (0, 0))[0],
                    "total": by_plan.get(plan.pk, {}).get(section.value, (0, 0))[1],
                }
                for section in PlanSection
            ],
        }
        for plan in plans
    ]


def review_context(review: AnnualReview) -> dict:
    scope = review_scope(review)
    period = Period(review.year)
    tables = dashboard.build(scope, period, masked=True)
    commitment_rows = commitments(review)
    status_counts = {s.value: 0 for s in CommitmentStatus}
    for c in commitment_rows:
        status_counts[c.status] += 1
    return {
        "review": review,
        "scope": scope,
        "year": review.year,
        "previous_year": review.year - 1,
        "tables": tables,
        "narrative": narrative(review),
        "commitments": commitment_rows,
        "commitment_counts": [(CommitmentStatus(k).label, v) for k, v in status_counts.items()],
        "plans": plans(review),
        "generated_at": timezone.localtime(),
    }


def render_review_html(review: AnnualReview) -> str:
    return render_html("reporting/review_pdf.html", review_context(review))


def render_review_pdf_bytes(review: AnnualReview) -> bytes:
    return html_to_pdf(render_review_html(review))
