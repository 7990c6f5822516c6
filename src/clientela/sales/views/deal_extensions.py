"""The deals panel, actions and search section on contact and company pages."""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clientela.contacts.models import Company, Contact
from clientela.contacts.views.common import current_user
from clientela.core.extensions import (
    Action,
    Panel,
    SearchSection,
    TrashSection,
    register_action,
    register_panel,
    register_search_section,
    register_trash_section,
)
from clientela.sales.selectors import client_deals, deals_search, trash_deals

# The deals panel of a client's page shows this many; the rest are in the filtered list.
PANEL_DEALS = 10


def client_deals_panel(request: HttpRequest, record: Contact | Company) -> dict[str, Any]:
    """The client's deals the user sees, open ones first (two queries at most)."""
    user = current_user(request)
    kind = "contact" if isinstance(record, Contact) else "company"
    found = client_deals(user, **{kind: record}, limit=PANEL_DEALS)  # type: ignore[arg-type]
    query = urlencode({kind: record.pk})
    return {
        "deals": found.deals,
        "count": found.count,
        "capped": found.capped,
        "more": found.count > len(found.deals),
        "list_url": f"{reverse('sales:deal_list')}?{query}",
        "new_url": f"{reverse('sales:deal_create')}?{query}" if user.can_write else "",
    }


def register() -> None:
    register_panel(
        Panel(
            key="deals",
            targets=frozenset({"contact", "company"}),
            order=20,
            template="sales/_client_deals.html",
            context=client_deals_panel,
        )
    )
    for kind in ("contact", "company"):
        register_action(
            Action(
                key=f"new_deal_{kind}",
                targets=frozenset({kind}),
                order=20,
                label=_("New deal"),
                url_name="sales:deal_create",
                param=kind,
            )
        )
    register_search_section(
        SearchSection(
            key="deals",
            order=30,
            title=_("Deals"),
            template="sales/_search_deals.html",
            find=lambda user, text, limit: deals_search(user, text, limit=limit),
            live_template="sales/_search_deals_live.html",
        )
    )
    register_trash_section(
        TrashSection(
            key="deals",
            order=30,
            title=_("Deals"),
            items=trash_deals,
            url_restore="sales:deal_restore",
        )
    )
