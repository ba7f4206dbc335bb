"""Sessions (immersion, discovery events, training), their enrolments, their log and
the private calendar feeds of their participants."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Func, IntegerField, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.compiled_shapes import CompiledShapes, Statement, run_together
from accounts.enums import OrganisationKind, Role
from accounts.model_base import PortalModel
from accounts.pagination import CountOf
from accounts.scope import get_scope
from accounts.workflow import Table, TransitionLog
from accounts.years import add_months

from ..enums import (
    ASSESSED_KINDS,
    Attendance,
    Audience,
    EnrolmentStatus,
    HostAssessment,
    ProgrammeKind,
    SessionStatus,
)

HOST_KINDS = (
    OrganisationKind.COMPANY,
    OrganisationKind.TRAINING_BODY,
    OrganisationKind.MISSION_LOCALE,
    OrganisationKind.BUSINESS_NETWORK,
)
# Members of a host organisation who run its sessions (advisors only enrol).
HOSTING_ROLES = (Role.RECRUITER, Role.PARTNER, Role.ML_MANAGER, Role.PROJECT_LEAD)
ML_ROLES = (Role.ADVISOR, Role.ML_MANAGER)
# Members who see every session of their organisation's region.
REGION_ROLES = (Role.ADVISOR, Role.ML_MANAGER, Role.PROJECT_LEAD)

# The cancellation reason is kept on the session and in its log row.
REASON_MAX_LENGTH = 255


# --- Sessions ---------------------------------------------------------------------------


def session_hosts_for(user):
    """The organisations the user may pick as a session's host, the list form of
    `permissions.can_host_for`: those the user acts for in a hosting role, and every
    host organisation of the regions they lead (all for admins). Active ones only."""
    from accounts.models import Organisation

    hosts = Organisation.objects.filter(kind__in=HOST_KINDS, is_active=True)
    scope = get_scope(user)
    if scope.is_admin:
        return hosts
    return hosts.filter(
        Q(pk__in=scope.organisation_ids(*HOSTING_ROLES)) | Q(region_id__in=scope.lead_region_ids)
    )


class EpochSeconds(Func):
    """An instant as whole seconds since 1970-01-01 UTC (rounded down), for pages that
    show hundreds of dates: the driver reads an integer in C, where Django reads each
    `timestamptz` through a Python loader (4 µs a row, more than the rest of the row).
    `local_datetime` turns it back into the same local time `astimezone` gives."""

    output_field = IntegerField()
    template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint"

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps SQLite's datetimes as UTC text; "%%%%s" is "%s" once the template
        # and the query's parameters are filled in.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)",
            **extra_context,
        )


def local_datetime(seconds: int, tz) -> datetime:
    """The local time in `tz` of an `EpochSeconds` value (daylight saving included)."""
    return datetime.fromtimestamp(seconds, tz)


# Each region's places, one probe of the (region, city) index a place (a loose index
# scan), and the places of the sessions of the user's host organisations.
PLACES_SQL = """
WITH RECURSIVE places (region_id, city) AS (
    SELECT region.id, (
        SELECT city FROM immersion_session
        WHERE region_id = region.id ORDER BY city LIMIT 1
    )
    FROM unnest(%s::bigint[]) AS region (id)
    UNION ALL
    SELECT places.region_id, (
        SELECT city FROM immersion_session
        WHERE region_id = places.region_id AND city > places.city ORDER BY city LIMIT 1
    )
    FROM places WHERE places.city IS NOT NULL
)
SELECT DISTINCT city FROM (
    SELECT city FROM places WHERE city IS NOT NULL
    UNION ALL
    SELECT city FROM immersion_session WHERE host_id = ANY(%s::bigint[])
) AS found
ORDER BY city
"""


def session_places(user) -> list[str]:
    """The places (cities) of the sessions `user` sees (`visible_to`), each once, in
    the database's order: the choices of the sessions' "Lieu" filter
    (`places_statement`)."""
    return places_of(run_together(places_statement(user))[0])


def places_statement(user) -> Statement | None:
    """The query of `session_places` (None when the user sees no session), to read with
    a page's other queries (`run_together`). On PostgreSQL a region's places are read
    by skipping through the (region, city) index, a probe a place, where `DISTINCT`
    read the index entry of every session of the region (5,000 at the benchmark's
    scale, and growing with the years); admins, and SQLite, take `DISTINCT`."""
    scope = get_scope(user)
    if scope.is_admin or connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        sessions = Session.objects.visible_to(user)
        return Statement.of(sessions.order_by("city").values_list("city").distinct())
    regions = sorted(scope.region_ids(*REGION_ROLES))
    hosts = sorted(scope.organisation_ids(*HOSTING_ROLES))
    if not regions and not hosts:
        return None
    return Statement(PLACES_SQL, (regions, hosts), (), DEFAULT_DB_ALIAS)


def places_of(rows: list[tuple]) -> list[str]:
    """The places of `places_statement`'s rows."""
    return [city for (city,) in rows]


def session_visibility(user) -> dict:
    """What `SessionQuerySet.visible_to` reads of the user's scope, as `seen_through`
    takes it: admin or not, the regions (sorted) whose sessions the user sees, the host
    organisations (sorted) whose sessions the user runs. An admin sees every session:
    no region nor host (a compiled query holds each argument it is given)."""
    scope = get_scope(user)
    if scope.is_admin:
        return {"is_admin": True, "regions": (), "hosts": ()}
    return {
        "is_admin": False,
        "regions": tuple(sorted(scope.region_ids(*REGION_ROLES))),
        "hosts": tuple(sorted(scope.organisation_ids(*HOSTING_ROLES))),
    }


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in the current time zone."""
    first = date(year, month, 1)
    following = add_months(first, 1)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime(first.year, first.month, 1), tz)
    end = timezone.make_aware(datetime(following.year, following.month, 1), tz)
    return start, end


def status_css(status: str) -> str:
    """The CSS class of a session's status (its badge, its calendar entry)."""
    return f"session-{status}"


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        """Advisors, managers and project leads see the sessions of their region; the
        members of a host organisation see the sessions it hosts; admins all. National
        staff see counts only (their page aggregates in the database), no session."""
        return self.seen_through(**session_visibility(user))

    def seen_through(self, *, is_admin: bool, regions, hosts) -> SessionQuerySet:
        """`visible_to` for what it reads of the scope (`session_visibility`): the
        pages that compile their query once (`accounts.compiled_shapes`) pass these."""
        if is_admin:
            return self.all()
        if not regions and not hosts:
            return self.none()
        return self.filter(Q(region_id__in=regions) | Q(host_id__in=hosts))

    def filtered(
        self,
        *,
        kind: str | None = None,
        audience: str | None = None,
        city: str | None = None,
        youths_of: int | None = None,
        starts_from: datetime | None = None,
        starts_before: datetime | None = None,
        newest_first: bool = False,
    ) -> SessionQuerySet:
        """The list's and the calendar's filters (`SessionFilterForm.criteria`), each
        left out when None, in date order (the newest first for past sessions)."""
        sessions = self
        if kind is not None:
            sessions = sessions.filter(kind=kind)
        if audience is not None:
            sessions = sessions.filter(audience=audience)
        if city is not None:
            sessions = sessions.filter(city=city)
        if youths_of is not None:
            sessions = sessions.with_youths_of(youths_of)
        if starts_from is not None:
            sessions = sessions.filter(starts_at__gte=starts_from)
        if starts_before is not None:
            sessions = sessions.filter(starts_at__lt=starts_before)
        if newest_first:
            return sessions.order_by("-starts_at", "-pk")
        return sessions.order_by("starts_at", "pk")

    def for_list(self) -> SessionQuerySet:
        """What the list's export reads of each session, in one query."""
        return self.select_related("host")

    def as_list_rows(self):
        """The columns of the list's rows, as tuples: a page of model instances with
        their host cost more time than the query itself. The start is in `EpochSeconds`,
        as the calendar's."""
        return self.values_list(
            "pk",
            EpochSeconds("starts_at"),
            "title",
            "kind",
            "host__name",
            "city",
            "audience",
            "confirmed_count",
            "capacity",
            "waiting_count",
            "status",
        )

    def as_calendar_entries(self):
        """What a calendar cell shows of each session, as tuples: a month holds
        hundreds of sessions, and making model instances of them cost more time than
        the query itself. The start is in `EpochSeconds` (a Python-parsed datetime cost
        as much again)."""
        return self.values_list(
            "pk", EpochSeconds("starts_at"), "title", "status", "confirmed_count", "capacity"
        )

    def in_month(self, year: int, month: int) -> SessionQuerySet:
        start, end = month_bounds(year, month)
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def with_youths_of(self, user) -> SessionQuerySet:
        """Sessions where a youth the user (or the user's pk) follows (their referent
        advisor) holds a confirmed seat: the advisor's "this week's sessions with my
        youths"."""
        enrolled = Enrolment.objects.filter(
            youth__advisor=user, status=EnrolmentStatus.CONFIRMED
        ).values("session_id")
        return self.filter(pk__in=enrolled)

    def open_for_enrolment(self) -> SessionQuerySet:
        return self.filter(status__in=Session.ENROLLING_STATUSES)


class Session(PortalModel):
    """A dated session of a programme, with its host, place and capacity."""

    # action -> (allowed source statuses, target). "mark_full" and "reopen" are taken by
    # the enrolment services when the last seat goes or a seat frees up.
    TRANSITIONS: Table = {
        "open": (frozenset({SessionStatus.PLANNED}), SessionStatus.OPEN),
        "mark_full": (frozenset({SessionStatus.OPEN}), SessionStatus.FULL),
        "reopen": (frozenset({SessionStatus.FULL}), SessionStatus.OPEN),
        "mark_held": (
            frozenset({SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.FULL}),
            SessionStatus.HELD,
        ),
        "cancel": (
            frozenset({SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.FULL}),
            SessionStatus.CANCELLED,
        ),
    }
    ACTION_LABELS = {
        "open": _("Ouvrir les inscriptions"),
        "mark_full": _("Marquer complète"),
        "reopen": _("Rouvrir"),
        "mark_held": _("Marquer réalisée"),
        "cancel": _("Annuler la session"),
    }
    # Actions a person takes from the session page (the others follow the enrolments).
    MANUAL_ACTIONS = ("open", "mark_held", "cancel")
    ENROLLING_STATUSES = (SessionStatus.OPEN, SessionStatus.FULL)

    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("région"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("programme"), max_length=32, choices=ProgrammeKind.choices)
    audience = models.CharField(_("public"), max_length=16, choices=Audience.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("présentation"), blank=True, default="")
    host = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("structure d'accueil"),
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
        limit_choices_to={"kind__in": HOST_KINDS},
    )
    place = models.CharField(_("lieu (adresse)"), max_length=255)
    city = models.CharField(_("commune"), max_length=100)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("nombre de places"))
    registration_deadline = models.DateField(_("date limite d'inscription"))
    status = models.CharField(
        _("état"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    confirmed_count = models.PositiveIntegerField(_("inscrits"), default=0, editable=False)
    waiting_count = models.PositiveIntegerField(_("en attente"), default=0, editable=False)
    # RFC 5545 SEQUENCE: raised when the date, place or status changes.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancel_reason = models.CharField(
        _("motif d'annulation"), max_length=REASON_MAX_LENGTH, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["region", "starts_at"]),
            models.Index(fields=["host", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            # The list's and calendar's "Lieu" filter: a region's distinct places read
            # from the index alone, not from every session of the region.
            models.Index(fields=["region", "city"], name="session_region_city"),
        ]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start",
                condition=Q(ends_at__gt=F("starts_at")),
                violation_error_message=_("La fin de la session doit suivre son début."),
            ),
            models.CheckConstraint(
                name="session_capacity_positive",
                condition=Q(capacity__gte=1),
                violation_error_message=_("Une session compte au moins une place."),
            ),
            models.CheckConstraint(
                name="session_never_over_capacity",
                condition=Q(confirmed_count__lte=F("capacity")),
                violation_error_message=_("Plus d'inscrits que de places."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_for_advisors(self) -> bool:
        return self.audience == Audience.ADVISORS

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_enrolling(self) -> bool:
        return self.status in self.ENROLLING_STATUSES

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def registration_closed(self) -> bool:
        return timezone.localdate() > self.registration_deadline or self.has_started

    @property
    def has_host_assessment(self) -> bool:
        return self.kind in ASSESSED_KINDS

    @property
    def start_day(self) -> date:
        return timezone.localdate(self.starts_at)

    @property
    def status_css(self) -> str:
        return status_css(self.status)


def _listed(*, is_admin: bool, regions, hosts, **criteria) -> SessionQuerySet:
    return Session.objects.seen_through(is_admin=is_admin, regions=regions, hosts=hosts).filtered(
        **criteria
    )


#: The sessions list's rows (`as_list_rows`) and the keys it counts, and the calendar's
#: month of entries, each compiled once per shape (which filters are set, how many
#: regions and hosts the scope holds): `session_visibility(user)` and
#: `SessionFilterForm.criteria()` are their arguments.
LIST_ROWS = CompiledShapes(lambda **arguments: _listed(**arguments).as_list_rows())
LIST_KEYS = CompiledShapes(lambda **arguments: _listed(**arguments).order_by().values_list("pk"))
#: The rows with the list's count last: a page and the count in one statement.
LIST_COUNTED_ROWS = CompiledShapes(
    lambda **arguments: (
        _listed(**arguments)
        .as_list_rows()
        .annotate(counted=CountOf(_listed(**arguments).order_by().values("pk")))
    )
)
CALENDAR_ENTRIES = CompiledShapes(
    lambda month_start, month_end, **arguments: (
        _listed(**arguments)
        .filter(starts_at__gte=month_start, starts_at__lt=month_end)
        .as_calendar_entries()
    )
)


class SessionLog(TransitionLog):
    """One status change of a session: who, from, to, why, when."""

    SUBJECT = "session"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="logs")
    from_status = models.CharField(_("de"), max_length=16, choices=SessionStatus.choices)
    to_status = models.CharField(_("vers"), max_length=16, choices=SessionStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("historique de session")
        verbose_name_plural = _("historiques de session")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.from_status} -> {self.to_status}"


def _of_my_youths(user) -> Q:
    """The rule of `EnrolmentQuerySet.of_my_youths`, for a query that ORs it with
    another (combining two querysets with `|` cost more than the query)."""
    return _of_youths_of(**enrolment_visibility(user))


def enrolment_visibility(user) -> dict:
    """What `of_my_youths` reads of the user's scope: admin or not, the missions locales
    (sorted) whose youths the user follows (none for an admin, who follows all)."""
    scope = get_scope(user)
    if scope.is_admin:
        return {"is_admin": True, "mission_locales": ()}
    return {"is_admin": False, "mission_locales": tuple(sorted(scope.mission_locale_ids))}


def _of_youths_of(*, is_admin: bool, mission_locales) -> Q:
    if is_admin:
        return Q(youth__isnull=False)
    return Q(youth__mission_locale_id__in=mission_locales)


class EnrolmentQuerySet(models.QuerySet):
    def active(self) -> EnrolmentQuerySet:
        return self.filter(status__in=(EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITING))

    def confirmed(self) -> EnrolmentQuerySet:
        return self.filter(status=EnrolmentStatus.CONFIRMED)

    def waiting_in_order(self) -> EnrolmentQuerySet:
        """The waiting list, first come first served."""
        return self.filter(status=EnrolmentStatus.WAITING).order_by("queued_at", "pk")

    def of_my_youths(self, user) -> EnrolmentQuerySet:
        """Enrolments of the youths the user follows (their mission locale's)."""
        return self.filter(_of_my_youths(user))

    def for_session_page(self, user):
        """The enrolments of the user's youths (`of_my_youths`, every status) and the
        user's own active one, in one query, as tuples (pk, youth_id, youth's first and
        last names, status, attendance, host assessment): the session's page shows
        both, and a youth's whole row (fifty columns) cost more than the rest of its
        line."""
        return self.for_session_page_of(**enrolment_visibility(user), user_id=user.pk)

    def for_session_page_of(self, *, is_admin: bool, mission_locales, user_id: int):
        """`for_session_page` for what it reads of the scope (`enrolment_visibility`)
        and the user's pk, for a query compiled once (`accounts.compiled_shapes`)."""
        return (
            self.filter(
                _of_youths_of(is_admin=is_admin, mission_locales=mission_locales)
                | Q(
                    status__in=(EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITING),
                    participant_id=user_id,
                )
            )
            .order_by("status", "queued_at", "pk")
            .values_list(
                "pk",
                "youth_id",
                "youth__first_name",
                "youth__last_name",
                "status",
                "attendance",
                "host_assessment",
            )
        )

    def for_roster(self) -> EnrolmentQuerySet:
        return self.select_related(
            "youth", "youth__mission_locale", "youth__advisor", "participant", "enrolled_by"
        ).order_by("status", "queued_at", "pk")


class Enrolment(PortalModel):
    """A youth enrolled by their advisor, or an advisor enrolled in an advisor session.

    Never deleted: a cancelled enrolment keeps its row (status "cancelled"), and the
    enrolments of a cancelled session keep theirs, so the history stays readable.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    youth = models.ForeignKey(
        "candidates.Youth",
        verbose_name=_("jeune"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conseiller participant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="session_enrolments",
    )
    status = models.CharField(_("inscription"), max_length=16, choices=EnrolmentStatus.choices)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inscrit(e) par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    queued_at = models.DateTimeField(_("demande du"), default=timezone.now)
    promoted_at = models.DateTimeField(_("sorti(e) de la liste d'attente le"), null=True)
    cancelled_at = models.DateTimeField(_("désinscrit(e) le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attendance = models.CharField(
        _("présence"), max_length=16, choices=Attendance.choices, blank=True
    )
    host_assessment = models.CharField(
        _("avis de l'entreprise"), max_length=16, choices=HostAssessment.choices, blank=True
    )
    host_comment = models.TextField(_("commentaire de l'entreprise"), blank=True, default="")
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        indexes = [
            models.Index(fields=["session", "status", "queued_at"]),
            models.Index(fields=["youth", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="enrolment_youth_xor_participant",
                condition=Q(youth__isnull=False, participant__isnull=True)
                | Q(youth__isnull=True, participant__isnull=False),
                violation_error_message=_("Une inscription concerne un jeune ou un conseiller."),
            ),
            models.UniqueConstraint(
                fields=["session", "youth"],
                condition=Q(status__in=["confirmed", "waiting"], youth__isnull=False),
                name="enrolment_youth_once_per_session",
                violation_error_message=_("Ce jeune est déjà inscrit à cette session."),
            ),
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=Q(status__in=["confirmed", "waiting"], participant__isnull=False),
                name="enrolment_participant_once_per_session",
                violation_error_message=_("Vous êtes déjà inscrit(e) à cette session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_label} · {self.session}"

    @property
    def person_label(self) -> str:
        return str(self.youth or self.participant)

    @property
    def is_confirmed(self) -> bool:
        return self.status == EnrolmentStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == EnrolmentStatus.WAITING

    @property
    def is_active(self) -> bool:
        return self.status in (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITING)

    @property
    def advisor(self):
        """Who hears about this enrolment: the youth's advisor, or the advisor enrolled."""
        return self.youth.advisor if self.youth_id else self.participant

    @property
    def source_reference(self) -> str:
        """How the pathway event caused by this enrolment names it."""
        return f"immersion.Enrolment#{self.pk}"


#: The enrolments a session's page shows the user (`for_session_page`), compiled once
#: per shape of scope: the session's pk, `enrolment_visibility(user)` and the user's pk.
SESSION_PAGE_ENROLMENTS = CompiledShapes(
    lambda session_id, **who: Enrolment.objects.filter(session_id=session_id).for_session_page_of(
        **who
    )
)


#: A session with its host, as the session's page reads it, compiled once per shape of
#: scope (`session_visibility`): the instances are the ORM's own.
ONE_SESSION = CompiledShapes(
    lambda pk, **visibility: (
        Session.objects.seen_through(**visibility).filter(pk=pk).select_related("host")
    ),
    instances=True,
)

# The largest primary key PostgreSQL's bigint holds: a larger number in the address
# names no session (the ORM answers it with nothing, a parameter would be refused).
_LARGEST_PK = 2**63 - 1


def visible_session_with_host(user, pk: int, *, using: str = "default") -> Session | None:
    """`Session.objects.visible_to(user).select_related("host").get(pk=pk)`, or None,
    through a query compiled once: the instances are the ORM's own (`from_db`)."""
    if not 0 < pk <= _LARGEST_PK:
        return None
    found = ONE_SESSION(pk=pk, **session_visibility(user), using=using)
    return found[0] if found else None


class CalendarFeedKey(PortalModel):
    """The current key of a user's calendar feed links: one key per user, signing the
    user's links (one link per region), made when the links are first shown. Renewing it stops every link given before: a link copied
    where it should not be is revoked without touching the user's access to the portal.
    Without a row no link is valid."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_key",
        verbose_name=_("utilisateur"),
    )
    key = models.CharField(_("clé"), max_length=32)
    renewed_at = models.DateTimeField(_("renouvelée le"), default=timezone.now)

    class Meta:
        verbose_name = _("clé d'abonnement agenda")
        verbose_name_plural = _("clés d'abonnement agenda")

    def __str__(self) -> str:
        return f"{self.user} ({self.renewed_at:%d/%m/%Y})"
