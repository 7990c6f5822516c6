"""The hook through which a discount policy governs the discounts of deals and purchases.

Sales is below the retention apps and cannot import them (DESIGN.md), so the discount policy
(`clientela.retention.discounts`) fills this registry in its AppConfig.ready. Without it
nothing is registered and deals and purchases save as they always did.

A check is called by the deal and purchase services inside their transaction, before the
record is saved, whenever a record is created or its discount, price, cost or client changes:

    check(actor=user, record=deal_or_purchase, values=DiscountValues(...), prefix="")

`record` carries the new values already (its pk is None while it is being created). The check
raises a django ValidationError keyed by field (`prefix + "discount_percent"` or
`prefix + "cost"`, with the code NEEDS_APPROVAL when a lead may approve it) to refuse the
save, or returns None, or returns a callable that the service calls once the record is saved
(it then has its pk: an approval is marked used on it).

`approval_request_url()` is where a page sends a person who wants that approval (the form's
"Ask a lead to approve" button); "" when no policy app is installed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from clientela.accounts.models import User

# The code of a ValidationError that a lead's approval would lift.
NEEDS_APPROVAL = "discount_needs_approval"


@dataclass(frozen=True)
class DiscountValues:
    """The new values of a deal or purchase. `amount` is the price the client pays after the
    discount (a deal's value, a purchase's amount), in `currency`, like `cost`."""

    discount_percent: Decimal | None
    amount: Decimal
    cost: Decimal | None
    currency: str


AfterSave = Callable[[], None]


class DiscountCheck(Protocol):
    def __call__(
        self, *, actor: User, record: Any, values: DiscountValues, prefix: str
    ) -> AfterSave | None: ...


_checks: list[DiscountCheck] = []
_approval_url: list[Callable[[], str]] = []


def register_discount_check(fn: DiscountCheck) -> None:
    """Call `fn` for every new or changed discount of a deal or purchase (idempotent)."""
    if fn not in _checks:
        _checks.append(fn)


def register_approval_url(fn: Callable[[], str]) -> None:
    """`fn()` is the address of the page that files a request for approval."""
    _approval_url[:] = [fn]


def approval_request_url() -> str:
    return _approval_url[0]() if _approval_url else ""


def run_discount_checks(
    *, actor: User, record: Any, values: DiscountValues, prefix: str = ""
) -> list[AfterSave]:
    """Run every registered check; the callables to run once `record` is saved."""
    after: list[AfterSave] = []
    for check in _checks:
        done = check(actor=actor, record=record, values=values, prefix=prefix)
        if done is not None:
            after.append(done)
    return after


def discount_fields(record: Any, amount_field: str) -> tuple[Any, ...]:
    """What a check looks at, to tell whether a change of the record needs checking."""
    return (
        record.discount_percent,
        getattr(record, amount_field),
        record.cost,
        record.currency,
        record.contact_id,
        record.company_id,
    )
