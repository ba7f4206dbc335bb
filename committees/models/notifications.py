"""What periodic and queued jobs already sent."""

from __future__ import annotations

from django.db import models

from accounts.models import User


class SentNotification(models.Model):
    """One row per email a periodic or queued job sent, keyed on its period or version,
    so that a retried or repeated job never sends it twice."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=80)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"], name="sent_notification_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} -> {self.recipient_id}"
