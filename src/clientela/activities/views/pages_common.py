"""Small pieces the My day, task and activity pages share."""

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientela.contacts.views.common import is_htmx

# A page opened inside the dialog of another page (activities.js) answers with its form only.
DIALOG_TARGET = "activity-dialog-body"


def _allowed(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    )


def back_url(request: HttpRequest, fallback: str) -> str:
    """Where to go after a form: `next` if it is one of our pages, else `fallback`.

    On the first showing of a form, the page the user came from (Referer) counts too, so a
    link without `next` (an action on a contact's page) still leads back there.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if _allowed(request, target):
        return target
    if request.method == "GET":
        referer = request.headers.get("referer", "")
        if _allowed(request, referer):
            parts = urlsplit(referer)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path != request.path:
                return path
    return fallback


def in_dialog(request: HttpRequest) -> bool:
    """The request comes from the dialog over another page (htmx), not a page of its own."""
    return is_htmx(request) and request.htmx.target == DIALOG_TARGET  # type: ignore[attr-defined]


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    # One address answers with a page or a fragment: caches must keep the two apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def client_url(record: Any) -> str | None:
    """The page of the client an activity or task is about: its contact's, else its company's,
    else its deal's."""
    if getattr(record, "contact_id", None):
        return reverse("contacts:detail", args=[record.contact_id])
    if getattr(record, "company_id", None):
        return reverse("contacts:company_detail", args=[record.company_id])
    if getattr(record, "deal_id", None):
        return deal_url(record.deal_id)
    return None


def deal_url(pk: int) -> str | None:
    """The deal's page, once the sales pages exist."""
    try:
        return reverse("sales:deal_detail", args=[pk])
    except NoReverseMatch:
        return None


def duration_display(duration: datetime.timedelta | None) -> str:
    """ "1 h 05 min", "12 min", "45 s": a call's length or a day's talk time."""
    if duration is None:
        return ""
    seconds = int(duration.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    if minutes and secs:
        return _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": secs}
    if minutes:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("%(seconds)d s") % {"seconds": secs}


def activity_label(activity: Any) -> str:
    """What a person calls an activity: its subject, else its kind and local time."""
    if activity.subject:
        return str(activity.subject)
    when = date_format(timezone.localtime(activity.started_at), "SHORT_DATETIME_FORMAT")
    return f"{activity.get_kind_display()}, {when}"


def days_late_display(days: int) -> str:
    if days <= 0:
        return _("late today")
    return ngettext("%(count)d day late", "%(count)d days late", days) % {"count": days}
