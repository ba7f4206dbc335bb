"""The youth's consent to share their profile with companies: given, withdrawn, and
what a withdrawal closes in the other apps."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import InformationNotice, User

from ..enums import (
    CONSENT_METHODS,
    CONSENT_NOTICES,
    ConsentAction,
    ConsentMethod,
    ConsentPurpose,
)
from ..models import (
    CONSENT_NOTE_MAX_LENGTH,
    ConsentRecord,
    Youth,
)
from ..permissions import can_edit_youth, can_see_youth_file
from .rules import require


def _check_consent_step(
    *, action: str, actor: User | None, method: str, notice, note: str
) -> InformationNotice | None:
    """The proof of one consent step, checked before anything is written; returns the
    notice to record. The method must prove that step (`enums.CONSENT_METHODS`); only
    the youth's own click in their space has no actor, and it has no other; the notice
    is one of the sharing purpose's versions, the one in force when none is given. A
    consent needs a notice (an uninformed consent is none); a withdrawal never waits
    for one."""
    errors: dict[str, str] = {}
    if method not in CONSENT_METHODS[action]:
        errors["method"] = _("Ce mode de recueil ne prouve pas cette démarche.")
    elif (actor is None) != (method == ConsentMethod.YOUTH_SPACE):
        errors["method"] = (
            _("Seul le jeune lui-même, dans son espace, enregistre sans conseiller.")
            if actor is None
            else _("Un conseiller ne peut pas enregistrer au nom de l'espace du jeune.")
        )
    purpose = CONSENT_NOTICES[ConsentPurpose.PROFILE_SHARING]
    if notice is None:
        notice = InformationNotice.objects.current_for(purpose)
        if notice is None and action == ConsentAction.GIVEN:
            errors["notice"] = _(
                "Aucune mention d'information n'est publiée pour le partage du profil : "
                "le consentement ne peut pas être recueilli."
            )
    elif notice.purpose != purpose:
        errors["notice"] = _("Cette mention d'information ne porte pas sur le partage du profil.")
    if len(note) > CONSENT_NOTE_MAX_LENGTH:
        errors["note"] = _("Au plus %(limit)d caractères.") % {"limit": CONSENT_NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    return notice


@transaction.atomic
def record_sharing_consent(
    *,
    youth: Youth,
    actor: User | None,
    method: str,
    notice: InformationNotice | None = None,
    note: str = "",
) -> Youth:
    """The youth agrees that companies see their shared profile. Written with its proof
    (a `ConsentRecord`: when, who, how, which notice version they were given; the notice
    in force unless `notice` says which one they read) and copied onto the youth, where
    `permissions.can_see_shared_profile` reads it. `actor` is None only when the youth
    does it themself (`ConsentMethod.YOUTH_SPACE`). Refused while the youth already
    consents (a second click records nothing twice) and on an anonymised file."""
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    if youth.is_anonymised:
        raise ValidationError(_("Ce dossier est anonymisé."))
    if actor is not None:
        require(can_edit_youth(actor, youth))
    if youth.has_sharing_consent:
        raise ValidationError(_("Le consentement du jeune est déjà enregistré."))
    notice = _check_consent_step(
        action=ConsentAction.GIVEN, actor=actor, method=method, notice=notice, note=note
    )
    record = ConsentRecord.objects.create(
        youth=youth,
        action=ConsentAction.GIVEN,
        recorded_by=actor,
        method=method,
        notice=notice,
        note=note,
    )
    youth.consent_shared_at = record.at
    youth.consent_recorded_by = actor
    youth.consent_withdrawn_at = None
    youth.consent_withdrawn_by = None
    youth.save(
        update_fields=[
            "consent_shared_at",
            "consent_recorded_by",
            "consent_withdrawn_at",
            "consent_withdrawn_by",
            "updated_at",
        ]
    )
    return youth


@dataclass(frozen=True)
class SharingStopped:
    """What stopping the sharing changed in the other apps, for the advisor's message:
    the proposals withdrawn (`offers.Proposal`) and the pool requests declined
    (`immersion.PoolRequest`)."""

    youth: Youth
    withdrawn_proposals: list = field(default_factory=list)
    declined_pool_requests: list = field(default_factory=list)


def stop_sharing_with_companies(*, youth: Youth, actor: User, reason: str) -> SharingStopped:
    """Companies stop seeing the youth anywhere, in the caller's transaction (which holds
    the youth's row lock, so no proposal or pool request can be made meanwhile: their
    services take the same lock). The pages already hide the youth through
    `permissions.can_see_shared_profile`; here what is still waiting on a company is
    closed with a logged reason: the open proposals are withdrawn, the pending pool
    requests declined. Imported here because offers and immersion import candidates."""
    from immersion.services import decline_pending_pool_requests
    from offers.services import withdraw_open_proposals

    return SharingStopped(
        youth=youth,
        withdrawn_proposals=withdraw_open_proposals(youth=youth, actor=actor, reason=reason),
        declined_pool_requests=decline_pending_pool_requests(
            youth=youth, actor=actor, reason=reason
        ),
    )


@transaction.atomic
def withdraw_sharing_consent(
    *,
    youth: Youth,
    actor: User | None,
    method: str,
    notice: InformationNotice | None = None,
    note: str = "",
) -> SharingStopped:
    """The youth withdraws consent: from this moment no company user sees anything of
    them. `sharing_consented()` and `permissions.can_see_shared_profile` drop them at
    once (boards, proposal pages, the pool, session rosters, emails not yet sent); in
    the same transaction the open proposals are withdrawn and the pending pool requests
    declined, logged with the actor and the reason "Consentement retiré". A hiring
    already made stays recorded (docs/offers.md). The withdrawal is written with the
    same proof as a consent (`ConsentRecord`: when, who, how, the notice in force),
    and a word in person or on the phone is enough (`enums.CONSENT_METHODS`). Returns
    what was closed, so the advisor is told."""
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    if actor is not None:
        require(can_see_youth_file(actor, youth))
    if youth.consent_shared_at is None or youth.consent_withdrawn_at is not None:
        raise ValidationError(_("Aucun consentement en cours à retirer."))
    notice = _check_consent_step(
        action=ConsentAction.WITHDRAWN, actor=actor, method=method, notice=notice, note=note
    )
    record = ConsentRecord.objects.create(
        youth=youth,
        action=ConsentAction.WITHDRAWN,
        recorded_by=actor,
        method=method,
        notice=notice,
        note=note,
    )
    youth.consent_withdrawn_at = record.at
    youth.consent_withdrawn_by = actor
    youth.save(update_fields=["consent_withdrawn_at", "consent_withdrawn_by", "updated_at"])
    return stop_sharing_with_companies(youth=youth, actor=actor, reason=_("Consentement retiré"))
