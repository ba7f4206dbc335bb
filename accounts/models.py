from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import (
    LEAD_INVITES_KINDS,
    NOTICE_SLUGS,
    AccessRequestStatus,
    EmailStatus,
    InvitationStatus,
    NoticePurpose,
    OrganisationKind,
    Role,
)
from .model_base import PortalModel
from .scope import get_scope
from .validators import validate_siret


class RegionQuerySet(models.QuerySet):
    def led_by(self, user) -> RegionQuerySet:
        """The regions whose committees, plans, conventions and immersion platform the
        user runs: those they are the project lead of (every region for admins)."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(pk__in=scope.lead_region_ids)

    def reviewed_by(self, user) -> RegionQuerySet:
        """The regions whose annual review the user reads: every region for national
        staff and admins, their own for a project lead."""
        scope = get_scope(user)
        if scope.is_admin or scope.is_national:
            return self.all()
        return self.filter(pk__in=scope.lead_region_ids)

    def of_memberships(self, user) -> RegionQuerySet:
        """The regions of the user's organisations, whatever their role."""
        return self.filter(pk__in=get_scope(user).region_ids())


class Region(PortalModel):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def of_kind(self, *kinds: str) -> OrganisationQuerySet:
        return self.filter(kind__in=kinds)

    def invitable_by(self, user) -> OrganisationQuerySet:
        """Organisations a user may invite members into (the rule of
        `permissions.can_invite_member`): admins any; a mission locale manager their
        own mission locales; a project lead the companies, training bodies and other
        partners of their region."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(
            Q(pk__in=scope.managed_mission_locale_ids)
            | Q(region_id__in=scope.lead_region_ids, kind__in=LEAD_INVITES_KINDS)
        )

    def companies_of(self, user) -> OrganisationQuerySet:
        """The companies the user recruits for."""
        return self.filter(pk__in=get_scope(user).company_ids)

    def mission_locales_of(self, user) -> OrganisationQuerySet:
        """The missions locales whose youths the user follows (every one for admins)."""
        qs = self.of_kind(OrganisationKind.MISSION_LOCALE)
        scope = get_scope(user)
        return qs if scope.is_admin else qs.filter(pk__in=scope.mission_locale_ids)

    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations a user may see.

        Admins and national staff see every organisation; a project lead sees every
        organisation of their region; anyone else sees their own organisations and
        the active organisations of the regions they work in (the partners they meet
        in offers and events). Nobody sees an organisation of another region.
        """
        scope = get_scope(user)
        if scope.is_admin or scope.is_national:
            return self.all()
        if not scope.memberships:
            return self.none()
        return self.filter(
            Q(pk__in=scope.organisation_ids())
            | Q(region_id__in=scope.region_ids(Role.PROJECT_LEAD))
            | Q(region_id__in=scope.region_ids(), is_active=True)
        ).distinct()


class Organisation(PortalModel):
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        default="",
        validators=[validate_siret],
        help_text=_("14 chiffres, pour les entreprises."),
    )
    postcode = models.CharField(_("code postal"), max_length=5, blank=True, default="")
    city = models.CharField(_("commune"), max_length=100, blank=True, default="")
    afrc_member_since = models.DateField(_("membre de l'AFRC depuis"), null=True, blank=True)
    afrc_member_until = models.DateField(_("membre de l'AFRC jusqu'au"), null=True, blank=True)
    network_member_since = models.DateField(
        _("membre du réseau d'entreprises depuis"), null=True, blank=True
    )
    network_member_until = models.DateField(
        _("membre du réseau d'entreprises jusqu'au"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                name="organisation_region_unless_national",
                condition=Q(kind__in=OrganisationKind.national(), region__isnull=True)
                | (~Q(kind__in=OrganisationKind.national()) & Q(region__isnull=False)),
                violation_error_message=_(
                    "Les organisations nationales n'ont pas de région ; toutes les autres en ont une."
                ),
            ),
            models.CheckConstraint(
                name="organisation_company_has_siret",
                condition=~Q(kind=OrganisationKind.COMPANY) | ~Q(siret=""),
                violation_error_message=_("Une entreprise doit avoir un SIRET."),
            ),
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="organisation_unique_siret",
                violation_error_message=_("Une organisation avec ce SIRET existe déjà."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        """People a user may see: admins see everyone; others see the members of their
        own organisations, and a project lead the members of their region's organisations."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(
            Q(memberships__organisation_id__in=scope.organisation_ids())
            | Q(memberships__organisation__region_id__in=scope.region_ids(Role.PROJECT_LEAD))
        ).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("The email is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser, PortalModel):
    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, default="")
    language = models.CharField(
        _("langue de l'interface et des e-mails"),
        max_length=5,
        choices=[("fr", "Français"), ("en", "English")],
        default="fr",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organisation__is_active=True)

    def of_managed_mission_locales(self, user) -> MembershipQuerySet:
        """The team of the missions locales the user manages (`can_see_team`)."""
        return self.filter(organisation_id__in=get_scope(user).managed_mission_locale_ids)

    def visible_to(self, user) -> MembershipQuerySet:
        """Memberships of the organisations a user manages or belongs to."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(
            Q(organisation_id__in=scope.organisation_ids())
            | Q(organisation__region_id__in=scope.region_ids(Role.PROJECT_LEAD))
        )


class Membership(PortalModel):
    user = models.ForeignKey(
        User, verbose_name=_("utilisateur"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique_user_organisation",
                violation_error_message=_("Cette personne appartient déjà à cette organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(status=InvitationStatus.PENDING, expires_at__gt=timezone.now())

    def visible_to(self, user) -> InvitationQuerySet:
        """Invitations to the organisations a user may invite into."""
        if get_scope(user).is_admin:
            return self.all()
        return self.filter(organisation__in=Organisation.objects.invitable_by(user))


class Invitation(PortalModel):
    email = models.EmailField(_("adresse e-mail"))
    first_name = models.CharField(_("prénom"), max_length=150, blank=True, default="")
    last_name = models.CharField(_("nom"), max_length=150, blank=True, default="")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("état"), max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invité par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "organisation"],
                condition=Q(status="pending"),
                name="invitation_one_pending_per_email_and_organisation",
                violation_error_message=_(
                    "Une invitation est déjà en attente pour cette adresse dans cette organisation."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING and not self.is_expired


class CompanyAccessRequestQuerySet(models.QuerySet):
    def pending(self) -> CompanyAccessRequestQuerySet:
        return self.filter(status=AccessRequestStatus.PENDING)

    def visible_to(self, user) -> CompanyAccessRequestQuerySet:
        """A project lead reviews the requests of their region; admins see all."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(region_id__in=scope.region_ids(Role.PROJECT_LEAD))


class CompanyAccessRequest(PortalModel):
    company_name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validate_siret])
    region = models.ForeignKey(Region, verbose_name=_("région"), on_delete=models.PROTECT)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail professionnelle"))
    phone = models.CharField(_("téléphone"), max_length=20)
    message = models.TextField(_("votre besoin"), blank=True, default="")
    status = models.CharField(
        _("état"),
        max_length=16,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("motif"), blank=True, default="")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CompanyAccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande d'accès d'entreprise")
        verbose_name_plural = _("demandes d'accès d'entreprises")
        constraints = [
            models.UniqueConstraint(
                fields=["siret", "email"],
                condition=Q(status="pending"),
                name="access_request_one_pending_per_siret_and_email",
                violation_error_message=_(
                    "Une demande est déjà en attente pour ce SIRET et cette adresse."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.email})"

    @property
    def is_pending(self) -> bool:
        return self.status == AccessRequestStatus.PENDING


class TaskFailure(PortalModel):
    """A background job that failed for good (its retries spent, or an error it does
    not retry): listed for admins, who would otherwise never hear of it. Jobs take ids,
    so the arguments kept here are ids; the message is the exception's, for admins
    only (logs carry the ids)."""

    task_name = models.CharField(_("tâche"), max_length=200)
    task_id = models.CharField(_("identifiant"), max_length=64, unique=True)
    arguments = models.CharField(_("arguments"), max_length=500, blank=True, default="")
    exception = models.CharField(_("erreur"), max_length=200)
    message = models.TextField(_("message"), blank=True, default="")
    failed_at = models.DateTimeField(_("échouée le"), auto_now_add=True)

    class Meta:
        ordering = ["-failed_at"]
        verbose_name = _("tâche en échec")
        verbose_name_plural = _("tâches en échec")

    def __str__(self) -> str:
        return f"{self.task_name} [{self.task_id}]"


# --- Outgoing emails ------------------------------------------------------------------


class OutgoingEmailQuerySet(models.QuerySet):
    def needing_attention(self) -> OutgoingEmailQuerySet:
        """What admins follow: refused for good or after the last retry, or refused at
        least once and still retrying."""
        return self.filter(
            Q(status=EmailStatus.FAILED) | Q(status=EmailStatus.PENDING, attempts__gt=0)
        )

    def for_list(self) -> OutgoingEmailQuerySet:
        """The admins' list: the recipient in the same query, the latest refusals first."""
        return self.select_related("recipient").order_by(
            models.F("last_attempt_at").desc(nulls_last=True), "-pk"
        )


class OutgoingEmail(PortalModel):
    """One email the portal sends, once: every app's emails go through this record.

    Keyed on what it is about: its kind (`offers.published`, `reporting.monthly_digest`
    ...), a key (an id, a version or a period) and the recipient (a user; none when the
    address belongs to the object itself, as for an invitation). The row is made before
    the send, so a job run twice sends once, and a refused send is never lost: it stays
    pending while it is retried, then is failed and listed for the admins. It keeps no
    content: the message is built when it leaves, from the data of that moment (consent
    withdrawn meanwhile, invitation accepted: nothing leaves). `last_error` holds the
    server's answer with any address masked."""

    kind = models.CharField(_("type"), max_length=40)
    key = models.CharField(_("clé"), max_length=80)
    recipient = models.ForeignKey(
        User,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outgoing_emails",
    )
    status = models.CharField(
        _("état"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True, default="")
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("dernier essai le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("courriel envoyé par le portail")
        verbose_name_plural = _("courriels envoyés par le portail")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"],
                condition=Q(recipient__isnull=False),
                name="outgoing_email_once_per_recipient",
            ),
            # NULLs are distinct in a unique index: an email without a recipient user
            # (an invitation) needs its own constraint to be sent once too.
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(recipient__isnull=True),
                name="outgoing_email_once_without_recipient",
            ),
        ]
        indexes = [models.Index(fields=["status", "attempts"], name="outgoing_email_attention")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} -> {self.recipient_id or '-'}"

    @property
    def is_failed(self) -> bool:
        return self.status == EmailStatus.FAILED

    @property
    def kind_label(self) -> str:
        """The kind's name in the interface (registered by the app that sends it)."""
        from .mail import kind_label

        return kind_label(self.kind)


class InformationNoticeQuerySet(models.QuerySet):
    def current(self) -> InformationNoticeQuerySet:
        """The version in force of each purpose: its highest version number."""
        latest = (
            InformationNotice.objects.filter(purpose=OuterRef("purpose"))
            .order_by("-version")
            .values("version")[:1]
        )
        return self.filter(version=Subquery(latest))

    def current_for(self, purpose: str) -> InformationNotice | None:
        """The version in force of one purpose (None before any is published)."""
        return self.filter(purpose=purpose).order_by("-version").first()


class InformationNotice(PortalModel):
    """One published version of an information notice (*mention d'information*): what a
    person is told about one purpose of the processing of their data.

    The texts are files of the code (`accounts/notice_texts/`, reviewed like code), and
    each version is copied here once by `services.publish_information_notices`; a row is
    never changed afterwards, so a consent (`candidates.ConsentRecord`) keeps pointing to
    the words the youth was shown. Changing a notice means writing its next version."""

    purpose = models.CharField(_("finalité"), max_length=32, choices=NoticePurpose.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    published_on = models.DateField(_("publiée le"))
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte (Markdown)"))
    # A translation for information; the French text is the notice.
    title_en = models.CharField(_("titre en anglais"), max_length=200, blank=True, default="")
    body_en = models.TextField(_("texte en anglais (Markdown)"), blank=True, default="")
    # SHA-256 of the texts as published: a changed file is refused, never copied over.
    text_sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InformationNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["purpose", "-version"]
        verbose_name = _("mention d'information")
        verbose_name_plural = _("mentions d'information")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="notice_one_row_per_version"
            ),
            models.CheckConstraint(name="notice_version_from_1", condition=Q(version__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def slug(self) -> str:
        return NOTICE_SLUGS[self.purpose]

    def text_in(self, language: str | None) -> tuple[str, str, bool]:
        """(title, Markdown body, is_translation) in `language`: the English translation
        when asked for and written, the French text otherwise."""
        if (language or "").startswith("en") and self.body_en:
            return self.title_en or self.title, self.body_en, True
        return self.title, self.body, False
