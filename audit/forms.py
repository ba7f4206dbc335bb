from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from candidates.forms import date_input

from .enums import AuditPath


class AuditTrailFilterForm(forms.Form):
    """Filters of the trail (GET): the youth by number (never a name in an address a
    proxy may log), who changed, which path, between which days. An invalid filter is
    ignored, never an error page."""

    youth = forms.IntegerField(label=_("Numéro du jeune"), required=False, min_value=1)
    actor = forms.ModelChoiceField(
        label=_("Par"), queryset=User.objects.none(), required=False, empty_label=_("Tous")
    )
    path = forms.ChoiceField(
        label=_("Chemin"), choices=[("", _("Tous")), *AuditPath.choices], required=False
    )
    since = forms.DateField(label=_("Depuis le"), required=False, widget=date_input())
    until = forms.DateField(label=_("Jusqu'au"), required=False, widget=date_input())

    def __init__(self, *args, actors, with_youth: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        if not with_youth:
            del self.fields["youth"]

    def filter(self, entries):
        """Apply the valid filters to `entries` (already scoped to the user); days are
        calendar days in the portal's time zone."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("youth"):
            entries = entries.filter(youth_id=data["youth"])
        if data.get("actor"):
            entries = entries.filter(actor=data["actor"])
        if data.get("path"):
            entries = entries.filter(path=data["path"])
        if data.get("since"):
            entries = entries.filter(timestamp__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(timestamp__date__lte=data["until"])
        return entries
