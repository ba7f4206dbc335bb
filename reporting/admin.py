from django.contrib import admin

from .models import AnnualReview, DigestDelivery, DigestSubscription, ReviewDocument, ReviewSection


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """Failed digests show here too (filter by status) after their retries."""

    list_display = ("month", "user", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "month")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    readonly_fields = ("user", "month", "attempts", "last_error", "created_at", "sent_at")


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "subscribed", "updated_at")
    list_select_related = ("user",)


class ReviewSectionInline(admin.StackedInline):
    model = ReviewSection
    extra = 0


class ReviewDocumentInline(admin.TabularInline):
    model = ReviewDocument
    extra = 0
    readonly_fields = (
        "version",
        "status",
        "error",
        "queued_at",
        "started_at",
        "finished_at",
        "size",
    )


@admin.register(AnnualReview)
class AnnualReviewAdmin(admin.ModelAdmin):
    list_display = ("year", "region")
    list_filter = ("year",)
    inlines = [ReviewSectionInline, ReviewDocumentInline]
