"""Registering youths in a mission locale's pool (by hand or by import), changing
their file, and handing them to another mission locale."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import OrganisationKind, Role
from accounts.locks import lock_for_transaction
from accounts.models import Membership, Organisation, User
from audit.trail import audited_update, record_creations

from ..enums import (
    PathwayStage,
)
from ..models import (
    MAX_AGE,
    MIN_AGE,
    MentoringPair,
    PathwayEvent,
    Youth,
    YouthTransfer,
    age_on,
)
from ..permissions import can_edit_youth, can_move_youth, can_register_youths_in
from ..text import normalise_name
from .rules import check_editable, require

YOUTH_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "postcode",
    "city",
    "education_level",
    "previous_sector",
    "skills",
    "mobility",
    "availability",
    "contract_wishes",
    "civis_start",
    "civis_end",
    "advisor",
)


#: Youths and events per INSERT when registering in bulk.
INSERT_BATCH = 5000


def check_birth_date(birth_date: date, registered_on: date, field: str = "birth_date") -> None:
    """The convention follows young people aged 16 to 25 when they register."""
    if birth_date > timezone.localdate():
        raise ValidationError({field: _("La date de naissance ne peut pas être dans le futur.")})
    age = age_on(birth_date, registered_on)
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationError(
            {
                field: _(
                    "Le jeune doit avoir entre %(min)s et %(max)s ans à l'inscription "
                    "(ici %(age)s ans)."
                )
                % {"min": MIN_AGE, "max": MAX_AGE, "age": age}
            }
        )


# The roles of a mission locale's team: either may be a youth's referent advisor.
ADVISOR_ROLES = (Role.ADVISOR, Role.ML_MANAGER)


def mission_locale_advisors(mission_locales) -> QuerySet[User]:
    """The people who may be the referent advisor of a youth of `mission_locales` (one
    Organisation or pk, or several, or a queryset): an active advisor or manager
    membership of an active organisation (`Membership.objects.active()`, the rule of
    the user's scope). The youth forms offer exactly these, the services accept only
    these, the import matches e-mails against them and the list filters by them."""
    if isinstance(mission_locales, Organisation | int):
        mission_locales = [mission_locales]
    memberships = Membership.objects.active().filter(
        organisation__in=mission_locales, role__in=ADVISOR_ROLES
    )
    return User.objects.filter(pk__in=memberships.values("user_id"))


def _check_advisor(advisor: User | None, mission_locale: Organisation) -> None:
    if advisor is None:
        return
    if not mission_locale_advisors(mission_locale).filter(pk=advisor.pk).exists():
        raise ValidationError(
            {"advisor": _("Ce conseiller ne fait pas partie de la mission locale du jeune.")}
        )


DUPLICATE = "duplicate"
ALREADY_SENT = gettext_lazy(
    "Ce formulaire a déjà été envoyé : le jeune est inscrit (voir ci-dessous)."
)


def lock_registrations(mission_locale: Organisation) -> None:
    """Registrations in one mission locale wait for each other, so that the duplicate
    check below sees what a registration sent at the same instant just created."""
    lock_for_transaction(f"youth-registration:{mission_locale.pk}")


@transaction.atomic
def register_youth(
    *,
    actor: User,
    mission_locale: Organisation,
    registered_on: date | None = None,
    confirmed_not_duplicate: bool = False,
    submission_token: str | None = None,
    **fields,
) -> Youth:
    """Register a youth in a mission locale's pool.

    The youth is 16 to 25 on the registration day; the advisor belongs to that mission
    locale. A youth of the same name and birth date already followed there is refused
    (code "duplicate") unless the actor confirmed it is another person; the same form
    (`submission_token`) never registers twice, even sent twice at the same instant.
    The pathway starts with an "information" event by the actor, so the current stage
    always comes from an event.
    """
    if mission_locale.kind != OrganisationKind.MISSION_LOCALE:
        raise ValidationError(_("Un jeune est inscrit dans une mission locale."))
    require(can_register_youths_in(actor, mission_locale.pk))
    unknown = set(fields) - set(YOUTH_FIELDS)
    if unknown:
        raise TypeError(f"unknown youth fields: {sorted(unknown)}")
    registered_on = registered_on or timezone.localdate()
    check_birth_date(fields["birth_date"], registered_on)
    _check_advisor(fields.get("advisor"), mission_locale)
    lock_registrations(mission_locale)
    if submission_token and Youth.objects.filter(submission_token=submission_token).exists():
        raise ValidationError(ALREADY_SENT, code=DUPLICATE)
    if (
        not confirmed_not_duplicate
        and Youth.objects.possible_duplicates(
            mission_locale_id=mission_locale.pk,
            first_name=fields["first_name"],
            last_name=fields["last_name"],
            birth_date=fields["birth_date"],
        ).exists()
    ):
        raise ValidationError(
            _(
                "Un jeune de même nom et même date de naissance est déjà suivi : "
                "vérifiez ci-dessous avant d'enregistrer."
            ),
            code=DUPLICATE,
        )
    youth = Youth(
        submission_token=submission_token or None,
        mission_locale=mission_locale,
        registered_on=registered_on,
        created_by=actor,
        current_stage=PathwayStage.INFORMATION,
        stage_changed_on=registered_on,
        **fields,
    )
    youth.search_name = normalise_name(youth.last_name, youth.first_name)
    youth.full_clean(exclude=["search_name"])
    youth.save()
    PathwayEvent.objects.create(
        youth=youth,
        mission_locale_id=youth.mission_locale_id,
        stage=PathwayStage.INFORMATION,
        occurred_on=registered_on,
        author=actor,
        note=_("Inscription dans le vivier."),
    )
    return youth


@transaction.atomic
def register_youths(*, actor: User, mission_locale: Organisation, rows: list[dict]) -> list[Youth]:
    """Register many youths at once (a spreadsheet import), with the same rules as
    `register_youth`: 16 to 25 at registration, advisors of this mission locale, an
    "information" event each. Youths already in the mission locale (same name and birth
    date) are left out, so the same rows twice create nobody new. Each row holds
    YOUTH_FIELDS (advisor as `advisor_id`) and optionally `registered_on`. An import's
    confirmation (`candidates.import_confirm`) runs the same rounds on a large file.
    """
    if mission_locale.kind != OrganisationKind.MISSION_LOCALE:
        raise ValidationError(_("Un jeune est inscrit dans une mission locale."))
    require(can_register_youths_in(actor, mission_locale.pk))
    lock_registrations(mission_locale)
    allowed_advisors = set(mission_locale_advisors(mission_locale).values_list("pk", flat=True))
    return register_youth_round(
        actor=actor,
        mission_locale=mission_locale,
        rows=rows,
        allowed_advisors=allowed_advisors,
        seen=set(),
    )


def register_youth_round(
    *,
    actor: User,
    mission_locale: Organisation,
    rows: Iterable[dict],
    allowed_advisors: set[int],
    seen: set[tuple[str, date]],
) -> list[Youth]:
    """Create one round of youths in bulk, with their trail entries: 16 to 25 at
    registration, advisors of this mission locale, an "information" event each (their
    first, so `first_in_year` and `first_in_month` are set, not recomputed), a youth
    already in the mission locale (same name and birth date) left out.
    `allowed_advisors` and `seen` (the name and birth date keys created so far) are the
    caller's, kept from one round to the next; the caller has locked the mission locale's registrations
    (`lock_registrations`) and checked the actor's right (`register_youths` does both
    for one round; an import's confirmation for all its rounds). Raises
    ValidationError on a row that breaks a rule (the caller's transaction then saves
    nothing)."""
    rows = list(rows)
    keys = [
        (normalise_name(row["last_name"], row["first_name"]), row["birth_date"]) for row in rows
    ]
    # One query per round: the youths of the mission locale with these names and dates.
    existing = set(
        Youth.objects.filter(
            mission_locale=mission_locale,
            search_name__in={key[0] for key in keys},
            birth_date__in={key[1] for key in keys},
        ).values_list("search_name", "birth_date")
    )
    today = timezone.localdate()
    youths = []
    for row, key in zip(rows, keys, strict=True):
        if key in existing or key in seen:
            continue
        fields = dict(row)
        registered_on = fields.pop("registered_on", None) or today
        check_birth_date(fields["birth_date"], registered_on)
        if fields.get("advisor_id") and fields["advisor_id"] not in allowed_advisors:
            raise ValidationError(
                {"advisor": _("Ce conseiller ne fait pas partie de la mission locale du jeune.")}
            )
        unknown = set(fields) - set(YOUTH_FIELDS) - {"advisor_id"}
        if unknown:
            raise TypeError(f"unknown youth fields: {sorted(unknown)}")
        seen.add(key)
        youths.append(
            Youth(
                mission_locale=mission_locale,
                registered_on=registered_on,
                created_by=actor,
                current_stage=PathwayStage.INFORMATION,
                stage_changed_on=registered_on,
                search_name=key[0],
                **fields,
            )
        )
    Youth.objects.bulk_create(youths, batch_size=INSERT_BATCH)
    note = _("Inscription dans le vivier (import).")
    events = PathwayEvent.objects.bulk_create(
        [
            PathwayEvent(
                youth=youth,
                mission_locale_id=youth.mission_locale_id,
                stage=PathwayStage.INFORMATION,
                occurred_on=youth.registered_on,
                author=actor,
                note=note,
                first_in_year=True,
                first_in_month=True,
            )
            for youth in youths
        ],
        batch_size=INSERT_BATCH,
    )
    # bulk_create sends no signal: the trail's entries are written here.
    record_creations(youths)
    record_creations(events)
    return youths


@transaction.atomic
def update_youth(*, youth: Youth, actor: User, **fields) -> Youth:
    """Change a youth's file. The birth date is checked against the registration day;
    the advisor must belong to the youth's mission locale."""
    check_editable(youth)
    require(can_edit_youth(actor, youth))
    unknown = set(fields) - set(YOUTH_FIELDS)
    if unknown:
        raise TypeError(f"unknown youth fields: {sorted(unknown)}")
    if "birth_date" in fields:
        check_birth_date(fields["birth_date"], youth.registered_on)
    if "advisor" in fields:
        _check_advisor(fields["advisor"], youth.mission_locale)
    for name, value in fields.items():
        setattr(youth, name, value)
    youth.search_name = normalise_name(youth.last_name, youth.first_name)
    youth.full_clean(exclude=["search_name"])
    youth.save()
    return youth


@transaction.atomic
def move_youth_to_mission_locale(
    *, youth: Youth, mission_locale: Organisation, actor: User, reason: str = ""
) -> YouthTransfer:
    """Hand a youth to another mission locale (they moved). From now on only the new
    mission locale sees the file; the advisor is left for the new team to choose, an
    active mentoring pair ends (mentors belong to a mission locale)."""
    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    check_editable(locked)
    require(can_move_youth(actor, locked))
    if mission_locale.kind != OrganisationKind.MISSION_LOCALE or not mission_locale.is_active:
        raise ValidationError({"mission_locale": _("Choisissez une mission locale active.")})
    if mission_locale.pk == locked.mission_locale_id:
        raise ValidationError(
            {"mission_locale": _("Le jeune est déjà suivi par cette mission locale.")}
        )
    transfer = YouthTransfer.objects.create(
        youth=locked,
        from_mission_locale_id=locked.mission_locale_id,
        to_mission_locale=mission_locale,
        moved_by=actor,
        reason=reason,
    )
    audited_update(
        MentoringPair.objects.active().filter(youth=locked),
        ended_on=timezone.localdate(),
        end_reason=str(_("Transfert vers une autre mission locale")),
    )
    locked.mission_locale = mission_locale
    locked.advisor = None
    locked.save(update_fields=["mission_locale", "advisor", "updated_at"])
    # the events' copy of the mission locale follows the youth (the dashboards count
    # a youth's events where the youth is followed now)
    PathwayEvent.objects.filter(youth=locked).update(mission_locale=mission_locale)
    return transfer
