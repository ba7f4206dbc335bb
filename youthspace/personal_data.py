"""What the youth's space holds about a youth (see `candidates.personal_data_registry`):
the space itself (the advisor's next step is free text: cleared), the youth's answers to
sessions and the reminders' single-use links (no text). The youth's sign-in account (a
portal user named after the file) is closed by `BATCH_PURGES`: deactivated, its names and
address replaced, so nobody signs in as an anonymised youth."""

from __future__ import annotations

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from candidates.personal_data_registry import Activity, Column, Holding

from .models import AnswerLink, SessionAnswer, YouthSpace

HOLDINGS = [
    Holding(
        model=YouthSpace,
        to_youth="youth",
        key="espace_jeune",
        title=_("Espace jeune"),
        order=60,
        single=True,
        related=("user",),
        columns=(
            Column("adresse_de_connexion", _("Adresse de connexion"), "user.email"),
            Column("invite_le", _("Invité(e) le"), "invited_at"),
            Column("active_le", _("Activé le"), "activated_at"),
            Column("derniere_visite", _("Dernière visite"), "last_visit_at"),
            Column("prochaine_etape", _("Prochaine étape"), "next_step"),
            Column("prochaine_etape_le", _("Prochaine étape écrite le"), "next_step_updated_at"),
        ),
        clear=("next_step",),
    ),
    Holding(
        model=SessionAnswer,
        to_youth="enrolment__youth",
        key="reponses_sessions",
        title=_("Réponses aux sessions"),
        order=61,
        related=("enrolment__session",),
        columns=(
            Column("session", _("Session"), "enrolment.session"),
            Column("reponse", _("Réponse"), "get_answer_display"),
            Column("par", _("Par"), "get_channel_display"),
            Column("le", _("Le"), "answered_at"),
        ),
    ),
    Holding(
        model=AnswerLink,
        to_youth="enrolment__youth",
        key="liens_de_reponse",
        title=_("Liens de réponse envoyés avec les rappels"),
        order=62,
        related=("enrolment__session",),
        columns=(
            Column("session", _("Session"), "enrolment.session"),
            Column("reponse", _("Réponse"), "get_answer_display"),
            Column("envoye_le", _("Envoyé le"), "created_at"),
            Column("utilise_le", _("Utilisé le"), "used_at"),
        ),
    ),
]


def _close_accounts(youth_pks) -> int:
    from accounts.models import User

    return User.objects.filter(youth_space__youth_id__in=list(youth_pks)).update(
        is_active=False,
        first_name="",
        last_name="",
        email=Concat(Value("jeune-anonymise-"), Cast(F("pk"), CharField()), Value("@invalid")),
    )


def close_youth_accounts(*, identities) -> int:
    """The anonymised youths' accounts can no longer sign in and name nobody (their
    sessions end: an inactive user is signed out at the next request)."""
    return _close_accounts(identities)


# One batch purge serves a single anonymisation and the retention job's batches.
BATCH_PURGES = [close_youth_accounts]

# A visit to the space or an answer is a contact with the youth.
ACTIVITY = [
    Activity(YouthSpace, "youth", ("last_visit_at",)),
    Activity(SessionAnswer, "enrolment__youth", ("answered_at",)),
]
