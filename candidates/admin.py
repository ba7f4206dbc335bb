from django.contrib import admin

from .models import (
    Assessment,
    DataSubjectRequest,
    FollowUpNote,
    ImportBatch,
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
    raw_id_fields = ["advisor", "consent_recorded_by", "consent_withdrawn_by", "created_by"]

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
    ]
    inlines = [PathwayEventInline]


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
    DataSubjectRequest,
    YouthTransfer,
):
    admin.site.register(model)


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
