"""A user's private calendar address: made, shown once, revoked.

The address carries a secret token; only its SHA-256 is stored (like API tokens), so a copy
of the database gives nobody a working address. A user has one address at a time: making a
new one revokes the old one, so an address that leaked is closed by making another.
"""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from clientela.accounts.models import User, hash_token
from clientela.core.audit import audit_record
from clientela.occasions.models import CalendarFeed

FEED_TOKEN_PREFIX = "clcal_"


@transaction.atomic
def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new feed for `user` (its earlier ones revoked); returns it with the secret token,
    which is never stored or shown again."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    raw = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(raw))
    audit_record(actor=user, action="create", obj=feed)
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, actor: User) -> None:
    """Close the address: from now on it answers 404."""
    if feed.user_id != actor.pk and not actor.is_admin:
        raise PermissionDenied
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="revoke", obj=feed)


def calendar_feed_authenticate(raw: str) -> User | None:
    """The active user a feed token belongs to, or None for an unknown or revoked token."""
    if not raw.startswith(FEED_TOKEN_PREFIX):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    # Calendar apps poll often; note the use at most once an hour.
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 3600:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def calendar_feeds_of(user: User) -> list[CalendarFeed]:
    return list(CalendarFeed.objects.filter(user=user).order_by("-created_at", "-id")[:20])
