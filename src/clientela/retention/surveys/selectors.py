"""Every read of the surveys app, scoped to what the user may see (`visible_to`).

NPS = % promoters (9–10) − % detractors (0–6) of the NPS answers, rounded to a whole number;
CSAT = the average score of the CSAT answers (1–5) and the share of satisfied ones (4–5).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.zones import user_today, user_zone
from clientela.contacts.models import Contact
from clientela.core.ids import MAX_ID, id_or_404
from clientela.retention.surveys.models import (
    SurveyAnswer,
    SurveyKind,
    SurveyOptOut,
    SurveyRequest,
    hash_survey_token,
)

PROMOTER = Q(kind=SurveyKind.NPS, score__gte=9)
NPS_DETRACTOR = Q(kind=SurveyKind.NPS, score__lte=6)
SATISFIED = Q(kind=SurveyKind.CSAT, score__gte=4)


@dataclass(frozen=True)
class LastAnswer:
    kind: str
    score: int
    answered_at: datetime.datetime
    is_detractor: bool


@dataclass
class Score:
    """The NPS and CSAT of a group of answers (a manager, a month, everything)."""

    nps_count: int = 0
    promoters: int = 0
    detractors: int = 0
    csat_count: int = 0
    csat_sum: int = 0
    satisfied: int = 0

    @property
    def count(self) -> int:
        return self.nps_count + self.csat_count

    @property
    def passives(self) -> int:
        return self.nps_count - self.promoters - self.detractors

    @property
    def nps(self) -> int | None:
        if not self.nps_count:
            return None
        return nps_value(self.promoters, self.detractors, self.nps_count)

    @property
    def csat_average(self) -> float | None:
        return round(self.csat_sum / self.csat_count, 2) if self.csat_count else None

    @property
    def csat_satisfied_percent(self) -> float | None:
        return round(100 * self.satisfied / self.csat_count, 1) if self.csat_count else None

    def add(self, row: Mapping[str, Any]) -> None:
        if row["kind"] == SurveyKind.NPS:
            self.nps_count += row["n"]
            self.promoters += row["promoters"]
            self.detractors += row["detractors"]
        else:
            self.csat_count += row["n"]
            self.csat_sum += row["total"] or 0
            self.satisfied += row["satisfied"]


def nps_value(promoters: int, detractors: int, count: int) -> int:
    """Whole-number NPS, halves rounded away from zero (as a person computes it)."""
    raw = 100 * (promoters - detractors) / count
    return int(raw + 0.5) if raw >= 0 else -int(-raw + 0.5)


@dataclass(frozen=True)
class ResultFilters:
    date_from: datetime.date
    date_to: datetime.date
    kind: str = ""
    manager: int | None = None


@dataclass
class Results:
    filters: ResultFilters
    total: Score = field(default_factory=Score)
    by_manager: list[tuple[User, Score]] = field(default_factory=list)
    by_month: list[tuple[datetime.date, Score]] = field(default_factory=list)


def _date(raw: Any, name: str) -> datetime.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from exc


def result_filters_clean(user: User, params: Mapping[str, Any]) -> ResultFilters:
    """Filters from a query string; default: the last six months up to today (the user's)."""
    today = user_today(user)
    date_to = _date(params.get("date_to"), "date_to") or today
    date_from = _date(params.get("date_from"), "date_from") or (
        date_to.replace(day=1) - datetime.timedelta(days=155)
    ).replace(day=1)
    if date_from > date_to:
        raise ValidationError({"date_from": [_("The start is after the end.")]})
    kind = str(params.get("kind") or "")
    if kind and kind not in SurveyKind.values:
        raise ValidationError(
            {"kind": [_("“%(value)s” is not one of the choices.") % {"value": kind}]}
        )
    manager_raw = params.get("manager")
    manager = None
    if manager_raw not in (None, ""):
        try:
            manager = int(str(manager_raw))
        except ValueError:
            manager = 0
        if not 1 <= manager <= MAX_ID:
            raise ValidationError({"manager": [_("There is no such user.")]})
    return ResultFilters(date_from=date_from, date_to=date_to, kind=kind, manager=manager)


def _moment(user: User, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=user_zone(user))


def answers_visible(user: User) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.visible_to(user)


def answers_filtered(user: User, filters: ResultFilters) -> QuerySet[SurveyAnswer]:
    rows = answers_visible(user).filter(
        answered_at__gte=_moment(user, filters.date_from),
        answered_at__lt=_moment(user, filters.date_to + datetime.timedelta(days=1)),
    )
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.manager is not None:
        rows = rows.filter(owner_id=filters.manager)
    return rows


_COUNTS = {
    "n": Count("id"),
    "promoters": Count("id", filter=PROMOTER),
    "detractors": Count("id", filter=NPS_DETRACTOR),
    "satisfied": Count("id", filter=SATISFIED),
}


def survey_results(user: User, filters: ResultFilters) -> Results:
    """NPS and CSAT of the answers the user sees in the period: in all, per manager (the
    client's owner), per month (in the user's time zone). Three queries."""
    rows = answers_filtered(user, filters)
    results = Results(filters=filters)
    per_manager: dict[int, Score] = {}
    for row in rows.values("owner_id", "kind").annotate(**_COUNTS, total=Sum("score")):
        results.total.add(row)
        per_manager.setdefault(row["owner_id"], Score()).add(row)
    managers = User.objects.in_bulk(list(per_manager))
    results.by_manager = sorted(
        ((managers[pk], score) for pk, score in per_manager.items() if pk in managers),
        key=lambda pair: str(pair[0]),
    )
    per_month: dict[datetime.date, Score] = {}
    monthly = (
        rows.annotate(month=TruncMonth("answered_at", tzinfo=user_zone(user)))
        .values("month", "kind")
        .annotate(**_COUNTS, total=Sum("score"))
    )
    for month_row in monthly:
        values: dict[str, Any] = dict(month_row)
        month = values["month"]
        day = month.date() if isinstance(month, datetime.datetime) else month
        per_month.setdefault(day, Score()).add(values)
    results.by_month = sorted(per_month.items(), key=lambda pair: pair[0], reverse=True)
    return results


def answer_list(user: User, filters: ResultFilters, *, limit: int = 100) -> list[SurveyAnswer]:
    """The answers the user sees in the period, newest first, with contact and owner joined."""
    return list(
        answers_filtered(user, filters)
        .select_related("contact", "owner")
        .order_by("-answered_at", "-id")[: max(1, min(limit, 500))]
    )


def request_get(user: User, pk: Any) -> SurveyRequest:
    found = (
        SurveyRequest.objects.visible_to(user)
        .select_related("contact", "answer")
        .filter(pk=id_or_404(pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class ClientSurveys:
    requests: list[SurveyRequest]
    count: int
    opted_out: bool


def client_surveys(user: User, contact: Contact, *, limit: int = 5) -> ClientSurveys:
    """The contact's latest survey requests with their answers, how many there are and
    whether it opted out. Three queries."""
    rows = SurveyRequest.objects.visible_to(user).filter(contact_id=contact.pk)
    recent = list(
        rows.select_related("answer", "answer__task").order_by("-created_at", "-id")[:limit]
    )
    return ClientSurveys(
        requests=recent,
        count=rows.count(),
        opted_out=SurveyOptOut.objects.filter(contact_id=contact.pk).exists(),
    )


def survey_for_token(raw_token: str) -> SurveyRequest | None:
    """The sent (or answered) request a raw token opens; None for anything else."""
    if not raw_token or len(raw_token) > 100:
        return None
    found = (
        SurveyRequest.all_objects.filter(
            token_hash=hash_survey_token(raw_token),
            status__in=[SurveyRequest.Status.SENT, SurveyRequest.Status.ANSWERED],
        )
        .only("id", "kind", "language", "status", "expires_at", "contact_id")
        .first()
    )
    return found


# --- for other apps -----------------------------------------------------------------------------


def last_answers(contact_ids: Iterable[int]) -> dict[int, LastAnswer]:
    """The latest answer of each of `contact_ids` (the caller has scoped them), one query."""
    ids = list(contact_ids)
    if not ids:
        return {}
    latest = (
        SurveyAnswer.objects.filter(contact_id=OuterRef("contact_id"))
        .order_by("-answered_at", "-id")
        .values("id")[:1]
    )
    rows = (
        SurveyAnswer.objects.filter(contact_id__in=ids)
        .annotate(latest=Subquery(latest))
        .filter(id=F("latest"))
        .values_list("contact_id", "kind", "score", "answered_at", "is_detractor")
    )
    return {
        contact_id: LastAnswer(kind=kind, score=score, answered_at=at, is_detractor=detractor)
        for contact_id, kind, score, at, detractor in rows
    }


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def nps_trend(user: User, months: int = 6) -> list[tuple[datetime.date, int | None, int]]:
    """(month start, NPS or None, answers) of the NPS answers the user sees, for the last
    `months` months up to this one (the user's time zone), oldest first. One query."""
    months = max(1, int(months))
    today = user_today(user)
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    zone = user_zone(user)
    rows = (
        answers_visible(user)
        .filter(kind=SurveyKind.NPS, answered_at__gte=_moment(user, starts[0]))
        .annotate(month=TruncMonth("answered_at", tzinfo=zone))
        .values("month")
        .annotate(**_COUNTS)
    )
    found: dict[datetime.date, tuple[int, int, int]] = {}
    for trend_row in rows:
        row: dict[str, Any] = dict(trend_row)
        month = row["month"]
        day = month.date() if isinstance(month, datetime.datetime) else month
        found[day] = (row["promoters"], row["detractors"], row["n"])
    trend: list[tuple[datetime.date, int | None, int]] = []
    for start in starts:
        promoters, detractors, count = found.get(start, (0, 0, 0))
        trend.append((start, nps_value(promoters, detractors, count) if count else None, count))
    return trend
