"""The timeline of a contact, company or deal: the panel on their pages, its htmx fragments and
a plain page of its own for browsers without JavaScript.

    /timeline/?contact=7&kind=call&cursor=…        the next entries ("Show more" appends them)
    /timeline/panel/?contact=7&kind=call           the whole panel, reloaded by a filter chip
    /timeline/page/?contact=7&kind=call&cursor=…   the same as a page of its own
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from clientela.activities.timeline import (
    Subject,
    subject_name,
    timeline_for,
    timeline_subject,
)
from clientela.activities.timeline.registry import registered_sources
from clientela.contacts.views.common import bad_request, current_user, is_htmx

# The filter chips, in order: the value of `kind` and the label ("" is everything).
CHIPS: list[tuple[str, Promise]] = [
    ("", _("All")),
    ("call", _("Calls")),
    ("meeting", _("Meetings")),
    ("email", _("Emails")),
    ("note", _("Notes")),
    ("task", _("Tasks")),
    ("deal", _("Deals")),
    ("purchase", _("Purchases")),
    ("greeting", _("Greetings")),
    ("gesture", _("Gestures")),
    ("history", _("History")),
]


def chips_in_order() -> list[tuple[str, Promise | str]]:
    """The built-in chips with the registered sources' ones before "History"."""
    added = [(source.group, source.chip) for source in registered_sources()]
    return [*CHIPS[:-1], *added, CHIPS[-1]]


@dataclass(frozen=True)
class Chip:
    label: Promise | str
    page_url: str
    panel_url: str
    current: bool


def _query(record: Subject, kind: str = "", cursor: str = "") -> str:
    params = {subject_name(record): str(record.pk)}
    if kind:
        params["kind"] = kind
    if cursor:
        params["cursor"] = cursor
    return urlencode(params)


def _url(name: str, query: str) -> str:
    return f"{reverse(name)}?{query}"


def subject_url(record: Subject) -> str:
    """The page of the contact, company or deal (blank while a deal has no page)."""
    names = {
        "contact": "contacts:detail",
        "company": "contacts:company_detail",
        "deal": "sales:deal_detail",
    }
    try:
        return reverse(names[subject_name(record)], args=[record.pk])
    except NoReverseMatch:
        return ""


def timeline_context(
    request: HttpRequest, record: Subject, *, kind: str = "", cursor: str | None = None
) -> dict[str, Any]:
    """What the timeline templates show: a page of entries, the chips and the links.

    `kind` is the filter as given (a chip's value, or several kinds separated by commas).
    Raises ValidationError for an unknown kind or a damaged cursor.
    """
    page = timeline_for(
        current_user(request), record, kinds=[kind] if kind else None, cursor=cursor or None
    )
    chips = [
        Chip(
            label=label,
            page_url=_url("activities:timeline_page", _query(record, value)),
            panel_url=_url("activities:timeline_panel", _query(record, value)),
            current=value == kind,
        )
        for value, label in chips_in_order()
    ]
    more = _query(record, kind, page.next_cursor or "")
    return {
        "record": record,
        "subject": subject_name(record),
        "record_url": subject_url(record),
        "page": page,
        "kind": kind,
        "chips": chips,
        "first_page": not cursor,
        "page_url": _url("activities:timeline_page", _query(record, kind)),
        "more_url": _url("activities:timeline", more),
        "more_page_url": _url("activities:timeline_page", more),
    }


def timeline_panel_context(request: HttpRequest, record: Subject) -> dict[str, Any]:
    """The panel on a contact's, company's or deal's page: the newest entries, all kinds."""
    return timeline_context(request, record)


def _read(request: HttpRequest) -> tuple[Subject, str, str]:
    subject = timeline_subject(
        current_user(request),
        contact=request.GET.get("contact"),
        company=request.GET.get("company"),
        deal=request.GET.get("deal"),
    )
    return subject, request.GET.get("kind", ""), request.GET.get("cursor", "")


def _refused(request: HttpRequest, error: ValidationError, back: str) -> HttpResponse:
    """A 400 page naming the bad input, with a way back to the first page of the timeline."""
    return render(
        request,
        "contacts/bad_request.html",
        {"problems": list(error.message_dict.items()), "back": back},
        status=400,
    )


def _respond(request: HttpRequest, template: str) -> HttpResponse:
    try:
        record, kind, cursor = _read(request)
    except ValidationError as error:
        return bad_request(request, error)
    try:
        context = timeline_context(request, record, kind=kind, cursor=cursor)
    except ValidationError as error:
        return _refused(request, error, _url("activities:timeline_page", _query(record)))
    if not is_htmx(request):
        # A fragment is not a page: a browser that asks for one gets the page around it.
        template = "activities/timeline_page.html"
    # The panel's template reads `data`, as on the record's page; the others read `tl`.
    return render(request, template, {"tl": context, "data": context})


@login_required
@require_GET
def timeline_entries(request: HttpRequest) -> HttpResponse:
    """The entries after `cursor`, with the next "Show more" link."""
    return _respond(request, "activities/_timeline_entries.html")


@login_required
@require_GET
def timeline_panel(request: HttpRequest) -> HttpResponse:
    """The whole panel with the filter `kind`, for a chip that reloads it."""
    return _respond(request, "activities/_timeline_panel.html")


@login_required
@require_GET
def timeline_page(request: HttpRequest) -> HttpResponse:
    """The timeline as a page of its own ("Show more" without JavaScript comes here)."""
    return _respond(request, "activities/timeline_page.html")
