"""Committees (Art. 17-18), the convention and its commitments (Art. 1-8, 19-20) and the
yearly operational action plan (Art. 16, Annex 2)."""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region, User
from accounts.scope import get_scope

from .enums import (
    ActionItemStatus,
    AttendanceStatus,
    AwarenessAudience,
    CommitmentStatus,
    CommitteeKind,
    CommitteeRole,
    DocumentKind,
    IndicatorKey,
    PlanItemStatus,
    PlanSection,
)
from .markdown import render_markdown


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT/committees, read at each use so tests may
    point PRIVATE_MEDIA_ROOT elsewhere. No URL: files leave only through a view."""

    @property
    def base_location(self):
        return os.path.join(settings.PRIVATE_MEDIA_ROOT, "committees")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private_storage


# --- Committees -----------------------------------------------------------------------


def _member_committee_ids(user):
    """Committees where the user sits, in person or through one of their organisations."""
    scope = get_scope(user)
    return CommitteeMember.objects.filter(
        Q(user_id=user.pk) | Q(organisation_id__in=scope.organisation_ids())
    ).values("committee_id")


class CommitteeQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitteeQuerySet:
        """Members see their committees; a project lead every committee of their region;
        national staff the national committees; admins all. Others see nothing."""
        scope = get_scope(user)
        if not user.is_authenticated:
            return self.none()
        if scope.is_admin:
            return self.all()
        condition = Q(pk__in=_member_committee_ids(user)) | Q(region_id__in=scope.lead_region_ids)
        if scope.is_national:
            condition |= Q(region__isnull=True)
        return self.filter(condition)

    def with_list_data(self) -> CommitteeQuerySet:
        """What the committee list shows: region, member count, last and next meeting."""
        now = timezone.now()
        return self.select_related("region").annotate(
            member_count=Count("members", distinct=True),
            last_meeting_at=models.Max(
                "meetings__starts_at", filter=Q(meetings__starts_at__lte=now)
            ),
            next_meeting_at=models.Min(
                "meetings__starts_at", filter=Q(meetings__starts_at__gt=now)
            ),
        )


class Committee(models.Model):
    kind = models.CharField(_("type"), max_length=32, choices=CommitteeKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
    )
    description = models.TextField(_("mission"), blank=True, default="")
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("comité")
        verbose_name_plural = _("comités")
        constraints = [
            models.CheckConstraint(
                name="committee_region_unless_national",
                condition=Q(kind__in=CommitteeKind.national(), region__isnull=True)
                | (~Q(kind__in=CommitteeKind.national()) & Q(region__isnull=False)),
                violation_error_message=_(
                    "Un comité national n'a pas de région ; un comité régional ou pilote en a une."
                ),
            ),
            models.UniqueConstraint(
                fields=["name"],
                name="committee_unique_name",
                violation_error_message=_("Un comité porte déjà ce nom."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.region_id is None


class CommitteeMember(models.Model):
    """A seat on a committee, held by a person or by an organisation (then every active
    member of that organisation sits on the committee)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("comité"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="committee_seats",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="committee_seats",
    )
    role = models.CharField(
        _("rôle"), max_length=16, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("membre du comité")
        verbose_name_plural = _("membres du comité")
        constraints = [
            models.CheckConstraint(
                name="committee_member_user_xor_organisation",
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                violation_error_message=_(
                    "Un membre est soit une personne, soit une organisation."
                ),
            ),
            models.UniqueConstraint(
                fields=["committee", "user"],
                condition=Q(user__isnull=False),
                name="committee_member_unique_user",
                violation_error_message=_("Cette personne est déjà membre du comité."),
            ),
            models.UniqueConstraint(
                fields=["committee", "organisation"],
                condition=Q(organisation__isnull=False),
                name="committee_member_unique_organisation",
                violation_error_message=_("Cette organisation est déjà membre du comité."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.organisation)


def committee_member_users(committee):
    """Active users sitting on `committee`, in person or through their organisation."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(committee_seats__committee=committee)
            | Q(
                pk__in=User.objects.filter(
                    memberships__is_active=True,
                    memberships__organisation__committee_seats__committee=committee,
                ).values("pk")
            )
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


# --- Meetings ---------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Meetings of the committees the user may see."""
        return self.filter(committee__in=Committee.objects.visible_to(user))

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(starts_at__gt=timezone.now()).order_by("starts_at")

    def past(self) -> MeetingQuerySet:
        return self.filter(starts_at__lte=timezone.now()).order_by("-starts_at")

    def with_list_data(self) -> MeetingQuerySet:
        return self.select_related("committee").annotate(
            agenda_count=Count("agenda_items", distinct=True),
            open_action_count=Count(
                "action_items",
                filter=Q(action_items__status__in=ActionItemStatus.open_statuses()),
                distinct=True,
            ),
        )


class Meeting(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("comité"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=120)
    place = models.CharField(_("lieu"), max_length=255, blank=True, default="")
    video_url = models.URLField(_("lien de visioconférence"), blank=True, default="")
    minutes = models.TextField(
        _("compte rendu (Markdown)"),
        blank=True,
        default="",
        help_text=_("Titres avec #, listes avec -, liens [texte](https://…)."),
    )
    prepared_from = models.ForeignKey(
        "self",
        verbose_name=_("préparée à partir de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    invitations_sent_at = models.DateTimeField(_("invitations envoyées le"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        constraints = [
            models.CheckConstraint(
                name="meeting_place_or_video",
                condition=~Q(place="") | ~Q(video_url=""),
                violation_error_message=_("Indiquez un lieu ou un lien de visioconférence."),
            ),
            models.CheckConstraint(
                name="meeting_duration_positive",
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=600),
                violation_error_message=_("La durée est comprise entre 15 et 600 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} · {timezone.localtime(self.starts_at):%d/%m/%Y}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @cached_property
    def minutes_html(self) -> str:
        """The minutes rendered from Markdown, with anything executable removed."""
        return render_markdown(self.minutes)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("point de l'ordre du jour"), max_length=255)
    carried_action = models.ForeignKey(
        "ActionItem",
        verbose_name=_("action reprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        User, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("présence"), max_length=16, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("décision"))
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")

    def __str__(self) -> str:
        return self.text[:80]


class ActionItemQuerySet(models.QuerySet):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=ActionItemStatus.open_statuses())

    def overdue(self, today: datetime.date | None = None) -> ActionItemQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def owned_by(self, user) -> ActionItemQuerySet:
        return self.filter(owner_id=user.pk)

    def visible_to(self, user) -> ActionItemQuerySet:
        """Action items the user owns, and those of the committees they may see."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(owner_id=user.pk) | Q(committee__in=Committee.objects.visible_to(user))
        )

    def overdue_first(self, today: datetime.date | None = None) -> ActionItemQuerySet:
        """Open overdue items first, then open ones by due date, then closed ones."""
        today = today or timezone.localdate()
        return self.annotate(
            is_late=models.Case(
                models.When(
                    Q(status__in=ActionItemStatus.open_statuses(), due_on__lt=today), then=0
                ),
                models.When(status__in=ActionItemStatus.open_statuses(), then=1),
                default=2,
                output_field=models.IntegerField(),
            )
        ).order_by("is_late", "due_on", "pk")

    def with_list_data(self) -> ActionItemQuerySet:
        return self.select_related(
            "committee", "meeting", "owner", "plan_item", "plan_item__plan__region"
        )


class ActionItem(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("comité"), on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("décision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    title = models.CharField(_("action"), max_length=255)
    owner = models.ForeignKey(
        User, verbose_name=_("responsable"), on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("état"), max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    plan_item = models.ForeignKey(
        "PlanItem",
        verbose_name=_("action du plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    # action -> (allowed sources, target)
    TRANSITIONS = {
        "start": ((ActionItemStatus.OPEN,), ActionItemStatus.IN_PROGRESS),
        "complete": ((ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS), ActionItemStatus.DONE),
        "cancel": (
            (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS),
            ActionItemStatus.CANCELLED,
        ),
        "reopen": ((ActionItemStatus.DONE, ActionItemStatus.CANCELLED), ActionItemStatus.OPEN),
    }
    ACTION_LABELS = {
        "start": _("Commencer"),
        "complete": _("Marquer terminée"),
        "cancel": _("Annuler"),
        "reopen": _("Rouvrir"),
    }

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action à mener")
        verbose_name_plural = _("actions à mener")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in ActionItemStatus.open_statuses()

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class ActionItemLog(models.Model):
    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="logs")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=16, choices=ActionItemStatus.choices)
    to_status = models.CharField(max_length=16, choices=ActionItemStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_item_id}: {self.from_status} -> {self.to_status}"


# --- The convention and its commitments ------------------------------------------------------


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConventionQuerySet:
        """National staff and admins see every convention; a project lead the national
        one and the regional conventions of their region."""
        scope = get_scope(user)
        if scope.is_admin or scope.is_national:
            return self.all()
        if scope.lead_region_ids:
            return self.filter(Q(region__isnull=True) | Q(region_id__in=scope.lead_region_ids))
        return self.none()


class Convention(models.Model):
    """The national convention (no region) or a regional one (Art. 19) under it."""

    title = models.CharField(_("intitulé"), max_length=255)
    region = models.ForeignKey(
        Region,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("convention nationale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regional_conventions",
    )
    signed_on = models.DateField(_("signée le"))
    signed_at_place = models.CharField(_("signée à"), max_length=100, blank=True, default="")
    duration_years = models.PositiveSmallIntegerField(_("durée (années)"), default=3)
    signatories = models.ManyToManyField(
        Organisation, verbose_name=_("signataires"), related_name="conventions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        ordering = ["signed_on", "pk"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        constraints = [
            models.CheckConstraint(
                name="convention_regional_has_parent",
                condition=Q(region__isnull=True, parent__isnull=True)
                | Q(region__isnull=False, parent__isnull=False),
                violation_error_message=_(
                    "Une convention régionale a une région et déclinait la convention nationale."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def total_years(self) -> int:
        """Initial duration plus every renewal (renewals must be prefetched in lists)."""
        return self.duration_years + sum(r.extra_years for r in self.renewals.all())

    @property
    def ends_on(self) -> datetime.date:
        years = self.total_years
        try:
            return self.signed_on.replace(year=self.signed_on.year + years)
        except ValueError:  # 29 February
            return self.signed_on.replace(year=self.signed_on.year + years, day=28)


class ConventionRenewal(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.CASCADE, related_name="renewals"
    )
    renewed_on = models.DateField(_("renouvelée le"))
    extra_years = models.PositiveSmallIntegerField(_("prolongation (années)"), default=3)
    note = models.CharField(_("observation"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["renewed_on"]
        verbose_name = _("renouvellement")
        verbose_name_plural = _("renouvellements")

    def __str__(self) -> str:
        return f"{self.convention} · {self.renewed_on:%d/%m/%Y}"


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitmentQuerySet:
        """Commitments of the conventions the user may see."""
        return self.filter(convention__in=Convention.objects.visible_to(user))

    def with_list_data(self) -> CommitmentQuerySet:
        return self.select_related("signatory", "convention").annotate(
            document_count=Count("documents", distinct=True)
        )


class Commitment(models.Model):
    """One undertaking of one signatory, as written in the convention."""

    convention = models.ForeignKey(
        Convention,
        verbose_name=_("convention"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    article = models.PositiveSmallIntegerField(_("article"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    signatory = models.ForeignKey(
        Organisation,
        verbose_name=_("signataire"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    text = models.TextField(_("engagement"))
    is_additional = models.BooleanField(_("engagement supplémentaire (art. 19)"), default=False)
    status = models.CharField(
        _("état"),
        max_length=16,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
    )
    evidence_text = models.TextField(_("éléments de preuve"), blank=True, default="")
    evidence_url = models.URLField(_("lien vers une preuve"), blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["convention", "article", "position", "pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return f"Art. {self.article} · {self.text[:60]}"


class CommitmentLog(models.Model):
    """History of a commitment: each status or evidence change, with its author."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(
        _("ancien état"), max_length=16, choices=CommitmentStatus.choices
    )
    to_status = models.CharField(_("nouvel état"), max_length=16, choices=CommitmentStatus.choices)
    note = models.TextField(_("commentaire"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.from_status} -> {self.to_status}"


# --- Documents ----------------------------------------------------------------------------


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        """A meeting's documents go with the meeting; a commitment's with the commitment."""
        return self.filter(
            Q(meeting__in=Meeting.objects.visible_to(user))
            | Q(commitment__in=Commitment.objects.visible_to(user))
        )


def _document_path(instance, filename):
    # Never the uploaded name on disk: a random name in a dated folder.
    import uuid

    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.kind}"


class Document(models.Model):
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("réunion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=_document_path)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    kind = models.CharField(_("format"), max_length=8, choices=DocumentKind.choices)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                name="document_meeting_xor_commitment",
                condition=Q(meeting__isnull=False, commitment__isnull=True)
                | Q(meeting__isnull=True, commitment__isnull=False),
                violation_error_message=_(
                    "Un document est joint à une réunion ou à un engagement."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


# --- The operational action plan --------------------------------------------------------------


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActionPlanQuerySet:
        """A project lead sees the plans of their region; national staff and admins every
        region's plans."""
        scope = get_scope(user)
        if scope.is_admin or scope.is_national:
            return self.all()
        return self.filter(region_id__in=scope.lead_region_ids)

    def with_progress(self, today: datetime.date | None = None) -> ActionPlanQuerySet:
        """Counts for the progress bars, computed in the database."""
        today = today or timezone.localdate()
        return self.select_related("region").annotate(
            item_count=Count("items", filter=~Q(items__status=PlanItemStatus.DROPPED)),
            done_count=Count("items", filter=Q(items__status=PlanItemStatus.DONE)),
            overdue_count=Count(
                "items",
                filter=Q(items__status__in=PlanItemStatus.open_statuses(), items__due_on__lt=today),
            ),
        )


class ActionPlan(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("intitulé"), max_length=200)
    renewed_from = models.ForeignKey(
        "self",
        verbose_name=_("reconduit du plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["region__name", "-year"]
        verbose_name = _("plan d'action")
        verbose_name_plural = _("plans d'action")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="action_plan_one_per_region_and_year",
                violation_error_message=_("Cette région a déjà un plan d'action pour cette année."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def percent_done(self) -> int:
        """Share of the items done (dropped ones do not count); needs with_progress()."""
        return round(100 * self.done_count / self.item_count) if self.item_count else 0


class PlanItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanItemQuerySet:
        return self.filter(plan__in=ActionPlan.objects.visible_to(user))

    def with_list_data(self) -> PlanItemQuerySet:
        return self.select_related("owner_organisation").annotate(
            note_count=Count("notes", distinct=True),
            open_action_count=Count(
                "action_items",
                filter=Q(action_items__status__in=ActionItemStatus.open_statuses()),
                distinct=True,
            ),
        )


class PlanItem(models.Model):
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField(_("section"), max_length=32, choices=PlanSection.choices)
    audience = models.CharField(
        _("public (section I)"),
        max_length=16,
        choices=AwarenessAudience.choices,
        blank=True,
        default="",
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("action"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=16, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    indicator_key = models.CharField(
        _("indicateur visé"), max_length=40, choices=IndicatorKey.choices, blank=True, default=""
    )
    indicator_target = models.PositiveIntegerField(_("cible"), null=True, blank=True)
    completed_on = models.DateField(_("réalisée le"), null=True, blank=True)

    objects = PlanItemQuerySet.as_manager()

    TRANSITIONS = {
        "start": ((PlanItemStatus.PLANNED,), PlanItemStatus.IN_PROGRESS),
        "complete": ((PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS), PlanItemStatus.DONE),
        "drop": ((PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS), PlanItemStatus.DROPPED),
        "reopen": ((PlanItemStatus.DONE, PlanItemStatus.DROPPED), PlanItemStatus.IN_PROGRESS),
    }
    ACTION_LABELS = {
        "start": _("Commencer"),
        "complete": _("Marquer réalisée"),
        "drop": _("Abandonner"),
        "reopen": _("Rouvrir"),
    }

    class Meta:
        ordering = ["section", "audience", "position", "pk"]
        verbose_name = _("action du plan")
        verbose_name_plural = _("actions du plan")
        constraints = [
            models.CheckConstraint(
                name="plan_item_audience_only_in_awareness",
                condition=Q(section=PlanSection.AWARENESS) | Q(audience=""),
                violation_error_message=_("Le public ne se précise que dans la section I."),
            ),
            models.CheckConstraint(
                name="plan_item_indicator_and_target_together",
                condition=Q(indicator_key="", indicator_target__isnull=True)
                | (~Q(indicator_key="") & Q(indicator_target__isnull=False)),
                violation_error_message=_("Un indicateur visé va avec une cible chiffrée."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in PlanItemStatus.open_statuses()

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_on and self.due_on < timezone.localdate())


class PlanItemNote(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("avancement"))
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("note d'avancement")
        verbose_name_plural = _("notes d'avancement")

    def __str__(self) -> str:
        return f"{self.written_on:%d/%m/%Y} · {self.text[:60]}"


class PlanItemLog(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="logs")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=16, choices=PlanItemStatus.choices)
    to_status = models.CharField(max_length=16, choices=PlanItemStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} -> {self.to_status}"


# --- Notifications sent (tasks are safe to run twice) ------------------------------------------


class SentNotification(models.Model):
    """One row per email a periodic or queued job sent, keyed on its period or version,
    so that a retried or repeated job never sends it twice."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=80)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"], name="sent_notification_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} -> {self.recipient_id}"
