"""How a youth appears to a user of another app: the file's name for the youth's own
mission locale, the shared profile for anyone else while the youth consents, a
placeholder without a name otherwise. Every page, export and email that shows a youth
outside the candidates app asks `youth_as_seen_by`, so the rule
(`permissions.can_see_shared_profile`) is applied in one place."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Youth
from .permissions import can_see_shared_profile, can_see_youth_file


@dataclass(frozen=True)
class YouthAsSeen:
    """What one user may see of one youth.

    `label`: "Prénom NOM" for the youth's mission locale, "Prénom I." for others while
    the youth consents, else the caller's placeholder. `profile`: `shared_profile()`,
    None when hidden. `sees_file`: the user may open the youth's file."""

    label: str
    profile: dict | None
    sees_file: bool

    @property
    def is_hidden(self) -> bool:
        return self.profile is None


def youth_as_seen_by(user, youth: Youth, *, placeholder: str) -> YouthAsSeen:
    """The youth as `user` may see them (`can_see_shared_profile`); `placeholder` names a
    hidden youth without saying anything of them ("Participant·e 3", "Candidature
    retirée"). Reads the youth's row and the user's scope (read once per request): no
    query of its own, so a list may ask it for every row."""
    if can_see_youth_file(user, youth):
        return YouthAsSeen(label=str(youth), profile=youth.shared_profile(), sees_file=True)
    if can_see_shared_profile(user, youth):
        return YouthAsSeen(
            label=youth.shared_label, profile=youth.shared_profile(), sees_file=False
        )
    return YouthAsSeen(label=str(placeholder), profile=None, sees_file=False)
