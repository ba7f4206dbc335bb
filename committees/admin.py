from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    ActionItem,
    ActionPlan,
    Commitment,
    Committee,
    CommitteeMember,
    Convention,
    ConventionRenewal,
    Document,
    Meeting,
    PlanItem,
)


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    raw_id_fields = ("user", "organisation")
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "is_active")
    list_filter = ("kind", "region")
    inlines = [CommitteeMemberInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "committee", "starts_at")
    list_select_related = ("committee",)
    raw_id_fields = ("prepared_from", "created_by")


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("title", "committee", "owner", "due_on", "status")
    list_filter = ("status",)
    list_select_related = ("committee", "owner")
    raw_id_fields = ("meeting", "decision", "owner", "plan_item", "created_by")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Documents arrive only through the meeting and commitment pages, which check their
    content (`services.attach_document`): the admin neither adds nor replaces a file,
    and links to the portal's download (the storage has no URL of its own)."""

    list_display = ("original_name", "kind", "size", "meeting", "commitment", "uploaded_at")
    raw_id_fields = ("meeting", "commitment", "uploaded_by")
    exclude = ("file",)
    readonly_fields = ("download", "original_name", "kind", "size")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("fichier"))
    def download(self, document):
        url = reverse("committees:document_download", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, document.original_name)


class ConventionRenewalInline(admin.TabularInline):
    model = ConventionRenewal
    extra = 0


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "signed_on", "duration_years")
    inlines = [ConventionRenewalInline]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ("article", "signatory", "status", "convention")
    list_filter = ("status", "article")
    list_select_related = ("signatory", "convention")


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    raw_id_fields = ("owner_organisation",)


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "year")
    inlines = [PlanItemInline]
