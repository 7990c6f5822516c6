"""A user's private iCalendar feed: their clients' occasions and their open tasks.

`GET /calendar/<token>.ics` needs no login (calendar apps send no credentials): the token in
the address is the key, checked by its SHA-256 like an API token; an unknown or revoked token
is a plain 404. Google Calendar, Outlook and Apple Calendar subscribe to the address and poll
it.

- Occasions: the clients the user owns, celebrated in the next FEED_DAYS days (29 February
  resolved by the firm's rule, see occasions.agenda), as all-day events with the UID
  `occasion-<id>-<date>@clientela`, stable from one poll to the next.
- Tasks: the user's open tasks due from FEED_PAST_DAYS ago to FEED_DAYS ahead; a task with a
  time is a timed event in the user's time zone (TZID with its VTIMEZONE), one without is an
  all-day event. UID `task-<id>@clientela`.
"""

import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from clientela.accounts.models import User
from clientela.accounts.zones import user_today, user_zone
from clientela.activities.models import Task
from clientela.occasions.agenda import AgendaItem, agenda
from clientela.occasions.models import OccasionKind
from clientela.occasions.services_feed import calendar_feed_authenticate

FEED_DAYS = 90
FEED_PAST_DAYS = 30  # overdue open tasks stay visible for a month
TASK_MINUTES = 30  # a task has a time but no length: shown as half an hour


def _occasion_summary(item: AgendaItem) -> str:
    name = item.client_name
    kind = item.kind
    if kind == OccasionKind.BIRTHDAY:
        if item.turns:
            return ngettext(
                "Birthday: %(name)s (turns %(turns)d)",
                "Birthday: %(name)s (turns %(turns)d)",
                item.turns,
            ) % {"name": name, "turns": item.turns}
        return _("Birthday: %(name)s") % {"name": name}
    if kind == OccasionKind.NAME_DAY:
        return _("Name day: %(name)s") % {"name": name}
    if kind == OccasionKind.ANNIVERSARY:
        if item.turns:
            return ngettext(
                "%(name)s: %(years)d year together",
                "%(name)s: %(years)d years together",
                item.turns,
            ) % {"name": name, "years": item.turns}
        return _("Client anniversary: %(name)s") % {"name": name}
    return _("%(what)s: %(name)s") % {"what": item.label or _("Other date"), "name": name}


def _client_url(request: HttpRequest, contact_id: int | None, company_id: int | None) -> str:
    if contact_id:
        return request.build_absolute_uri(reverse("contacts:detail", args=[contact_id]))
    if company_id:
        return request.build_absolute_uri(reverse("contacts:company_detail", args=[company_id]))
    return ""


def _occasion_event(request: HttpRequest, item: AgendaItem, stamp: datetime.datetime) -> Event:
    occasion = item.occasion
    event = Event()
    event.add("uid", f"occasion-{occasion.pk}-{item.date.isoformat()}@clientela")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.date)
    event.add("dtend", item.date + datetime.timedelta(days=1))
    event.add("summary", _occasion_summary(item))
    if item.label and occasion.kind != OccasionKind.CUSTOM:
        event.add("description", item.label)
    event.add("transp", "TRANSPARENT")  # a client's birthday does not make the user busy
    event.add("categories", [str(occasion.get_kind_display())])
    url = _client_url(request, occasion.contact_id, occasion.company_id)
    if url:
        event.add("url", url)
    return event


def _task_event(
    request: HttpRequest, task: Task, zone: datetime.tzinfo, stamp: datetime.datetime
) -> Event:
    event = Event()
    event.add("uid", f"task-{task.pk}@clientela")
    event.add("dtstamp", stamp)
    if task.due_time is None:
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        start = datetime.datetime.combine(task.due_date, task.due_time, tzinfo=zone)
        event.add("dtstart", start)
        event.add("dtend", start + datetime.timedelta(minutes=TASK_MINUTES))
    event.add("summary", _("Task: %(title)s") % {"title": task.title})
    client = task.contact or task.company
    description = "\n\n".join(part for part in (str(client or ""), task.notes) if part)
    if description:
        event.add("description", description)
    event.add("url", request.build_absolute_uri(reverse("activities:task_detail", args=[task.pk])))
    if task.urgent:
        event.add("priority", 1)
    event.add("last-modified", task.updated_at)
    return event


def _open_tasks(user: User, today: datetime.date) -> list[Task]:
    return list(
        Task.objects.filter(
            owner=user,
            done_at__isnull=True,
            due_date__gte=today - datetime.timedelta(days=FEED_PAST_DAYS),
            due_date__lt=today + datetime.timedelta(days=FEED_DAYS),
        )
        .select_related("contact", "company")
        .order_by("due_date", "due_time", "id")
    )


def build_calendar(
    request: HttpRequest, user: User, *, today: datetime.date | None = None
) -> Calendar:
    """The user's feed as an icalendar Calendar, names in the user's language."""
    zone = user_zone(user)
    today = today or user_today(user)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Clientela//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Clientela: %(name)s") % {"name": user})
    calendar.add("x-wr-caldesc", _("Your clients' occasions and your open tasks"))
    if isinstance(zone, zoneinfo.ZoneInfo):
        calendar.add("x-wr-timezone", zone.key)
    calendar.add("x-published-ttl", "PT1H")  # Outlook's hint how often to poll
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for item in agenda(user, days=FEED_DAYS, scope="mine", today=today):
        calendar.add_component(_occasion_event(request, item, stamp))
    for task in _open_tasks(user, today):
        calendar.add_component(_task_event(request, task, zone, stamp))
    calendar.add_missing_timezones()
    return calendar


def _language(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed of the token's user; an unknown or revoked token is a 404, nothing more."""
    user = calendar_feed_authenticate(token)
    if user is None:
        raise Http404
    language = _language(user)
    with translation.override(language):
        body: Any = build_calendar(request, user).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Language"] = language  # the feed's, not the request's (LocaleMiddleware)
    response["Content-Disposition"] = 'inline; filename="clientela.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
