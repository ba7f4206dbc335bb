from django.contrib import admin

from .models import (
    Employment,
    JobRole,
    Offer,
    OfferNotice,
    OfferTransition,
    Proposal,
    ProposalTransition,
)


@admin.register(JobRole)
class JobRoleAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "order")
    list_editable = ("is_active", "order")
    search_fields = ("name", "keywords")


class OfferTransitionInline(admin.TabularInline):
    model = OfferTransition
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "actor", "reason", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("__str__", "company", "region", "status", "positions", "positions_filled")
    list_filter = ("status", "region", "contract_type", "job_role")
    search_fields = ("company__name", "city", "description")
    raw_id_fields = ("company", "created_by", "accompanied_by")
    # Status, counters and timestamps move only through the services (transition log).
    readonly_fields = (
        "status",
        "positions_filled",
        "submitted_at",
        "published_at",
        "closed_at",
        "filled_at",
    )
    inlines = [OfferTransitionInline]


class ProposalTransitionInline(admin.TabularInline):
    model = ProposalTransition
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "actor", "reason", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "origin", "created_at")
    list_filter = ("status", "origin")
    raw_id_fields = ("offer", "youth", "proposed_by")
    readonly_fields = ("status", "decline_reason", "status_changed_at")
    inlines = [ProposalTransitionInline]


@admin.register(Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = ("youth", "company", "contract_type", "start_date", "weekly_hours")
    raw_id_fields = ("proposal", "youth", "company", "recorded_by")


@admin.register(OfferNotice)
class OfferNoticeAdmin(admin.ModelAdmin):
    list_display = ("kind", "offer", "recipient", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("offer", "recipient")
