from django.contrib import admin

from .models import AnnualReview, DigestSubscription, ReviewDocument, ReviewSection

# The digests sent, and the failed ones, are in "Courriels envoyés par le portail"
# (accounts), with every other email.


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
