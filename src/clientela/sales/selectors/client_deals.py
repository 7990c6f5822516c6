"""The deals of one client, open ones first: the deals panel of a contact's or company's page."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.core.pagination import capped_count
from clientela.sales.models import Deal, StageKind
from clientela.sales.selectors.deals import DealFilters, _deal_rows, deals_filtered


@dataclass(frozen=True)
class ClientDeals:
    deals: list[Deal]  # open deals first, each group with the latest move on top
    count: int  # every deal of the client the user sees, up to the list count cap
    capped: bool  # True when there are more than `count`


def client_deals(
    user: User, *, contact: Contact | None = None, company: Company | None = None, limit: int = 10
) -> ClientDeals:
    """The first `limit` deals of a contact or a company that the user sees (two queries)."""
    if (contact is None) == (company is None):
        raise ValueError("give a contact or a company")
    filters = (
        DealFilters(contact=contact.pk) if contact is not None else DealFilters(company=company.pk)  # type: ignore[union-attr]
    )
    visible = deals_filtered(user, filters)
    closed_last = Case(
        When(stage__kind=StageKind.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = _deal_rows(visible).order_by(closed_last, "-stage_changed_at", "-id")[:limit]
    deals = list(rows)
    if len(deals) < limit:
        return ClientDeals(deals=deals, count=len(deals), capped=False)
    count, capped = capped_count(visible, settings.LIST_COUNT_CAP)
    return ClientDeals(deals=deals, count=count, capped=capped)
