"""What complaints add to other pages: the open complaints panel of a contact and a company,
"Record a complaint" on contact, company and deal pages, and a trash section."""

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
    TrashSection,
    register_action,
    register_panel,
    register_trash_section,
)
from clientela.retention.complaints import selectors


def client_complaints_panel(request: HttpRequest, record: Contact | Company) -> dict[str, Any]:
    """The client's open complaints the user sees and their counts (two queries)."""
    user = current_user(request)
    kind = "contact" if isinstance(record, Contact) else "company"
    found = selectors.client_complaints(user, **{kind: record})  # type: ignore[arg-type]
    query = urlencode({kind: record.pk})
    return {
        "complaints": found.open,
        "open_count": found.open_count,
        "overdue_count": found.overdue_count,
        "total": found.total,
        "more": found.open_count > len(found.open),
        "list_url": f"{reverse('complaints:list')}?{query}&status=all",
        "open_url": f"{reverse('complaints:list')}?{query}",
        "new_url": f"{reverse('complaints:new')}?{query}" if user.can_write else "",
    }


ACTION_LABEL = _("Record a complaint")


def register_extensions() -> None:
    register_panel(
        Panel(
            key="complaints",
            targets=frozenset({"contact", "company"}),
            order=15,
            template="complaints/_client_complaints.html",
            context=client_complaints_panel,
        )
    )
    for target in ("contact", "company", "deal", "purchase"):
        register_action(
            Action(
                key=f"complaint_new_{target}",
                targets=frozenset({target}),
                order=70,
                label=ACTION_LABEL,
                url_name="complaints:new",
                param=target,
            )
        )
    register_trash_section(
        TrashSection(
            key="complaints",
            order=50,
            title=_("Complaints"),
            items=selectors.trash_complaints,
            url_restore="complaints:restore",
        )
    )
