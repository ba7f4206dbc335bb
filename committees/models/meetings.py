"""Committees (Art. 17), their members, meetings, decisions and action items (Art. 18)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganisationKind
from accounts.markdown import render_markdown
from accounts.model_base import PortalModel
from accounts.models import Organisation, Region, User
from accounts.scope import get_scope

from ..enums import (
    ActionItemStatus,
    AttendanceStatus,
    CommitteeKind,
    CommitteeRole,
)


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

    def without_meeting_between(self, start, end) -> CommitteeQuerySet:
        """Committees with no meeting (held or planned) from `start` to `end` (datetimes,
        end excluded): Art. 18 asks for one a quarter."""
        met = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).values("committee_id")
        return self.exclude(pk__in=met)

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


class Committee(PortalModel):
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

    def member_choices(self, user) -> tuple[models.QuerySet, models.QuerySet]:
        """Who `user` may add to this committee: (people, organisations) among those
        they may see. A regional committee takes the people and organisations of its
        region; a national one the signatories and the networks' representatives
        (national bodies, business networks, missions locales). Admins pick anyone."""
        users = User.objects.visible_to(user).filter(is_active=True)
        organisations = Organisation.objects.visible_to(user).filter(is_active=True)
        if not get_scope(user).is_admin:
            if self.region_id:
                organisations = organisations.filter(region_id=self.region_id)
                users = users.filter(memberships__organisation__region_id=self.region_id)
            else:
                organisations = organisations.filter(
                    kind__in=[
                        *OrganisationKind.national(),
                        OrganisationKind.BUSINESS_NETWORK,
                        OrganisationKind.MISSION_LOCALE,
                    ]
                )
        return users.distinct(), organisations


class CommitteeMember(PortalModel):
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


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Meetings of the committees the user may see."""
        return self.filter(committee__in=Committee.objects.visible_to(user))

    def with_list_data(self) -> MeetingQuerySet:
        return self.select_related("committee").annotate(
            agenda_count=Count("agenda_items", distinct=True),
            open_action_count=Count(
                "action_items",
                filter=Q(action_items__status__in=ActionItemStatus.open_statuses()),
                distinct=True,
            ),
        )


class Meeting(PortalModel):
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
        """The minutes rendered from Markdown, with anything executable removed. The
        meeting page's title is the only `<h1>`: a `#` in the minutes becomes `<h2>`."""
        return render_markdown(self.minutes, top_heading=2)


class AgendaItem(PortalModel):
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


class Attendance(PortalModel):
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


class Decision(PortalModel):
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

    def current(self, today: datetime.date | None = None, days: int = 90) -> ActionItemQuerySet:
        """Open items, and closed ones due in the last `days` days: a list that stays
        short after years of meetings."""
        since = (today or timezone.localdate()) - datetime.timedelta(days=days)
        return self.filter(Q(status__in=ActionItemStatus.open_statuses()) | Q(due_on__gte=since))

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


class ActionItem(PortalModel):
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
