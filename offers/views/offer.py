"""One offer: writing it (recruiters), following it through submission and
publication (project leads), advisors accompanying it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.form_helpers import apply_service_errors
from accounts.models import Organisation

from .. import services
from ..enums import (
    OfferAction,
    ProposalStatus,
)
from ..figures import (
    offer_figures,
)
from ..forms import (
    OfferForm,
    ReasonForm,
    SendBackForm,
)
from ..models import Offer, Proposal, attach_stage_counts
from ..permissions import (
    can_edit_offer,
    can_post_offer,
    has_youths_to_propose,
    is_accompanier_for,
    is_lead_of,
    is_offer_actor,
    is_recruiter_of,
)
from .common import get_offer, offer_actions

# The actions taking an optional reason; submission and send-back are dispatched apart.
OFFER_SERVICES = {
    OfferAction.PUBLISH: services.publish_offer,
    OfferAction.WITHDRAW: services.withdraw_offer,
    OfferAction.CLOSE: services.close_offer,
}

# What each action did, said after it: who now has the offer or the proposal, and who
# was told (each sentence matches what the service and its tasks do).
OFFER_DONE = {
    OfferAction.SUBMIT: gettext_lazy(
        "Offre soumise aux chargés de projet de la région, prévenus par e-mail : "
        "vous serez averti dès sa publication."
    ),
    OfferAction.SEND_BACK: gettext_lazy(
        "Offre renvoyée à l'entreprise avec votre message ; ses recruteurs ont été "
        "prévenus par e-mail."
    ),
    OfferAction.PUBLISH: gettext_lazy(
        "Offre publiée : les conseillers des missions locales de la région et les "
        "recruteurs de l'entreprise ont été prévenus par e-mail."
    ),
    OfferAction.WITHDRAW: gettext_lazy(
        "Offre retirée : les missions locales ne la voient plus et les candidatures en "
        "cours ont été refusées."
    ),
    OfferAction.CLOSE: gettext_lazy("Offre close : les candidatures en cours ont été refusées."),
}

# --- One offer ---------------------------------------------------------------------------


def offer_create(request):
    if not can_post_offer(request.user):
        raise PermissionDenied(_("Seul un recruteur publie une offre."))
    companies = Organisation.objects.companies_of(request.user).order_by("name")
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = request.POST.get("company", "")
        company = companies.filter(pk=chosen).first() if chosen.isdigit() else companies.first()
        if company is None:
            raise PermissionDenied(_("Vous ne recrutez pas pour cette entreprise."))
        try:
            offer = services.create_offer(actor=request.user, company=company, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Brouillon enregistré."))
            return redirect("offers:offer_detail", offer.pk)
    return render(
        request,
        "offers/offer_form.html",
        {"form": form, "companies": companies, "title": _("Nouvelle offre d'emploi")},
    )


def offer_edit(request, pk: int):
    offer = get_offer(request, pk)
    if not is_recruiter_of(request.user, offer):
        raise PermissionDenied(_("Seul un recruteur de l'entreprise modifie ses offres."))
    if request.method != "POST" and not can_edit_offer(request.user, offer):
        # A stale link: a colleague submitted it meanwhile. A POST is shown again below
        # with the reason above the form and what was typed kept.
        messages.error(request, services.not_a_draft_message(offer))
        return redirect("offers:offer_detail", offer.pk)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and not offer.is_draft:
        # submitted meanwhile: the reason first, whatever else the form says
        form.add_error(None, services.not_a_draft_message(offer))
    elif request.method == "POST" and form.is_valid():
        try:
            services.update_offer(offer=offer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Brouillon enregistré."))
            return redirect("offers:offer_detail", offer.pk)
    return render(
        request,
        "offers/offer_form.html",
        {"form": form, "offer": offer, "title": _("Modifier le brouillon")},
    )


def offer_detail(request, pk: int):
    offer = get_offer(request, pk)
    actions = offer_actions(offer, request.user)
    own_proposals = []
    if has_youths_to_propose(request.user) and not is_recruiter_of(request.user, offer):
        own_proposals = list(
            Proposal.objects.visible_to(request.user)
            .filter(offer=offer)
            .select_related("youth", "proposed_by")
        )
    context = {
        "offer": offer,
        "actions": actions,
        "transitions": offer.transitions.select_related("actor"),
        "figures": offer_figures(offer) if actions["figures"] else None,
        "stage_counts": _stage_counts(offer) if actions["figures"] else None,
        "own_proposals": own_proposals,
        "send_back_form": SendBackForm(),
        "offers_list_url": _offers_list_url(offer, request.user),
    }
    return render(request, "offers/offer_detail.html", context)


def _offers_list_url(offer: Offer, user) -> str:
    """The list the offer's breadcrumbs go back to: the one this user may open (never a
    page that would answer 403)."""
    if is_recruiter_of(user, offer):
        return reverse("offers:my_offers")
    if is_lead_of(user, offer):
        return reverse("offers:region_offers")
    return reverse("offers:browse_offers")


def _stage_counts(offer: Offer) -> list[tuple[str, int]]:
    (counted,) = attach_stage_counts([offer])
    return list(zip(ProposalStatus.labels, counted.stage_counts, strict=True))


@require_POST
def offer_action(request, pk: int, action: str):
    offer = get_offer(request, pk)
    if action == OfferAction.SEND_BACK:
        form = SendBackForm(request.POST)
    elif action == OfferAction.SUBMIT or action in OFFER_SERVICES:
        form = ReasonForm(request.POST)
    else:
        raise Http404
    # Who, not when: the right person's stale click gets the service's message below.
    if not is_offer_actor(request.user, offer, action):
        raise PermissionDenied(_("Vous ne pouvez pas faire cette action sur cette offre."))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("offers:offer_detail", offer.pk)
    try:
        if action == OfferAction.SEND_BACK:
            services.send_back_offer(
                offer=offer, actor=request.user, reason=form.cleaned_data["reason"]
            )
        elif action == OfferAction.SUBMIT:
            services.submit_offer(offer=offer, actor=request.user)
        else:
            OFFER_SERVICES[action](
                offer=offer, actor=request.user, reason=form.cleaned_data["reason"]
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, OFFER_DONE[action])
    return redirect("offers:offer_detail", offer.pk)


@require_POST
def offer_accompany(request, pk: int):
    offer = get_offer(request, pk)
    # Who, not when: a lead's stale click (offer closed, already theirs) gets a message.
    if not is_accompanier_for(request.user, offer):
        raise PermissionDenied(_("Seul un chargé de projet de la région accompagne une offre."))
    try:
        services.take_over_accompaniment(offer=offer, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Vous accompagnez désormais ce recrutement."))
    return redirect("offers:offer_detail", offer.pk)
