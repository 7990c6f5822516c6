"""The upcoming agenda: clients' occasions of the next days, and the holidays among them.

`agenda` reads Occasion rows by day of the year (`mmdd`) on the (owner, mmdd), (team, mmdd)
or (mmdd) index: one index range for a window inside one calendar year, two for a window
across the year end (28 December + 7 days is 1228–1231 and 101–103). Each range is one query
whatever the number of rows, with the client joined in.

29 February: in a leap year it is celebrated on 29 February; in other years on 28 February or
1 March, as the firm chose (`FirmSettings.leap_day_on`).

A leap year moves the occasions with a leap shift (`Occasion.leap_shift`, -1: a Julian name day
of 16–28 February, kept as 1–13 March) one day earlier, to 29 February–12 March.
"""

import calendar
import datetime
import functools
import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, Scope
from clientela.accounts.zones import user_today
from clientela.core.models import FirmSettings
from clientela.occasions.holiday_names import has_names, holiday_name
from clientela.occasions.models import FirmDate, Occasion

log = logging.getLogger(__name__)

LEAP_DAY = 229  # the `mmdd` of 29 February
SHIFTED = (301, 313)  # the `mmdd` an occasion with a leap shift may have (1–13 March)
MAX_DAYS = 365  # a longer window would show some clients' day twice
SCOPES = ("mine", "team", "all")
# What a row shows: the occasion, its client's name and the owner's name. Loading only these
# keeps a month of a team's occasions from decoding every client's notes and custom fields.
AGENDA_COLUMNS = [
    "id", "contact_id", "company_id", "owner_id", "team_id", "kind", "month", "day", "mmdd",
    "year", "label", "manual", "leap_shift",
    "contact__id", "contact__first_name", "contact__middle_name", "contact__last_name",
    "contact__sort_name", "contact__owner_id", "contact__team_id", "contact__company_id",
    "contact__deleted_at", "contact__language", "contact__primary_email",
    "company__id", "company__name", "company__sort_name", "company__owner_id",
    "company__team_id", "company__deleted_at", "company__primary_email",
    "owner__id", "owner__first_name", "owner__last_name", "owner__username",
]  # fmt: skip


@dataclass(frozen=True)
class AgendaItem:
    date: datetime.date  # the celebration in the window, in the user's calendar
    occasion: Occasion
    client: Any  # Contact or Company, loaded with the occasion
    kind: str
    turns: int | None  # age on a birthday, years together on an anniversary (years_on)

    @property
    def label(self) -> str:
        """The occasion's own words ("Wedding", a name day's saint), may be "", in the
        language active when it is read (a digest is made in its reader's language)."""
        return self.occasion.label_shown

    @property
    def client_name(self) -> str:
        return str(self.client) if self.client is not None else ""


@dataclass(frozen=True)
class HolidayItem:
    date: datetime.date
    name: str
    firm_date: FirmDate | None = None  # None: a public holiday of the firm's country

    @property
    def is_firm_date(self) -> bool:
        return self.firm_date is not None


def agenda_scopes(user: Any) -> list[str]:
    """The scopes `user` may choose: everyone has "mine"; leads and administrators of a team
    "team"; whoever sees all records "all"."""
    scopes = ["mine"]
    if user.team_id is not None and (user.is_admin or user.role == Role.LEAD):
        scopes.append("team")
    if user.effective_scope == Scope.ALL:
        scopes.append("all")
    return scopes


def celebration_date(
    month: int, day: int, year: int, leap_day_on: str, leap_shift: int = 0
) -> datetime.date | None:
    """The day (month, day) is celebrated in `year`, `leap_shift` days moved in a leap year;
    None for a date that never exists."""
    leap = calendar.isleap(year)
    if month == 2 and day == 29 and not leap:
        month, day = leap_day_stand_in(leap_day_on)
    try:
        found = datetime.date(year, month, day)
    except ValueError:
        return None
    return found + datetime.timedelta(days=leap_shift) if leap else found


def leap_day_stand_in(leap_day_on: str) -> tuple[int, int]:
    """Where 29 February is celebrated in a common year: (2, 28), or (3, 1) if the firm chose."""
    return (3, 1) if leap_day_on == "03-01" else (2, 28)


def next_celebration(
    month: int,
    day: int,
    today: datetime.date,
    leap_day_on: str,
    leap_shift: int = 0,
    since: int | None = None,
) -> datetime.date:
    """The first date on or after `today` when the yearly date (month, day) is celebrated
    (`leap_shift` days moved in a leap year); a date of year `since` is first celebrated the
    year after (see `celebrated_in`)."""
    first = max(today.year, since + 1) if since is not None else today.year
    for year in (first, first + 1):
        found = celebration_date(month, day, year, leap_day_on, leap_shift)
        if found is not None and found >= today:
            return found
    raise ValueError(f"{month}-{day} is not a day of the year")


def celebrated_in(occasion: Occasion, year: int) -> bool:
    """Whether the occasion is celebrated in `year`: a date with a year (a first purchase, a
    wedding, a birth) from the year after it on, not on the day itself."""
    return occasion.year is None or occasion.year < year


def celebrated_on(day: datetime.date, leap_day_on: str) -> Q:
    """Occasions celebrated on `day`: those of its month and day (on the `mmdd` index), plus
    those of 29 February on its stand-in day of a common year; in a leap year, those of the
    next day with a leap shift instead of those of the day itself with one."""
    mmdd = day.month * 100 + day.day
    celebrated = Q(year__isnull=True) | Q(year__lt=day.year)  # celebrated_in
    if calendar.isleap(day.year):
        after = day + datetime.timedelta(days=1)
        on_day = Q(mmdd=mmdd, leap_shift=0) | Q(mmdd=after.month * 100 + after.day, leap_shift=-1)
        return on_day & celebrated
    condition = Q(mmdd=mmdd)
    if (day.month, day.day) == leap_day_stand_in(leap_day_on):
        condition |= Q(mmdd=LEAP_DAY)
    return condition & celebrated


def live_client() -> Q:
    """Occasions of clients that are not in the trash."""
    return (Q(contact__isnull=True) | Q(contact__deleted_at__isnull=True)) & (
        Q(company__isnull=True) | Q(company__deleted_at__isnull=True)
    )


def years_on(occasion: Occasion, on: datetime.date) -> int | None:
    """The years since the occasion's year on `on` (the age turned on a birthday, the years
    together on an anniversary); None when its year is unknown or not before `on`."""
    if occasion.year is None or occasion.year >= on.year:
        return None
    return on.year - occasion.year


def _segments(start: datetime.date, end: datetime.date) -> list[tuple[int, int, int]]:
    """(year, first mmdd, last mmdd) of the window [start, end) cut at each year end: the
    `mmdd` range of the rows that may be celebrated in it (a few more, never fewer)."""
    segments = []
    day = start
    while day < end:
        last = min(end - datetime.timedelta(days=1), datetime.date(day.year, 12, 31))
        low, high = day.month * 100 + day.day, last.month * 100 + last.day
        # In a non-leap year 29 February is celebrated on 28 February or 1 March: a window
        # reaching either day reaches the 229 rows too (the date filter below keeps the right ones).
        if not calendar.isleap(day.year) and low <= 301 and high >= 228:
            low, high = min(low, 229), max(high, 229)
        # In a leap year a row of 1–13 March with a leap shift is celebrated the day before: a
        # window reaching 29 February–12 March reaches the rows of the next day too.
        if calendar.isleap(day.year) and low < SHIFTED[1] and LEAP_DAY <= high < SHIFTED[1]:
            after = last + datetime.timedelta(days=1)
            high = after.month * 100 + after.day
        segments.append((day.year, low, high))
        day = last + datetime.timedelta(days=1)
    return segments


def _scoped(user: Any, scope: str) -> QuerySet[Occasion]:
    queryset: QuerySet[Occasion] = Occasion.objects.visible_to(user)
    if scope not in agenda_scopes(user):
        scope = "mine"
    if scope == "mine":
        return queryset.filter(owner_id=user.pk)
    if scope == "team":
        return queryset.filter(team_id=user.team_id)
    return queryset


@dataclass(frozen=True)
class AgendaWindow:
    items: list[AgendaItem]
    complete: bool  # False: more occasions than the limit; `items` ends with a whole day
    start: datetime.date
    end: datetime.date  # the day after the window
    skip: int = 0  # the occasions of `start` left out, shown by the part before
    next_day: datetime.date | None = None  # the day of the first occasion left out

    @property
    def next_part(self) -> tuple[datetime.date, int] | None:
        """(from, skip) of the part after this one, or None when nothing is left: the day of
        the first occasion left out, or, when this part is one day cut short (a day with more
        occasions than a part holds), that day again with the occasions shown so far skipped."""
        if self.complete:
            return None
        items = self.items
        if items and items[0].date == items[-1].date == self.next_day:
            day = items[0].date
            return day, (self.skip if day == self.start else 0) + len(items)
        if self.next_day is not None:
            return (self.next_day, 0) if self.next_day < self.end else None
        after = (items[-1].date if items else self.start) + datetime.timedelta(days=1)
        return (after, 0) if after < self.end else None


def agenda_window(
    user: Any,
    *,
    days: int = 7,
    scope: str = "mine",
    today: datetime.date | None = None,
    limit: int | None = None,
    skip: int = 0,
) -> AgendaWindow:
    """`agenda`, with at most `limit` items: the first days of the window in full (a first
    day with more than `limit` occasions is cut at `limit`, and `skip` leaves out as many of
    its occasions as the parts before showed, in the order of the rows; see `next_part`)."""
    if today is None:
        today = user_today(user)
    days = max(1, min(int(days), MAX_DAYS))
    end = today + datetime.timedelta(days=days)
    leap_day_on = FirmSettings.current().leap_day_on
    base = (
        _scoped(user, scope)
        .filter(live_client())
        .select_related("contact", "company", "owner")
        .only(*AGENDA_COLUMNS)
        .order_by("mmdd", "id")
    )
    items: list[AgendaItem] = []
    complete = True
    next_day: datetime.date | None = None  # the day of the first occasion left out
    to_skip = max(0, skip)
    for year, low, high in _segments(today, end):
        rows = base.filter(mmdd__gte=low, mmdd__lte=high)
        if calendar.isleap(year) and low <= SHIFTED[1] and high >= SHIFTED[0]:
            # Rows in the order of their dates, for a limit that ends with a whole day: a row
            # with a leap shift comes before the rows of its own `mmdd` (it is the day before).
            rows = rows.order_by("mmdd", "leap_shift", "id")
        if limit is not None:
            wanted = limit - len(items) + 1 + to_skip  # one more tells whether anything is left
            fetched = list(rows[:wanted])
            if len(fetched) == wanted:
                peeked = fetched.pop()
                next_day = celebration_date(
                    peeked.month, peeked.day, year, leap_day_on, peeked.leap_shift
                )
                # The rows come in the order of their dates: one past the window (a row of the
                # day after, fetched for a shifted one) leaves nothing of the window out.
                complete = next_day is not None and next_day >= end
        else:
            fetched = list(rows)
        for occasion in fetched:
            on = celebration_date(
                occasion.month, occasion.day, year, leap_day_on, occasion.leap_shift
            )
            if on is None or not today <= on < end or not celebrated_in(occasion, on.year):
                continue
            if to_skip and on == today:
                to_skip -= 1  # shown by a part before
                continue
            items.append(
                AgendaItem(
                    date=on,
                    occasion=occasion,
                    client=occasion.contact or occasion.company,
                    kind=occasion.kind,
                    turns=years_on(occasion, on),
                )
            )
        if not complete:
            break
    if not complete and items and items[0].date != next_day == items[-1].date:
        # The last day is cut short (an occasion of that day was left out): whole days only.
        items = [item for item in items if item.date != next_day]
    items.sort(
        key=lambda item: (item.date, getattr(item.client, "sort_name", ""), item.occasion.pk)
    )
    return AgendaWindow(
        items=items,
        complete=complete,
        start=today,
        end=end,
        skip=max(0, skip),
        next_day=None if complete else next_day,
    )


def agenda(
    user: Any,
    *,
    days: int = 7,
    scope: str = "mine",
    today: datetime.date | None = None,
) -> list[AgendaItem]:
    """The occasions of the clients `user` sees (narrowed to `scope`: "mine", "team" or "all";
    a scope the user may not choose falls back to "mine") celebrated from `today` (default:
    today in the user's time zone) for `days` days, sorted by date, then client name.

    One query per calendar year the window touches (one, two across the year end), plus one
    for the firm's settings.
    """
    return agenda_window(user, days=days, scope=scope, today=today).items


# --- Holidays ----------------------------------------------------------------------------


def _holiday_language(country: Any, language: str) -> str | None:
    """The library's language code closest to `language`, else the country's own language."""
    supported = getattr(country, "supported_languages", ()) or ()
    wanted = (language or "").lower().split("-")[0]
    for code in supported:
        if code.lower() == wanted or code.lower().split("_")[0] == wanted:
            return str(code)
    return getattr(country, "default_language", None)


@functools.cache
def _known_countries() -> frozenset[str]:
    import holidays

    return frozenset(holidays.list_supported_countries())


def holiday_country_problem() -> str:
    """A sentence for a person when the firm's holiday country is not one the library knows;
    "" when it is."""
    country = (FirmSettings.current().holiday_country or "").upper()
    if country in _known_countries():
        return ""
    return _(
        "Public holidays are not shown: the country code “%(country)s” in the firm settings "
        "is not one the holidays library knows. An administrator can correct it."
    ) % {"country": country}


def public_holidays_between(
    start: datetime.date, end: datetime.date, *, country: str, language: str = ""
) -> list[HolidayItem]:
    """Public holidays of `country` in [start, end) with names in `language` where the
    `holidays` library has them. Days the law keeps as working days (Ukraine under martial
    law since 2022) are included: they are still days to greet clients on.
    An unknown country gives an empty list (see `holiday_country_problem`)."""
    import holidays

    country = (country or "").upper()
    if country not in _known_countries():
        log.warning("Unknown holiday country %r in the firm settings", country)
        return []
    base = holidays.country_holidays(country)
    categories = [c for c in ("public", "workday") if c in base.supported_categories]
    years = list(range(start.year, end.year + 1))
    wanted = (language or "").lower().split("-")[0]
    # Where the library has no names in `language` but Clientela does (Russian for Ukraine),
    # the library's names in the country's own language are translated (holiday_names).
    ours = has_names(country, wanted) and _holiday_language(base, language) == getattr(
        base, "default_language", None
    )
    found = holidays.country_holidays(
        country,
        years=years,
        language=_holiday_language(base, language),
        categories=tuple(categories),
    )
    items = []
    for day, names in sorted(found.items()):
        if start <= day < end:
            for name in str(names).split("; "):
                if ours:
                    name = holiday_name(name, country=country, language=wanted)
                items.append(HolidayItem(date=day, name=name))
    return items


def firm_dates_between(
    start: datetime.date,
    end: datetime.date,
    *,
    leap_day_on: str | None = None,
    language: str | None = None,
) -> list[HolidayItem]:
    """The active firm dates celebrated in [start, end) (`leap_day_on`: the firm's setting,
    read when not given), named in `language` (default: the active language) where they
    have a name in it."""
    if leap_day_on is None:
        leap_day_on = FirmSettings.current().leap_day_on
    language = language or get_language() or ""
    items = []
    for firm_date in FirmDate.objects.filter(active=True):
        for year in range(start.year, end.year + 1):
            on = firm_date.date_in(year, leap_day_on)
            if on is not None and start <= on < end:
                name = firm_date.name_in(language)
                items.append(HolidayItem(date=on, name=name, firm_date=firm_date))
    return items


def holidays_between(
    start: datetime.date, end: datetime.date, *, language: str | None = None
) -> list[HolidayItem]:
    """Public holidays of the firm's country and the firm's own dates in [start, end), sorted by
    date; names in `language` (default: the active language) where the library has them."""
    country = FirmSettings.current().holiday_country
    language = language or get_language() or ""
    items = public_holidays_between(start, end, country=country, language=language)
    items += firm_dates_between(start, end, language=language)
    return sorted(items, key=lambda item: (item.date, item.firm_date is not None, item.name))
