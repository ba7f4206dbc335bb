"""Retention that runs by itself: the rules, what each one would do today, and doing it.

`RULES` is the one table of what the portal keeps and for how long. `docs/rgpd.md`
shows the same table (`tests/candidates/test_retention_docs.py` compares them), and the
information notices make the same promises (`accounts/notice_texts/`).

Each rule has `due(today)`, the queryset of the rows it would act on today (the dry run
lists their count and ids), and `apply(today, batch_size)`, which acts on them in
batches: the ids are read through a server-side cursor, `batch_size` at a time, and
each batch is one short transaction that locks its rows (skipping rows another run
holds), checks them again against `due(today)` and acts. Memory and lock time are
bounded by the batch, not by the table; a second run finds nothing left to do, so the
daily job (`tasks.apply_retention_rules`) and `manage.py apply_retention` are safe to
run twice, or at the same time.

A youth's file goes in two steps. When it has seen no activity (any dated contact that
an app declares in its `personal_data.ACTIVITY`: an event, a note, a proposal, an
enrolment...) for 24 months less 30 days, its advisor and the mission locale's managers
are told by email (one email per person and day, `emails.RETENTION_NOTICE`) and the day
is recorded (`Youth.retention_notice_on`). Thirty days later, if still nothing happened
since, the file is anonymised through the one anonymisation path
(`anonymisation.anonymise_locked_youths`, every app's part of the registry). Any
activity after the notice cancels it: the file is no longer 24 months without activity,
and a new notice goes 23 months after that activity.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.years import add_months

from .enums import YouthStatus
from .models import ImportBatch, Mentor, Youth
from .personal_data_registry import activities, scrub_admin_history

logger = logging.getLogger(__name__)

#: Rows handled per transaction.
BATCH_SIZE = 500

YOUTH_INACTIVE_MONTHS = 24
NOTICE_DAYS = 30
DECLINED_PROPOSAL_MONTHS = 6
IMPORT_ROWS_DAYS = 30
ACCESS_LOG_MONTHS = 12
MENTOR_MONTHS = 24


def start_of(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` in the portal's time zone (for date-time columns)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def chunks(iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- Youths -------------------------------------------------------------------------------


def youths_inactive_since(day: datetime.date) -> QuerySet[Youth]:
    """The files not anonymised with no activity dated `day` or later, in any app
    (`personal_data_registry.activities`): one query, an anti-join per activity."""
    queryset = Youth.objects.exclude(status=YouthStatus.ANONYMISED).filter(
        anonymised_at__isnull=True
    )
    for activity in activities():
        if activity.model is Youth:
            queryset = queryset.exclude(activity.since(day))
        else:
            rows = activity.model._base_manager.filter(
                activity.since(day), **{activity.to_youth: OuterRef("pk")}
            )
            queryset = queryset.filter(~Exists(rows))
    return queryset


def notice_cutoff(today: datetime.date) -> datetime.date:
    """Inactive since this day: the file is 30 days from its anonymisation."""
    return add_months(today, -YOUTH_INACTIVE_MONTHS) + datetime.timedelta(days=NOTICE_DAYS)


def anonymisation_cutoff(today: datetime.date) -> datetime.date:
    return add_months(today, -YOUTH_INACTIVE_MONTHS)


def youths_to_notify(today: datetime.date) -> QuerySet[Youth]:
    """Files 30 days from their anonymisation, not told yet: no notice, or one given
    before their last activity (activity after a notice cancelled it; such a notice is
    older than the cut-off, since the file has been inactive since then)."""
    cutoff = notice_cutoff(today)
    return youths_inactive_since(cutoff).filter(
        Q(retention_notice_on__isnull=True) | Q(retention_notice_on__lt=cutoff)
    )


def youths_to_anonymise(today: datetime.date) -> QuerySet[Youth]:
    """Files told at least 30 days ago, with no activity for 24 months, hence none
    since the notice (the notice came after the 24 months began)."""
    cutoff = anonymisation_cutoff(today)
    return youths_inactive_since(cutoff).filter(
        retention_notice_on__gt=cutoff,
        retention_notice_on__lte=today - datetime.timedelta(days=NOTICE_DAYS),
    )


def pending_anonymisation_on(youth: Youth) -> datetime.date | None:
    """The day an announced file will be anonymised, for its page; None when it was not
    announced, or had activity since (which cancelled the notice). One query, and only
    for a file announced."""
    notice_on = youth.retention_notice_on
    if notice_on is None or youth.is_anonymised:
        return None
    if not youths_inactive_since(notice_on).filter(pk=youth.pk).exists():
        return None
    return notice_on + datetime.timedelta(days=NOTICE_DAYS)


def _in_batches(
    due: QuerySet, batch_size: int, act: Callable[[QuerySet], int], *, of=("self",)
) -> int:
    """Run `act` on the rows of `due`, `batch_size` at a time, each batch in its own
    transaction with its rows locked (rows locked by another run are skipped) and
    checked again. Returns the rows acted on."""
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    total = 0
    pks = due.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=batch_size)
    for chunk in chunks(pks, batch_size):
        with transaction.atomic():
            locked = (
                due.filter(pk__in=chunk).order_by("pk").select_for_update(of=of, skip_locked=True)
            )
            total += act(locked)
    return total


def notify_inactive_youths(*, today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Record today's notice on the files 30 days from their anonymisation, then queue
    one email per advisor and manager of each mission locale concerned (sent once,
    `accounts.mail`), outside the transactions. Returns the files noticed."""

    def notice(locked: QuerySet) -> int:
        return Youth.objects.filter(pk__in=list(locked.values_list("pk", flat=True))).update(
            retention_notice_on=today
        )

    noticed = _in_batches(youths_to_notify(today), batch_size, notice)
    queue_notice_emails(today=today)
    return noticed


def queue_notice_emails(*, today: datetime.date) -> int:
    """One email per mission locale and day to each advisor of a youth noticed today and
    to each active manager of the mission locale. Safe twice: one row per (mission
    locale and day, recipient)."""
    from accounts.enums import Role
    from accounts.mail import queue_emails
    from accounts.models import User

    from .emails import RETENTION_NOTICE

    noticed = (
        Youth.objects.filter(retention_notice_on=today)
        .exclude(status=YouthStatus.ANONYMISED)
        .values_list("mission_locale_id", "advisor_id")
        .distinct()
    )
    advisors: dict[int, set[int]] = {}
    for mission_locale_id, advisor_id in noticed:
        advisors.setdefault(mission_locale_id, set())
        if advisor_id:
            advisors[mission_locale_id].add(advisor_id)
    managers = User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role=Role.ML_MANAGER,
        memberships__organisation_id__in=list(advisors),
    ).values_list("memberships__organisation_id", "pk")
    for mission_locale_id, manager_id in managers:
        advisors[mission_locale_id].add(manager_id)
    queued = 0
    for mission_locale_id, recipient_ids in sorted(advisors.items()):
        active = User.objects.filter(pk__in=recipient_ids, is_active=True).order_by("pk")
        queued += len(
            queue_emails(
                kind=RETENTION_NOTICE,
                key=f"{mission_locale_id}:{today.isoformat()}",
                recipient_ids=list(active.values_list("pk", flat=True)),
            )
        )
    return queued


def anonymise_inactive_youths(*, today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Anonymise the files told 30 days ago and still without activity, through the
    one anonymisation path (`anonymisation.anonymise_locked_youths`), by the portal
    (no actor). Returns the files anonymised."""
    from .anonymisation import anonymise_locked_youths

    reason = str(_("Conservation : 24 mois sans activité"))

    def anonymise(locked: QuerySet) -> int:
        return len(
            anonymise_locked_youths(
                youths=list(locked), actor=None, reason=reason, reason_names_nobody=True
            )
        )

    return _in_batches(youths_to_anonymise(today), batch_size, anonymise)


# --- Proposals declined, import rows, access log, mentors ---------------------------------


def declined_proposals_due(today: datetime.date) -> QuerySet:
    """Refusals six months old still in the company's view."""
    from offers.enums import ProposalStatus
    from offers.models import Proposal

    return Proposal.objects.filter(
        status=ProposalStatus.DECLINED,
        status_changed_at__lt=start_of(add_months(today, -DECLINED_PROPOSAL_MONTHS)),
        company_view_removed_at__isnull=True,
    )


def remove_declined_proposals(*, today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Six months after a refusal the company no longer opens the proposal nor the
    youth's profile through it (`ProposalQuerySet.visible_to`, the board), and the
    advisor's word written for the company (`Proposal.note`) is cleared. The mission
    locale keeps the proposal, its status, refusal reason and history; the indicators
    count it as before."""
    from offers.models import Proposal

    now = timezone.now()

    def remove(locked: QuerySet) -> int:
        pks = list(locked.values_list("pk", flat=True))
        return Proposal.objects.filter(pk__in=pks).update(company_view_removed_at=now, note="")

    return _in_batches(declined_proposals_due(today), batch_size, remove)


def import_batches_due(today: datetime.date) -> QuerySet[ImportBatch]:
    """Spreadsheet imports of 30 days ago or more whose rows are still kept."""
    cutoff = start_of(today - datetime.timedelta(days=IMPORT_ROWS_DAYS))
    return ImportBatch.objects.filter(created_at__lt=cutoff, rows_purged_at__isnull=True)


def purge_import_batches(*, today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Empty the rows (names, contact, rejection reasons) of imports 30 days old; the
    file name, counts and dates stay. A preview not confirmed by then cannot be any
    more (`importing.confirm_import`)."""
    now = timezone.now()

    def purge(locked: QuerySet) -> int:
        pks = list(locked.values_list("pk", flat=True))
        return ImportBatch.objects.filter(pk__in=pks).update(
            source_rows=[], valid_rows=[], rejected_rows=[], rows_purged_at=now
        )

    return _in_batches(import_batches_due(today), batch_size, purge)


def access_log_due(today: datetime.date) -> QuerySet:
    from .access_log import AccessLogEntry

    return AccessLogEntry.objects.filter(at__lt=start_of(add_months(today, -ACCESS_LOG_MONTHS)))


def purge_old_access_log(*, today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Delete the access-log entries older than 12 months (`access_log.purge_access_log`,
    a DELETE of `batch_size` oldest entries per statement)."""
    from .access_log import purge_access_log

    cutoff = start_of(add_months(today, -ACCESS_LOG_MONTHS))
    return purge_access_log(cutoff=cutoff, batch_size=max(batch_size, 1))


def mentors_due(today: datetime.date) -> QuerySet[Mentor]:
    """Mentors with no mentoring in progress, none ended, started, charter signed or
    record created in the last 24 months (the mentors' notice: "2 years after the end
    of your last mentoring")."""
    from .models import MentoringPair

    cutoff = add_months(today, -MENTOR_MONTHS)
    recent = MentoringPair.objects.filter(mentor=OuterRef("pk")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff) | Q(started_on__gte=cutoff)
    )
    return (
        Mentor.objects.filter(anonymised_at__isnull=True, created_at__lt=start_of(cutoff))
        .exclude(charter_signed_on__gte=cutoff)
        .filter(~Exists(recent))
    )


def anonymise_mentors(*, today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Replace the identity and contact of the mentors due: "Anonyme #<id>", email,
    phone and occupation emptied, no longer available; the pairs (dates) stay, for the
    mentoring figures. The notes of their meetings went with each youth's file."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from .personal_data import ANONYMOUS_NAME

    now = timezone.now()

    def anonymise(locked: QuerySet) -> int:
        pks = list(locked.values_list("pk", flat=True))
        done = Mentor.objects.filter(pk__in=pks).update(
            first_name=ANONYMOUS_NAME,
            last_name=Concat(Value("#"), Cast("pk", output_field=CharField())),
            email="",
            phone="",
            occupation="",
            is_active=False,
            anonymised_at=now,
        )
        scrub_admin_history(Mentor, pks)
        return done

    return _in_batches(mentors_due(today), batch_size, anonymise)


# --- The table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One line of the retention table: `key`, what it concerns, after how long, what
    happens, and the legal reason; `due` and `apply` do it (see the module)."""

    key: str
    what: str
    period: str
    action: str
    legal_reason: str
    due: Callable[[datetime.date], QuerySet]
    apply: Callable[..., int]


# In the order the job runs them: the import rows first (a file's anonymisation then has
# fewer rows to search), anonymisation before the notices (a notice older than 24
# months is renewed only if its file was not anonymised).
RULES: tuple[Rule, ...] = (
    Rule(
        key="import_rows",
        what=_("Lignes d'un import de tableur (noms, coordonnées, motifs de rejet)"),
        period=_("30 jours après l'import"),
        action=_("lignes effacées ; nom du fichier, dates et comptes gardés"),
        legal_reason=_("Minimisation (RGPD art. 5.1.c) : les lignes ne servent qu'à l'import"),
        due=import_batches_due,
        apply=purge_import_batches,
    ),
    Rule(
        key="youth_anonymise",
        what=_("Dossier d'un jeune sans activité, prévenu depuis 30 jours"),
        period=_("24 mois après la dernière activité"),
        action=_("dossier anonymisé dans toutes les parties du portail, piste d'audit comprise"),
        legal_reason=_("Référentiel CNIL : au plus 2 ans après le dernier contact"),
        due=youths_to_anonymise,
        apply=anonymise_inactive_youths,
    ),
    Rule(
        key="youth_notice",
        what=_("Dossier d'un jeune sans activité"),
        period=_("24 mois après la dernière activité, moins 30 jours"),
        action=_("le conseiller et les responsables de la mission locale prévenus par e-mail"),
        legal_reason=_("Loyauté : l'équipe peut garder un dossier encore suivi"),
        due=youths_to_notify,
        apply=notify_inactive_youths,
    ),
    Rule(
        key="declined_proposal",
        what=_("Candidature refusée par l'entreprise"),
        period=_("6 mois après le refus"),
        action=_("retirée de la vue de l'entreprise ; mot du conseiller effacé"),
        legal_reason=_("Minimisation et conservation limitée (RGPD art. 5.1.c et 5.1.e)"),
        due=declined_proposals_due,
        apply=remove_declined_proposals,
    ),
    Rule(
        key="access_log",
        what=_("Journal des consultations et exports"),
        period=_("12 mois"),
        action=_("entrées supprimées"),
        legal_reason=_("Recommandation CNIL sur la journalisation : 6 à 12 mois"),
        due=access_log_due,
        apply=purge_old_access_log,
    ),
    Rule(
        key="mentor",
        what=_("Parrain ou marraine sans parrainage"),
        period=_("24 mois après la fin du dernier parrainage"),
        action=_("identité et coordonnées remplacées ; parrainages et dates gardés"),
        legal_reason=_("Notice « Parrainage » : 2 ans après le dernier parrainage"),
        due=mentors_due,
        apply=anonymise_mentors,
    ),
)


@dataclass(frozen=True)
class Preview:
    rule: Rule
    count: int
    ids: list[int]


def preview(*, today: datetime.date, limit: int | None = None) -> list[Preview]:
    """What each rule would do today: its count and the ids (the first `limit`), never
    a name. Reads only."""
    previews = []
    for rule in RULES:
        due = rule.due(today).order_by("pk").values_list("pk", flat=True)
        ids = list(due if limit is None else due[:limit])
        count = len(ids) if limit is None or len(ids) < limit else due.count()
        previews.append(Preview(rule=rule, count=count, ids=ids))
    return previews


def apply_rules(*, today: datetime.date, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Every rule, in order; returns the rows each acted on (ids and counts only go to
    the log)."""
    done = {}
    for rule in RULES:
        done[rule.key] = rule.apply(today=today, batch_size=batch_size)
        logger.info("retention %s on %s: %s", rule.key, today.isoformat(), done[rule.key])
    return done
