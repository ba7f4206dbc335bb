"""Admin of the immersion app: read and correct. Capacity and the counters are kept by
the services, so the admin shows them read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import feed
from .models import (
    CaeContract,
    CalendarFeedKey,
    Cohort,
    Enrolment,
    PoolRequest,
    Session,
    SessionLog,
)


class SessionLogInline(admin.TabularInline):
    model = SessionLog
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "actor", "reason", "created_at")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "region",
        "host",
        "starts_at",
        "status",
        "confirmed_count",
        "capacity",
    )
    list_filter = ("kind", "status", "region")
    search_fields = ("title", "city", "host__name")
    date_hierarchy = "starts_at"
    raw_id_fields = ("host", "created_by")
    readonly_fields = ("status", "confirmed_count", "waiting_count", "sequence")
    inlines = [SessionLogInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("session", "youth", "participant", "status", "attendance")
    list_filter = ("status", "attendance")
    raw_id_fields = (
        "session",
        "youth",
        "participant",
        "enrolled_by",
        "cancelled_by",
        "attendance_recorded_by",
    )
    readonly_fields = ("status",)


class CaeContractInline(admin.TabularInline):
    model = CaeContract
    extra = 0
    raw_id_fields = ("youth", "created_by")


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("year", "region", "size")
    list_filter = ("region",)
    inlines = [CaeContractInline]


@admin.register(PoolRequest)
class PoolRequestAdmin(admin.ModelAdmin):
    list_display = ("company", "youth", "offer", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("recruiter", "company", "youth", "offer", "proposal", "answered_by")


@admin.register(CalendarFeedKey)
class CalendarFeedKeyAdmin(admin.ModelAdmin):
    """Keys of calendar feed links: renewing (or deleting) one revokes the user's links."""

    list_display = ("user", "renewed_at")
    search_fields = ("user__email", "user__last_name")
    readonly_fields = ("user", "renewed_at")
    exclude = ("key",)
    actions = ("renew",)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Renouveler la clé (révoque les liens d'abonnement donnés)"))
    def renew(self, request, queryset):
        for feed_key in queryset.select_related("user"):
            feed.renew_key(feed_key.user)
        self.message_user(request, _("Clés renouvelées."), messages.SUCCESS)
