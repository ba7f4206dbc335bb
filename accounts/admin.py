from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    CompanyAccessRequest,
    Invitation,
    Membership,
    Organisation,
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
