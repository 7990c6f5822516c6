"""Reads of calls, meetings, emails and notes: filters, list pages, single activities, trash."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from clientela.accounts.models import User
from clientela.accounts.zones import user_zone
from clientela.activities.models import Activity, ActivityKind
from clientela.activities.selectors._common import (
    _choice_or_error,
    _date_or_error,
    _sort,
    day_start,
)
from clientela.activities.services import ACTIVITY_RELATED
from clientela.core.ids import id_or_404 as _int_or_404
from clientela.core.ids import id_or_error as _int_or_error
from clientela.core.pagination import Page, keyset_page

# What a list may be sorted by, and the keyset order behind each (the last field is unique).
ACTIVITY_SORTS = {
    "-started": ["-started_at", "-id"],
    "started": ["started_at", "id"],
    "-created": ["-created_at", "-id"],
}


@dataclass(frozen=True)
class ActivityFilters:
    kind: str | None = None
    contact: int | None = None
    company: int | None = None
    deal: int | None = None
    user: int | None = None  # who did it
    since: datetime.date | None = None  # from this day on, in the reader's time zone
    until: datetime.date | None = None  # up to and including this day
    sort: str = "-started"


def activity_filters_clean(user: User, params: dict[str, Any]) -> ActivityFilters:
    """Parse activity filters from a query string; a bad value is a ValidationError naming it."""
    user_raw = params.get("user")
    return ActivityFilters(
        kind=_choice_or_error("kind", params.get("kind"), ActivityKind.values, None),
        contact=_int_or_error("contact", params.get("contact")),
        company=_int_or_error("company", params.get("company")),
        deal=_int_or_error("deal", params.get("deal")),
        user=user.pk if user_raw == "me" else _int_or_error("user", user_raw),
        since=_date_or_error("since", params.get("since")),
        until=_date_or_error("until", params.get("until")),
        sort=_sort(params, ACTIVITY_SORTS, "-started"),
    )


def activities_filtered(user: User, filters: ActivityFilters) -> QuerySet[Activity]:
    queryset: QuerySet[Activity] = Activity.objects.visible_to(user)
    for name in ("contact", "company", "deal", "user"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    zone = user_zone(user)
    if filters.since is not None:
        queryset = queryset.filter(started_at__gte=day_start(filters.since, zone))
    if filters.until is not None:
        next_day = filters.until + datetime.timedelta(days=1)
        queryset = queryset.filter(started_at__lt=day_start(next_day, zone))
    return queryset


def activity_list(
    user: User, filters: ActivityFilters, *, cursor: str | None = None, limit: int | None = 50
) -> Page:
    """One page of activities, newest first by default: one query, people and client joined."""
    return keyset_page(
        activities_filtered(user, filters).select_related(*ACTIVITY_RELATED),
        order=ACTIVITY_SORTS[filters.sort],
        cursor=cursor,
        size=limit or settings.LIST_PAGE_SIZE,
    )


def activity_get(user: User, pk: Any) -> Activity:
    """An activity the user may see, not in the trash, with its people and client; else 404."""
    activity = (
        Activity.objects.visible_to(user)
        .select_related(*ACTIVITY_RELATED)
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def trashed_activity_get(user: User, pk: Any) -> Activity:
    """An activity in the trash that the user may restore: its owner's or its doer's, or any
    for an administrator."""
    activity = (
        Activity.all_objects.trashed()
        .select_related(*ACTIVITY_RELATED)
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if activity is None or not (user.is_admin or user.pk in (activity.owner_id, activity.user_id)):
        raise Http404
    return activity


def trash_activities(user: User, limit: int = 200) -> list[Activity]:
    """Trashed activities the user may restore (see `trashed_activity_get`), newest first."""
    queryset = Activity.all_objects.trashed().select_related("owner", "deleted_by")
    if not user.is_admin:
        queryset = queryset.filter(Q(owner=user) | Q(user=user))
    return list(queryset.order_by("-deleted_at", "-id")[:limit])
