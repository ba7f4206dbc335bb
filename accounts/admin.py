from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .mail import kind_label
from .models import (
    CompanyAccessRequest,
    InformationNotice,
    Invitation,
    Membership,
    Organisation,
    OutgoingEmail,
    Region,
    TaskFailure,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "siret", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "siret"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "status", "expires_at"]
    list_filter = ["status", "role"]
    readonly_fields = ["token"]


@admin.register(CompanyAccessRequest)
class CompanyAccessRequestAdmin(admin.ModelAdmin):
    list_display = ["company_name", "siret", "region", "email", "status", "created_at"]
    list_filter = ["status", "region"]


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    """Background jobs that failed for good: read only, newest first."""

    list_display = ["failed_at", "task_name", "exception", "arguments"]
    list_filter = ["task_name", "exception"]
    search_fields = ["task_name", "task_id"]
    readonly_fields = ["task_name", "task_id", "arguments", "exception", "message", "failed_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EmailKindFilter(admin.SimpleListFilter):
    """The kinds present, by their label (the kinds are registered by the apps)."""

    title = _("type")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = model_admin.get_queryset(request).values_list("kind", flat=True).distinct()
        return sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Every email the portal sent or tries to send; filter on "En échec" for the refused
    ones (also listed at /compte/courriels/), select them and send them again."""

    list_display = [
        "kind",
        "key",
        "recipient",
        "status",
        "attempts",
        "last_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", EmailKindFilter]
    search_fields = ["recipient__email", "key"]
    list_select_related = ["recipient"]
    readonly_fields = [
        "kind",
        "key",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "sent_at",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False  # rows are made by the tasks that send them

    @admin.action(description=_("Renvoyer les courriels sélectionnés"))
    def send_again(self, request, queryset):
        queued = 0
        for email in queryset:
            try:
                services.retry_outgoing_email(actor=request.user, email=email)
            except ValidationError:
                continue  # already sent: never twice
            queued += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d courriel remis en file d'envoi.",
                "%(count)d courriels remis en file d'envoi.",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS,
        )


@admin.register(InformationNotice)
class InformationNoticeAdmin(admin.ModelAdmin):
    """Read only: a notice is written as a file of the code and published on `migrate`
    (accounts/notices.py); a published version never changes."""

    list_display = ["title", "purpose", "version", "published_on"]
    list_filter = ["purpose"]
    readonly_fields = [
        "purpose",
        "version",
        "published_on",
        "title",
        "body",
        "title_en",
        "body_en",
        "text_sha256",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
