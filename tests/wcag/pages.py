"""The pages the accessibility scan walks, for each demo user: their home, every entry
of their navigation, their profile, and the detail and form pages of what they work on
(the first object of each kind they may see), some of them sent empty so that they show
their errors. Built from the demo seed, so the scan sees what the demo shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from accounts.navigation import build_navigation
from candidates.models import Youth
from committees.models import Committee, Meeting
from committees.models.plans import ActionPlan
from immersion.models import Cohort, Session
from offers.enums import OfferStatus, ProposalStatus
from offers.models import Offer, Proposal
from reporting.scopes import dashboards_for


@dataclass(frozen=True)
class Page:
    url: str
    #: Send the page's form empty and scan the answer, which shows the form's errors.
    with_errors: bool = False

    @property
    def label(self) -> str:
        return self.url + (" (sent with errors)" if self.with_errors else "")


def _first(queryset, name: str) -> list[Page]:
    obj = queryset.order_by("pk").first()
    if obj is None:
        return []
    return [Page(reverse(name, args=[obj.pk]))]


def _invitation_form(user) -> list[Page]:
    """The interview invitation of a proposal still waiting, as typed and sent empty."""
    waiting = Proposal.objects.visible_to(user).filter(
        status__in=(ProposalStatus.PROPOSED, ProposalStatus.SEEN)
    )
    pages = _first(waiting, "offers:proposal_invite")
    return [*pages, *(Page(page.url, with_errors=True) for page in pages)]


#: A mission locale's export as the import's steps show it: a title it reads, one it
#: guesses, one it ignores; a valid row, one with warnings, one refused.
_IMPORT_FILE = (
    "NOM;Prénom;Date naiss.;Portable;Niveau;Remarque\r\n"
    "MARTIN;Léa;12/03/2004;0612345678;BTS;\r\n"
    "BENALI;Yanis;30/02/2004;;;\r\n"
    "ROSSI;Inès;01/09/2005;123;peut-être;à rappeler\r\n"
)


def _import_steps(user) -> list[Page]:
    """The import's columns step and its preview, then the preview of a confirmation
    running as a job (its progress) and of one interrupted (its worker died: the offer
    to resume it), for a file the user uploads into their mission locale (the demo
    holds no import)."""
    from django.core.cache import cache
    from django.utils import timezone

    from candidates.enums import ImportStatus
    from candidates.import_confirm import progress_key
    from candidates.importing import map_columns, start_import
    from candidates.models import ImportBatch

    mission_locale = user.memberships.order_by("pk").first().organisation
    batches = [
        start_import(
            mission_locale=mission_locale,
            actor=user,
            file_name=f"vivier-{n}.csv",
            data=_IMPORT_FILE.encode("cp1252"),
        )
        for n in range(4)
    ]
    previewed = map_columns(batch=batches[1], actor=user, columns=batches[1].columns)
    running = map_columns(batch=batches[2], actor=user, columns=batches[2].columns)
    interrupted = map_columns(batch=batches[3], actor=user, columns=batches[3].columns)
    ImportBatch.objects.filter(pk__in=[running.pk, interrupted.pk]).update(
        status=ImportStatus.CONFIRMING
    )
    # The running job told its progress just now; the interrupted one, nothing at all.
    cache.set(progress_key(running.pk), {"done": 1, "total": 2, "at": timezone.now().timestamp()})
    cache.delete(progress_key(interrupted.pk))
    return [
        Page(reverse("candidates:import_columns", args=[batches[0].pk])),
        Page(reverse("candidates:import_preview", args=[previewed.pk])),
        Page(reverse("candidates:import_preview", args=[running.pk])),
        Page(reverse("candidates:import_preview", args=[interrupted.pk])),
    ]


def _details(key: str, user) -> list[Page]:
    youths = Youth.objects.visible_to(user)
    offers = Offer.objects.visible_to(user)
    sessions = Session.objects.visible_to(user)
    meetings = Meeting.objects.visible_to(user)
    if key == "advisor":
        youth = youths.order_by("pk").first()
        return [
            Page(reverse("candidates:youth_detail", args=[youth.pk])),
            Page(reverse("candidates:youth_edit", args=[youth.pk])),
            Page(reverse("candidates:note_create", args=[youth.pk])),
            Page(reverse("audit:youth_history", args=[youth.pk])),
            Page(reverse("youthspace:next_step", args=[youth.pk])),
            Page(reverse("candidates:youth_create")),
            Page(reverse("candidates:youth_create"), with_errors=True),
            *_import_steps(user),
            *_first(offers.filter(status=OfferStatus.PUBLISHED), "offers:offer_detail"),
            *_first(sessions, "immersion:session_detail"),
            Page(reverse("immersion:session_calendar")),
            *_first(meetings, "committees:meeting_detail"),
        ]
    if key == "ml_manager":
        return [
            *_first(youths, "candidates:youth_detail"),
            *_first(youths, "candidates:youth_data_page"),
        ]
    if key == "recruiter":
        return [
            Page(reverse("offers:offer_create")),
            Page(reverse("offers:offer_create"), with_errors=True),
            *_first(offers, "offers:offer_detail"),
            *_first(offers.filter(status=OfferStatus.PUBLISHED), "offers:offer_board"),
            *_first(Proposal.objects.visible_to(user), "offers:proposal_detail"),
            *_invitation_form(user),
        ]
    if key == "project_lead":
        return [
            *_first(offers.filter(status=OfferStatus.SUBMITTED), "offers:offer_detail"),
            Page(reverse("immersion:session_create")),
            Page(reverse("immersion:session_create"), with_errors=True),
            *_first(sessions, "immersion:session_detail"),
            *_first(Cohort.objects.visible_to(user), "immersion:cohort_detail"),
            *_first(Committee.objects.visible_to(user), "committees:committee_detail"),
            Page(reverse("committees:committee_create"), with_errors=True),
            *_first(meetings, "committees:meeting_detail"),
            *_first(ActionPlan.objects.visible_to(user), "committees:plan_detail"),
            *[Page(reverse("reporting:dashboard", args=[kind])) for kind in dashboards_for(user)],
        ]
    if key == "national_cnml":
        return [Page(reverse("reporting:dashboard", args=[kind])) for kind in dashboards_for(user)]
    return []


def pages_for(key: str, user) -> list[Page]:
    """Home, navigation, profile, then the role's detail and form pages; no repeats."""
    pages = [Page(reverse("home"))]
    pages += [Page(item.url) for item in build_navigation(user)]
    pages += [Page(reverse("accounts:profile")), *_details(key, user)]
    return list(dict.fromkeys(pages))


#: The demo users walked, one of each role (accounts/seed.py's keys).
ROLES = ("advisor", "ml_manager", "recruiter", "project_lead", "national_cnml", "partner")


def anonymous_pages() -> list[Page]:
    """What anyone reaches before signing in."""
    login, request_access = reverse("account_login"), reverse("accounts:request_company_access")
    return [
        Page(login),
        Page(login, with_errors=True),
        Page(request_access),
        Page(request_access, with_errors=True),
        Page(reverse("notices:list")),
    ]


def youth_space_pages() -> list[Page]:
    """The young person's own pages (youthspace), signed in."""
    return [
        Page(reverse(f"youthspace:{name}"))
        for name in ("home", "sessions", "proposals", "advisor", "data")
    ]


def youth_space_public_pages() -> list[Page]:
    """Asking for a sign-in link: blank, sent with errors, after a used link."""
    request_link = reverse("youthspace:request_link")
    return [
        Page(request_link),
        Page(request_link, with_errors=True),
        Page(f"{request_link}?lien=perime"),
        Page(reverse("youthspace:answer_confirm")),
    ]


def youth_space_advisor_pages(youth) -> list[Page]:
    """The advisor's side: the youth's page with its space panel, the next step form
    (blank and sent with errors is not possible: the field is optional), the answers."""
    return [
        Page(reverse("candidates:youth_detail", args=[youth.pk])),
        Page(reverse("youthspace:next_step", args=[youth.pk])),
        Page(reverse("youthspace:answers")),
    ]
