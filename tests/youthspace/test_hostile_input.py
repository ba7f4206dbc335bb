"""The hostile payload table of the youth space's forms, run by
`tests/test_hostile_input.py` (see `tests/hostile_forms.py` for what each payload must
give): the advisor's next step (shown escaped on the youth's page and in the youth's
space) and the address typed to get a sign-in link (an email: refused, nothing sent)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import OutgoingEmail
from tests.hostile_forms import FormCase, Situation, stored
from youthspace.forms import LinkRequestForm, NextStepForm
from youthspace.models import YouthSpace

from .factories import open_space

pytestmark = pytest.mark.django_db


def _next_step() -> Situation:
    space = open_space()
    youth = space.youth
    return Situation(
        url=reverse("youthspace:next_step", args=[youth.pk]),
        data={"next_step": "Venir avec une pièce d'identité."},
        user=youth.advisor,
        read=stored(YouthSpace.objects.all()),
        page=reverse("candidates:youth_detail", args=[youth.pk]),
    )


def _link_request() -> Situation:
    open_space()
    return Situation(
        url=reverse("youthspace:request_link"),
        data={"email": "personne@exemple.fr"},
        user=None,
        read=stored(OutgoingEmail.objects.all(), email="kind"),
    )


CASES = [
    FormCase("youthspace-next-step", (NextStepForm,), _next_step, text=("next_step",)),
    FormCase(
        "youthspace-link-request",
        (LinkRequestForm,),
        _link_request,
        text=(),
        constrained=("email",),
    ),
]
