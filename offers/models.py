"""Job offers of companies and the youths proposed to them (Axes II and VI).

An offer and a proposal each have a status with its transition table right beside it;
every move goes through `services.py`, which locks the row, checks the table and the
actor, and writes a log row (who, when, from, to, why).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.compiled_shapes import CompiledRows
from accounts.enums import OrganisationKind, Role
from accounts.model_base import PortalModel
from accounts.scope import get_scope
from accounts.workflow import Table, TransitionLog

from .enums import (
    ContractType,
    DeclineReason,
    NoticeKind,
    OfferAction,
    OfferStatus,
    ProposalAction,
    ProposalOrigin,
    ProposalStatus,
)

# Art. 4: the CEPL accompanies any recruitment of more than this many people.
ACCOMPANIMENT_THRESHOLD = 10
FULL_TIME_HOURS = 35


class JobRoleQuerySet(models.QuerySet):
    def active(self) -> JobRoleQuerySet:
        return self.filter(is_active=True)


class JobRole(PortalModel):
    """A customer-relations job (téléconseiller, chargé de clientèle, ...): seeded by a
    data migration, kept up to date in the admin."""

    name = models.CharField(_("intitulé"), max_length=100, unique=True)
    keywords = models.TextField(
        _("mots-clés de compétences"),
        blank=True,
        default="",
        help_text=_("Séparés par des virgules : servent à rapprocher les compétences des jeunes."),
    )
    is_active = models.BooleanField(_("proposé aux recruteurs"), default=True)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=100)

    objects = JobRoleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("métier")
        verbose_name_plural = _("métiers")

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]


# --- Offers ------------------------------------------------------------------------------

S = OfferStatus
# action -> (statuses it may start from, status it leads to). CLOSE leads to
# CLOSED_UNFILLED, or to PARTLY_FILLED when somebody was hired (`close_target`).
OFFER_TRANSITIONS: Table = {
    OfferAction.SUBMIT: (frozenset({S.DRAFT}), S.SUBMITTED),
    OfferAction.SEND_BACK: (frozenset({S.SUBMITTED}), S.DRAFT),
    OfferAction.PUBLISH: (frozenset({S.SUBMITTED}), S.PUBLISHED),
    OfferAction.WITHDRAW: (frozenset({S.DRAFT, S.SUBMITTED, S.PUBLISHED}), S.WITHDRAWN),
    OfferAction.CLOSE: (frozenset({S.PUBLISHED}), S.CLOSED_UNFILLED),
    OfferAction.FILL: (frozenset({S.PUBLISHED}), S.FILLED),
    OfferAction.EXPIRE: (frozenset({S.PUBLISHED}), S.EXPIRED),
}

# Fields a recruiter fills in; a draft may leave the optional ones empty, submission
# asks for all of them.
OFFER_FIELDS = (
    "job_role",
    "contract_type",
    "positions",
    "weekly_hours",
    "postcode",
    "city",
    "start_date",
    "closing_date",
    "description",
    "requirements",
)
REQUIRED_FOR_SUBMISSION = (
    "weekly_hours",
    "postcode",
    "city",
    "start_date",
    "closing_date",
    "description",
)


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user) -> OfferQuerySet:
        """Recruiters: every offer of their company, drafts included. Project leads:
        every offer of their region. Advisors and managers: the published offers of
        their missions locales' regions, plus the offers their own youths were proposed
        to (to follow them after closing). National staff: none (counts only)."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        condition = Q(company_id__in=scope.company_ids) | Q(region_id__in=scope.lead_region_ids)
        if scope.mission_locale_ids:
            ml_regions = scope.region_ids(Role.ADVISOR, Role.ML_MANAGER)
            # A set, not a correlated EXISTS: PostgreSQL hashes it once per query.
            own_youth_offers = Proposal.objects.filter(
                youth__mission_locale_id__in=scope.mission_locale_ids
            ).values("offer_id")
            condition |= Q(region_id__in=ml_regions, status=OfferStatus.PUBLISHED) | Q(
                pk__in=own_youth_offers
            )
        if not (scope.company_ids or scope.lead_region_ids or scope.mission_locale_ids):
            return self.none()
        return self.filter(condition)

    def of_led_regions(self, user) -> OfferQuerySet:
        """The offers of the regions the user is the project lead of (all for admins)."""
        scope = get_scope(user)
        return self if scope.is_admin else self.filter(region_id__in=scope.lead_region_ids)

    def of_user_companies(self, user) -> OfferQuerySet:
        """The offers of the companies the user recruits for."""
        return self.filter(company_id__in=get_scope(user).company_ids)

    def of_companies(self, company_ids) -> OfferQuerySet:
        """`of_user_companies` for these companies, their ids as one parameter
        (`any_of`), for a query by key compiled once; a list keeps `__in`, whose plan
        reads the company's index in order."""
        return self.filter(company_id__any_of=sorted(company_ids))

    def published(self) -> OfferQuerySet:
        return self.filter(status=OfferStatus.PUBLISHED)

    def _in_missions_locales_regions(self, user) -> OfferQuerySet:
        """The offers of the regions of the user's missions locales (all for an admin):
        the offers `permissions.is_proposer_for` lets them propose youths to."""
        scope = get_scope(user)
        if scope.is_admin:
            return self
        return self.filter(region_id__in=scope.region_ids(Role.ADVISOR, Role.ML_MANAGER))

    def in_regions(self, region_ids) -> OfferQuerySet:
        """`_in_missions_locales_regions` for these regions, their ids as one parameter
        (`any_of`), for a query by key compiled once; a list keeps `__in`, whose plan
        reads the region's index in order."""
        return self.filter(region_id__any_of=sorted(region_ids))

    def published_for_missions_locales(self, user) -> OfferQuerySet:
        """What advisors browse: the published offers of their missions locales' regions
        (all of them for an admin)."""
        return self.published()._in_missions_locales_regions(user)

    def once_published_for_missions_locales(self, user) -> OfferQuerySet:
        """The offers advisors could browse at some point, whatever their status now: an
        offer closed while an advisor was proposing a youth is still found, so they are
        told what happened instead of getting a 404. Never a draft or a submitted offer
        that was not published."""
        return self.once_published()._in_missions_locales_regions(user)

    def once_published(self) -> OfferQuerySet:
        """Offers that were published at some point, whatever their status now."""
        return self.filter(published_at__isnull=False)

    def registered(self) -> OfferQuerySet:
        """Offers that left the company's drafts (national and regional figures)."""
        return self.exclude(status=OfferStatus.DRAFT)

    def past_closing_date(self, today) -> OfferQuerySet:
        return self.published().filter(closing_date__lt=today)

    def for_list(self) -> OfferQuerySet:
        """What offer lists show. Pair it with `attach_stage_counts` on the page's rows:
        counting the proposals of one page is cheap, of every offer before paginating
        is not."""
        return self.select_related("company", "job_role", "accompanied_by", "region")

    def as_browse_rows(self):
        """The columns of the advisors' list of published offers, as tuples: a page of
        offers with their company and job as model instances cost more time than the
        query itself."""
        return self.values_list(
            "pk",
            "job_role__name",
            "company__name",
            "contract_type",
            "weekly_hours",
            "postcode",
            "city",
            "start_date",
            "positions",
            "positions_filled",
        )

    def as_my_offers_rows(self):
        """The columns of the recruiter's list of offers, as tuples (the company and
        the region, which every row shares, left out)."""
        return self.values_list(
            "pk",
            "job_role__name",
            "contract_type",
            "postcode",
            "city",
            "status",
            "positions",
            "positions_filled",
            "closing_date",
            "accompanied_by__first_name",
            "accompanied_by__last_name",
            "accompanied_by__email",
        )

    def full_time(self) -> OfferQuerySet:
        return self.filter(weekly_hours__gte=FULL_TIME_HOURS)

    def sent_back(self) -> OfferQuerySet:
        """Drafts the project lead sent back: only a send-back returns a submitted offer
        to draft, and it keeps its submission date."""
        return self.filter(status=OfferStatus.DRAFT, submitted_at__isnull=False)

    def needing_accompaniment(self) -> OfferQuerySet:
        """Art. 4: recruitments of more than ten people still under way (submitted or
        published), which the CEPL accompanies."""
        return self.filter(
            positions__gt=ACCOMPANIMENT_THRESHOLD,
            status__in=(OfferStatus.SUBMITTED, OfferStatus.PUBLISHED),
        )


def _stage_count_query(offer_ids) -> models.QuerySet:
    return (
        Proposal.objects.filter(offer_id__any_of=offer_ids)
        .order_by()
        .values_list("offer_id", "status")
        .annotate(n=Count("pk"))
    )


# The same grouped query for any page's offers: compiled once per process.
_stage_count_rows = CompiledRows(_stage_count_query, lists=(0,))


def stage_counts_of(offer_ids) -> dict[int, list[int]]:
    """Each offer's proposals counted at each stage (a list in ProposalStatus order), in
    one grouped query, compiled once per process: the offers of one page."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in offer_ids}
    for offer_id, status, n in _stage_count_rows(list(counts)):
        counts[offer_id][status] = n
    return {
        pk: [per_status.get(status, 0) for status in ProposalStatus.values]
        for pk, per_status in counts.items()
    }


def attach_stage_counts(offers) -> list:
    """Set `stage_counts` (a list in ProposalStatus order) and `count_total` on each
    offer of a page, in one grouped query."""
    offers = list(offers)
    counts = stage_counts_of(offer.pk for offer in offers)
    for offer in offers:
        offer.stage_counts = counts[offer.pk]
        offer.count_total = sum(offer.stage_counts)
    return offers


def needs_accompaniment_for(positions: int) -> bool:
    """Art. 4: more than ten positions, the project lead accompanies the recruitment."""
    return positions > ACCOMPANIMENT_THRESHOLD


def is_full_time_week(weekly_hours: int | None) -> bool:
    """Art. 7 encourages full time: 35 hours a week or more."""
    return bool(weekly_hours and weekly_hours >= FULL_TIME_HOURS)


def place_of(postcode: str, city: str) -> str:
    """Where the offer's job is: the postcode and the city, either may be missing."""
    return " ".join(filter(None, [postcode, city]))


class Offer(PortalModel):
    company = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="offers",
        limit_choices_to={"kind": OrganisationKind.COMPANY},
    )
    # The company's region, copied at creation: offers are scoped by region.
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("région"), on_delete=models.PROTECT, related_name="+"
    )
    job_role = models.ForeignKey(
        JobRole, verbose_name=_("métier"), on_delete=models.PROTECT, related_name="offers"
    )
    contract_type = models.CharField(
        _("type de contrat"), max_length=24, choices=ContractType.choices
    )
    positions = models.PositiveSmallIntegerField(
        _("nombre de postes"),
        validators=[MinValueValidator(1, _("Il faut au moins un poste à pourvoir."))],
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("heures par semaine"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("Indiquez au moins une heure par semaine.")),
            MaxValueValidator(48, _("La durée du travail ne peut dépasser 48 heures.")),
        ],
        help_text=_("35 heures pour un temps plein (encouragé par l'article 7)."),
    )
    postcode = models.CharField(
        _("code postal"),
        max_length=5,
        blank=True,
        default="",
        validators=[RegexValidator(r"^\d{5}$", _("Le code postal compte cinq chiffres."))],
    )
    city = models.CharField(_("commune"), max_length=100, blank=True, default="")
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    closing_date = models.DateField(_("date de clôture"), null=True, blank=True)
    description = models.TextField(_("description du poste"), blank=True, default="")
    requirements = models.TextField(_("profil recherché"), blank=True, default="")
    status = models.CharField(
        _("état"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    # Art. 4: who accompanies a recruitment of more than ten people.
    accompanied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accompagnée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompanied_offers",
    )
    # Kept by the hiring service under the offer's lock: never more than `positions`.
    positions_filled = models.PositiveSmallIntegerField(_("postes pourvus"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    filled_at = models.DateTimeField(_("pourvue le"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    TRANSITIONS = OFFER_TRANSITIONS

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("offre d'emploi")
        verbose_name_plural = _("offres d'emploi")
        indexes = [
            models.Index(fields=["region", "status", "-published_at"]),
            models.Index(fields=["company", "-created_at"]),
            models.Index(fields=["region", "-submitted_at"]),
            models.Index(fields=["status", "closing_date"]),
            # On PostgreSQL, offers migration 0004 also indexes the local day of
            # submission (`submitted_at__date`), which the reporting selects and groups by.
            # Reporting: a period's offers by their instants of submission, with what the
            # dashboard's figures read of each offer (PostgreSQL reads the index alone).
            models.Index(
                fields=["submitted_at"],
                include=[
                    "status",
                    "region",
                    "job_role",
                    "positions",
                    "positions_filled",
                    "published_at",
                    "filled_at",
                ],
                name="offer_submitted_figures_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="offer_positions_positive",
                condition=Q(positions__gte=1),
                violation_error_message=_("Il faut au moins un poste à pourvoir."),
            ),
            models.CheckConstraint(
                name="offer_closing_after_start",
                condition=Q(closing_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(closing_date__gte=models.F("start_date")),
                violation_error_message=_("La date de clôture ne peut précéder la date de début."),
            ),
            models.CheckConstraint(
                name="offer_filled_within_positions",
                condition=Q(positions_filled__lte=models.F("positions")),
                violation_error_message=_("Plus d'embauches que de postes offerts."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(role)s · %(company)s") % {"role": self.job_role, "company": self.company}

    @property
    def needs_accompaniment(self) -> bool:
        return needs_accompaniment_for(self.positions)

    @property
    def is_full_time(self) -> bool:
        return is_full_time_week(self.weekly_hours)

    @property
    def is_draft(self) -> bool:
        return self.status == OfferStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == OfferStatus.PUBLISHED

    @property
    def is_closed(self) -> bool:
        return self.status in OfferStatus.closed()

    @property
    def positions_open(self) -> int:
        return self.positions - self.positions_filled

    @property
    def place(self) -> str:
        return place_of(self.postcode, self.city)

    def missing_for_submission(self) -> list[str]:
        """Verbose names of the fields a draft still lacks before it can be submitted."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in REQUIRED_FOR_SUBMISSION
            if getattr(self, name) in (None, "")
        ]

    def close_target(self) -> str:
        return OfferStatus.PARTLY_FILLED if self.positions_filled else OfferStatus.CLOSED_UNFILLED


class OfferTransition(TransitionLog):
    """One move of an offer: who, when, from, to and why."""

    SUBJECT = "offer"

    offer = models.ForeignKey(
        Offer, verbose_name=_("offre"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=16, choices=OfferAction.choices)
    from_status = models.CharField(_("de"), max_length=16, choices=OfferStatus.choices)
    to_status = models.CharField(_("vers"), max_length=16, choices=OfferStatus.choices)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("changement d'état d'une offre")
        verbose_name_plural = _("changements d'état des offres")

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.from_status} → {self.to_status}"


# --- Proposals ---------------------------------------------------------------------------

P = ProposalStatus
PROPOSAL_TRANSITIONS: Table = {
    ProposalAction.MARK_SEEN: (frozenset({P.PROPOSED}), P.SEEN),
    ProposalAction.INVITE: (frozenset({P.PROPOSED, P.SEEN}), P.INTERVIEW),
    ProposalAction.HIRE: (frozenset({P.INTERVIEW}), P.HIRED),
    ProposalAction.DECLINE: (frozenset({P.PROPOSED, P.SEEN, P.INTERVIEW}), P.DECLINED),
    ProposalAction.WITHDRAW: (frozenset({P.PROPOSED, P.SEEN, P.INTERVIEW}), P.WITHDRAWN),
}
# From the interview on, the recruiter may contact the youth directly.
STATUSES_WITH_CONTACT = frozenset({P.INTERVIEW, P.HIRED})


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """Recruiters: the proposals to their company's offers. Advisors and managers:
        the proposals of their own mission locale's youths. Project leads and national
        staff see counts only, never a youth. A refusal removed from the company's view
        (six months on, the retention job) is no longer the company's to open."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        if not (scope.company_ids or scope.mission_locale_ids):
            return self.none()
        return self.filter(
            Q(offer__company_id__in=scope.company_ids, company_view_removed_at__isnull=True)
            | Q(youth__mission_locale_id__in=scope.mission_locale_ids)
        )

    def seen_by_company(self) -> ProposalQuerySet:
        """The proposals a company still sees: a refusal leaves its view six months
        after the decision (`candidates.retention`, docs/rgpd.md)."""
        return self.filter(company_view_removed_at__isnull=True)

    def active(self) -> ProposalQuerySet:
        return self.filter(status__in=ProposalStatus.active())

    def with_news(self, since) -> ProposalQuerySet:
        """Proposals whose state changed since `since` (a datetime), the proposal itself
        excluded: a recruiter saw it, invited the youth, hired or declined them."""
        return self.filter(status_changed_at__gte=since).exclude(status=ProposalStatus.PROPOSED)

    def for_board(self) -> ProposalQuerySet:
        """The board's cards: the youth and the proposing advisor in the same query."""
        return self.select_related("youth", "proposed_by", "offer").order_by("created_at", "pk")

    def for_mission_locale_list(self) -> ProposalQuerySet:
        """The mission locale's list of proposals: youth, offer, company and proposing
        advisor in the same query, newest first."""
        return self.select_related(
            "youth", "proposed_by", "offer", "offer__company", "offer__job_role"
        ).order_by("-created_at", "-pk")


class Proposal(PortalModel):
    """A youth proposed to an offer (*candidature*)."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offre"), on_delete=models.CASCADE, related_name="proposals"
    )
    youth = models.ForeignKey(
        "candidates.Youth",
        verbose_name=_("jeune"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    origin = models.CharField(
        _("origine"), max_length=16, choices=ProposalOrigin.choices, default=ProposalOrigin.ADVISOR
    )
    note = models.TextField(_("mot du conseiller"), blank=True, default="")
    status = models.CharField(
        _("état"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decline_reason = models.CharField(
        _("motif du refus"), max_length=24, choices=DeclineReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("dernier changement le"), auto_now_add=True)
    # The interview the recruiter called the youth to (`invite_to_interview`): its
    # time, length, and a place or a video link. Empty before the invitation.
    interview_at = models.DateTimeField(_("entretien le"), null=True, blank=True)
    interview_minutes = models.PositiveSmallIntegerField(
        _("durée de l'entretien (minutes)"), default=45
    )
    interview_place = models.CharField(_("lieu de l'entretien"), max_length=200, blank=True)
    interview_link = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    # Six months after a refusal the company no longer sees the proposal (retention).
    company_view_removed_at = models.DateTimeField(
        _("retirée de la vue de l'entreprise le"), null=True, blank=True, editable=False
    )

    objects = ProposalQuerySet.as_manager()

    TRANSITIONS = PROPOSAL_TRANSITIONS

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        indexes = [
            models.Index(fields=["offer", "status"]),
            models.Index(fields=["youth", "status"]),
            # Reporting: each offer's first proposal and count, from the index alone.
            models.Index(fields=["offer", "created_at"], name="proposal_offer_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "youth"],
                condition=Q(status__in=["proposed", "seen", "interview", "hired"]),
                name="proposal_one_active_per_offer_and_youth",
                violation_error_message=_("Ce jeune est déjà proposé sur cette offre."),
            ),
            models.CheckConstraint(
                name="proposal_declined_has_reason",
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                violation_error_message=_("Un refus indique son motif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} → {self.offer}"

    @property
    def shows_contact(self) -> bool:
        """The recruiter sees the youth's contact details from the interview on."""
        return self.status in STATUSES_WITH_CONTACT

    @property
    def is_open(self) -> bool:
        return self.status in ProposalStatus.open()

    @property
    def interview_ends_at(self):
        if self.interview_at is None:
            return None
        return self.interview_at + datetime.timedelta(minutes=self.interview_minutes)

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ProposalStatus.WITHDRAWN


class ProposalTransition(TransitionLog):
    """One move of a proposal: who, when, from, to and why."""

    SUBJECT = "proposal"

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("candidature"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("de"), max_length=16, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(_("vers"), max_length=16, choices=ProposalStatus.choices)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("changement d'état d'une candidature")
        verbose_name_plural = _("changements d'état des candidatures")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class Employment(PortalModel):
    """The job a hiring led to: contract, start date, hours."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="employment"
    )
    youth = models.ForeignKey(
        "candidates.Youth",
        verbose_name=_("jeune"),
        on_delete=models.CASCADE,
        related_name="employments",
    )
    company = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    contract_type = models.CharField(
        _("type de contrat"), max_length=24, choices=ContractType.choices
    )
    start_date = models.DateField(_("date d'embauche"))
    end_date = models.DateField(_("fin du contrat"), null=True, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(
        _("heures par semaine"),
        validators=[MinValueValidator(1), MaxValueValidator(48)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("embauche")
        verbose_name_plural = _("embauches")
        constraints = [
            models.CheckConstraint(
                name="employment_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                violation_error_message=_("La fin du contrat ne peut précéder son début."),
            ),
            models.CheckConstraint(
                name="employment_hours_range",
                condition=Q(weekly_hours__gte=1, weekly_hours__lte=48),
                violation_error_message=_("Entre 1 et 48 heures par semaine."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} · {self.company} ({self.start_date:%d/%m/%Y})"


# --- Notices -------------------------------------------------------------------------------


class OfferNotice(PortalModel):
    """An entry of an advisor's "new offers" list: one per published offer and advisor
    told about it, read or not. Keyed on (kind, key, recipient), so a task run twice
    lists nothing twice. The email that goes with it, like every email, is recorded in
    `accounts.OutgoingEmail`."""

    kind = models.CharField(_("type"), max_length=16, choices=NoticeKind.choices)
    key = models.CharField(max_length=64)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offer_notices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("avis sur une offre")
        verbose_name_plural = _("avis sur les offres")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"], name="offer_notice_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.offer_id} · {self.recipient_id}"


class OfferProposals(PortalModel):
    """An offer's proposals counted by the database: how many, and when the first was
    made, kept by triggers on the proposals' table (offers migration 0012) whatever
    writes them (services, bulk writes, cascades from a youth or an offer, raw SQL).
    The satisfaction figures of a year's thousands of offers read one row each instead
    of looking through each offer's proposals twice. No row for an offer without
    proposals."""

    offer = models.OneToOneField(
        Offer,
        verbose_name=_("offre"),
        primary_key=True,
        # the row goes with the offer's last proposal, in the database
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="proposal_counts",
    )
    proposals = models.IntegerField(_("candidatures"))
    first_proposal_at = models.DateTimeField(_("première candidature le"))

    class Meta:
        verbose_name = _("décompte des candidatures d'une offre")
        verbose_name_plural = _("décomptes des candidatures des offres")

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.proposals}"


class OfferCount(PortalModel):
    """A delta of the offers' figures of a group (region, job role, local month of
    submission): the registered offers, the filled ones, their positions offered and
    filled, their proposals, and the sums of their times (publication to first
    proposal, to filled) with the number of offers each sums. Written by the database's
    triggers on the offers and on `OfferProposals` (offers migration 0015), PostgreSQL
    only: the local month is the submission's instant in `settings.TIME_ZONE`, which
    SQLite cannot convert; there the reporting counts the offers themselves. Folded
    daily into one row per group (`figures.compact_offer_counts`).

    The dashboards read a year's figures from a few thousand of these rows instead of
    the year's offers joined to their proposals' counts (100 ms at 100,000 offers)."""

    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("région"),
        # deltas summing to nothing may outlive the region's last offer
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    job_role = models.ForeignKey(
        JobRole,
        verbose_name=_("métier"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # the first day of the local month of `Offer.submitted_at`: the dashboards' periods
    # are calendar months and years
    month = models.DateField(_("mois de soumission"))
    offers = models.IntegerField(_("offres enregistrées"))
    offers_filled = models.IntegerField(_("offres pourvues"))
    positions_offered = models.IntegerField(_("postes offerts"))
    positions_filled = models.IntegerField(_("postes pourvus"))
    proposals = models.IntegerField(_("candidatures"))
    # microseconds from publication to the first proposal, summed over `to_first_offers`
    to_first_us = models.BigIntegerField(_("durées jusqu'à la première candidature (µs)"))
    to_first_offers = models.IntegerField(_("offres avec une première candidature"))
    # microseconds from publication to filled, summed over `to_fill_offers`
    to_fill_us = models.BigIntegerField(_("durées jusqu'à pourvue (µs)"))
    to_fill_offers = models.IntegerField(_("offres pourvues depuis leur publication"))

    class Meta:
        verbose_name = _("décompte des chiffres des offres")
        verbose_name_plural = _("décomptes des chiffres des offres")
        indexes = [models.Index(fields=["month"], name="offer_count_month_idx")]

    def __str__(self) -> str:
        return f"{self.region_id} · {self.job_role_id} · {self.month:%m/%Y}: {self.offers:+d}"
