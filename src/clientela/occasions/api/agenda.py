"""The agenda and the holidays over JSON."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Query

from clientela.accounts.api import actor, error_responses
from clientela.accounts.zones import user_today
from clientela.core.models import FirmSettings
from clientela.occasions.agenda import (
    agenda_scopes,
    agenda_window,
    holiday_country_problem,
    holidays_between,
)
from clientela.occasions.api._common import _bad_query, _day, router
from clientela.occasions.schemas import (
    HolidaysOut,
    HolidaysQuery,
    UpcomingOut,
    UpcomingQuery,
)

UPCOMING_DAYS = (7, 30)  # as the occasions page offers
UPCOMING_SCOPES = ("mine", "team")
UPCOMING_ROWS = 300  # as the occasions page shows: the first whole days, then `next_from`
HOLIDAY_DAYS = 366
HOLIDAY_DEFAULT_DAYS = 30


@router.get(
    "/occasions/upcoming",
    response={200: UpcomingOut, **error_responses(400, 401)},
    summary="Upcoming occasions of your clients",
)
def occasions_upcoming(request: HttpRequest, query: Query[UpcomingQuery]) -> dict[str, Any]:
    """Birthdays, name days, anniversaries and other dates of the next 7 or 30 days, by date,
    then client. At most 300 in one answer, whole days only (a day with more comes in parts of
    its own): when `complete` is false, ask again with `from` set to `next_from` and `skip` to
    `next_skip`."""
    who = actor(request)
    if query.days not in UPCOMING_DAYS:
        allowed = ", ".join(map(str, UPCOMING_DAYS))
        raise _bad_query("days", _("Choose one of: %(allowed)s.") % {"allowed": allowed})
    if query.scope not in UPCOMING_SCOPES:
        allowed = ", ".join(UPCOMING_SCOPES)
        raise _bad_query("scope", _("Choose one of: %(allowed)s.") % {"allowed": allowed})
    scope = query.scope if query.scope in agenda_scopes(who) else "mine"
    today = user_today(who)
    end = today + datetime.timedelta(days=query.days)
    last_day = end - datetime.timedelta(days=1)
    start = _day(query.start, "from") or today
    if start < today:
        limit = today.isoformat()
        raise _bad_query("from", _("Enter a value of at least %(limit)s.") % {"limit": limit})
    if start > last_day:
        limit = last_day.isoformat()
        raise _bad_query("from", _("Enter a value of at most %(limit)s.") % {"limit": limit})
    window = agenda_window(
        who,
        days=(end - start).days,
        scope=scope,
        today=start,
        limit=UPCOMING_ROWS,
        skip=query.skip,
    )
    next_part = window.next_part
    return {
        "start": start,
        "last_day": last_day,
        "scope": scope,
        "complete": window.complete,
        "next_from": next_part[0] if next_part else None,
        "next_skip": next_part[1] if next_part else 0,
        "items": window.items,
    }


@router.get(
    "/occasions/holidays",
    response={200: HolidaysOut, **error_responses(400, 401)},
    summary="Public holidays and the firm's own dates of a period",
)
def occasions_holidays(request: HttpRequest, query: Query[HolidaysQuery]) -> dict[str, Any]:
    """Public holidays of the firm's country and the firm's own dates from `start` to `end`
    (both included, at most 366 days), named in your language where there is a name in it."""
    who = actor(request)
    start = _day(query.start, "start") or user_today(who)
    end = _day(query.end, "end") or start + datetime.timedelta(days=HOLIDAY_DEFAULT_DAYS - 1)
    if end < start:
        raise _bad_query("end", _("The end of the period is before its start."))
    if (end - start).days >= HOLIDAY_DAYS:
        most = ngettext("%(count)d day", "%(count)d days", HOLIDAY_DAYS) % {"count": HOLIDAY_DAYS}
        raise _bad_query("end", _("Enter a value of at most %(limit)s.") % {"limit": most})
    return {
        "start": start,
        "end": end,
        "country": FirmSettings.current().holiday_country.upper(),
        "country_problem": holiday_country_problem() or None,
        "items": holidays_between(start, end + datetime.timedelta(days=1)),
    }
