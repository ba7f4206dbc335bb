"""Views of the immersion platform (cohorts and CAE contracts), the candidate pool
recruiters browse, their requests to advisors, and the national counts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.form_helpers import apply_service_errors
from accounts.models import Region
from accounts.years import FIRST_YEAR, LAST_YEAR
from candidates.models import Youth
from offers.models import Offer
from reporting.tables import count_cell

from .. import services
from ..enums import Attendance, ProgrammeKind, SessionStatus
from ..forms import (
    CaeContractForm,
    CohortForm,
    CohortSizeForm,
    ContractOutcomeForm,
    PoolAnswerForm,
    PoolRequestForm,
)
from ..models import (
    CaeContract,
    Cohort,
    Enrolment,
    PoolRequest,
    Session,
    pool_members,
)
from ..permissions import (
    available_pool_request_actions,
    can_add_contract,
    can_browse_pool,
    can_create_cohort,
    can_manage_cohort,
    can_record_contract_outcome,
    can_see_national_counts,
)
from ..sharing import participant_label, pool_request_youth_label

# --- Cohorts ------------------------------------------------------------------------------


def cohort_list(request):
    cohorts = Cohort.objects.visible_to(request.user).with_occupancy()
    return render(
        request,
        "immersion/cohort_list.html",
        {"cohorts": cohorts, "can_create": can_create_cohort(request.user)},
    )


def cohort_create(request):
    if not can_create_cohort(request.user):
        raise PermissionDenied
    regions = Region.objects.led_by(request.user)
    form = CohortForm(
        request.POST or None, regions=regions, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("La promotion est ouverte."))
            return redirect("immersion:cohort_detail", cohort.pk)
    return render(request, "immersion/cohort_form.html", {"form": form})


def _contract_form(request, cohort, data=None):
    youths = (
        Youth.objects.visible_to(request.user)
        .not_anonymised()
        .filter(mission_locale__region_id=cohort.region_id)
        .exclude(cae_contracts__cohort=cohort)
        .order_by("last_name", "first_name")
    )
    return CaeContractForm(data, youths=youths)


def cohort_detail(request, pk, contract_form=None, size_form=None):
    """The platform's contracts: each row is a contract the user may see
    (`CaeContract.objects.visible_to`: their own mission locale's youths, every contract
    for the region's project lead who runs it), its youth named by `participant_label`;
    the other missions locales' contracts are counted, never listed."""
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user).with_occupancy(), pk=pk)
    user = request.user
    contracts = (
        CaeContract.objects.visible_to(user)
        .filter(cohort=cohort)
        .select_related("cohort", "youth", "youth__mission_locale")
        .order_by("start_on", "pk")
    )
    rows = []
    for number, contract in enumerate(contracts, start=1):
        rows.append(
            {
                "contract": contract,
                "label": participant_label(user, contract.youth, number),
                "outcome_form": ContractOutcomeForm(prefix=f"c{contract.pk}")
                if not contract.has_outcome and can_record_contract_outcome(user, contract)
                else None,
            }
        )
    others = (
        cohort.contracts.exclude(pk__in=[row["contract"].pk for row in rows])
        .order_by("youth__mission_locale__name")
        .values_list("youth__mission_locale__name")
        .annotate(n=Count("pk"))
    )
    can_manage = can_manage_cohort(user, cohort)
    context = {
        "cohort": cohort,
        "rows": rows,
        "others": list(others),
        "can_manage": can_manage,
        "size_form": size_form
        or (CohortSizeForm(initial={"size": cohort.size}) if can_manage else None),
        "contract_form": contract_form
        or (_contract_form(request, cohort) if can_add_contract(user, cohort) else None),
    }
    return render(request, "immersion/cohort_detail.html", context)


@require_POST
def cohort_size(request, pk):
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    if not can_manage_cohort(request.user, cohort):
        raise PermissionDenied
    form = CohortSizeForm(request.POST)
    if form.is_valid():
        try:
            services.set_cohort_size(
                actor=request.user, cohort=cohort, size=form.cleaned_data["size"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("La taille de la promotion est changée."))
            return redirect("immersion:cohort_detail", cohort.pk)
    return cohort_detail(request, cohort.pk, size_form=form)


@require_POST
def contract_create(request, pk):
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    if not can_add_contract(request.user, cohort):
        raise PermissionDenied
    form = _contract_form(request, cohort, request.POST)
    if form.is_valid():
        try:
            services.add_cae_contract(actor=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Le contrat CAE est enregistré."))
            return redirect("immersion:cohort_detail", cohort.pk)
    return cohort_detail(request, cohort.pk, contract_form=form)


@require_POST
def contract_outcome(request, pk):
    contract = get_object_or_404(
        CaeContract.objects.visible_to(request.user).select_related("cohort", "youth"), pk=pk
    )
    if not can_record_contract_outcome(request.user, contract):
        raise PermissionDenied
    form = ContractOutcomeForm(request.POST, prefix=f"c{contract.pk}")
    if form.is_valid():
        try:
            services.record_contract_outcome(
                actor=request.user,
                contract=contract,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("L'issue du contrat est enregistrée."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("immersion:cohort_detail", contract.cohort_id)


# --- The candidate pool -------------------------------------------------------------------


def pool_list(request):
    if not can_browse_pool(request.user):
        raise PermissionDenied
    members = pool_members(request.user)
    return render(
        request,
        "immersion/pool_list.html",
        {"profiles": [(youth.pk, youth.shared_profile()) for youth in members]},
    )


def pool_member(request, pk):
    if not can_browse_pool(request.user):
        raise PermissionDenied
    youth = get_object_or_404(pool_members(request.user), pk=pk)
    offers = (
        Offer.objects.of_user_companies(request.user)
        .filter(region_id=youth.mission_locale.region_id)
        .published()
        .select_related("job_role")
        .order_by("-published_at", "pk")
    )
    form = PoolRequestForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_pool_proposal(recruiter=request.user, youth=youth, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Votre demande est transmise au conseiller qui suit ce jeune.")
            )
            return redirect("immersion:pool_requests")
    return render(
        request,
        "immersion/pool_member.html",
        {"youth_id": youth.pk, "profile": youth.shared_profile(), "form": form},
    )


def pool_requests(request):
    requests = PoolRequest.objects.visible_to(request.user).select_related(
        "youth", "company", "recruiter", "answered_by", "offer__job_role", "offer__company"
    )
    rows = []
    for pool_request in requests:
        rows.append(
            {
                "request": pool_request,
                "youth_label": pool_request_youth_label(request.user, pool_request),
                "actions": available_pool_request_actions(pool_request, request.user),
                "form": PoolAnswerForm(prefix=f"r{pool_request.pk}"),
            }
        )
    return render(request, "immersion/pool_requests.html", {"rows": rows})


@require_POST
def pool_request_answer(request, pk, action):
    pool_request = get_object_or_404(
        PoolRequest.objects.visible_to(request.user).select_related("youth"), pk=pk
    )
    if action not in dict(available_pool_request_actions(pool_request, request.user)):
        raise PermissionDenied
    form = PoolAnswerForm(request.POST, prefix=f"r{pool_request.pk}")
    if form.is_valid():
        try:
            services.answer_pool_request(
                actor=request.user,
                pool_request=pool_request,
                action=action,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Votre réponse est envoyée au recruteur."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("immersion:pool_requests")


# --- National counts ----------------------------------------------------------------------


def _counts_year(request) -> int:
    """The year asked for (`?annee=`), or this year, with a message, when it is not a
    year the portal counts in (the database would refuse it)."""
    this_year = timezone.localdate().year
    value = request.GET.get("annee", "")
    if not value:
        return this_year
    try:
        year = int(value)
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        messages.warning(
            request,
            _(
                "L'année doit être comprise entre %(first)s et %(last)s : "
                "voici les chiffres de %(year)s."
            )
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "year": this_year},
        )
        return this_year
    return year


def _masked(value) -> int | str:
    """A count as national staff see it: 1 to 4 shown "< 5" (no re-identification)."""
    return count_cell(value or 0, masked=True)


def national_counts(request):
    """Counts by region for the year: sessions, held, seats taken, attendance, platform
    occupancy. Aggregated in the database; no name, no session detail; every count from
    1 to 4 is shown "< 5", as in the other national views."""
    if not can_see_national_counts(request.user):
        raise PermissionDenied
    year = _counts_year(request)
    sessions = Session.objects.filter(starts_at__year=year)
    by_region = (
        sessions.values("region__name")
        .annotate(
            total=Count("pk"),
            held=Count("pk", filter=Q(status=SessionStatus.HELD)),
            cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
            seats=Sum("capacity"),
            confirmed=Sum("confirmed_count"),
        )
        .order_by("region__name")
    )
    attended = dict(
        Enrolment.objects.filter(session__in=sessions, attendance=Attendance.ATTENDED)
        .values("session__region__name")
        .annotate(n=Count("pk"))
        .values_list("session__region__name", "n")
    )
    rows = [
        {
            "region": row["region__name"],
            **{
                name: _masked(row[name])
                for name in ("total", "held", "cancelled", "seats", "confirmed")
            },
            "attended": _masked(attended.get(row["region__name"])),
        }
        for row in by_region
    ]
    kind_labels = dict(ProgrammeKind.choices)
    by_kind = [
        {"kind": kind_labels.get(row["kind"], row["kind"]), "total": _masked(row["total"])}
        for row in sessions.values("kind").annotate(total=Count("pk")).order_by("kind")
    ]
    # The size is the platform's setting, not a count of people: shown as it is.
    cohorts = [
        {"region": cohort.region.name, "occupancy": _masked(cohort.occupancy), "size": cohort.size}
        for cohort in Cohort.objects.filter(year=year).with_occupancy().order_by("region__name")
    ]
    return render(
        request,
        "immersion/national_counts.html",
        {
            "year": year,
            "first_year": FIRST_YEAR,
            "last_year": LAST_YEAR,
            "rows": rows,
            "by_kind": by_kind,
            "cohorts": cohorts,
        },
    )
