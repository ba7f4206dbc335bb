"""The trail in the admin: read only. An entry is evidence: nobody edits or deletes it
by hand (anonymisation scrubs its values, see `audit/personal_data.py`)."""

from django.contrib import admin

from .models import AuditEntry

# django-auditlog registers its own admin for the entry model; ours is read only.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "actor", "path", "object_repr", "action", "youth_id")
    list_filter = ("path", "action", "content_type")
    search_fields = ("object_repr",)
    list_select_related = ("actor",)
    date_hierarchy = "timestamp"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
