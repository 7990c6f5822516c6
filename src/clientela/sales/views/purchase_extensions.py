"""The purchases panel (with the purchase rhythm) and actions on contact and company pages."""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clientela.contacts.models import Company, Contact
from clientela.contacts.views.common import current_user
from clientela.core.extensions import (
    Action,
    Panel,
    TrashSection,
    register_action,
    register_panel,
    register_trash_section,
)
from clientela.sales import selectors

# How many of a client's purchases its page lists; the rest are one link away.
PANEL_PURCHASES = 5


def _since_text(days: int | None) -> str:
    if days is None:
        return ""
    if days <= 0:
        return gettext("last purchase today")
    return ngettext("last purchase %(days)d day ago", "last purchase %(days)d days ago", days) % {
        "days": days
    }


def _ago_text(days: int | None) -> str:
    if days is None:
        return ""
    if days <= 0:
        return gettext("today")
    return ngettext("%(days)d day ago", "%(days)d days ago", days) % {"days": days}


def client_purchases(request: HttpRequest, record: Contact | Company) -> dict[str, Any]:
    """The panel's data: the rhythm and the latest purchases of the client (three queries)."""
    user = current_user(request)
    param = "contact" if isinstance(record, Contact) else "company"
    client: dict[str, Any] = {param: record}
    rhythm = selectors.purchase_rhythm(user, **client)
    recent = (
        selectors.client_purchases_recent(user, limit=PANEL_PURCHASES, **client)
        if rhythm.count
        else []
    )
    interval = (
        int(rhythm.average_interval_days.to_integral_value())
        if rhythm.average_interval_days is not None
        else None
    )
    query = urlencode({param: record.pk})
    return {
        "rhythm": rhythm,
        "interval_days": interval,
        "since_text": _since_text(rhythm.days_since_last),
        "ago_text": _ago_text(rhythm.days_since_last),
        "interval_text": (
            ngettext("usually every %(days)d day", "usually every %(days)d days", interval)
            % {"days": interval}
            if interval is not None
            else ""
        ),
        "needs_text": ngettext(
            "The buying rhythm needs purchases on %(needed)d different day; so far: %(days)d.",
            "The buying rhythm needs purchases on %(needed)d different days; so far: %(days)d.",
            selectors.RHYTHM_MIN_DATES,
        )
        % {"needed": selectors.RHYTHM_MIN_DATES, "days": rhythm.purchase_days},
        "purchases": recent,
        "more": rhythm.count > len(recent),
        "min_dates": selectors.RHYTHM_MIN_DATES,
        "list_url": f"{reverse('sales:purchase_list')}?{query}",
        "new_url": f"{reverse('sales:purchase_create')}?{query}",
        "can_write": user.can_write,
    }


def register() -> None:
    register_panel(
        Panel(
            key="purchases",
            targets=frozenset({"contact", "company"}),
            order=30,
            template="sales/_client_purchases.html",
            context=client_purchases,
        )
    )
    for target in ("contact", "company", "deal"):
        register_action(
            Action(
                key=f"purchase_new_{target}",
                targets=frozenset({target}),
                order=30,
                label=_("Add a purchase"),
                url_name="sales:purchase_create",
                param=target,
            )
        )
    register_trash_section(
        TrashSection(
            key="purchases",
            order=40,
            title=_("Purchases"),
            items=selectors.trash_purchases,
            url_restore="sales:purchase_restore",
        )
    )
