"""Where a user is in time: their time zone, and the date it is for them."""

import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.utils import timezone


def user_zone(user: Any) -> datetime.tzinfo:
    """The user's own time zone, else the installation's (also for no user at all)."""
    name = getattr(user, "time_zone", "") or ""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def user_today(user: Any, now: datetime.datetime | None = None) -> datetime.date:
    """The date it is for `user` at `now` (default: now), in their time zone."""
    return timezone.localtime(now or timezone.now(), user_zone(user)).date()
