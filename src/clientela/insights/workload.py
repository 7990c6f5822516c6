"""How heavy a manager's days are: calls, talk time and draining calls, per day and per week.

A day is overloaded when too many draining calls came before the morning ended, or when the
talk time went past the limit; the firm sets both (core.FirmSettings). A user's day is its
own local day; a team's weeks and days are ISO weeks and days in the reader's time zone, so
one table never mixes clocks.

Every figure is counted by the database (GROUP BY); a page costs the same few queries for
two managers or twenty, ten calls or ten thousand.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate, TruncTime, TruncWeek
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientela.accounts.models import Role, Team, User
from clientela.accounts.zones import user_zone
from clientela.activities.models import Activity, ActivityKind, Task
from clientela.contacts.models import Company, Contact
from clientela.core.models import FirmSettings

# How far back a team view may look, and how many draining clients it ranks.
MAX_WEEKS = 52
DEFAULT_WEEKS = 8
DRAINING_CLIENTS = 20
# The most tasks offered for moving on one heavy day.
SUGGESTIONS_LIMIT = 50

ZERO = datetime.timedelta(0)


def duration_text(value: datetime.timedelta | None) -> str:
    """ "2 h 15 min", "2 h", "45 min": a talk time as a person says it (whole minutes)."""
    minutes = int((value or ZERO).total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


def next_working_day(day: datetime.date) -> datetime.date:
    """The day after `day`, skipping Saturday and Sunday."""
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def local_midnight(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s ISO week."""
    return day - datetime.timedelta(days=day.weekday())


def is_worker(user: Any) -> bool:
    """Whoever works with clients has a load: managers, leads, administrators (not viewers)."""
    return bool(getattr(user, "is_authenticated", False) and user.can_write)


def is_lead(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and (
        user.role == Role.LEAD
    )


# --- one user's days -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRow:
    """One local day of one user."""

    day: datetime.date
    calls: int = 0
    talk: datetime.timedelta = ZERO
    draining_calls: int = 0
    average_draining: float | None = None
    morning_draining: int = 0
    overloaded: bool = False


@dataclass(frozen=True)
class DayLoad(DayRow):
    """Today for one user, with the times of the draining calls, why the day is too heavy
    (in plain words) and, if it is, the tasks that could wait until the next working day."""

    draining_times: list[datetime.time] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    suggestions: list[Task] = field(default_factory=list)
    next_day: datetime.date | None = None


def _calls() -> QuerySet[Activity]:
    return Activity.objects.filter(kind=ActivityKind.CALL)


def _is_overloaded(talk: datetime.timedelta, morning_draining: int, firm: FirmSettings) -> bool:
    return morning_draining >= firm.draining_calls or talk > datetime.timedelta(
        minutes=firm.talk_minutes
    )


def _daily(calls: QuerySet[Activity], zone: datetime.tzinfo, firm: FirmSettings) -> QuerySet:
    """`calls` grouped by user and local day: the figures of each (user, day) with a call."""
    draining = Q(draining__gte=firm.draining_level)
    return (
        calls.alias(local_time=TruncTime("started_at", tzinfo=zone))
        .annotate(day=TruncDate("started_at", tzinfo=zone))
        .values("user_id", "day")
        .annotate(
            calls=Count("id"),
            talk=Sum("duration"),
            draining_calls=Count("id", filter=draining),
            average_draining=Avg("draining"),
            morning_draining=Count("id", filter=draining & Q(local_time__lt=firm.morning_until)),
        )
        .order_by()
    )


def _day_row(row: dict[str, Any], firm: FirmSettings) -> DayRow:
    talk = row["talk"] or ZERO
    return DayRow(
        day=row["day"],
        calls=row["calls"],
        talk=talk,
        draining_calls=row["draining_calls"],
        average_draining=row["average_draining"],
        morning_draining=row["morning_draining"],
        overloaded=_is_overloaded(talk, row["morning_draining"], firm),
    )


def _day_range(first: datetime.date, last: datetime.date, zone: datetime.tzinfo) -> Q:
    return Q(
        started_at__gte=local_midnight(first, zone),
        started_at__lt=local_midnight(last + datetime.timedelta(days=1), zone),
    )


def my_days(
    user: User,
    *,
    days: int = 7,
    now: datetime.datetime | None = None,
    firm: FirmSettings | None = None,
) -> list[DayRow]:
    """The user's last `days` local days, today first, days without a call included."""
    return _my_days(user, days=days, now=now, firm=firm or FirmSettings.current())


def _my_days(
    user: User, *, days: int, now: datetime.datetime | None, firm: FirmSettings
) -> list[DayRow]:
    zone = user_zone(user)
    today = timezone.localtime(now or timezone.now(), zone).date()
    first = today - datetime.timedelta(days=days - 1)
    rows = _daily(_calls().filter(_day_range(first, today, zone), user=user), zone, firm)
    found = {row["day"]: _day_row(row, firm) for row in rows}
    return [
        found.get(day, DayRow(day=day))
        for day in (today - datetime.timedelta(days=n) for n in range(days))
    ]


def _reasons(row: DayRow, firm: FirmSettings) -> list[str]:
    reasons = []
    if row.morning_draining >= firm.draining_calls:
        reasons.append(
            ngettext(
                "%(count)d draining call before %(time)s",
                "%(count)d draining calls before %(time)s",
                row.morning_draining,
            )
            % {"count": row.morning_draining, "time": time_format(firm.morning_until, "H:i")}
        )
    limit = datetime.timedelta(minutes=firm.talk_minutes)
    if row.talk > limit:
        reasons.append(
            _("%(talk)s of talk today, more than %(limit)s")
            % {"talk": duration_text(row.talk), "limit": duration_text(limit)}
        )
    return reasons


def movable_tasks(user: User, *, now: datetime.datetime | None = None) -> QuerySet[Task]:
    """The user's own open tasks due today that could wait: about a client, not urgent and
    not overdue (a time of day already past makes a task overdue)."""
    zone = user_zone(user)
    local_now = timezone.localtime(now or timezone.now(), zone)
    return (
        Task.objects.visible_to(user)
        .filter(owner=user, done_at__isnull=True, due_date=local_now.date(), urgent=False)
        .filter(Q(contact__isnull=False) | Q(company__isnull=False) | Q(deal__isnull=False))
        .exclude(due_time__lt=local_now.time().replace(tzinfo=None))
        .select_related("contact", "company", "deal")
        .order_by(F("due_time").asc(nulls_last=True), "id")
    )


def my_load(
    user: User, *, now: datetime.datetime | None = None, firm: FirmSettings | None = None
) -> DayLoad:
    """The user's load on its local day at `now` (default: now); see DayLoad."""
    firm = firm or FirmSettings.current()
    zone = user_zone(user)
    today_row = _my_days(user, days=1, now=now, firm=firm)[0]
    times: list[datetime.time] = []
    if today_row.draining_calls:
        moments = (
            _calls()
            .filter(
                _day_range(today_row.day, today_row.day, zone),
                user=user,
                draining__gte=firm.draining_level,
            )
            .order_by("started_at")
            .values_list("started_at", flat=True)
        )
        times = [timezone.localtime(m, zone).time().replace(microsecond=0) for m in moments]
    suggestions: list[Task] = []
    if today_row.overloaded:
        suggestions = list(movable_tasks(user, now=now)[:SUGGESTIONS_LIMIT])
    return DayLoad(
        **today_row.__dict__,
        draining_times=times,
        reasons=_reasons(today_row, firm),
        suggestions=suggestions,
        next_day=next_working_day(today_row.day),
    )


# --- a team's weeks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekRow:
    start: datetime.date
    calls: int = 0
    talk: datetime.timedelta = ZERO
    draining_calls: int = 0
    average_draining: float | None = None
    overloaded_days: int = 0

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def iso_week(self) -> int:
        return self.start.isocalendar().week


@dataclass(frozen=True)
class ManagerWeeks:
    user: User
    weeks: list[WeekRow]  # the latest first

    @property
    def calls(self) -> int:
        return sum(w.calls for w in self.weeks)

    @property
    def talk(self) -> datetime.timedelta:
        return sum((w.talk for w in self.weeks), ZERO)

    @property
    def draining_calls(self) -> int:
        return sum(w.draining_calls for w in self.weeks)

    @property
    def overloaded_days(self) -> int:
        return sum(w.overloaded_days for w in self.weeks)


@dataclass(frozen=True)
class ClientTaker:
    user: User | None
    calls: int


@dataclass(frozen=True)
class DrainingClient:
    """A client whose calls drained the team: `record` is None when the reader may not see it."""

    kind: str  # "contact" or "company"
    pk: int
    record: Contact | Company | None
    draining_calls: int
    score: int  # the sum of the draining ratings
    last_call: datetime.datetime
    takers: list[ClientTaker]


@dataclass(frozen=True)
class TeamLoad:
    team: Team
    weeks: list[datetime.date]  # Mondays, the latest first
    managers: list[ManagerWeeks]
    clients: list[DrainingClient]
    firm: FirmSettings

    @property
    def talk_limit(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.firm.talk_minutes)

    @property
    def first_day(self) -> datetime.date:
        return self.weeks[-1]

    @property
    def last_day(self) -> datetime.date:
        return self.weeks[0] + datetime.timedelta(days=6)


def teams_for(user: User) -> QuerySet[Team]:
    """The teams whose load `user` may read: every team for an administrator, its own for a
    lead, none for anyone else."""
    if user.is_admin:
        return Team.objects.order_by("name")
    if is_lead(user) and user.team_id is not None:
        return Team.objects.filter(pk=user.team_id)
    return Team.objects.none()


def _members(team: Team) -> list[User]:
    people = User.objects.filter(team=team).exclude(role=Role.VIEWER)
    return list(people.order_by("first_name", "last_name", "username"))


def team_load(
    reader: User,
    team: Team,
    *,
    weeks: int = DEFAULT_WEEKS,
    now: datetime.datetime | None = None,
) -> TeamLoad:
    """Per manager of `team`, per ISO week of the last `weeks` (in `reader`'s time zone): calls,
    talk time, draining calls, average rating, overloaded days; and the clients whose calls
    drained the team most in that time. `team` must be one of `teams_for(reader)`."""
    firm = FirmSettings.current()
    zone = user_zone(reader)
    weeks = max(1, min(weeks, MAX_WEEKS))
    this_week = week_start(timezone.localtime(now or timezone.now(), zone).date())
    mondays = [this_week - datetime.timedelta(weeks=n) for n in range(weeks)]
    members = _members(team)
    ids = [m.pk for m in members]
    calls = _calls().filter(
        _day_range(mondays[-1], this_week + datetime.timedelta(days=6), zone), user_id__in=ids
    )
    totals = (
        calls.annotate(week=TruncWeek("started_at", tzinfo=zone))
        .values("user_id", "week")
        .annotate(
            calls=Count("id"),
            talk=Sum("duration"),
            draining_calls=Count("id", filter=Q(draining__gte=firm.draining_level)),
            average_draining=Avg("draining"),
        )
        .order_by()
    )
    cells: dict[tuple[int, datetime.date], dict[str, Any]] = {}
    for row in totals:
        monday = _as_date(row["week"], zone)
        cells[(row["user_id"], monday)] = {
            "calls": row["calls"],
            "talk": row["talk"] or ZERO,
            "draining_calls": row["draining_calls"],
            "average_draining": row["average_draining"],
        }
    limit = datetime.timedelta(minutes=firm.talk_minutes)
    heavy_days = _daily(calls, zone, firm).filter(
        Q(talk__gt=limit) | Q(morning_draining__gte=firm.draining_calls)
    )
    overloaded: dict[tuple[int, datetime.date], int] = {}
    for row in heavy_days:
        key = (row["user_id"], week_start(row["day"]))
        overloaded[key] = overloaded.get(key, 0) + 1
    managers = []
    for member in members:
        rows = [
            WeekRow(
                start=monday,
                overloaded_days=overloaded.get((member.pk, monday), 0),
                **cells.get((member.pk, monday), {}),
            )
            for monday in mondays
        ]
        if member.is_active or any(r.calls for r in rows):
            managers.append(ManagerWeeks(user=member, weeks=rows))
    clients = _draining_clients(reader, calls, firm, {m.pk: m for m in members})
    return TeamLoad(team=team, weeks=mondays, managers=managers, clients=clients, firm=firm)


def _as_date(value: datetime.datetime | datetime.date, zone: datetime.tzinfo) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, zone)
        return value.date()
    return value


def _draining_clients(
    reader: User, calls: QuerySet[Activity], firm: FirmSettings, people: dict[int, User]
) -> list[DrainingClient]:
    """The clients with the most draining calls among `calls` (then the highest total rating).

    A call is its contact's, else its company's, as its owner copy is (contacts.client_copies).
    """
    draining = calls.filter(draining__gte=firm.draining_level).annotate(
        client_contact=F("contact_id"),
        client_company=Case(
            When(contact__isnull=True, then=F("company_id")),
            default=Value(None),
            output_field=BigIntegerField(),
        ),
    )
    top = list(
        draining.values("client_contact", "client_company")
        .annotate(n=Count("id"), score=Sum("draining"), last=Max("started_at"))
        .order_by("-n", "-score", "-last", "client_contact", "client_company")[:DRAINING_CLIENTS]
    )
    if not top:
        return []
    contact_ids = [r["client_contact"] for r in top if r["client_contact"] is not None]
    company_ids = [r["client_company"] for r in top if r["client_contact"] is None]
    takers: dict[tuple[str, int], list[ClientTaker]] = {}
    by_user = (
        draining.filter(
            Q(contact_id__in=contact_ids) | Q(contact__isnull=True, company_id__in=company_ids)
        )
        .values("client_contact", "client_company", "user_id")
        .annotate(n=Count("id"))
        .order_by("-n", "user_id")
    )
    for taken in by_user:
        key = _client_key(taken)
        takers.setdefault(key, []).append(ClientTaker(people.get(taken["user_id"]), taken["n"]))
    contacts = Contact.objects.visible_to(reader).filter(pk__in=contact_ids).select_related("owner")
    companies = (
        Company.objects.visible_to(reader).filter(pk__in=company_ids).select_related("owner")
    )
    records: dict[tuple[str, int], Contact | Company] = {("contact", c.pk): c for c in contacts}
    records |= {("company", c.pk): c for c in companies}
    found = []
    for row in top:
        key = _client_key(row)
        found.append(
            DrainingClient(
                kind=key[0],
                pk=key[1],
                record=records.get(key),
                draining_calls=row["n"],
                score=row["score"],
                last_call=row["last"],
                takers=takers.get(key, []),
            )
        )
    return found


def _client_key(row: Mapping[str, Any]) -> tuple[str, int]:
    if row["client_contact"] is not None:
        return ("contact", row["client_contact"])
    return ("company", row["client_company"])
