"""Personal calendar feed links: a signed token per user and region (calendar apps
cannot sign in), carrying the user's current feed key so that renewing the key revokes
every link given before."""

from __future__ import annotations

import secrets

from django.core import signing
from django.db.models import Subquery
from django.utils import timezone

from accounts.compiled_shapes import CompiledShapes, Statement, run_together
from accounts.models import Region, User
from accounts.scope import get_scope

from .models import CalendarFeedKey

FEED_SALT = "immersion.region-feed"


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def current_key(user: User) -> str:
    """The key of the user's links, made on the first request for them."""
    feed_key, _created = CalendarFeedKey.objects.get_or_create(
        user=user, defaults={"key": _new_key()}
    )
    return feed_key.key


#: The regions of the user's links (those of `Region.objects.of_memberships`, by name)
#: with the user's key: one query compiled once per number of regions.
_REGIONS_AND_KEY = CompiledShapes(
    lambda regions, user_id: (
        Region.objects.filter(pk__in=regions)
        .order_by("name")
        .annotate(
            feed_key=Subquery(CalendarFeedKey.objects.filter(user_id=user_id).values("key")[:1])
        )
        .values_list("pk", "code", "name", "feed_key")
    )
)


def regions_and_key(user: User) -> tuple[list[Region], str | None]:
    """The regions of the user's links (by name) and the user's current key (None
    before the first links), in one query where the page read them in two."""
    return regions_and_key_of(run_together(regions_and_key_statement(user))[0])


def regions_and_key_statement(user: User) -> Statement | None:
    """The query of `regions_and_key`, to read with a page's other queries
    (`run_together`); None for a user of no region."""
    return _REGIONS_AND_KEY.statement(
        regions=tuple(sorted(get_scope(user).region_ids())), user_id=user.pk
    )


def regions_and_key_of(rows: list[tuple]) -> tuple[list[Region], str | None]:
    """`regions_and_key` from its statement's rows."""
    regions = [Region(pk=pk, code=code, name=name) for pk, code, name, _key in rows]
    return regions, (rows[0][3] if rows else None)


def token_for(user: User, region: Region, *, key: str) -> str:
    """The token of a feed link. Signed without a timestamp: the link a calendar app
    subscribed to stays the same each time the page shows it, until the user renews
    their key (a timestamp made it change every second)."""
    return signing.Signer(salt=FEED_SALT).sign_object({"u": user.pk, "r": region.pk, "k": key})


def _token_data(token: str) -> dict:
    """The token's content; links handed out before were timestamped (`signing.dumps`)
    and keep working until their key is renewed."""
    if token.count(signing.Signer().sep) == 2:  # payload, timestamp, signature
        return signing.loads(token, salt=FEED_SALT)
    return signing.Signer(salt=FEED_SALT).unsign_object(token)


def read_token(token: str) -> tuple[User, Region] | None:
    """(owner, region) of a valid token: signed by the portal, of an active user, with
    the user's current key; None otherwise."""
    try:
        data = _token_data(token)
        user = User.objects.get(pk=data["u"], is_active=True)
        region = Region.objects.get(pk=data["r"])
    except (signing.BadSignature, KeyError, TypeError, User.DoesNotExist, Region.DoesNotExist):
        return None
    key = CalendarFeedKey.objects.filter(user=user).values_list("key", flat=True).first()
    if key is None or not secrets.compare_digest(str(data.get("k", "")), key):
        return None
    return user, region


def renew_key(user: User) -> CalendarFeedKey:
    """A new key for the user's links: the links given before stop working."""
    feed_key, _created = CalendarFeedKey.objects.update_or_create(
        user=user, defaults={"key": _new_key(), "renewed_at": timezone.now()}
    )
    return feed_key
