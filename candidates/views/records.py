"""Pages around a youth's file: mentoring (mentors, pairs, meetings), VAE projects, and
handing a youth to another mission locale. The data-subject rights: `rights.py`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.form_helpers import apply_service_errors

from .. import services
from ..forms import (
    MeetingForm,
    MentorForm,
    MoveForm,
    PairEndForm,
    PairForm,
    VaeProjectForm,
)
from ..models import Mentor, MentoringPair, Youth
from ..permissions import (
    can_manage_mentors,
    can_move_youth,
)
from .common import (
    form_page,
    get_visible_youth,
    require_editable,
    require_pool,
    user_mission_locales,
)


def mentor_list(request):
    require_pool(request.user)
    mentors = (
        Mentor.objects.visible_to(request.user)
        .select_related("mission_locale")
        .annotate(active_pairs=Count("pairs", filter=Q(pairs__ended_on__isnull=True)))
        .order_by("last_name", "first_name", "pk")
    )
    return render(request, "candidates/mentor_list.html", {"mentors": mentors})


def mentor_detail(request, pk: int):
    require_pool(request.user)
    mentor = get_object_or_404(
        Mentor.objects.visible_to(request.user).select_related("mission_locale"), pk=pk
    )
    pairs = (
        mentor.pairs.filter(youth__in=Youth.objects.visible_to(request.user))
        .select_related("youth")
        .prefetch_related("meetings")
        .order_by("ended_on", "-started_on")
    )
    return render(request, "candidates/mentor_detail.html", {"mentor": mentor, "pairs": pairs})


def mentor_form(request, pk: int | None = None):
    require_pool(request.user)
    mentor = None
    if pk is not None:
        mentor = get_object_or_404(Mentor.objects.visible_to(request.user), pk=pk)
    form = MentorForm(request.POST or None, instance=mentor)
    if mentor is None:
        form.fields["mission_locale"] = forms.ModelChoiceField(
            label=_("Mission locale"), queryset=user_mission_locales(request.user)
        )
        only = list(user_mission_locales(request.user)[:2])
        if len(only) == 1:
            form.fields["mission_locale"].initial = only[0]
            form.fields["mission_locale"].widget = forms.HiddenInput()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        mission_locale = data.pop("mission_locale", None)
        ml_id = mentor.mission_locale_id if mentor else mission_locale.pk
        if not can_manage_mentors(request.user, ml_id):
            raise PermissionDenied
        try:
            services.save_mentor(
                actor=request.user, mentor=mentor, mission_locale=mission_locale, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Le parrain ou la marraine a été enregistré(e)."))
            return redirect("candidates:mentor_list")
    title = (
        _("Modifier %(name)s") % {"name": mentor} if mentor else _("Nouveau parrain ou marraine")
    )
    return render(request, "candidates/form_page.html", {"form": form, "title": title})


def pair_create(request, pk: int):
    youth = get_visible_youth(request, pk, for_update=True)
    form = PairForm(request.POST or None, youth=youth)
    return form_page(
        request,
        youth=youth,
        form=form,
        title=_("Proposer un parrainage"),
        intro=_("Seuls les parrains disponibles ayant signé la charte nationale sont proposés."),
        success=_("Le parrainage a commencé."),
        action=lambda data: services.pair_mentor(
            youth=youth, mentor=data["mentor"], started_on=data["started_on"], actor=request.user
        ),
    )


def _visible_pair(request, pk: int) -> MentoringPair:
    """A pair of a youth the user sees (404 otherwise; the queryset is scoped to visible
    youths), with its youth and mentor; 403 when the youth's file is frozen."""
    require_pool(request.user)
    pair = get_object_or_404(
        MentoringPair.objects.visible_to(request.user).select_related("mentor", "youth"), pk=pk
    )
    require_editable(request.user, pair.youth)
    return pair


def pair_end(request, pk: int):
    pair = _visible_pair(request, pk)
    form = PairEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    return form_page(
        request,
        youth=pair.youth,
        form=form,
        title=_("Terminer le parrainage avec %(mentor)s") % {"mentor": pair.mentor},
        success=_("Le parrainage est terminé."),
        action=lambda data: services.end_mentoring(
            pair=pair, ended_on=data["ended_on"], reason=data["end_reason"], actor=request.user
        ),
    )


def meeting_create(request, pk: int):
    pair = _visible_pair(request, pk)
    form = MeetingForm(request.POST or None, initial={"met_on": timezone.localdate()})
    return form_page(
        request,
        youth=pair.youth,
        form=form,
        title=_("Rencontre avec %(mentor)s") % {"mentor": pair.mentor},
        success=_("La rencontre a été enregistrée."),
        action=lambda data: services.record_mentoring_meeting(
            pair=pair, met_on=data["met_on"], note=data["note"], actor=request.user
        ),
    )


def vae_form(request, pk: int, project_pk: int | None = None):
    youth = get_visible_youth(request, pk, for_update=True)
    project = get_object_or_404(youth.vae_projects, pk=project_pk) if project_pk else None
    form = VaeProjectForm(
        request.POST or None,
        project=project,
        initial=None if project else {"started_on": timezone.localdate()},
    )
    return form_page(
        request,
        youth=youth,
        form=form,
        title=_("Projet de VAE ou de certification"),
        success=_("Le projet a été enregistré."),
        action=lambda data: services.save_vae_project(
            youth=youth, actor=request.user, project=project, **data
        ),
    )


def youth_move(request, pk: int):
    youth = get_visible_youth(request, pk, for_update=True)
    if not can_move_youth(request.user, youth):
        raise PermissionDenied(_("Seul un responsable de la mission locale transfère un jeune."))
    form = MoveForm(request.POST or None, youth=youth)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_youth_to_mission_locale(
                youth=youth,
                mission_locale=form.cleaned_data["mission_locale"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s est désormais suivi(e) par %(ml)s.")
                % {"name": youth, "ml": form.cleaned_data["mission_locale"]},
            )
            return redirect("candidates:youth_list")
    return render(
        request,
        "candidates/form_page.html",
        {
            "youth": youth,
            "form": form,
            "title": _("Transférer vers une autre mission locale"),
            "intro": _(
                "Après le transfert, votre mission locale ne verra plus ce dossier ; "
                "un parrainage en cours est terminé."
            ),
        },
    )
