"""What the sign-in and set-up pages say about the second factor."""

from django import template

from accounts import signin
from accounts.permissions import requires_two_factor

register = template.Library()


@register.filter
def must_enrol_second_factor(user) -> bool:
    """The user's role requires a second factor and they have none yet (one query)."""
    return requires_two_factor(user) and not signin.has_second_factor(user)


@register.filter
def grouped(secret: str, size: int = 4) -> str:
    """A TOTP secret in groups of four characters, easier to copy by hand."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))
