"""How a youth appears to a user of another app: the file's name for the youth's own
mission locale, the shared profile for anyone else while the youth consents, a
placeholder without a name otherwise. Every page, export and email that shows a youth
outside the candidates app asks `youth_as_seen_by`, so the rule
(`permissions.can_see_shared_profile`) is applied in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .models import Youth
from .permissions import can_see_shared_profile, can_see_youth_file


@dataclass(frozen=True)
class YouthAsSeen:
    """What one user may see of one youth.

    `label`: "Prénom NOM" for the youth's mission locale, "Prénom I." for others while
    the youth consents, else the caller's placeholder. `youth`: the youth, None when
    hidden. `profile`: `shared_profile()`, made when first read (a list that shows only
    the label, such as an offer's board, pays nothing for it), None when hidden.
    `sees_file`: the user may open the youth's file."""

    label: str
    youth: Youth | None
    sees_file: bool

    @property
    def is_hidden(self) -> bool:
        return self.youth is None

    @cached_property
    def profile(self) -> dict | None:
        return None if self.youth is None else self.youth.shared_profile()


def youth_as_seen_by(user, youth: Youth, *, placeholder: str) -> YouthAsSeen:
    """The youth as `user` may see them (`can_see_shared_profile`); `placeholder` names a
    hidden youth without saying anything of them ("Participant·e 3", "Candidature
    retirée"). Reads the youth's row and the user's scope (read once per request): no
    query of its own, so a list may ask it for every row."""
    if can_see_youth_file(user, youth):
        return YouthAsSeen(label=str(youth), youth=youth, sees_file=True)
    if can_see_shared_profile(user, youth):
        return YouthAsSeen(label=youth.shared_label, youth=youth, sees_file=False)
    return YouthAsSeen(label=str(placeholder), youth=None, sees_file=False)
