"""Views of the reporting app: dashboards and their exports, the digest's preview and
subscription, the annual reviews. Failed digests are listed with every other failed email
(`accounts:outgoing_emails`)."""

from __future__ import annotations

import hashlib

from csp.decorators import csp
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.announce import announce
from accounts.models import Region
from accounts.uploads import stored_file_response

from . import dashboard, services
from .digest import digest_context, is_subscribed
from .enums import ReviewSectionKey
from .exports import FORMATS as EXPORT_FORMATS
from .exports import table_response
from .forms import DashboardFilterForm, ReviewSectionForm, SubscriptionForm
from .models import AnnualReview, ReviewDocument
from .periods import FIRST_YEAR, last_complete_month, parse_month
from .permissions import (
    can_edit_review,
    can_generate_review,
    can_receive_digest,
    can_view_dashboard,
    can_view_reviews,
)
from .review import narrative
from .scopes import (
    DASHBOARD_LABELS,
    LOCAL,
    NATIONAL,
    REGIONAL,
    Population,
    allowed_mission_locales,
    allowed_regions,
    dashboards_for,
    is_masked,
    mission_locale_population,
    national_population,
    region_population,
)
from .tiles import key_figures

DASHBOARDS = (NATIONAL, REGIONAL, LOCAL)
BODY = "reporting/_dashboard_body.html"


def home(request):
    """The first dashboard the user may open."""
    kinds = dashboards_for(request.user)
    if not kinds:
        raise PermissionDenied
    return redirect("reporting:dashboard", kind=kinds[0])


def _dashboard_filters(request, kind: str):
    """The filter form, bound to the query string with the defaults of the dashboard; a
    region or mission locale outside the user's reach is a 404."""
    if kind not in DASHBOARDS:
        raise Http404
    if not can_view_dashboard(request.user, kind):
        raise PermissionDenied
    regions = allowed_regions(request.user, kind)
    mission_locales = allowed_mission_locales(request.user, kind)
    data = request.GET.copy()
    for name, qs in (("region", regions), ("mission_locale", mission_locales)):
        value = data.get(name)
        if value:
            if not value.isdigit() or not qs.filter(pk=value).exists():
                raise Http404
    if kind == REGIONAL and not data.get("region"):
        first = regions.first()
        if first is None:
            raise PermissionDenied
        data["region"] = str(first.pk)
    if kind == LOCAL and not data.get("mission_locale"):
        first = mission_locales.first()
        if first is None:
            raise PermissionDenied
        data["mission_locale"] = str(first.pk)
    form = DashboardFilterForm(
        data,
        regions=regions,
        mission_locales=mission_locales,
        region_required=kind == REGIONAL,
        mission_locale_required=kind == LOCAL,
    )
    return form


def _scope_from(form) -> Population:
    ml = form.cleaned_data.get("mission_locale")
    if ml is not None:
        return mission_locale_population(ml)
    region = form.cleaned_data.get("region")
    if region is not None:
        return region_population(region)
    return national_population()


def dashboard_body(request, context: dict) -> str:
    """The dashboard's figures drawn as HTML (`_dashboard_body.html`) from its tables
    (`dashboard.build_stamped`), and cached beside them with their stamp (a new one at
    each computation of the tables) under the tables' key (scope, period, masking,
    language), the dashboard and its query string. A warm page reads the tables' stamp
    and the body in one cache read and is served the body only when it was drawn from
    the tables cached now: new figures (a refresh, an expired entry) are drawn anew.
    The body holds no form and nothing of the user but what the key names."""
    scope, period, masked = context["scope"], context["period"], context["masked"]
    if scope is None:
        # Filters sent back with errors: the body says so, with no figures.
        return render_to_string(BODY, {**context, "tables": [], "tiles": []}, request)
    tables_key = dashboard.cache_key(scope, period, masked=masked)
    query = hashlib.sha256(context["query"].encode()).hexdigest()[:32]
    key = f"reporting:dashboard-body:v2:{tables_key}:{context['kind']}:{query}"
    found = cache.get_many([dashboard.stamp_key(tables_key), key])
    stamp, kept = found.get(dashboard.stamp_key(tables_key)), found.get(key)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return mark_safe(kept[1])  # noqa: S308 (drawn by our own template, below)
    tables, stamp = dashboard.build_stamped(scope, period, masked=masked)
    body = render_to_string(
        BODY, {**context, "tables": tables, "tiles": key_figures(tables)}, request
    )
    if stamp is not None:
        cache.set(key, (stamp, body), dashboard.CACHE_SECONDS)
    return mark_safe(body)  # noqa: S308 (rendered by our own template just above)


def dashboard_view(request, kind: str):
    form = _dashboard_filters(request, kind)
    scope, period = None, None
    if form.is_valid():
        scope, period = _scope_from(form), form.period
    context = {
        "kind": kind,
        "title": DASHBOARD_LABELS[kind],
        "dashboards": [(k, DASHBOARD_LABELS[k]) for k in dashboards_for(request.user)],
        "form": form,
        "scope": scope,
        "period": period,
        "masked": is_masked(kind),
        "query": request.GET.urlencode(),
    }
    body = dashboard_body(request, context)
    if request.htmx:
        response = HttpResponse(body)
        if scope is None:
            return announce(response, _("Corrigez les filtres pour afficher les chiffres."))
        return announce(
            response,
            _("Chiffres affichés : %(scope)s, %(period)s")
            % {"scope": scope.label, "period": period.label},
        )
    # The figures the body shows, in the page's context for whoever reads it there; the
    # page itself prints the body only, which a warm page gets without its tables.
    tables = SimpleLazyObject(lambda: dashboard.build(scope, period, masked=is_masked(kind)))
    figures = {"tables": [], "tiles": []}
    if scope is not None:
        figures = {"tables": tables, "tiles": SimpleLazyObject(lambda: key_figures(tables))}
    return render(request, "reporting/dashboard.html", {**context, **figures, "body": body})


def _dashboard_table(request, kind: str, key: str):
    """(scope, period, table) of one table of a dashboard, with the dashboard's own
    filters and permissions; a 404 for filters that do not validate or no such table."""
    form = _dashboard_filters(request, kind)
    if not form.is_valid():
        raise Http404
    scope, period = _scope_from(form), form.period
    found = next(
        (t for t in dashboard.build(scope, period, masked=is_masked(kind)) if t.key == key),
        None,
    )
    if found is None:
        raise Http404
    return scope, period, found


def export_table(request, kind: str, table: str, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    scope, period, found = _dashboard_table(request, kind, table)
    # The writer makes an ASCII slug of it (the scope's label is a region's name).
    name = f"indicateurs-{scope.label}-{period.key}-{table}"
    return table_response(found, fmt=fmt, filename=name)


# An image of the portal's own drawing: nothing in it may run, load or style anything
# (the SVG carries presentation attributes only, no style).
@csp({"default-src": ["'none'"]})
def chart_image(request, kind: str, table: str):
    """A table's chart as an SVG image. The dashboard page links its charts here so
    that it shows its figures without waiting for them to be drawn; the figures come
    from the dashboard's cache (the page has just computed them), the drawing from the
    charts' cache when the same data was drawn before."""
    _scope, _period, found = _dashboard_table(request, kind, table)
    if not found.has_chart:
        raise Http404
    response = HttpResponse(found.chart_svg, content_type="image/svg+xml; charset=utf-8")
    # The URL names the scope, period and filters; the figures are cached as long.
    response["Cache-Control"] = f"private, max-age={dashboard.CACHE_SECONDS}"
    response["Content-Disposition"] = f'inline; filename="{table}.svg"'
    return response


# --- Monthly digest -------------------------------------------------------------------


def digest_preview(request):
    """The user's own digest for a month (the last complete one by default), and their
    subscription: this is the digest section of their profile."""
    if not can_receive_digest(request.user):
        raise PermissionDenied
    default = last_complete_month(timezone.localdate())
    error = ""
    month = default
    if request.GET.get("month"):
        try:
            month = parse_month(request.GET["month"])
        except ValueError as exc:
            error = str(exc)
        else:
            if month.start > timezone.localdate():
                error = _("Ce mois n'est pas encore commencé.")
                month = default
    context = digest_context(request.user, month)
    subscribed = is_subscribed(request.user)
    context.update(
        {
            "month_value": request.GET.get("month", default.key),
            "month_error": error,
            "subscription_form": SubscriptionForm(initial={"subscribed": subscribed}),
            "subscribed": subscribed,
        }
    )
    return render(request, "reporting/digest_preview.html", context)


@require_POST
def subscription(request):
    if not can_receive_digest(request.user):
        raise PermissionDenied
    form = SubscriptionForm(request.POST)
    form.is_valid()
    subscribed = bool(form.cleaned_data.get("subscribed"))
    services.set_digest_subscription(user=request.user, subscribed=subscribed)
    messages.success(
        request,
        _("Vous recevrez la synthèse mensuelle le 1er de chaque mois.")
        if subscribed
        else _("Vous ne recevrez plus la synthèse mensuelle."),
    )
    return redirect("reporting:digest_preview")


# --- Annual reviews ---------------------------------------------------------------------


def _load_review(request, year: int, scope_slug: str) -> AnnualReview:
    """The review of a year and scope ("national" or "region-<id>"), saved or not yet;
    404 for a year outside the convention's life or a scope the user may not see."""
    if not can_view_reviews(request.user):
        raise Http404
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    region = None
    if scope_slug != "national":
        if not scope_slug.startswith("region-") or not scope_slug[7:].isdigit():
            raise Http404
        region = get_object_or_404(Region.objects.reviewed_by(request.user), pk=int(scope_slug[7:]))
    review = (
        AnnualReview.objects.visible_to(request.user)
        .select_related("region")
        .filter(year=year, region=region)
        .first()
    )
    return review or AnnualReview(year=year, region=region)


def review_slug(review: AnnualReview) -> str:
    return f"region-{review.region_id}" if review.region_id else "national"


def review_list(request):
    if not can_view_reviews(request.user):
        raise PermissionDenied
    this_year = timezone.localdate().year
    regions = list(Region.objects.reviewed_by(request.user))
    scopes = [("national", _("National"))] + [(f"region-{r.pk}", r.name) for r in regions]
    existing = {
        (r.year, review_slug(r)): r
        for r in AnnualReview.objects.visible_to(request.user).prefetch_related("documents")
    }
    years = list(range(this_year, max(FIRST_YEAR, this_year - 5) - 1, -1))
    grid = [
        (year, [(slug, label, existing.get((year, slug))) for slug, label in scopes])
        for year in years
    ]
    return render(request, "reporting/review_list.html", {"grid": grid, "scopes": scopes})


def _documents(review: AnnualReview):
    if review.pk is None:
        return []
    return list(review.documents.select_related("requested_by").order_by("-version"))


def review_detail(request, year: int, scope: str):
    review = _load_review(request, year, scope)
    can_edit = can_edit_review(request.user, review)
    sections = (
        narrative(review)
        if review.pk
        else [
            {"key": k.value, "title": k.label, "text": None, "section": None}
            for k in ReviewSectionKey
        ]
    )
    for part in sections:
        part["form"] = ReviewSectionForm(
            initial={"key": part["key"], "text": part["text"] or ""}, prefix=part["key"]
        )
    documents = _documents(review)
    context = {
        "review": review,
        "scope_slug": scope,
        "sections": sections,
        "can_edit": can_edit,
        "can_generate": can_generate_review(request.user, review),
        "documents": documents,
        "pending": any(d.is_pending for d in documents),
    }
    if request.htmx and request.GET.get("fragment") == "documents":
        return render(request, "reporting/_review_documents.html", context)
    return render(request, "reporting/review_detail.html", context)


@require_POST
def review_section(request, year: int, scope: str):
    review = _load_review(request, year, scope)
    if not can_edit_review(request.user, review):
        raise PermissionDenied
    key = request.POST.get("section_key", "")
    if key not in ReviewSectionKey.values:
        raise Http404
    form = ReviewSectionForm(request.POST, prefix=key)
    if form.is_valid():
        review = services.get_or_create_review(year=year, region=review.region)
        services.write_review_section(
            actor=request.user, review=review, key=key, text=form.cleaned_data["text"]
        )
        messages.success(request, _("La section est enregistrée."))
        return redirect(f"{reverse('reporting:review', args=[year, scope])}#section-{key}")
    sections = (
        narrative(review)
        if review.pk
        else [
            {"key": k.value, "title": k.label, "text": None, "section": None}
            for k in ReviewSectionKey
        ]
    )
    for part in sections:
        part["form"] = (
            form
            if part["key"] == key
            else ReviewSectionForm(
                initial={"key": part["key"], "text": part["text"] or ""}, prefix=part["key"]
            )
        )
    documents = _documents(review)
    return render(
        request,
        "reporting/review_detail.html",
        {
            "review": review,
            "scope_slug": scope,
            "sections": sections,
            "can_edit": True,
            "can_generate": can_generate_review(request.user, review),
            "documents": documents,
            "pending": any(d.is_pending for d in documents),
        },
        status=400,
    )


@require_POST
def review_generate(request, year: int, scope: str):
    review = _load_review(request, year, scope)
    if not can_generate_review(request.user, review):
        raise PermissionDenied
    review = services.get_or_create_review(year=year, region=review.region)
    try:
        services.request_review_pdf(actor=request.user, review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La génération du PDF est en file d'attente."))
    return redirect("reporting:review", year=year, scope=scope)


def _visible_document(request, pk: int) -> ReviewDocument:
    return get_object_or_404(
        ReviewDocument.objects.select_related("review", "review__region").filter(
            review__in=AnnualReview.objects.visible_to(request.user)
        ),
        pk=pk,
    )


@require_POST
def review_restart(request, pk: int):
    document = _visible_document(request, pk)
    if not can_generate_review(request.user, document.review):
        raise PermissionDenied
    try:
        services.restart_review_document(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La génération est relancée."))
    return redirect(
        "reporting:review", year=document.review.year, scope=review_slug(document.review)
    )


def review_download(request, pk: int):
    document = _visible_document(request, pk)
    if not document.is_done or not document.absolute_path.is_file():
        raise Http404
    return stored_file_response(
        document.absolute_path.open("rb"),
        filename=document.download_name,
        content_type="application/pdf",
    )
