"""The lists of the offers app and their spreadsheets: a recruiter's offers, a project
lead's region, the offers advisors browse, the mission locale's proposals, the "new
offers" notices. Each list's queryset is built by one function, read by the page and by
its export alike (same scope, same filters), and the export goes through the portal's
one writer (`reporting.exports.list_export`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import get_scope
from candidates.access_log import only_mission_locale_id
from reporting.exports import EXPORT_CHUNK, export_links, list_export

from .enums import NoticeKind, OfferStatus, ProposalStatus
from .exporting import (
    BROWSE_OFFERS_COLUMNS,
    PROPOSAL_LIST_COLUMNS,
    REGION_OFFERS_COLUMNS,
    my_offers_columns,
    with_stage_counts,
)
from .forms import OfferFilterForm, OfferStatusFilterForm, ProposalFilterForm
from .models import Offer, OfferNotice, Proposal, attach_stage_counts
from .permissions import can_browse_offers, can_post_offer
from .views import filters_query, paginate

# The oldest submitted offers first; past this many the lead filters on "submitted".
TO_VALIDATE_SHOWN = 50


def _my_offers(request):
    """The recruiter's offers as "Mes offres" lists them (its filter applied), for the
    page and its export alike."""
    if not can_post_offer(request.user):
        raise PermissionDenied(_("Cette page est réservée aux recruteurs."))
    scope = get_scope(request.user)
    form = OfferStatusFilterForm(request.GET or None)
    qs = Offer.objects.filter(company_id__in=scope.company_ids).for_list()
    if form.is_valid() and form.cleaned_data["status"]:
        qs = qs.filter(status=form.cleaned_data["status"])
    return form, qs.order_by("-created_at", "-pk")


def my_offers(request):
    """The recruiter's offers, with the count of proposals at each stage."""
    form, offers = _my_offers(request)
    page = paginate(request, offers)
    page.object_list = attach_stage_counts(page.object_list)
    context = {
        "page": page,
        "form": form,
        "query": filters_query(request),
        "stages": ProposalStatus.choices,
        "export_links": export_links("offers:my_offers_export", query=filters_query(request)),
    }
    return render(request, "offers/my_offers.html", context)


def my_offers_export(request, fmt: str):
    """ "Mes offres" as a spreadsheet: counts only, no youth."""
    _form, offers = _my_offers(request)
    return list_export(
        request,
        fmt=fmt,
        columns=my_offers_columns(),
        objects=with_stage_counts(offers).iterator(chunk_size=EXPORT_CHUNK),
        stem="mes-offres",
        sheet_title=_("Mes offres"),
    )


def _region_offers(request):
    """The offers of the project lead's regions that left the drafts, and the state
    filtered on ("" for none): the page splits them into "to validate" and the others,
    the export writes both."""
    scope = get_scope(request.user)
    if not (scope.lead_region_ids or scope.is_admin):
        raise PermissionDenied(_("Cette page est réservée aux chargés de projet."))
    form = OfferStatusFilterForm(request.GET or None)
    qs = Offer.objects.visible_to(request.user).registered().for_list()
    if not scope.is_admin:
        qs = qs.filter(region_id__in=scope.lead_region_ids)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return form, qs, status


def region_offers(request):
    """The project lead's offers of their region: those to validate first, then the
    rest; offers needing accompaniment are flagged."""
    form, qs, status = _region_offers(request)
    waiting = qs.filter(status=OfferStatus.SUBMITTED).order_by("submitted_at", "pk")
    to_validate = list(waiting[:TO_VALIDATE_SHOWN])
    # Without a filter the list below holds the offers not waiting for validation; with
    # one (even "submitted", past the first ones shown above) it holds that state's.
    others = qs.filter(status=status) if status else qs.exclude(status=OfferStatus.SUBMITTED)
    others = others.order_by("-submitted_at", "-pk")
    page = paginate(request, others)
    page.object_list = attach_stage_counts(page.object_list)
    return render(
        request,
        "offers/region_offers.html",
        {
            "to_validate": to_validate,
            "more_to_validate": len(to_validate) == TO_VALIDATE_SHOWN and waiting.count(),
            "page": page,
            "form": form,
            "filtered": bool(status),
            "query": filters_query(request),
            "export_links": export_links(
                "offers:region_offers_export", query=filters_query(request)
            ),
        },
    )


def region_offers_export(request, fmt: str):
    """The region's offers as a spreadsheet: without a filter, those to validate and the
    others in one list (newest submission first); with one, that state's. No youth."""
    _form, qs, status = _region_offers(request)
    offers = qs.filter(status=status) if status else qs
    return list_export(
        request,
        fmt=fmt,
        columns=REGION_OFFERS_COLUMNS,
        objects=with_stage_counts(offers.order_by("-submitted_at", "-pk")).iterator(
            chunk_size=EXPORT_CHUNK
        ),
        stem="offres-de-la-region",
        sheet_title=_("Offres de la région"),
    )


def _browsed_offers(request):
    if not can_browse_offers(request.user):
        raise PermissionDenied(_("Cette page est réservée aux équipes des missions locales."))
    form = OfferFilterForm(request.GET or None)
    qs = form.filter(
        Offer.objects.published_for_missions_locales(request.user)
        .select_related("company", "job_role")
        .order_by("-published_at", "-pk")
    )
    return form, qs


def browse_offers(request):
    """Advisors browse the published offers of their region, filtered with htmx."""
    form, qs = _browsed_offers(request)
    context = {
        "page": paginate(request, qs),
        "form": form,
        "query": filters_query(request),
        "export_links": export_links("offers:browse_offers_export", query=filters_query(request)),
    }
    if request.htmx:
        return render(request, "offers/_browse_results.html", context)
    return render(request, "offers/browse_offers.html", context)


def browse_offers_export(request, fmt: str):
    """The published offers as browsed (filters applied), as a spreadsheet. No youth."""
    _form, offers = _browsed_offers(request)
    return list_export(
        request,
        fmt=fmt,
        columns=BROWSE_OFFERS_COLUMNS,
        objects=offers.iterator(chunk_size=EXPORT_CHUNK),
        stem="offres-publiees",
        sheet_title=_("Offres d'emploi"),
    )


def _mission_locale_proposals(request):
    """The proposals of the youths of the user's missions locales (every proposal for an
    admin), the filter applied, newest first: the page and its export."""
    scope = get_scope(request.user)
    if not can_browse_offers(request.user):
        raise PermissionDenied(_("Cette page est réservée aux équipes des missions locales."))
    qs = Proposal.objects.all()
    if not scope.is_admin:
        qs = qs.filter(youth__mission_locale_id__in=scope.mission_locale_ids)
    form = ProposalFilterForm(request.GET or None)
    qs = form.filter(qs).for_mission_locale_list()
    return form, qs


def proposal_list(request):
    """The mission locale's proposals: each of its youths proposed to an offer, where it
    stands, filtered by state (and by offer, from an offer's page)."""
    form, proposals = _mission_locale_proposals(request)
    offer = None
    if form.offer_id:
        offer = (
            Offer.objects.visible_to(request.user)
            .select_related("company", "job_role")
            .filter(pk=form.offer_id)
            .first()
        )
    context = {
        "page": paginate(request, proposals),
        "form": form,
        "offer": offer,
        "query": filters_query(request),
        "export_links": export_links("offers:proposal_list_export", query=filters_query(request)),
    }
    return render(request, "offers/proposal_list.html", context)


def proposal_list_export(request, fmt: str):
    """The mission locale's proposals as a spreadsheet: it names youths, so the access
    log records it with its number of rows."""
    _form, proposals = _mission_locale_proposals(request)
    return list_export(
        request,
        fmt=fmt,
        columns=PROPOSAL_LIST_COLUMNS,
        objects=proposals.iterator(chunk_size=EXPORT_CHUNK),
        stem="candidatures",
        sheet_title=_("Candidatures"),
        names_youths=True,
        mission_locale_id=only_mission_locale_id(request.user),
    )


def new_offers(request):
    """The advisor's "new offers" list: the publications of their region they were told
    about, unread first."""
    if not can_browse_offers(request.user):
        raise PermissionDenied(_("Cette page est réservée aux équipes des missions locales."))
    notices = (
        OfferNotice.objects.filter(recipient=request.user, kind=NoticeKind.PUBLISHED)
        .filter(offer__in=Offer.objects.published_for_missions_locales(request.user))
        .select_related("offer", "offer__company", "offer__job_role")
        .order_by("read_at", "-created_at", "-pk")
    )
    return render(request, "offers/new_offers.html", {"page": paginate(request, notices)})


@require_POST
def new_offers_read(request):
    if not can_browse_offers(request.user):
        raise PermissionDenied(_("Cette page est réservée aux équipes des missions locales."))
    OfferNotice.objects.filter(
        recipient=request.user, kind=NoticeKind.PUBLISHED, read_at__isnull=True
    ).update(read_at=timezone.now())
    messages.success(request, _("Toutes les nouvelles offres sont marquées comme lues."))
    return redirect("offers:new_offers")
