"""The cursor of a timeline page: the place (moment, source rank, id) of its last entry.

Signed, so a forged or damaged one is refused with a clear error on "cursor" (a 400 on the
page) rather than trusted; each source turns it into a condition on its own columns.
"""

import base64
import binascii
import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from clientela.activities.timeline.entries import RANK_ACTIVITY, RANK_LAST, Entry
from clientela.activities.timeline.registry import registered_ranks
from clientela.core.ids import MAX_ID

_SALT = "clientela.timeline"


@dataclass(frozen=True)
class Cursor:
    at: datetime.datetime
    rank: int
    id: int


def _invalid() -> ValidationError:
    return ValidationError(
        {"cursor": [_("This page link is not valid; start from the first page.")]}
    )


def cursor_encode(entry: Entry) -> str:
    """The cursor of the page that goes on after `entry`."""
    payload = signing.dumps(
        {"a": entry.at.isoformat(), "r": entry.rank, "i": entry.obj.pk}, salt=_SALT
    )
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> Cursor:
    """The place in `cursor`; a ValidationError on "cursor" unless this server made it."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = signing.loads(base64.urlsafe_b64decode(padded).decode(), salt=_SALT)
        at, rank, pk = parse_datetime(data["a"]), data["r"], data["i"]
    except (ValueError, TypeError, KeyError, binascii.Error, signing.BadSignature) as exc:
        raise _invalid() from exc
    if (
        at is None
        or not timezone.is_aware(at)
        or type(rank) is not int
        or not (RANK_ACTIVITY <= rank <= RANK_LAST or rank in registered_ranks())
        or type(pk) is not int
        or not 1 <= pk <= MAX_ID
    ):
        raise _invalid()
    return Cursor(at=at, rank=rank, id=pk)


def after(field_name: str, rank: int, cursor: Cursor | None) -> Q:
    """Rows of a source of `rank` that come after `cursor` in (moment desc, rank, id desc)."""
    if cursor is None:
        return Q()
    condition = Q(**{f"{field_name}__lt": cursor.at})
    if rank > cursor.rank:
        condition |= Q(**{field_name: cursor.at})
    elif rank == cursor.rank:
        condition |= Q(**{field_name: cursor.at, "id__lt": cursor.id})
    return condition


def start_of_day(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def after_day(rank: int, cursor: Cursor | None, zone: datetime.tzinfo) -> Q:
    """As `after` for rows of a date ("date"), whose moment is the start of the day in `zone`."""
    if cursor is None:
        return Q()
    day = cursor.at.astimezone(zone).date()
    if start_of_day(day, zone) != cursor.at:
        # The cursor is within `day`, after its start: that day's rows come after it.
        return Q(date__lte=day)
    condition = Q(date__lt=day)
    if rank > cursor.rank:
        condition |= Q(date=day)
    elif rank == cursor.rank:
        condition |= Q(date=day, id__lt=cursor.id)
    return condition
