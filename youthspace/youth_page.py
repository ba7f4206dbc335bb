"""The youth's space as the advisor sees it, on the youth's page (`candidates`'s
youth page asks every app's `youth_page.panels`): activated or not, the last visit,
the youth's answers to sessions, the consent changes the youth made, the next step."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accounts.kept_markup import HoledMarkup, KeptMarkup
from accounts.page_rows import url_of
from candidates.enums import ConsentMethod

from .models import SessionAnswer, YouthSpace
from .permissions import can_invite_youth, can_write_next_step

#: The panel of a youth without a space, answers or consent changes (most youths): drawn
#: once per language and per what it offers, with holes for the youth's two links.
_EMPTY_PANELS = KeptMarkup(size=32)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)

    def html(self, csrf_token: str) -> SafeString:
        """The panel's markup: its template with `panel` and the request's CSRF token
        (its invitation is a form), nothing else of the request. A youth with no space,
        no answers and no consent changes shows only what the user may do: that markup
        is kept, the youth's links and the token put in its holes."""
        context = self.context
        if context["space"] is not None or context["answers"] or context["youth_consents"]:
            return render_to_string(self.template, {"panel": context, "csrf_token": csrf_token})
        links = [
            name
            for name, shown in (
                ("invite_url", context["can_invite"]),
                ("next_step_url", context["can_write_next_step"]),
            )
            if shown
        ]
        holes = [*links, "csrf_token"] if context["can_invite"] else links
        # What else the template reads of this state: whether the youth has an address.
        key = (self.template, *links, bool(context["youth"].email))
        markup = _EMPTY_PANELS.get(
            key,
            lambda: HoledMarkup.draw(
                lambda marks: render_to_string(
                    self.template,
                    {
                        "panel": {**context, **{name: marks[name] for name in links}},
                        "csrf_token": marks.get("csrf_token", ""),
                    },
                ),
                holes,
            ),
        )
        return markup.fill(
            **{name: context[name] for name in links},
            **({"csrf_token": csrf_token} if context["can_invite"] else {}),
        )


def youth_file_flags() -> dict[str, Exists]:
    """Whether the youth has a space and answers to sessions, asked in the youth's own
    query by `Youth.objects.with_file()`: the panel skips the reads of what is not there."""
    return {
        "has_space": Exists(YouthSpace.objects.filter(youth_id=OuterRef("pk"))),
        "has_session_answers": Exists(
            SessionAnswer.objects.filter(enrolment__youth_id=OuterRef("pk"))
        ),
    }


def panels(youth, user) -> list[Panel]:
    """One panel, read in two queries whatever the rows (none for what the youth's
    `has_space` and `has_session_answers` say is not there)."""
    space = (
        YouthSpace.objects.filter(youth_id=youth.pk).first()
        if getattr(youth, "has_space", True)
        else None
    )
    answers = (
        list(
            SessionAnswer.objects.filter(enrolment__youth_id=youth.pk)
            .select_related("enrolment__session")
            .order_by("-answered_at", "-pk")[:10]
        )
        if getattr(youth, "has_session_answers", True)
        else []
    )
    youth_consents = [
        record
        for record in youth.consent_records.all()  # loaded with the file
        if record.method == ConsentMethod.YOUTH_SPACE
    ][:10]
    return [
        Panel(
            "youthspace/_advisor_panel.html",
            {
                "youth": youth,
                "space": space,
                "answers": answers,
                "youth_consents": youth_consents,
                "can_invite": can_invite_youth(user, youth),
                "can_write_next_step": can_write_next_step(user, youth),
                # The panel's two links, without a `{% url %}` each (30 µs a link).
                "invite_url": url_of("youthspace:invite", youth.pk),
                "next_step_url": url_of("youthspace:next_step", youth.pk),
            },
        )
    ]
