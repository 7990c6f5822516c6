"""How a deadline reads to a person: "overdue by 3 h", "due in 2 days"."""

import datetime

from django.utils import timezone
from django.utils.translation import ngettext


def _amount(delta: datetime.timedelta) -> tuple[str, int]:
    """("minutes" | "hours" | "days", how many), rounded down, at least one."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        return "minutes", max(1, seconds // 60)
    if seconds < 48 * 3600:
        return "hours", seconds // 3600
    return "days", seconds // 86400


def overdue_text(deadline: datetime.datetime, now: datetime.datetime | None = None) -> str:
    unit, count = _amount((now or timezone.now()) - deadline)
    if unit == "minutes":
        return ngettext("overdue by %(count)d min", "overdue by %(count)d min", count) % {
            "count": count
        }
    if unit == "hours":
        return ngettext("overdue by %(count)d h", "overdue by %(count)d h", count) % {
            "count": count
        }
    return ngettext("overdue by %(count)d day", "overdue by %(count)d days", count) % {
        "count": count
    }


def due_text(deadline: datetime.datetime, now: datetime.datetime | None = None) -> str:
    unit, count = _amount(deadline - (now or timezone.now()))
    if unit == "minutes":
        return ngettext("due in %(count)d min", "due in %(count)d min", count) % {"count": count}
    if unit == "hours":
        return ngettext("due in %(count)d h", "due in %(count)d h", count) % {"count": count}
    return ngettext("due in %(count)d day", "due in %(count)d days", count) % {"count": count}
