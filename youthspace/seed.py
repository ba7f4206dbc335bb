"""Demo data of the youth's space: the demo advisor's first followed youth with an
address has their space open, a next step and an answer to their next session. The
invitation is held like every demo email; sign in as that youth by asking a link at
/espace/connexion/ (in a DEBUG run the email is printed on the console)."""

from __future__ import annotations

from candidates.enums import YouthStatus
from candidates.models import Youth

from . import services
from .enums import Answer
from .models import YouthSpace
from .permissions import can_answer_enrolment

NEXT_STEP = "Venir à la prochaine session avec un CV imprimé et une pièce d'identité."


def seed(demo) -> str:
    advisor = demo.users["advisor"]
    youth = (
        Youth.objects.filter(advisor=advisor, status=YouthStatus.ACTIVE)
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    if youth is None:
        return ""
    if YouthSpace.objects.filter(youth=youth, user__isnull=False).exists():
        return f"youth space of {youth.email} already open"
    space = services.invite_youth(actor=advisor, youth=youth)
    services.set_next_step(actor=advisor, youth=youth, text=NEXT_STEP)
    enrolment = next(
        (
            enrolment
            for enrolment in youth.enrolments.active()
            .select_related("session")
            .order_by("session__starts_at")
            if can_answer_enrolment(space, enrolment)
        ),
        None,
    )
    if enrolment is not None:
        services.answer_session(space=space, enrolment=enrolment, answer=Answer.COMING)
    return f"youth space of {youth.email} opened (sign in by a link from /espace/connexion/)"
