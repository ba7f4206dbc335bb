from django.contrib import admin

from .access_log import AccessLogEntry, record_access
from .enums import AccessKind
from .models import (
    Assessment,
    ConsentRecord,
    DataSubjectRequest,
    FollowUpNote,
    ImportBatch,
    ImportMapping,
    InCompanyCheckIn,
    Mentor,
    MentoringPair,
    PathwayEvent,
    SubjectRequest,
    VaeProject,
    Youth,
    YouthTransfer,
)


class PathwayEventInline(admin.TabularInline):
    model = PathwayEvent
    extra = 0
    can_delete = False
    readonly_fields = ["stage", "previous_stage", "occurred_on", "author", "source", "exit_reason"]


class ConsentRecordInline(admin.TabularInline):
    """The consent history is the proof: shown, never written here (the services keep
    it and the youth's copy in step)."""

    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "action", "method", "notice", "recorded_by", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Youth)
class YouthAdmin(admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "mission_locale",
        "status",
        "anonymised_at",
        "advisor",
        "current_stage",
    ]
    list_filter = ["current_stage", "status", "mission_locale"]
    search_fields = ["search_name", "email"]
    raw_id_fields = ["advisor", "created_by"]

    # Youths are registered and renamed through the portal's pages (the services keep
    # the search key and the pathway); the stage is derived from the events.
    def has_add_permission(self, request):
        return False

    readonly_fields = [
        "first_name",
        "last_name",
        "birth_date",
        "mission_locale",
        "current_stage",
        "stage_changed_on",
        "search_name",
        "last_contact_on",
        "last_assessment_outcome",
        # Consent changes only with its proof, through the portal's consent pages.
        "consent_shared_at",
        "consent_recorded_by",
        "consent_withdrawn_at",
        "consent_withdrawn_by",
    ]
    inlines = [PathwayEventInline, ConsentRecordInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """An admin opening a youth's file here opens it as much as on the portal's page:
        recorded in the access log (a GET shown; a save is the audit trail's business)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        youth = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and response.status_code == 200 and youth is not None:
            record_access(
                user=request.user, kind=AccessKind.YOUTH_FILE, youth=youth, request=request
            )
        return response


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "mission_locale",
        "kind",
        "charter_signed_on",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]


for model in (
    Assessment,
    FollowUpNote,
    InCompanyCheckIn,
    MentoringPair,
    VaeProject,
    ImportBatch,
    ImportMapping,
    DataSubjectRequest,
    YouthTransfer,
):
    admin.site.register(model)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """The access log, read-only: an entry is written by the portal and removed by the
    retention purge only, never added, edited or deleted by hand."""

    list_display = [
        "at",
        "user",
        "kind",
        "youth_id",
        "object_type",
        "object_id",
        "rows",
        "url_name",
    ]
    list_filter = ["kind"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "youth", "mission_locale"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubjectRequest)
class SubjectRequestAdmin(admin.ModelAdmin):
    """Read for operators; requests are recorded and closed through the portal's pages
    (the services compute the due date and anonymise on an erasure)."""

    list_display = ["youth", "kind", "received_on", "due_on", "status", "closed_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["youth", "recorded_by", "handled_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
