"""Every write of the offers app. Each service checks its rule, runs in one transaction,
locks the row it moves, writes a log row and queues its emails on commit. A refusal is a
ValidationError (French) for a rule, PermissionDenied for an actor without the right;
either way nothing is half-saved."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.enums import OrganisationKind
from accounts.models import Organisation, User
from accounts.scope import get_scope
from accounts.workflow import can_move, log_move, move
from candidates.enums import PathwayStage, YouthStatus
from candidates.models import Youth
from candidates.services import (
    allowed_next_stages,
    record_pathway_consequence,
    schedule_follow_ups_after_hiring,
)

from . import permissions
from .enums import (
    DeclineReason,
    OfferAction,
    OfferStatus,
    ProposalAction,
    ProposalOrigin,
    ProposalStatus,
)
from .models import (
    OFFER_FIELDS,
    OFFER_TRANSITIONS,
    Employment,
    Offer,
    OfferTransition,
    Proposal,
    ProposalTransition,
)

# Pathway stages from which a youth can no longer be proposed: already in a job, or out.
STAGES_NOT_PROPOSABLE = frozenset({PathwayStage.HIRED, PathwayStage.STABILISED, PathwayStage.EXIT})


# --- Offers ------------------------------------------------------------------------------


def _check_offer_fields(fields: dict) -> None:
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")


@transaction.atomic
def create_offer(*, actor: User, company: Organisation, **fields) -> Offer:
    """Save a draft offer for one of the actor's companies. A draft may leave the place,
    dates, hours and description empty; the number of positions and the dates are
    checked now (at least one position, closing on or after the start)."""
    _check_offer_fields(fields)
    scope = get_scope(actor)
    if company.kind != OrganisationKind.COMPANY:
        raise ValidationError(_("Une offre est publiée par une entreprise."))
    if not (scope.is_admin or company.pk in scope.company_ids):
        raise PermissionDenied(_("Vous ne recrutez pas pour cette entreprise."))
    offer = Offer(company=company, region_id=company.region_id, created_by=actor, **fields)
    offer.full_clean()
    offer.save()
    return offer


def not_a_draft_message(offer: Offer) -> str:
    return _(
        "Cette offre n'est plus un brouillon (%(status)s) : elle ne peut plus être modifiée."
    ) % {"status": offer.get_status_display()}


def not_published_message(offer: Offer) -> str:
    return _(
        "Cette offre n'est pas publiée (%(status)s) : on ne peut plus y proposer de jeune."
    ) % {"status": offer.get_status_display()}


@transaction.atomic
def update_offer(*, offer: Offer, actor: User, **fields) -> Offer:
    """Change a draft. Once submitted an offer is frozen until sent back."""
    _check_offer_fields(fields)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not permissions.is_recruiter_of(actor, offer):
        raise PermissionDenied(_("Vous ne recrutez pas pour cette entreprise."))
    if not offer.is_draft:
        raise ValidationError(not_a_draft_message(offer))
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.full_clean()
    offer.save()
    return offer


def _move_offer(
    *, offer_pk: int, action: str, actor: User | None, reason: str = "", target: str | None = None
) -> tuple[Offer, OfferTransition]:
    """Lock the offer, check the actor (when there is one) then the table, move it, log.
    Somebody without the right is refused before learning the offer's state; the right
    person arriving after the move (a second tab, a colleague quicker) is told."""
    offer = Offer.objects.select_for_update().get(pk=offer_pk)
    if actor is not None and not permissions.is_offer_actor(actor, offer, action):
        raise PermissionDenied(_("Vous ne pouvez pas faire cette action sur cette offre."))
    _sources, table_target = OFFER_TRANSITIONS[action]
    if offer.status == (target or table_target):
        raise ValidationError(
            _("L'offre est déjà « %(status)s » : votre action n'a pas été enregistrée.")
            % {"status": offer.get_status_display()}
        )
    log = move(
        offer,
        action=action,
        actor=actor,
        log=OfferTransition,
        reason=reason,
        target=target,
        refused=_("Action impossible : l'offre est « %(status)s ».")
        % {"status": offer.get_status_display()},
    )
    now = timezone.now()
    update_fields = ["status", "updated_at"]
    if offer.status == OfferStatus.SUBMITTED:
        offer.submitted_at = now
        update_fields.append("submitted_at")
    elif offer.status == OfferStatus.PUBLISHED:
        offer.published_at = now
        update_fields.append("published_at")
    elif offer.status in OfferStatus.closed():
        offer.closed_at = now
        update_fields.append("closed_at")
        if offer.status == OfferStatus.FILLED:
            offer.filled_at = now
            update_fields.append("filled_at")
    offer.save(update_fields=update_fields)
    return offer, log


@transaction.atomic
def submit_offer(*, offer: Offer, actor: User) -> Offer:
    """Send a complete draft to the region's project lead (Art. 1: offers go to the CEPL
    and count in the national figures from now on). The leads get an email."""
    current = Offer.objects.select_for_update().get(pk=offer.pk)
    missing = current.missing_for_submission()
    if missing and current.is_draft:
        raise ValidationError(
            _("Complétez l'offre avant de la soumettre : %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    if current.start_date and current.start_date < timezone.localdate() and current.is_draft:
        raise ValidationError({"start_date": _("La date de début est déjà passée.")})
    offer, log = _move_offer(offer_pk=offer.pk, action=OfferAction.SUBMIT, actor=actor)
    from .tasks import notify_project_leads_of_submission

    notify_project_leads_of_submission.delay_on_commit(offer.pk, log.pk)
    return offer


@transaction.atomic
def send_back_offer(*, offer: Offer, actor: User, reason: str) -> Offer:
    """The project lead returns a submitted offer to draft, saying why; the recruiters
    are told by email."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez au recruteur ce qu'il faut revoir.")})
    offer, log = _move_offer(
        offer_pk=offer.pk, action=OfferAction.SEND_BACK, actor=actor, reason=reason
    )
    from .tasks import notify_recruiters_of_send_back

    notify_recruiters_of_send_back.delay_on_commit(offer.pk, log.pk)
    return offer


@transaction.atomic
def publish_offer(*, offer: Offer, actor: User, reason: str = "") -> Offer:
    """The project lead validates and publishes: the advisors of the region's missions
    locales are told (email and the "new offers" list). An offer of more than ten
    positions is accompanied by the CEPL (Art. 4): the publishing lead becomes its
    accompanying person unless somebody already is."""
    offer, _log = _move_offer(
        offer_pk=offer.pk, action=OfferAction.PUBLISH, actor=actor, reason=reason
    )
    if offer.needs_accompaniment and offer.accompanied_by_id is None:
        offer.accompanied_by = actor
        offer.save(update_fields=["accompanied_by"])
    from .tasks import notify_advisors_of_publication, notify_recruiters_of_publication

    notify_advisors_of_publication.delay_on_commit(offer.pk)
    notify_recruiters_of_publication.delay_on_commit(offer.pk)
    return offer


@transaction.atomic
def take_over_accompaniment(*, offer: Offer, actor: User) -> Offer:
    """A project lead of the region names themselves the accompanying person (Art. 4)."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not permissions.is_accompanier_for(actor, offer):
        raise PermissionDenied(_("Seul un chargé de projet de la région accompagne une offre."))
    if not offer.needs_accompaniment:
        raise ValidationError(
            _("Cette offre compte dix postes ou moins : pas d'accompagnement prévu.")
        )
    if offer.is_closed:
        raise ValidationError(
            _("Cette offre est close (%(status)s) : il n'y a plus de recrutement à accompagner.")
            % {"status": offer.get_status_display()}
        )
    if offer.accompanied_by_id == actor.pk:
        raise ValidationError(_("Vous accompagnez déjà ce recrutement."))
    offer.accompanied_by = actor
    offer.save(update_fields=["accompanied_by", "updated_at"])
    return offer


@transaction.atomic
def withdraw_offer(*, offer: Offer, actor: User, reason: str = "") -> Offer:
    """The company withdraws its offer; proposals still open are declined with it."""
    offer, _log = _move_offer(
        offer_pk=offer.pk, action=OfferAction.WITHDRAW, actor=actor, reason=reason
    )
    _decline_open_proposals(offer, DeclineReason.OTHER, _("L'offre a été retirée."))
    return offer


@transaction.atomic
def close_offer(*, offer: Offer, actor: User, reason: str = "") -> Offer:
    """The company stops recruiting: partly filled when somebody was hired, closed
    unfilled otherwise."""
    current = Offer.objects.select_for_update().get(pk=offer.pk)
    offer, _log = _move_offer(
        offer_pk=offer.pk,
        action=OfferAction.CLOSE,
        actor=actor,
        reason=reason,
        target=current.close_target(),
    )
    _decline_open_proposals(offer, DeclineReason.OTHER, _("L'offre a été close."))
    return offer


@transaction.atomic
def expire_offer(*, offer: Offer, today: date | None = None) -> bool:
    """The portal expires a published offer whose closing date has passed, and tells its
    recruiters. False when there is nothing to do (already expired, not due): safe to
    run twice."""
    today = today or timezone.localdate()
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if (
        locked.status != OfferStatus.PUBLISHED
        or not locked.closing_date
        or locked.closing_date >= today
    ):
        return False
    offer, _log = _move_offer(
        offer_pk=offer.pk,
        action=OfferAction.EXPIRE,
        actor=None,
        reason=_("Date de clôture du %(day)s dépassée.")
        % {"day": date_format(locked.closing_date, "d/m/Y")},
    )
    _decline_open_proposals(offer, DeclineReason.OTHER, _("L'offre a expiré."))
    from .tasks import notify_recruiters_of_expiry

    notify_recruiters_of_expiry.delay_on_commit(offer.pk)
    return True


def _decline_open_proposals(offer: Offer, reason: str, note: str) -> int:
    """Close the proposals still waiting when the offer closes, so no advisor waits."""
    open_ids = list(
        Proposal.objects.select_for_update()
        .filter(offer=offer, status__in=ProposalStatus.open())
        .values_list("pk", flat=True)
    )
    for pk in open_ids:
        _move_proposal(
            proposal_pk=pk,
            action=ProposalAction.DECLINE,
            actor=None,
            reason=note,
            decline_reason=reason,
        )
    return len(open_ids)


# --- Proposals -----------------------------------------------------------------------------


@transaction.atomic
def propose_youth(
    *,
    offer: Offer,
    youth: Youth,
    actor: User,
    note: str = "",
    origin: str = ProposalOrigin.ADVISOR,
) -> Proposal:
    """An advisor proposes one of their mission locale's youths to a published offer of
    their region. The youth must have agreed to share a profile, be followed, not be in
    a job or out of the pathway, and not be proposed to this offer already. The
    immersion pool calls this too, when a recruiter asks the advisor for a youth
    (`origin=ProposalOrigin.IMMERSION_POOL`). Once committed, the company's recruiters
    are emailed the youth's shared profile (`notify_recruiters_of_proposal`)."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    # The youth's lock: a consent withdrawn in the same instant waits for this proposal,
    # then withdraws it, or comes first and this one is refused (locks: offer, youth).
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    scope = get_scope(actor)
    # The offer's refusals stand above a form; the youth's name the youth field.
    if not permissions.is_proposer_for(actor, offer):
        raise ValidationError(_("Cette offre n'est pas dans votre région."))
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(not_published_message(offer))
    if origin not in ProposalOrigin.values:
        raise ValidationError(_("Origine de candidature inconnue."))
    if not (scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids):
        raise ValidationError(
            {
                "youth": _(
                    "Ce jeune n'est pas suivi par votre mission locale : "
                    "vous ne pouvez pas le proposer."
                )
            }
        )
    if not youth.has_sharing_consent:
        raise ValidationError(
            {
                "youth": _(
                    "%(name)s n'a pas donné son accord pour partager son profil "
                    "avec les entreprises."
                )
                % {"name": youth.first_name}
            }
        )
    if youth.status != YouthStatus.ACTIVE or youth.current_stage in STAGES_NOT_PROPOSABLE:
        raise ValidationError(
            {
                "youth": _(
                    "%(name)s est à l'étape « %(stage)s » : on ne le propose plus à une offre."
                )
                % {"name": youth.first_name, "stage": youth.get_current_stage_display()}
            }
        )
    already = ValidationError({"youth": _("Ce jeune est déjà proposé sur cette offre.")})
    if Proposal.objects.active().filter(offer=offer, youth=youth).exists():
        raise already
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                offer=offer, youth=youth, proposed_by=actor, origin=origin, note=note.strip()
            )
    except IntegrityError:
        raise already from None
    log_move(
        proposal,
        log=ProposalTransition,
        previous="",
        actor=actor,
        action="propose",
        reason=note.strip(),
    )
    from .tasks import notify_recruiters_of_proposal

    notify_recruiters_of_proposal.delay_on_commit(proposal.pk)
    return proposal


def _already_moved_message(proposal: Proposal) -> str:
    last = proposal.transitions.select_related("actor").order_by("-created_at", "-pk").first()
    when = timezone.localtime(last.created_at).strftime("%d/%m/%Y %H:%M") if last else ""
    who = str(last.actor) if last and last.actor else _("le portail")
    return _(
        "Cette candidature est déjà « %(status)s » (par %(who)s, le %(when)s) : "
        "votre action n'a pas été enregistrée."
    ) % {"status": proposal.get_status_display(), "who": who, "when": when}


def _move_proposal(
    *,
    proposal_pk: int,
    action: str,
    actor: User | None,
    reason: str = "",
    decline_reason: str = "",
) -> Proposal:
    """Lock the proposal, check the actor (when there is one) then the table, move it,
    log it. The lock makes two people acting at once queue up: the second sees the
    first one's result and is told, instead of overwriting it. Somebody without the
    right is refused before learning who moved it."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("offer", "youth")
        .get(pk=proposal_pk)
    )
    if actor is not None and not permissions.is_proposal_actor(actor, proposal, action):
        raise PermissionDenied(_("Vous ne pouvez pas faire cette action sur cette candidature."))
    if not can_move(proposal, action):
        raise ValidationError(_already_moved_message(proposal))
    if action == ProposalAction.DECLINE:
        if decline_reason not in DeclineReason.values:
            raise ValidationError({"decline_reason": _("Choisissez le motif du refus.")})
        proposal.decline_reason = decline_reason
    move(proposal, action=action, actor=actor, log=ProposalTransition, reason=reason.strip())
    proposal.status_changed_at = timezone.now()
    proposal.save(update_fields=["status", "status_changed_at", "decline_reason"])
    return proposal


@transaction.atomic
def mark_proposal_seen(*, proposal: Proposal, actor: User) -> Proposal:
    """The recruiter has read the profile: the advisor sees it was looked at."""
    return _move_proposal(proposal_pk=proposal.pk, action=ProposalAction.MARK_SEEN, actor=actor)


@transaction.atomic
def record_profile_opened(*, proposal: Proposal, viewer: User) -> bool:
    """A recruiter of the offer's company opens the youth's shared profile: the first
    time, the proposal becomes "seen" (the usual move, logged with the recruiter as
    actor), so the advisor knows the company looked at it. Anyone else's viewing (the
    youth's advisor, a project lead, an admin) and later openings change nothing.
    Returns whether the proposal moved."""
    if proposal.offer.company_id not in get_scope(viewer).company_ids:
        return False
    if proposal.status != ProposalStatus.PROPOSED:
        return False
    locked_status = (
        Proposal.objects.select_for_update(of=("self",))
        .filter(pk=proposal.pk)
        .values_list("status", flat=True)
        .first()
    )
    if locked_status != ProposalStatus.PROPOSED:
        # Someone moved it meanwhile (seen, declined, withdrawn): nothing to record.
        return False
    moved = _move_proposal(
        proposal_pk=proposal.pk,
        action=ProposalAction.MARK_SEEN,
        actor=viewer,
        reason=_("Profil partagé consulté."),
    )
    proposal.status, proposal.status_changed_at = moved.status, moved.status_changed_at
    return True


INTERVIEW_MINUTES = (30, 45, 60, 90)


@transaction.atomic
def invite_to_interview(
    *,
    proposal: Proposal,
    actor: User,
    starts_at: datetime,
    minutes: int = 45,
    place: str = "",
    video_link: str = "",
    note: str = "",
) -> Proposal:
    """The recruiter calls the youth to an interview; from now on they see the contact.

    The invitation says when (in the future), how long, and where: a place, a video
    link (https), or both, so that the advisor can tell the youth. The advisor who
    follows the youth, and the one who proposed them, receive it by email with a
    calendar file once the move is committed."""
    place, video_link = place.strip(), video_link.strip()
    errors = {}
    if starts_at <= timezone.now():
        errors["day"] = _("L'entretien doit avoir lieu dans le futur.")
    if minutes not in INTERVIEW_MINUTES:
        errors["minutes"] = _("Choisissez une durée proposée.")
    if not place and not video_link:
        errors["place"] = _("Indiquez un lieu ou un lien de visioconférence.")
    if video_link and not video_link.lower().startswith("https://"):
        errors["video_link"] = _("Le lien de visioconférence doit commencer par https://.")
    if errors:
        raise ValidationError(errors)
    moved = _move_proposal(
        proposal_pk=proposal.pk, action=ProposalAction.INVITE, actor=actor, reason=note
    )
    moved.interview_at, moved.interview_minutes = starts_at, minutes
    moved.interview_place, moved.interview_link = place, video_link
    moved.save(
        update_fields=["interview_at", "interview_minutes", "interview_place", "interview_link"]
    )
    from .tasks import notify_advisors_of_interview

    notify_advisors_of_interview.delay_on_commit(moved.pk)
    return moved


@transaction.atomic
def decline_proposal(
    *, proposal: Proposal, actor: User, decline_reason: str, note: str = ""
) -> Proposal:
    """The recruiter declines, with a reason from the list (the advisor needs it to
    prepare the youth for the next one)."""
    return _move_proposal(
        proposal_pk=proposal.pk,
        action=ProposalAction.DECLINE,
        actor=actor,
        reason=note,
        decline_reason=decline_reason,
    )


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, actor: User, note: str = "") -> Proposal:
    """The advisor withdraws the youth (found another job, changed their mind)."""
    return _move_proposal(
        proposal_pk=proposal.pk, action=ProposalAction.WITHDRAW, actor=actor, reason=note
    )


@transaction.atomic
def withdraw_open_proposals(*, youth: Youth, actor: User | None, reason: str) -> list[Proposal]:
    """The youth stopped sharing their profile with companies (consent withdrawn, file
    anonymised; `candidates.services` calls this in its transaction, holding the youth's
    row lock): every proposal still waiting for a company's decision is withdrawn, one
    logged move each with `actor` (whoever withdrew the consent) and `reason`. The
    company is left with "Candidature retirée", no name (`views._youth_seen`). A hired
    proposal stays hired: the hire happened and its employment stays recorded, but the
    company's pages show nothing more of the youth (docs/offers.md)."""
    open_ids = list(
        Proposal.objects.filter(youth_id=youth.pk, status__in=ProposalStatus.open())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        _move_proposal(
            proposal_pk=pk, action=ProposalAction.WITHDRAW, actor=actor, reason=str(reason)
        )
        for pk in open_ids
    ]


@transaction.atomic
def bulk_decline_proposals(
    *, offer: Offer, proposal_ids: list[int], actor: User, decline_reason: str, note: str = ""
) -> int:
    """Decline several proposals of one offer at once, with one reason. All or nothing:
    when one of them was moved meanwhile, none is declined and the actor is told."""
    if not proposal_ids:
        raise ValidationError({"proposals": _("Cochez au moins une candidature.")})
    if decline_reason not in DeclineReason.values:
        raise ValidationError({"decline_reason": _("Choisissez le motif du refus.")})
    ids = sorted(set(proposal_ids))
    found = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(offer=offer, pk__in=ids)
        .values_list("pk", flat=True)
    )
    if len(found) != len(ids):
        raise ValidationError(
            {"proposals": _("Certaines candidatures ne sont pas sur cette offre.")}
        )
    for pk in ids:
        _move_proposal(
            proposal_pk=pk,
            action=ProposalAction.DECLINE,
            actor=actor,
            reason=note,
            decline_reason=decline_reason,
        )
    return len(ids)


@transaction.atomic
def hire_youth(
    *,
    proposal: Proposal,
    actor: User,
    contract_type: str,
    start_date: date,
    weekly_hours: int,
    end_date: date | None = None,
) -> Employment:
    """The recruiter hires the youth after the interview.

    Rules: the offer is still published and has a position left; the proposal is at
    the interview stage. Records the employment, moves the youth's pathway to "hired"
    with this proposal as its source, plans the 1/3/6-month in-company check-ins counted
    from the contract's start date (`follow_ups_from`), and
    when the last position is taken, the offer becomes filled by itself and the
    proposals still open are declined (positions filled).
    """
    offer = Offer.objects.select_for_update().get(pk=proposal.offer_id)
    # Locks in the order offer, youth, proposal (as `propose_youth` and a consent
    # withdrawal take them), so hiring while consent is withdrawn queues, never deadlocks.
    Youth.objects.select_for_update().values_list("pk", flat=True).get(pk=proposal.youth_id)
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(
            _("L'offre est « %(status)s » : on ne peut plus y embaucher.")
            % {"status": offer.get_status_display()}
        )
    if offer.positions_filled >= offer.positions:
        raise ValidationError(
            _("Les %(n)s postes de cette offre sont déjà pourvus.") % {"n": offer.positions}
        )
    proposal = _move_proposal(proposal_pk=proposal.pk, action=ProposalAction.HIRE, actor=actor)
    employment = Employment(
        proposal=proposal,
        youth=proposal.youth,
        company_id=offer.company_id,
        contract_type=contract_type,
        start_date=start_date,
        end_date=end_date,
        weekly_hours=weekly_hours,
        recorded_by=actor,
    )
    employment.full_clean()
    employment.save()

    youth = proposal.youth
    today = timezone.localdate()
    source = f"offers.Proposal#{proposal.pk}"
    note = _("Embauche en %(contract)s chez %(company)s à partir du %(day)s.") % {
        "contract": employment.get_contract_type_display(),
        "company": offer.company,
        "day": date_format(start_date, "d/m/Y"),
    }
    if PathwayStage.HIRED in allowed_next_stages(youth):
        record_pathway_consequence(
            youth=youth,
            stage=PathwayStage.HIRED,
            actor=actor,
            occurred_on=today,
            note=note,
            source=source,
            follow_ups_from=employment.start_date,
        )
    elif youth.current_stage not in (PathwayStage.HIRED, PathwayStage.STABILISED):
        raise ValidationError(
            _(
                "Le parcours de %(name)s est à l'étape « %(stage)s » : l'embauche ne peut y être inscrite."
            )
            % {"name": youth.first_name, "stage": youth.get_current_stage_display()}
        )
    # Already in a job (a second contract): the pathway stays, the follow-up restarts.
    # The check-ins count from the day the contract starts, not the hiring day.
    schedule_follow_ups_after_hiring(youth=youth, hired_on=employment.start_date, actor=actor)

    offer.positions_filled += 1
    offer.save(update_fields=["positions_filled", "updated_at"])
    if offer.positions_filled == offer.positions:
        offer, _log = _move_offer(
            offer_pk=offer.pk,
            action=OfferAction.FILL,
            actor=None,
            reason=_("Tous les postes sont pourvus."),
        )
        _decline_open_proposals(
            offer, DeclineReason.POSITIONS_FILLED, _("Tous les postes sont pourvus.")
        )
    return employment
