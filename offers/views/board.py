"""An offer's board and its proposals: proposing youths (advisors), reviewing them,
inviting to interview, hiring or declining (recruiters)."""

from __future__ import annotations

from html import escape

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.form_helpers import apply_service_errors
from accounts.kept_markup import KeptMarkup
from accounts.page_rows import escaped_labels, url_for_each, url_of
from candidates.access_log import record_access
from candidates.choices import search_choices, selected_ids
from candidates.enums import AccessKind, PathwayStage
from reporting.exports import export_links, list_export

from .. import services
from ..board_rows import board_card_proposals, company_board_offer
from ..enums import (
    DeclineReason,
    ProposalAction,
    ProposalOrigin,
    ProposalStatus,
)
from ..exporting import (
    BOARD_COLUMNS,
    board_rows,
)
from ..forms import (
    BulkDeclineForm,
    DeclineForm,
    HireForm,
    InterviewForm,
    ProposalNoteForm,
    ProposeForm,
)
from ..matching import (
    candidate_youths,
    pool_stamps,
    suggest_youths,
    suggestion_offer,
    with_pool_stamps,
)
from ..models import Offer
from ..permissions import (
    can_propose_to_offer,
    can_see_contact,
    has_youths_to_propose,
    is_proposal_actor,
    is_recruiter_of,
)
from ..sharing import board_cards_youths
from .common import _youth_seen, get_offer, get_proposal, page_user, proposal_actions

PROPOSAL_DONE = {
    ProposalAction.MARK_SEEN: gettext_lazy(
        "Candidature marquée comme vue : le conseiller du jeune le voit sur la candidature."
    ),
    ProposalAction.DECLINE: gettext_lazy(
        "Candidature refusée : le conseiller du jeune voit le motif sur la candidature."
    ),
    ProposalAction.WITHDRAW: gettext_lazy(
        "Candidature retirée : l'entreprise ne voit plus le profil du jeune."
    ),
}

# --- Board and proposals -----------------------------------------------------------------


def _board_offer(request, pk: int) -> Offer:
    # What the board's head shows: the job, the company, the badges.
    offer = company_board_offer(page_user(request), pk)
    if offer is not None:
        return offer
    offer = get_object_or_404(
        Offer.objects.visible_to(request.user).select_related(
            "company", "job_role", "accompanied_by"
        ),
        pk=pk,
    )
    if not is_recruiter_of(request.user, offer):
        raise PermissionDenied(_("Le tableau des candidatures est réservé à l'entreprise."))
    return offer


def offer_board(request, pk: int):
    """The recruiter's board: a column per stage, a card per proposal."""
    offer = _board_offer(request, pk)
    columns, has_open = _board_columns(page_user(request), offer)
    return render(
        request,
        "offers/offer_board.html",
        {
            "offer": offer,
            "columns": columns,
            "board": board_sections(columns),
            # The head's and the form's links, as `{% url %}` wrote them (30 µs each).
            "offer_url": url_of("offers:offer_detail", offer.pk),
            "bulk_decline_url": url_of("offers:bulk_decline", offer.pk),
            "bulk_fields": bulk_decline_fields() if has_open else "",
            "has_open": has_open,
            "export_links": export_links("offers:offer_board_export", offer.pk),
        },
    )


# The bulk decline form's fields as the board's template wrote them: the reason through
# `filter_field`, the note through crispy (a millisecond a page, for the same HTML).
BULK_FIELDS = (
    "{% load crispy_forms_tags portal_forms %}{% filter_field form.decline_reason %}\n"
    "    {{ form.note|as_crispy_field }}"
)
_bulk_fields = KeptMarkup(size=8)


def bulk_decline_fields() -> str:
    """The board's bulk decline fields (`BulkDeclineForm`, unbound: no value, no error,
    the checked proposals are the cards' boxes), drawn once per language for the
    process rather than once per page: nothing in them depends on the offer, the user
    or the request."""

    def draw() -> str:
        template = engines["django"].from_string(BULK_FIELDS)
        return template.render({"form": BulkDeclineForm(proposal_choices=[])})

    return _bulk_fields.get("bulk decline", draw)


# A card whose youth the company may see: a box to tick while the proposal waits for a
# decision (OPEN_BOX), a link to the proposal, the age and stage, the refusal's reason
# (REASON), the day of the proposal.
CARD = (
    '<article class="card mb-2 proposal-card"><div class="card-body p-2">'
    '<h3 class="h6 mb-1">{}<a href="{}">{}</a></h3>'
    '<p class="small mb-1">{} {} · {}</p>{}'
    '<p class="small mb-0 text-body-secondary">{}</p></div></article>'
)
OPEN_BOX = (
    '<input class="form-check-input me-1" type="checkbox" name="proposals" value="{0}"'
    ' form="bulk-decline-form" id="select-{0}">'
    '<label class="visually-hidden" for="select-{0}">{1}</label>'
)
REASON = '<p class="small mb-0 text-body-secondary">{}</p>'
# A card whose youth stopped sharing: the placeholder and the day, nothing else.
HIDDEN_CARD = (
    '<article class="card mb-2 proposal-card proposal-card-hidden"><div class="card-body p-2">'
    '<h3 class="h6 mb-1 text-body-secondary">{}</h3>'
    '<p class="small mb-0 text-body-secondary">{}</p></div></article>'
)


def _board_columns(user, offer: Offer) -> tuple[list[tuple], bool]:
    """The board's columns, (status, label, number of cards, the cards' HTML), and
    whether a proposal still waits for a decision. The cards are written here once per
    page: a board holds a hundred cards and more, and through the template (a dozen
    values each) they took most of the page's time. Each card names the youth only as
    far as `can_see_shared_profile` allows (`board_cards_youths`, the rule of
    `proposal_youth_as_seen`): a youth who withdrew consent is a card without a name,
    details or link. The translations are written as the catalogue has them (as the
    template's tags did) and every value is escaped as Django's `escape` does
    (`html.escape`)."""
    detail_url = url_for_each("offers:proposal_detail")
    # The stages' labels and the refusals' paragraphs, escaped once for the page.
    stages = escaped_labels(PathwayStage)
    reasons = {
        value: REASON.format(label) for value, label in escaped_labels(DeclineReason).items()
    }
    open_statuses = frozenset(ProposalStatus.open())
    years = _("ans")
    select = _("Sélectionner %(name)s")
    proposed_on = _("proposé(e) le %(day)s")
    today = timezone.localdate()
    # "proposé(e) le …" written once for each day of the page: proposals come by days.
    days: dict = {}
    cards: dict[str, list[str]] = {status: [] for status in ProposalStatus.values}
    proposals = board_card_proposals(offer)
    for proposal, youth in zip(
        proposals, board_cards_youths(user, proposals, today=today), strict=True
    ):
        status = proposal.status
        day = days.get(proposal.created_day)
        if day is None:
            day = days[proposal.created_day] = proposed_on % {
                "day": f"{proposal.created_day:%d/%m/%Y}"
            }
        if youth.label is None:
            cards.setdefault(status, []).append(HIDDEN_CARD.format(escape(youth.placeholder), day))
            continue
        label = escape(youth.label)
        box = ""
        if status in open_statuses:
            # The box names the youth by their shared label, most often the card's.
            shared = label if youth.shared_label == youth.label else escape(youth.shared_label)
            box = OPEN_BOX.format(proposal.pk, select % {"name": shared})
        reason = proposal.decline_reason
        cards.setdefault(status, []).append(
            CARD.format(
                box,
                escape(detail_url(proposal.pk)),
                label,
                youth.age,
                years,
                stages[youth.stage] if youth.stage in stages else escape(youth.stage),
                _reason_paragraph(reasons, reason) if reason else "",
                day,
            )
        )
    has_open = any(cards[status] for status in open_statuses)
    columns = [
        (value, label, len(cards[value]), mark_safe("".join(cards[value])))  # noqa: S308
        for value, label in ProposalStatus.choices
    ]
    return columns, has_open


# A column of the board: its stage, its number of cards, its cards (or "Aucune"), as
# the board's template wrote it.
SECTION = (
    '\n  <section class="col-md-4 col-xl-2" aria-labelledby="col-{0}">\n'
    '    <div class="board-column p-2 h-100">\n'
    '      <h2 class="h6" id="col-{0}">{1} <span class="badge text-bg-secondary">{2}</span></h2>\n'
    "      \n"
    "      {3}\n"
    "    </div>\n"
    "  </section>\n  "
)
NO_CARD = '<p class="small text-body-secondary">{}</p>'


def board_sections(columns: list[tuple]) -> str:
    """The board's columns, a section each (`_board_columns`' stages and cards), written
    here rather than by a loop of the template: a dozen template nodes a column cost as
    much as writing the hundred cards."""
    none = NO_CARD.format(escape(_("Aucune")))
    return mark_safe(  # noqa: S308 (labels escaped here, cards by `_board_columns`)
        "".join(
            SECTION.format(escape(value), escape(str(label)), count, cards if count else none)
            for value, label, count, cards in columns
        )
    )


def _reason_paragraph(reasons: dict[str, str], reason: str) -> str:
    """A refused card's reason (nothing without one), its label as written for the page."""
    if not reason:
        return ""
    return reasons[reason] if reason in reasons else REASON.format(escape(reason))


def offer_board_export(request, pk: int, fmt: str):
    """The board as a spreadsheet, a row per card: each youth as the company may see them
    (`can_see_shared_profile` through `youth_as_seen_by`, as the cards), so a youth who
    stopped sharing is a placeholder without a name. It shows shared profiles: the access
    log records it."""
    offer = _board_offer(request, pk)
    rows = board_rows(request.user, offer.proposals.for_board())
    return list_export(
        request,
        fmt=fmt,
        columns=BOARD_COLUMNS,
        objects=rows,
        stem=f"candidatures-offre-{offer.pk}",
        sheet_title=_("Candidatures"),
        names_youths=True,
    )


@require_POST
def bulk_decline(request, pk: int):
    offer = get_offer(request, pk)
    if not is_recruiter_of(request.user, offer):
        raise PermissionDenied(_("Le tableau des candidatures est réservé à l'entreprise."))
    open_choices = list(
        offer.proposals.filter(status__in=ProposalStatus.open()).values_list("pk", "pk")
    )
    form = BulkDeclineForm(request.POST, proposal_choices=open_choices)
    if form.is_valid():
        try:
            count = services.bulk_decline_proposals(
                offer=offer,
                proposal_ids=form.cleaned_data["proposals"],
                actor=request.user,
                decline_reason=form.cleaned_data["decline_reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)s candidature(s) refusée(s).") % {"n": count})
    else:
        for field, errors in form.errors.items():
            for error in errors:
                if field == "proposals" and "choice" in error:
                    error = _(
                        "Une des candidatures cochées a déjà été traitée : rechargez le tableau."
                    )
                messages.error(request, error)
    return redirect("offers:offer_board", offer.pk)


def proposal_detail(request, pk: int):
    """The proposal as the recruiter sees it (shared profile, contact from the interview
    on) or as the youth's advisor sees it. The first opening by a recruiter of the
    offer's company marks the proposal seen."""
    proposal = get_proposal(request, pk)
    seen = _youth_seen(proposal, request.user)
    if seen.is_hidden:
        # The youth withdrew consent: the page says only that, no name, profile, note
        # or history (whose reasons may name them).
        return render(
            request,
            "offers/proposal_hidden.html",
            {"proposal": proposal, "offer": proposal.offer, "youth": seen},
        )
    # A recruiter of the company opening the profile for the first time: "seen".
    services.record_profile_opened(proposal=proposal, viewer=request.user)
    show_contact = can_see_contact(request.user, proposal)
    if show_contact:
        # The page shows the youth's email and phone: the access log records who saw them.
        record_access(
            user=request.user,
            kind=AccessKind.PROPOSAL_CONTACT,
            youth=proposal.youth,
            obj=proposal,
            request=request,
        )
    context = {
        "proposal": proposal,
        "offer": proposal.offer,
        "youth": seen,
        "profile": seen.profile,
        "show_contact": show_contact,
        "is_advisor": seen.sees_file,
        "actions": proposal_actions(proposal, request.user),
        "transitions": proposal.transitions.select_related("actor"),
        "decline_form": DeclineForm(),
    }
    return render(request, "offers/proposal_detail.html", context)


@require_POST
def proposal_action(request, pk: int, action: str):
    proposal = get_proposal(request, pk)
    # An invitation carries a date and a place: its own page (`proposal_invite`).
    if action not in (
        ProposalAction.MARK_SEEN,
        ProposalAction.DECLINE,
        ProposalAction.WITHDRAW,
    ):
        raise Http404
    # Who, not when: the right person's stale click gets the service's message below.
    if not is_proposal_actor(request.user, proposal, action):
        raise PermissionDenied(_("Vous ne pouvez pas faire cette action sur cette candidature."))
    # The note goes through a form like any text: a NUL character or a note past its
    # cap is refused with the form's message (PostgreSQL cannot store a NUL).
    form = (
        DeclineForm(request.POST)
        if action == ProposalAction.DECLINE
        else ProposalNoteForm(request.POST)
    )
    try:
        if action != ProposalAction.MARK_SEEN and not form.is_valid():
            raise ValidationError([error for errors in form.errors.values() for error in errors])
        if action == ProposalAction.MARK_SEEN:
            services.mark_proposal_seen(proposal=proposal, actor=request.user)
        elif action == ProposalAction.DECLINE:
            services.decline_proposal(
                proposal=proposal,
                actor=request.user,
                decline_reason=form.cleaned_data["decline_reason"],
                note=form.cleaned_data["note"],
            )
        else:
            services.withdraw_proposal(
                proposal=proposal, actor=request.user, note=form.cleaned_data["note"]
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, PROPOSAL_DONE[action])
    if request.POST.get("next") == "board" and is_recruiter_of(request.user, proposal.offer):
        return redirect("offers:offer_board", proposal.offer_id)
    return redirect("offers:proposal_detail", proposal.pk)


def proposal_invite(request, pk: int):
    """The recruiter calls the youth to an interview: date, time, length, a place or a
    video link, a message. The youth's advisors receive it by email with a calendar
    file. A form sent with errors comes back with what was typed."""
    proposal = get_proposal(request, pk)
    if not is_proposal_actor(request.user, proposal, ProposalAction.INVITE):
        raise PermissionDenied(_("Seule l'entreprise convoque en entretien."))
    seen = _youth_seen(proposal, request.user)
    if seen.is_hidden:
        return redirect("offers:proposal_detail", proposal.pk)
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite_to_interview(
                proposal=proposal,
                actor=request.user,
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                place=data["place"],
                video_link=data["video_link"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Entretien fixé le %(day)s à %(time)s : le conseiller de %(name)s a reçu "
                    "la convocation par e-mail, avec le rendez-vous pour son agenda. "
                    "Les coordonnées du jeune sont maintenant affichées."
                )
                % {
                    "day": date_format(timezone.localtime(data["starts_at"]), "d/m/Y"),
                    "time": date_format(timezone.localtime(data["starts_at"]), "H:i"),
                    "name": proposal.youth.first_name,
                },
            )
            return redirect("offers:proposal_detail", proposal.pk)
    return render(
        request,
        "offers/proposal_invite.html",
        {"proposal": proposal, "offer": proposal.offer, "youth": seen, "form": form},
    )


def proposal_hire(request, pk: int):
    proposal = get_proposal(request, pk)
    if not is_recruiter_of(request.user, proposal.offer):
        raise PermissionDenied(_("Seule l'entreprise embauche."))
    seen = _youth_seen(proposal, request.user)
    if seen.is_hidden:
        # Consent withdrawn since the link was opened: the proposal page says so.
        return redirect("offers:proposal_detail", proposal.pk)
    offer = proposal.offer
    form = HireForm(
        request.POST or None,
        initial={
            "contract_type": offer.contract_type,
            "start_date": offer.start_date,
            "weekly_hours": offer.weekly_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hire_youth(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Embauche enregistrée : le conseiller de %(name)s suivra son intégration.")
                % {"name": proposal.youth.first_name},
            )
            return redirect("offers:offer_board", offer.pk)
    return render(
        request,
        "offers/proposal_hire.html",
        {
            "proposal": proposal,
            "offer": offer,
            "form": form,
            "youth": seen,
        },
    )


def _offer_to_propose_to(request, pk: int, *, stamps: bool = False) -> Offer | None:
    """The offer an advisor proposes to. A link that went stale (the offer closed since
    the advisor opened it) gives None, with a message; a POST keeps the offer, so the
    service refuses next to the form and what was typed stays. `stamps`: read the
    user's pools' stamps with it (`matching.with_pool_stamps`), for the suggestions."""
    offer = suggestion_offer(page_user(request), pk) if stamps else None
    if offer is None:
        # The pages name the job and the company (not the region).
        offers = Offer.objects.once_published_for_missions_locales(request.user).select_related(
            "company", "job_role"
        )
        if stamps:
            offers = with_pool_stamps(offers, request.user)
        offer = get_object_or_404(offers, pk=pk)
    # The queryset holds only the offers of the user's missions locales' regions
    # (`is_proposer_for`); youths are proposed from a mission locale.
    if not has_youths_to_propose(request.user):
        raise PermissionDenied(_("Vous ne pouvez pas proposer de jeune sur cette offre."))
    if request.method != "POST" and not can_propose_to_offer(request.user, offer):
        messages.error(request, services.not_published_message(offer))
        return None
    return offer


def offer_propose(request, pk: int):
    """An advisor proposes one of their youths (from the list or a suggestion)."""
    offer = _offer_to_propose_to(request, pk)
    if offer is None:
        return redirect("offers:browse_offers")
    form = ProposeForm(
        request.POST or None, user=request.user, initial={"youth": request.GET.get("jeune")}
    )
    if request.method == "POST" and not offer.is_published:
        # closed meanwhile: the reason first, whatever else the form says
        form.add_error(None, services.not_published_message(offer))
    elif request.method == "POST" and form.is_valid():
        origin = (
            ProposalOrigin.SUGGESTION
            if form.cleaned_data["from_suggestion"]
            else ProposalOrigin.ADVISOR
        )
        try:
            proposal = services.propose_youth(
                offer=offer,
                youth=form.cleaned_data["youth"],
                actor=request.user,
                note=form.cleaned_data["note"],
                origin=origin,
            )
        except ValidationError as exc:
            # the youth's reasons next to the youth, the offer's above the form
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s est proposé(e) à l'entreprise.") % {"name": proposal.youth.first_name},
            )
            return redirect("offers:offer_detail", offer.pk)
    chosen = str(form["youth"].value() or "") if form.is_bound else ""
    context = {"offer": offer, "form": form, "choices": _propose_choices(request, offer, chosen)}
    return render(request, "offers/offer_propose.html", context)


def _propose_choices(request, offer: Offer, chosen: str = "") -> dict:
    """The youth picker: the youth chosen (a suggestion's link, the youth sent back),
    then the matches of the search, among the youths proposable to `offer`."""
    chosen = chosen or request.GET.get("youth", "") or request.GET.get("jeune", "")
    return search_choices(
        lambda: candidate_youths(offer, request.user),
        query=request.GET.get("q", "")[:100],
        selected=selected_ids([chosen])[:1],
    )


@require_safe
def propose_search(request, pk: int):
    """The proposal form's search (htmx): the youth chosen and the matches of the
    typed name among the youths proposable to the offer. Without htmx, the proposal
    page with the same search."""
    offer = _offer_to_propose_to(request, pk)
    if offer is None:
        return redirect("offers:browse_offers")
    if not request.htmx:
        query = request.GET.copy()
        query.pop("csrfmiddlewaretoken", None)
        url = reverse("offers:offer_propose", args=[offer.pk])
        return redirect(f"{url}?{query.urlencode()}")
    return render(
        request,
        "offers/_propose_choices.html",
        {"choices": _propose_choices(request, offer), "oob": True},
    )


@require_safe
def offer_suggestions(request, pk: int):
    """The advisor's youths ranked by fit for the offer, with the reasons."""
    offer = _offer_to_propose_to(request, pk, stamps=True)
    if offer is None:
        return redirect("offers:browse_offers")
    user = page_user(request)
    suggestions = suggest_youths(offer=offer, user=user, stamps=pool_stamps(offer, user))
    propose_url = reverse("offers:offer_propose", args=[offer.pk])
    return render(
        request,
        "offers/offer_suggestions.html",
        {
            "offer": offer,
            "suggestions": _suggestion_items(request, suggestions, propose_url),
        },
    )


# A suggestion as the template's loop wrote it: its rank, the youth's link and name, the
# points, the reasons (REASON_ITEM each), the proposal form with its CSRF field.
SUGGESTION_ITEM = (
    '\n  <li class="card mb-2 suggestion">'
    '<div class="card-body d-flex flex-wrap justify-content-between gap-2">\n'
    "    <div>\n"
    '      <h2 class="h5 mb-1">{}. <a href="{}">{} {}</a>'
    ' <span class="badge text-bg-primary">{}</span></h2>\n'
    '      <ul class="small mb-0 suggestion-reasons">\n'
    "        {}\n"
    "      </ul>\n"
    "    </div>\n"
    '    <form method="post" action="{}">{}\n'
    '      <input type="hidden" name="youth" value="{}">\n'
    '      <input type="hidden" name="from_suggestion" value="on">\n'
    '      <button class="btn btn-outline-primary" type="submit" aria-label="{}">{}</button>\n'
    "    </form>\n"
    "  </div></li>\n"
)
REASON_ITEM = '<li class="{}">{} ({}{})</li>'
CSRF_FIELD = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


def _suggestion_items(request, suggestions: list, propose_url: str) -> str:
    """The suggestions' list items, written here once per page as the template's loop
    wrote them (twenty items, a dozen tags each, took a third of the page's time): the
    translations as the catalogue has them (as the tags did), every value escaped as
    Django's `escape` does (`html.escape`), the last name in capitals as `upper` did
    (before escaping). "" without a suggestion: the template says why."""
    if not suggestions:
        return ""
    youth_url = url_for_each("candidates:youth_detail")
    points = _("%(score)s points")
    propose = _("Proposer %(name)s")
    button = _("Proposer")
    token = get_token(request)
    csrf = "" if token is None else CSRF_FIELD.format(escape(token))
    action = escape(propose_url)
    drawn: dict = {}
    items = [
        SUGGESTION_ITEM.format(
            rank,
            escape(youth_url(suggestion.youth_id)),
            escape(suggestion.first_name),
            escape(suggestion.last_name.upper()),
            points % {"score": suggestion.score},
            _reason_items(suggestion.reasons, drawn),
            action,
            csrf,
            suggestion.youth_id,
            propose % {"name": escape(suggestion.first_name)},
            button,
        )
        for rank, suggestion in enumerate(suggestions, start=1)
    ]
    return mark_safe("".join(items))  # noqa: S308


def _reason_items(reasons: list, drawn: dict) -> str:
    """A suggestion's reasons as the list items the template's loop wrote, the texts
    escaped. `drawn`: the items the page wrote already, by reason (code, points and
    parameter): twenty suggestions share most of their reasons ("Même département"),
    and each text is a translation and a label."""
    items = []
    for reason in reasons:
        item = drawn.get(reason)
        if item is None:
            css = (
                "reason-plus" if reason.is_positive else "reason-minus" if reason.points < 0 else ""
            )
            sign = "+" if reason.points > 0 else ""
            item = drawn[reason] = REASON_ITEM.format(css, escape(reason.text), sign, reason.points)
        items.append(item)
    return "".join(items)
