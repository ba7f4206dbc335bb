"""A youth's data-protection rights: who read or exported the file, and anonymisation."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User

from ..models import (
    DataSubjectRequest,
    Youth,
)
from ..permissions import can_anonymise_youth, can_export_youth_data
from .rules import check_editable, require


def log_data_request(
    *, youth: Youth, actor: User, kind: str, reason: str = ""
) -> DataSubjectRequest:
    """Keep who read or exported a youth's whole file, and when (accountability)."""
    require(can_export_youth_data(actor, youth))
    return DataSubjectRequest.objects.create(youth=youth, actor=actor, kind=kind, reason=reason)


@transaction.atomic
def anonymise_youth(*, youth: Youth, actor: User, reason: str = "") -> Youth:
    """Erase a youth's identity on request (or once their file has expired), keeping
    what the statistics need.

    Every app's part is in the personal-data registry (`personal_data_registry`, each
    app's `personal_data.py`): the identifying fields replaced (names, contact, exact
    birth date: 1 January of the birth year stays, postcode: its department stays), the
    free text that may name the youth cleared on every row that points to them (the
    consent records' notes included), the records of their requests kept with their
    names, email and phone masked, and the rows of spreadsheet imports that name them
    removed. Kept: mission locale, stages and their dates, statuses, scores and
    outcomes, contracts, counts, and the consent history (the proof, without its notes):
    the indicators for past periods do not move. A consent in force is withdrawn, its
    record saying "anonymisation". Like a withdrawn consent, it closes what still waits
    on a company (open proposals, pending pool requests), with the reason "Dossier
    anonymisé". Cannot be undone; logged with who and when, the reason masked like the
    rest. The steps are `anonymisation.anonymise_locked_youths`, which the retention job
    runs on its batches of expired files.
    """
    from ..anonymisation import anonymise_locked_youths

    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    check_editable(locked)
    require(can_anonymise_youth(actor, locked))
    anonymise_locked_youths(youths=[locked], actor=actor, reason=reason)
    locked.refresh_from_db()
    return locked
