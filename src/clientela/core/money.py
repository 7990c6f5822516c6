"""Money: an amount as a Decimal with two places, and an ISO 4217 currency code beside it.

Amounts are never floats and never converted between currencies here: a sum "per currency"
is the honest answer when a firm sells in hryvnias and euros alike.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The currencies a client of Clientela is likely to be paid in; the first is the default.
CURRENCIES = (
    "UAH", "EUR", "USD", "PLN", "GBP", "CHF", "CZK", "HUF", "RON", "BGN", "SEK", "NOK", "DKK",
    "MDL", "GEL", "KZT", "TRY", "ILS", "AED", "CAD", "AUD", "JPY", "CNY",
)  # fmt: skip
DEFAULT_CURRENCY = CURRENCIES[0]

MAX_DIGITS = 14
DECIMAL_PLACES = 2
_LARGEST = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES) - Decimal("0.01")


def validate_currency(value: Any) -> None:
    """Refuse anything but one of CURRENCIES (upper case, as ISO 4217 writes them)."""
    if value not in CURRENCIES:
        raise ValidationError(
            _("“%(value)s” is not a currency code such as UAH, EUR or USD."),
            code="currency",
            params={"value": value},
        )


def clean_currency(value: Any) -> str:
    """A currency code from user input: spaces and letter case forgiven ("eur " is EUR)."""
    code = str(value or "").strip().upper()
    validate_currency(code)
    return code


def clean_amount(value: Any) -> Decimal:
    """A non-negative amount with at most two decimal places that fits MAX_DIGITS."""
    if isinstance(value, bool | float):
        # A float has already lost cents (0.1 + 0.2); only text, int and Decimal are exact.
        value = str(value)
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Use at most two decimal places."), code="decimal_places")
    if amount > _LARGEST:
        raise ValidationError(_("The amount is too large."), code="too_large")
    return amount.quantize(Decimal("0.01"))
