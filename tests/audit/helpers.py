from audit.models import AuditEntry, object_reference


def entries_of(obj, **filters):
    """The trail's entries about one row, oldest first."""
    return AuditEntry.objects.filter(
        object_repr=object_reference(type(obj), obj.pk), **filters
    ).order_by("pk")
