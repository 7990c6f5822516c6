"""The calendar feed page: make a private address, see it once, revoke it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clientela.contacts.views.common import current_user
from clientela.occasions.models import CalendarFeed
from clientela.occasions.services_feed import (
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feeds_of,
)


def _page(request: HttpRequest, *, new_url: str = "") -> HttpResponse:
    feeds = calendar_feeds_of(current_user(request))
    context: dict[str, Any] = {
        "feeds": feeds,
        "active": next((f for f in feeds if f.revoked_at is None), None),
        "new_url": new_url,
        "webcal_url": new_url.replace("https://", "webcal://", 1).replace(
            "http://", "webcal://", 1
        ),
    }
    response = render(request, "occasions/calendar_feed.html", context)
    if new_url:
        # The address is a secret: not for a shared cache or the browser's page history.
        response["Cache-Control"] = "no-store"
    return response


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    """A new private address (the old one stops working); shown on this response only."""
    _feed, raw = calendar_feed_create(user=current_user(request))
    path = reverse("activities:calendar_feed", kwargs={"token": raw})
    return _page(request, new_url=request.build_absolute_uri(path))


@login_required
@require_POST
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    feed = CalendarFeed.objects.filter(pk=pk, user=user).first()
    if feed is None:
        raise Http404
    calendar_feed_revoke(feed=feed, actor=user)
    messages.success(request, _("The calendar address is revoked; it no longer works."))
    return redirect("occasions:calendar_feed")
