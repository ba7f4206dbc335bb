"""The advisor's pages: the list of youths, a youth's page with its timeline, the
forms that move the file along, and "my follow-ups due this week"."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial
from html import escape

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Subquery
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from accounts import pagination
from accounts.announce import announce, page_summary
from accounts.compiled_shapes import CompiledRows, KeptStatements, run_together
from accounts.database import PLANNED_FOR_ANY_PATTERN
from accounts.discovery import app_modules
from accounts.form_helpers import apply_service_errors
from accounts.kept_markup import HoledMarkup, KeptMarkup
from accounts.models import InformationNotice, Organisation
from accounts.page_rows import choice_labels, url_for_each, url_named, url_of
from accounts.pagination import (
    CountedRowsPaginator,
    OnePassPaginator,
    filters_query,
    number_of_page,
)
from accounts.scope import get_scope
from audit.display import describe, latest_about_youth_statement, latest_from_rows
from audit.permissions import can_see_youth_history
from reporting.exports import FORMATS as EXPORT_FORMATS
from reporting.exports import CountedRows, export_response

from .. import services
from ..access_log import (
    RECENT_ON_YOUTH_PAGE,
    AccessLogEntry,
    only_mission_locale_id,
    record_access,
)
from ..enums import (
    CONSENT_NOTICES,
    AccessKind,
    AssessmentOutcome,
    ConsentAction,
    ConsentPurpose,
    PathwayStage,
    YouthStatus,
)
from ..exporting import export_rows
from ..forms import (
    AssessmentForm,
    CheckInForm,
    ConsentForm,
    FollowUpNoteForm,
    PathwayMoveForm,
    YouthFilterForm,
    YouthForm,
)
from ..models import (
    ADULT_AGE,
    SCORE_FIELDS,
    InCompanyCheckIn,
    Youth,
    YouthCount,
    YouthNameWord,
    age_on,
    civis_in_force,
    load_file,
    visible_youth_file,
)
from ..permissions import (
    can_see_access_log,
)
from ..retention import pending_anonymisation_on
from ..text import normalise_name, searched_words
from ..timeline import newest_first, read_parts, timeline_parts, timeline_rows
from .common import (
    available_actions,
    form_page,
    get_visible_youth,
    require_editable,
    require_pool,
    user_mission_locale_ids,
    user_mission_locales,
)

# What an htmx swap of the list says to screen readers (accounts/announce.py).
YOUTHS_FOUND = ngettext_lazy("%(count)d jeune affiché", "%(count)d jeunes affichés", "count")

PAGE_SIZE = 25
#: A name search counts its matches up to this many, the list up to
#: `pagination.COUNT_CAP`: past it the page says "plus de 1 000 jeunes", shows the first
#: 1,000 in the order chosen and asks for a narrower search. An advisor looks for one
#: youth; the count is read again on each page (the names' words' range, apart).
SEARCH_COUNT_CAP = 1_000
#: Past this many rows skipped, a list page reads its keys before its rows.
KEYS_FIRST_PAST = 500
#: The youth's page's links to the youth's forms and pages (`links.<name>` in the
#: template), the youth's pk their only argument.
YOUTH_LINKS = (
    "pathway_move",
    "note_create",
    "assessment_create",
    "youth_edit",
    "consent_withdraw",
    "consent",
    "pair_create",
    "vae_create",
    "youth_data_page",
    "youth_data_json",
    "youth_data_zip",
    "subject_request_create",
    "youth_move",
    "youth_anonymise",
    "youth_access_log",
)


def _advisors_of(mission_locale_ids):
    return services.mission_locale_advisors(mission_locale_ids).order_by("last_name", "first_name")


#: The advisors the list's filter offers, for a user of one, two or three missions
#: locales: the ORM built and compiled this query on every request of the list (0.6
#: ms, twice what PostgreSQL takes to answer it); the same SQL, compiled once.
_ADVISOR_ROWS = {
    arity: CompiledRows(
        lambda *ids: _advisors_of(list(ids)).values_list("pk", "first_name", "last_name", "email"),
        arity=arity,
    )
    for arity in (1, 2, 3)
}


def filter_form(user, data):
    """The youth list's filters for the query string `data`, offering the advisors of
    the user's missions locales."""
    mission_locale_ids = user_mission_locale_ids(user)
    compiled = None
    if isinstance(mission_locale_ids, list):
        compiled = _ADVISOR_ROWS.get(len(mission_locale_ids))

    def advisors():
        return _advisors_of(mission_locale_ids)

    def advisor_rows():
        return compiled(*mission_locale_ids)

    return YouthFilterForm(
        data or None, advisors=advisors, advisor_rows=advisor_rows if compiled else None
    )


def filtered_youths(user, data):
    """The youth list's form and rows for the filters `data` (the query string): the
    list, its export and the home page's counters all count through here."""
    form = filter_form(user, data)
    youths = form.filter(Youth.objects.visible_to(user).for_list())
    return form, youths


def _filtered_youths(request):
    return filtered_youths(request.user, request.GET)


# A row of the list; MINOR and CIVIS follow the name when they apply.
LIST_ROW = (
    '<tr><th scope="row"><a href="{}">{} {}</a>{}{}</th><td>{}</td>'
    '<td><span class="badge stage-badge stage-{}">{}</span></td>'
    "<td>{}</td><td>{}</td><td>{}</td></tr>"
)
MINOR = ' <span class="badge text-bg-warning">{}</span>'
CIVIS = ' <span class="badge text-bg-info">CIVIS</span>'
NONE = "—"


def list_rows(rows) -> SafeString:
    """The list's rows, written here once per page from `as_list_rows()` tuples:
    through the template (a link, a name, two badges, an age, a stage, an advisor, a
    date and an outcome a row) they took a quarter of the page's time. Every value is
    escaped as Django's `escape` does (`html.escape`)."""
    detail_url = url_for_each("candidates:youth_detail")
    stages = choice_labels(PathwayStage)
    outcomes = choice_labels(AssessmentOutcome)
    minor = MINOR.format(escape(_("mineur")))
    today = timezone.localdate()
    written = []
    for (
        pk,
        last_name,
        first_name,
        birth_date,
        civis_start,
        civis_end,
        stage,
        advisor_first_name,
        advisor_last_name,
        last_contact_on,
        outcome,
    ) in rows:
        age = age_on(birth_date, today)
        # The advisor's name as `User.get_full_name`; none (or no name): a dash.
        advisor = f"{advisor_first_name or ''} {advisor_last_name or ''}".strip()
        written.append(
            LIST_ROW.format(
                escape(detail_url(pk)),
                escape(last_name.upper()),
                escape(first_name),
                minor if age < ADULT_AGE else "",
                CIVIS if civis_in_force(civis_start, civis_end, today) else "",
                age,
                escape(stage),
                escape(stages.get(stage, stage)),
                escape(advisor or NONE),
                f"{last_contact_on:%d/%m/%Y}" if last_contact_on else NONE,
                escape(outcomes.get(outcome, outcome) or NONE),
            )
        )
    return mark_safe("".join(written))  # noqa: S308


def youth_list(request):
    require_pool(request.user)
    form = filter_form(request.user, request.GET)
    number = request.GET.get("page")
    page = _kept_page(request.user, form, number)
    if page is None:
        youths = form.filter(Youth.objects.visible_to(request.user).for_list())
        page = _paginator(request.user, form, youths).get_page(number)
    context = {
        "form": form,
        "page": page,
        "rows": list_rows(page.object_list),
        "query": filters_query(request),
    }
    if request.htmx:
        response = render(request, "candidates/_youth_results.html", context)
        return announce(response, page_summary(page, YOUTHS_FOUND))
    return render(request, "candidates/youth_list.html", context)


def _searching(form) -> bool:
    return form.is_valid() and bool(form.cleaned_data["q"])


def _paginator(user, form, youths, data=None, one_word=None):
    """A name search reads its page's keys and its count (up to `SEARCH_COUNT_CAP`) in
    one statement, from the names' words where they answer it (`_name_word_keys`), else
    from the youths' table, its matches read once for both; the rest of the list reads
    its capped count in its page's statement. Far into the list, the page's keys come
    first, read from the name index alone (it includes the status), then their 25 rows:
    page 40 read 1,000 rows from the table to keep the last 25. Nearer the top, reading
    the rows skipped costs less than the subquery. `data`: the filters `youths` was
    built for, when not the form's (marks in place of the words searched), and
    `one_word` what `_one_word_matches` says of the words searched (asked when None)."""
    if _searching(form):
        # (no rows: `_kept_page` only reads its page from its statement's answer)
        keys = None
        if youths is not None:
            if one_word is None:
                one_word = _one_word_matches(user, form)
            keys = _name_word_keys(user, data or form.cleaned_data, one_word)
        return OnePassPaginator(
            youths,
            PAGE_SIZE,
            cap=SEARCH_COUNT_CAP,
            read=_list_columns,
            keys=keys,
            key="youth_id",
            # the words' range is two parameters: one plan for any word
            comment="" if keys is None else PLANNED_FOR_ANY_PATTERN,
        )
    return CountedRowsPaginator(
        youths,
        PAGE_SIZE,
        read=_list_columns,
        keys_first_past=KEYS_FIRST_PAST,
        summed=_kept_total(user, form),
    )


def _kept_total(user, form):
    """What builds the youths' kept counts (`YouthCount`) summing to the list's number
    of youths, where they answer it: the list filtered by status and stage alone
    (`YouthFilterForm.counted_groups`), for a user of missions locales. Its count was
    its first 10,001 rows read on every request (1 ms of a mission locale of 50,000),
    and "plus de 10 000"; the counts say how many, from a few hundred rows. None
    otherwise (the list counts its rows): another filter, or a user seeing every
    mission locale, whose sum would read every group of the network. Built only when
    the page's statement is compiled (0.27 ms a request, for a statement kept)."""
    groups = form.counted_groups()
    if groups is None:
        return None
    scope = get_scope(user)
    if scope.is_admin or not scope.mission_locale_ids:
        return None
    return partial(_youth_counts, sorted(scope.mission_locale_ids), *groups)


def _youth_counts(mission_locale_ids, statuses, stages):
    """The kept counts' rows of these missions locales, statuses and stages (no stage:
    every stage), their values the youths."""
    counts = YouthCount.objects.filter(
        mission_locale_id__in=mission_locale_ids, status__in=statuses
    )
    if stages:
        counts = counts.filter(stage__in=stages)
    return counts.values("youths")


#: The list's filters the names' words cannot answer: a search with one of them set
#: reads the youths' table.
_WORDLESS_FILTERS = ("stage", "advisor", "civis", "outcome", "no_contact_days", "minors")
#: The names' words in the order of `SEARCH_SORTS` (`search_name` is lower case already).
_WORD_SORTS = {"name": ("search_name", "youth_id"), "-name": ("-search_name", "-youth_id")}


def _words_answer(user, data) -> bool:
    """Whether the names' words answer a search: sorted by name with no other filter
    than "Suivi", for a user of missions locales (not the youths' table: another
    filter, another order, or a user seeing every mission locale, whom the index, led
    by the mission locale, would not serve)."""
    sort = data["sort"] or "name"
    if sort not in _WORD_SORTS or any(data[name] for name in _WORDLESS_FILTERS):
        return False
    scope = get_scope(user)
    return not scope.is_admin and bool(scope.mission_locale_ids)


def _name_words(user, data):
    """The names' words of the user's missions locales matching a search, with the
    "Suivi" filter (`YouthNameWord`), where they answer it (`_words_answer`); None
    otherwise."""
    if not _words_answer(user, data):
        return None
    words = YouthNameWord.objects.in_mission_locales(get_scope(user).mission_locale_ids)
    return words.with_status(data["status"]).matching(data["q"])


def _name_word_keys(user, data, one_word=False):
    """Where a search's page keys and count are read from on PostgreSQL: the names'
    words (`_name_words`, an index-only scan), in the list's order; None where they do
    not answer. `one_word`: the range of the word searched holds one word
    (`_one_word_matches`), whose entries come in the list's order from the index
    (mission locale, word, name, youth): ordered by the word first, the same order,
    the page reads its 25 entries and stops, where the whole range was read and sorted
    by name (the 7,672 "lefevre" of a mission locale of 200,000: 3.4 of 3.6 ms)."""
    words = _name_words(user, data)
    if words is None:
        return None
    order = _WORD_SORTS[data["sort"] or "name"]
    if one_word:
        order = ("-word" if order[0].startswith("-") else "word", *order)
    return words.order_by(*order)


def _one_word_matches(user, form) -> bool:
    """Whether the names' words answer this search and the range of the word they read
    (`YouthNameWordQuerySet.matching`: the longest searched) holds one word in the
    user's one mission locale (its first and last words are the same: two probes of
    the index). With several missions locales, the index's order is each one's."""
    if not _searching(form) or connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return False  # (SQLite: the words' table stays empty, the youths' table answers)
    data = form.cleaned_data
    scope = get_scope(user)
    if len(scope.mission_locale_ids) != 1 or not _words_answer(user, data):
        return False
    (mission_locale_id,) = scope.mission_locale_ids
    spans = _WORD_SPAN(mission_locale_id, searched_words(data["q"])[0])
    return bool(spans) and spans[0][0] is not None and spans[0][0] == spans[0][1]


def _word_span(mission_locale_id, word):
    """The first and last words of `word`'s range in a mission locale (None for none),
    each an index probe."""
    words = YouthNameWord.objects.filter(
        mission_locale_id=mission_locale_id, word__words_from=word
    ).values("word")
    return (
        Organisation.objects.filter(pk=mission_locale_id)
        .order_by()
        .annotate(
            first=Subquery(words.order_by("word")[:1]), last=Subquery(words.order_by("-word")[:1])
        )
        .values_list("first", "last")
    )


#: `_word_span`, compiled once (building and compiling it took 1 ms of a search).
_WORD_SPAN = CompiledRows(_word_span, arity=2)


#: The statements of the list's pages by shape: building the filtered queryset, the
#: page's and the count's, and compiling them took 1 ms of each request, more than
#: PostgreSQL's answer. The ORM compiles each shape once per process (`_page_shape`).
_PAGE_STATEMENTS = KeptStatements(size=512)
# What stands for a name search's words while their shape is compiled: lower case
# ASCII letters, as `normalise_name` leaves them; no name holds them.
_WORD_MARK = "qzxwordmark{}qzx"
_WORD_MARKS = re.compile(r"qzxwordmark(\d+)qzx")


def _page_shape(user, form, number, one_word=None) -> tuple | None:
    """What the SQL of the list's page depends on: the user's scope exactly as
    `Youth.objects.visible_to` reads it (admin, or the sorted ids of their missions
    locales), every filter's cleaned value but the words searched (their number only:
    they are parameters, and whether their range holds one word: `one_word`, asked of
    `_one_word_matches` when None), the day (the ages and CIVIS dates), the page and
    the paginator's settings. None for a user who sees no youth."""
    scope = get_scope(user)
    if scope.is_admin:
        seen = "admin"
    elif scope.mission_locale_ids:
        seen = tuple(sorted(scope.mission_locale_ids))
    else:
        return None
    if form.is_valid():
        data = form.cleaned_data
        filters = tuple(
            (name, getattr(value, "pk", value))
            for name, value in sorted(data.items())
            if name != "q"
        )
        if one_word is None:
            one_word = _one_word_matches(user, form)
        searched = (bool(data["q"]), len(normalise_name(data["q"]).split()), one_word)
        filters += (("q", *searched),)
    else:
        filters = ("unfiltered",)
    return (
        seen,
        filters,
        timezone.localdate(),
        number_of_page(number),
        PAGE_SIZE,
        KEYS_FIRST_PAST,
        pagination.COUNT_CAP,
        SEARCH_COUNT_CAP,
        DEFAULT_DB_ALIAS,
    )


def page_statement(user, form, number, *, words=None, one_word=None):
    """The statement of the list's page `number` as the ORM builds it, for `words` in
    place of the words searched (the marks `_kept_page` compiles with), and `one_word`
    what `_one_word_matches` says of the words searched (asked when None)."""
    youths = Youth.objects.visible_to(user).for_list()
    if words is None:
        return _paginator(user, form, form.filter(youths), one_word=one_word).page_statement(number)
    data = {**form.cleaned_data, "q": " ".join(words)}
    youths = form.filter_with(youths, data)
    return _paginator(user, form, youths, data, one_word).page_statement(number)


def _kept_page(user, form, number):
    """The page from its shape's statement, the ORM's own compiled once per shape
    (`_page_shape`), the words searched put in their parameters as the ORM puts them
    (in a pattern, `%word%`, escaped for `LIKE`; a parameter that is the word alone, as
    it is); None where the ORM builds it (no shape, or a page past the last: `get_page`
    then counts and falls back)."""
    one_word = _one_word_matches(user, form)
    shape = _page_shape(user, form, number, one_word)
    if shape is None:
        return None
    words = searched_words(form.cleaned_data["q"]) if _searching(form) else []
    kept = _PAGE_STATEMENTS.get(shape)
    if kept is None:
        marks = [_WORD_MARK.format(n) for n in range(len(words))]
        statement = page_statement(
            user, form, number, words=marks if words else None, one_word=one_word
        )
        if statement is None:
            return None
        slots = tuple(
            n
            for n, param in enumerate(statement.params)
            if isinstance(param, str) and _WORD_MARKS.search(param)
        )
        # Every word a parameter, none in the SQL: otherwise the ORM builds it each time.
        marked = {m for n in slots for m in _WORD_MARKS.findall(statement.params[n])}
        if _WORD_MARKS.search(statement.sql) or marked != {str(n) for n in range(len(words))}:
            return None
        kept = (statement, slots)
        _PAGE_STATEMENTS.keep(shape, kept)
    statement, slots = kept
    if slots:
        like = connections[statement.using].ops.prep_for_like_query
        escaped = [like(word) for word in words]
        params = list(statement.params)
        for n in slots:
            whole = _WORD_MARKS.fullmatch(params[n])
            if whole:  # the word itself (the names' words' range), not a pattern
                params[n] = words[int(whole.group(1))]
            else:
                params[n] = _WORD_MARKS.sub(lambda mark: escaped[int(mark.group(1))], params[n])
        statement = statement.with_params(params)
    return _paginator(user, form, None).page_of(statement.run(), number)


def _list_columns(youths):
    return youths.as_list_rows()


def youth_export(request, fmt: str):
    require_pool(request.user)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, youths = _filtered_youths(request)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    rows = CountedRows(export_rows(youths))
    response = export_response(rows, fmt=fmt, filename=f"jeunes-{stamp}", sheet_title=_("Jeunes"))
    # The file is written: one entry with its row count (no query per row).
    record_access(
        user=request.user,
        kind=AccessKind.LIST_EXPORT,
        rows=rows.count,
        mission_locale_id=only_mission_locale_id(request.user),
        request=request,
    )
    return response


def youth_create(request):
    require_pool(request.user)
    mission_locales = user_mission_locales(request.user)
    form = YouthForm(request.POST or None, mission_locales=mission_locales)
    if request.method == "POST" and form.is_valid():
        try:
            youth = services.register_youth(
                actor=request.user,
                mission_locale=form.cleaned_data["mission_locale"],
                confirmed_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                submission_token=form.cleaned_data["submission_token"] or None,
                **form.youth_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            if services.DUPLICATE in {error.code for error in getattr(exc, "error_list", [])}:
                # Registered meanwhile (the same form sent twice, or a colleague).
                form.find_duplicates(form.cleaned_data["mission_locale"])
        else:
            messages.success(request, _("Le jeune a été inscrit dans le vivier."))
            return redirect("candidates:youth_detail", pk=youth.pk)
    return render(
        request, "candidates/youth_form.html", {"form": form, "title": _("Inscrire un jeune")}
    )


def youth_edit(request, pk: int):
    youth = get_visible_youth(request, pk, for_update=True)
    if request.method == "GET":
        # The form shows the whole file, contact included: an opening like the page's.
        record_access(user=request.user, kind=AccessKind.YOUTH_FILE, youth=youth, request=request)
    form = YouthForm(request.POST or None, instance=youth, mission_locales=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_youth(youth=youth, actor=request.user, **form.youth_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("La fiche a été mise à jour."))
            return redirect("candidates:youth_detail", pk=youth.pk)
    return render(
        request,
        "candidates/youth_form.html",
        {
            "form": form,
            "youth": youth,
            "title": _("Modifier la fiche de %(name)s") % {"name": youth},
        },
    )


# A fact of the youth's file ("Fiche" on their page), as the template's `<dl>` wrote it.
FACT = '<dt class="col-sm-5">{}</dt><dd class="col-sm-7">{}</dd>'


def _day(day) -> str:
    """`day|date:"d/m/Y"`; nothing for no day."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if day else ""


def identity_rows(youth: Youth) -> SafeString:
    """The facts of the youth's file on their page, written once here rather than by
    thirteen rows of the template (a label, a value, a default, a date or line breaks
    each: a quarter of the page's own markup time). Every value escaped as autoescape
    did; the labels are the catalogue's text, as `{% translate %}` wrote them."""
    advisor = youth.advisor.get_full_name() if youth.advisor else ""
    skills = (
        escape(normalize_newlines(youth.skills)).replace("\n", "<br>") if youth.skills else NONE
    )
    civis = (
        f"{_day(youth.civis_start)} → {_day(youth.civis_end) or '…'}" if youth.civis_start else NONE
    )
    facts = (
        (
            _("Âge"),
            _("%(age)s ans (né(e) le %(day)s)") % {"age": youth.age, "day": _day(youth.birth_date)},
        ),
        (_("Contact"), f"{escape(youth.email or NONE)}<br>{escape(youth.phone or NONE)}"),
        (_("Commune"), f"{escape(youth.postcode)} {escape(youth.city or NONE)}"),
        (_("Mission locale"), escape(str(youth.mission_locale))),
        (_("Conseiller"), escape(advisor or NONE)),
        (_("Niveau"), escape(youth.get_education_level_display() or NONE)),
        (_("Secteur précédent"), escape(youth.previous_sector or NONE)),
        (_("Compétences"), skills),
        (_("Mobilité"), escape(youth.get_mobility_display() or NONE)),
        (_("Disponibilité"), escape(youth.get_availability_display() or NONE)),
        (_("Contrats souhaités"), escape(youth.get_contract_wishes_display() or NONE)),
        ("CIVIS", civis),
        (_("Prochain rendez-vous"), _day(youth.next_appointment_on) or NONE),
    )
    # As the template's rows were laid out, one a line.
    return mark_safe("\n          ".join(FACT.format(*fact) for fact in facts))  # noqa: S308


def _local_day(instant) -> str:
    """`instant|date:"d/m/Y"` of an aware instant: its day in the current time zone."""
    return _day(timezone.localtime(instant)) if instant else ""


def header_badges(youth: Youth) -> SafeString:
    """The badges under the youth's name (stage and since when, minor, CIVIS, status),
    written here rather than by five template rows (a `{% blocktranslate %}` with a date
    and a `{% translate %}` among them), as the template laid them out, one a line."""
    stage, status = escape(youth.get_current_stage_display()), escape(youth.get_status_display())
    day = _day(youth.stage_changed_on)
    since = _("depuis le %(day)s") % {"day": day}
    minor = _("mineur")  # outside the f-string, where the catalogue's extraction sees it
    lines = (
        f'<span class="badge stage-badge stage-{escape(youth.current_stage)}">{stage}</span>',
        f'<span class="small text-body-secondary">{since}</span>' if day else "",
        f'<span class="badge text-bg-warning">{minor}</span>' if youth.is_minor else "",
        '<span class="badge text-bg-info">CIVIS</span>' if youth.is_in_civis else "",
        f'<span class="badge text-bg-light">{status}</span>',
    )
    # The catalogue's texts as `{% translate %}` wrote them; each value escaped.
    return mark_safe("\n      ".join(lines))  # noqa: S308


def consent_paragraphs(youth: Youth, shared_profile: dict | None) -> SafeString:
    """The consent card's paragraphs (given, by whom and when, and what companies see;
    withdrawn; none), as the template's `{% blocktranslate %}` with a date and its
    `{% translate %}` wrote them, laid out as its rows were."""
    if shared_profile is not None:
        if youth.consent_recorded_by:
            text = _("Consentement recueilli le %(day)s par %(who)s.") % {
                "day": _local_day(youth.consent_shared_at),
                "who": escape(str(youth.consent_recorded_by)),
            }
        else:
            text = _("Consentement donné le %(day)s par le jeune, dans son espace.") % {
                "day": _local_day(youth.consent_shared_at)
            }
        seen = shared_profile
        outcome = seen["assessment_outcome"]
        what = (
            f"{escape(seen['first_name'])} {escape(seen['initial'])}, {seen['age']} {_('ans')}"
            f" · {escape(seen['pathway_stage'])}{f' · {escape(outcome)}' if outcome else ''}"
        )
        companies_see = _("Ce que voient les entreprises :")
        shown = (
            f'\n          <p class="small mb-1">{companies_see}</p>'
            f'\n          <p class="small">{what}</p>'
        )
    elif youth.consent_withdrawn_at:
        text = _(
            "Consentement retiré le %(day)s : le profil n'est pas visible des entreprises."
        ) % {"day": _local_day(youth.consent_withdrawn_at)}
        shown = ""
    else:
        text = _("Pas de consentement : le profil n'est pas visible des entreprises.")
        shown = ""
    # The catalogue's texts as the template's tags wrote them; every value escaped.
    return mark_safe(f"\n          <p>{text}</p>{shown}\n        ")  # noqa: S308


def _action_links(actions: dict, links: dict, rows, between: str) -> SafeString:
    """The page's buttons (`rows`: action, class, link, label) each as the template's
    `{% if actions.x %}<a class=... href=...>{% translate %}</a>{% endif %}` wrote it,
    one a line (an empty line for an action not offered)."""
    return mark_safe(  # noqa: S308 (the catalogue's labels; the links are the URLconf's)
        between.join(
            f'<a class="btn {css}" href="{links[link]}">{label}</a>' if actions[action] else ""
            for action, css, link, label in rows
        )
    )


def header_actions(actions: dict, links: dict) -> SafeString:
    """The buttons next to the youth's name, written here rather than by four template
    rows (an `{% if %}`, a link and a `{% translate %}` each)."""
    rows = (
        ("move_stage", "btn-primary", "pathway_move", _("Changer d'étape")),
        ("note", "btn-outline-primary", "note_create", _("Ajouter un entretien")),
        ("assess", "btn-outline-primary", "assessment_create", _("Évaluer les aptitudes")),
        ("edit", "btn-outline-secondary", "youth_edit", _("Modifier la fiche")),
    )
    return _action_links(actions, links, rows, "\n    ")


def rights_actions(actions: dict, links: dict) -> SafeString:
    """The "Données personnelles" card's buttons, as its template rows wrote them."""
    export = (
        (
            "\n            "
            + _action_links(
                actions,
                links,
                (
                    (
                        "export",
                        "btn-sm btn-outline-secondary",
                        "youth_data_page",
                        _("Tout voir (droit d'accès)"),
                    ),
                    (
                        "export",
                        "btn-sm btn-outline-secondary",
                        "youth_data_json",
                        _("Télécharger en JSON"),
                    ),
                    (
                        "export",
                        "btn-sm btn-outline-secondary",
                        "youth_data_zip",
                        _("Dossier complet (ZIP)"),
                    ),
                ),
                "\n            ",
            )
            + "\n          "
        )
        if actions["export"]
        else ""
    )
    others = _action_links(
        actions,
        links,
        (
            (
                "record_request",
                "btn-sm btn-outline-primary",
                "subject_request_create",
                _("Enregistrer une demande RGPD"),
            ),
            (
                "transfer",
                "btn-sm btn-outline-secondary",
                "youth_move",
                _("Transférer à une autre mission locale"),
            ),
            ("anonymise", "btn-sm btn-outline-danger", "youth_anonymise", _("Anonymiser")),
        ),
        "\n          ",
    )
    return mark_safe(f"{export}\n          {others}")  # noqa: S308 (both written above)


#: The youth page's breadcrumbs and empty history panel, drawn once per language with
#: holes for the youth's name and link.
_KEPT_PARTS = KeptMarkup(size=16)


def youth_breadcrumbs(youth: Youth) -> SafeString:
    """The breadcrumbs (components/breadcrumbs.html: the pool's list, then the youth),
    the same for every youth but their name: drawn once per language with the name as a
    hole, rather than an `{% include %}` and a `{% translate %}` each page."""
    crumbs = _KEPT_PARTS.get(
        "youth page",
        lambda: HoledMarkup.draw(
            lambda holes: render_to_string(
                "components/breadcrumbs.html",
                {
                    "first_label": _("Jeunes du vivier"),
                    "first_url": url_named("candidates:youth_list"),
                    **holes,
                },
            ),
            ["current"],
        ),
    )
    return crumbs.fill(current=youth)


HISTORY_PANEL = "audit/_history_panel.html"


def history_panel(rows: list | None, url: str) -> SafeString:
    """The youth's latest changes (audit/_history_panel.html), as the page's `{% include
    ... only %}` drew it; nothing for a user who may not see them. Without changes (a
    file only read since) the panel is the same for every youth but its link: drawn
    once per language with the link as a hole."""
    if rows is None:
        return mark_safe("")
    if rows:
        return render_to_string(HISTORY_PANEL, {"rows": rows, "url": url})
    empty = _KEPT_PARTS.get(
        HISTORY_PANEL,
        lambda: HoledMarkup.draw(
            lambda holes: render_to_string(HISTORY_PANEL, {"rows": [], **holes}), ["url"]
        ),
    )
    return empty.fill(url=url)


def youth_detail(request, pk: int):
    require_pool(request.user)
    # The timeline and the side panels read the same loaded sets: `.all()` only.
    youth = visible_youth_file(request.user, pk)
    if youth is None:
        raise Http404("No Youth matches the given query.")
    load_file(youth)
    record_access(user=request.user, kind=AccessKind.YOUTH_FILE, youth=youth, request=request)
    assessments = youth.assessments.all()  # newest first
    # The timeline's rows and the latest changes (the audit trail, for the advisors and
    # managers) go to PostgreSQL together: one wait, not one a query.
    parts = timeline_parts(youth)
    sees_history = can_see_youth_history(request.user, youth)
    *timeline_found, history_found = run_together(
        *(part.statement for part in parts),
        latest_about_youth_statement(youth.pk, using=youth._state.db) if sees_history else None,
    )
    timeline = newest_first(read_parts(parts, timeline_found))
    shared_profile = youth.shared_profile() if youth.has_sharing_consent else None
    actions = available_actions(youth, request.user)
    links = {name: url_of(f"candidates:{name}", youth.pk) for name in YOUTH_LINKS}
    recent_changes = (
        describe(
            # The entries' actors; the youth they are about is this page's.
            latest_from_rows(history_found, using=youth._state.db),
            known=(youth, youth.advisor, youth.mission_locale),
        )
        if sees_history
        else None
    )
    context = {
        "youth": youth,
        "breadcrumbs": youth_breadcrumbs(youth),
        "badges": header_badges(youth),
        "identity_rows": identity_rows(youth),
        "actions": actions,
        "links": links,
        "header_actions": header_actions(actions, links),
        "rights_actions": rights_actions(actions, links),
        "timeline": timeline,
        "timeline_rows": timeline_rows(timeline),
        "latest_assessment": assessments[0] if assessments else None,
        "planned_check_ins": [c for c in youth.check_ins.all() if c.is_planned],
        "active_pair": next((p for p in youth.mentoring_pairs.all() if p.is_active), None),
        "vae_projects": youth.vae_projects.all(),
        "shared_profile": shared_profile,
        "consent": consent_paragraphs(youth, shared_profile),
        "anonymisation_on": pending_anonymisation_on(youth),
        # What other apps show on the youth's page (the youth's own space, ...).
        "panels": mark_safe(  # noqa: S308 (each panel's own template drew its markup)
            "".join(
                panel.html(get_token(request))
                for module in app_modules("youth_page")
                for panel in module.panels(youth, request.user)
            )
        ),
        # "Consulté par", for the managers: read after recording, so this opening shows.
        "recent_access": (
            list(AccessLogEntry.objects.about_youth(youth)[:RECENT_ON_YOUTH_PAGE])
            if can_see_access_log(request.user, youth)
            else None
        ),
        "recent_changes": recent_changes,
        "history_panel": history_panel(recent_changes, url_of("audit:youth_history", youth.pk)),
    }
    return render(request, "candidates/youth_detail.html", context)


def pathway_move(request, pk: int):
    youth = get_visible_youth(request, pk, for_update=True)
    form = PathwayMoveForm(request.POST or None, youth=youth)
    return form_page(
        request,
        youth=youth,
        form=form,
        title=_("Changer l'étape du parcours"),
        intro=_("Étape actuelle : %(stage)s.") % {"stage": youth.get_current_stage_display()},
        success=_("L'étape du parcours a été enregistrée."),
        action=lambda data: services.record_pathway_event(
            youth=youth,
            actor=request.user,
            stage=data["stage"],
            occurred_on=data["occurred_on"],
            note=data["note"],
            source=data["source"],
            exit_reason=data["exit_reason"],
        ),
    )


def assessment_create(request, pk: int):
    youth = get_visible_youth(request, pk, for_update=True)
    form = AssessmentForm(request.POST or None)
    return form_page(
        request,
        youth=youth,
        form=form,
        title=_("Évaluation des capacités et aptitudes"),
        success=_("L'évaluation a été enregistrée."),
        action=lambda data: services.record_assessment(
            youth=youth,
            actor=request.user,
            assessed_on=data["assessed_on"],
            method=data["method"],
            scores={name: data[name] for name in SCORE_FIELDS},
            outcome=data["outcome"],
            comment=data["comment"],
        ),
    )


def note_create(request, pk: int):
    youth = get_visible_youth(request, pk, for_update=True)
    form = FollowUpNoteForm(request.POST or None)
    return form_page(
        request,
        youth=youth,
        form=form,
        title=_("Nouvel entretien"),
        success=_("L'entretien a été enregistré."),
        action=lambda data: services.add_follow_up_note(youth=youth, actor=request.user, **data),
    )


def check_in_record(request, pk: int):
    require_pool(request.user)
    check_in = get_object_or_404(
        InCompanyCheckIn.objects.visible_to(request.user).select_related("youth"), pk=pk
    )
    youth = check_in.youth  # visible: the check-in's queryset is scoped to visible youths
    require_editable(request.user, youth)
    form = CheckInForm(request.POST or None, initial={"done_on": timezone.localdate()})
    return form_page(
        request,
        youth=youth,
        form=form,
        title=_("Suivi en entreprise à %(months)s mois") % {"months": check_in.months_after},
        intro=_("Prévu le %(day)s, embauche du %(hired)s.")
        % {
            "day": check_in.due_on.strftime("%d/%m/%Y"),
            "hired": check_in.hired_on.strftime("%d/%m/%Y"),
        },
        success=_("Le suivi en entreprise a été enregistré."),
        action=lambda data: services.record_check_in(
            check_in=check_in,
            actor=request.user,
            done_on=data["done_on"],
            outcome=data["outcome"],
            note=data["note"],
            missed=data["missed"],
        ),
    )


def consent_withdrawal_message(stopped: services.SharingStopped) -> str:
    """What the advisor is told: the profile is hidden, and which proposals and pool
    requests were closed with it (the portal emails nobody about a proposal's change)."""
    parts = [_("Consentement retiré : le profil n'est plus visible des entreprises.")]
    if stopped.withdrawn_proposals:
        parts.append(
            ngettext(
                "%(n)s candidature en cours a été retirée : %(offers)s.",
                "%(n)s candidatures en cours ont été retirées : %(offers)s.",
                len(stopped.withdrawn_proposals),
            )
            % {
                "n": len(stopped.withdrawn_proposals),
                "offers": ", ".join(str(p.offer) for p in stopped.withdrawn_proposals),
            }
        )
    if stopped.declined_pool_requests:
        parts.append(
            ngettext(
                "%(n)s demande d'entreprise (bourse de candidats) a été refusée.",
                "%(n)s demandes d'entreprises (bourse de candidats) ont été refusées.",
                len(stopped.declined_pool_requests),
            )
            % {"n": len(stopped.declined_pool_requests)}
        )
    return " ".join(parts)


def _consent_page(request, youth: Youth, *, action: str):
    """The advisor records a consent or its withdrawal with its proof: how the youth
    expressed it and, for a consent, the notice version they were given (printable from
    the page). The service refuses a step that does not fit the youth's state."""
    giving = action == ConsentAction.GIVEN
    if request.method == "GET" and giving == youth.has_sharing_consent:
        messages.info(
            request,
            _("Le consentement du jeune est déjà enregistré.")
            if giving
            else _("Aucun consentement en cours à retirer."),
        )
        return redirect("candidates:youth_detail", pk=youth.pk)
    form = ConsentForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if giving:
                services.record_sharing_consent(
                    youth=youth,
                    actor=request.user,
                    method=data["method"],
                    notice=data["notice"],
                    note=data["note"],
                )
            else:
                stopped = services.withdraw_sharing_consent(
                    youth=youth, actor=request.user, method=data["method"], note=data["note"]
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if giving:
                messages.success(request, _("Consentement au partage du profil enregistré."))
            else:
                messages.success(request, consent_withdrawal_message(stopped))
            return redirect("candidates:youth_detail", pk=youth.pk)
    return render(
        request,
        "candidates/consent_form.html",
        {
            "youth": youth,
            "form": form,
            "giving": giving,
            "notice": InformationNotice.objects.current_for(
                CONSENT_NOTICES[ConsentPurpose.PROFILE_SHARING]
            ),
            "title": _("Consentement au partage du profil")
            if giving
            else _("Retrait du consentement au partage du profil"),
        },
    )


def consent(request, pk: int):
    youth = get_visible_youth(request, pk, for_update=True)
    return _consent_page(request, youth, action=ConsentAction.GIVEN)


def consent_withdraw(request, pk: int):
    youth = get_visible_youth(request, pk, for_update=True)
    return _consent_page(request, youth, action=ConsentAction.WITHDRAWN)


def due_this_week_rows(user, today):
    """(monday, sunday, appointments, check-ins) of "my follow-ups": what the page lists
    and the home page counts. Overdue ones stay in until done."""
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    mine = Youth.objects.visible_to(user).filter(advisor=user, status=YouthStatus.ACTIVE)
    appointments = (
        mine.filter(next_appointment_on__lte=sunday)
        .select_related("mission_locale")
        .order_by("next_appointment_on", "last_name")
    )
    check_ins = (
        InCompanyCheckIn.objects.planned()
        .filter(youth__in=mine, due_on__lte=sunday)
        .select_related("youth")
        .order_by("due_on")
    )
    return monday, sunday, appointments, check_ins


def due_this_week(request):
    """My follow-ups: appointments and in-company check-ins of the youths I follow,
    due this week, and those overdue."""
    require_pool(request.user)
    today = timezone.localdate()
    monday, sunday, appointments, check_ins = due_this_week_rows(request.user, today)
    return render(
        request,
        "candidates/due.html",
        {
            "monday": monday,
            "sunday": sunday,
            "today": today,
            "appointments": appointments,
            "check_ins": check_ins,
        },
    )
