from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NEXT_STEP_MAX_LENGTH


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_("Celle que votre conseiller a enregistrée."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NextStepForm(forms.Form):
    next_step = forms.CharField(
        label=_("Prochaine étape convenue avec le jeune"),
        max_length=NEXT_STEP_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une ou deux phrases, lues par le jeune dans son espace."),
    )
