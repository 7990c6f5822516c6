"""Page forms for purchases.

The forms only read what a person typed; the services decide what a valid purchase is (no
negative amount, a known currency, no date in the future, a discount from 0 to 100 %, the
firm's discount policy) and their field-keyed errors are put back next to the field they name.
The amount is the price the client pays, after the discount.
"""

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from clientela.core.money import CURRENCIES, DEFAULT_CURRENCY
from clientela.sales import policy
from clientela.sales.models import Purchase


class ServiceForm(forms.Form):
    """A form that shows a service's ValidationError next to the fields it names."""

    model: type[Model]
    # Set when the service refused a discount that a lead's approval would allow.
    needs_discount_approval = False

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        self.needs_discount_approval = needs_approval(error)
        for key, messages in error.message_dict.items():
            if key in self.fields:
                self.add_error(key, messages)
            else:
                # A field the page does not edit (the client of a purchase): named in the text.
                label = self.label_for_key(key)
                self.add_error(None, [f"{label}: {message}" for message in messages])

    def label_for_key(self, key: str) -> str:
        try:
            field = self.model._meta.get_field(key)
        except FieldDoesNotExist:
            return key
        return str(capfirst(field.verbose_name))  # type: ignore[union-attr]


def needs_approval(error: ValidationError) -> bool:
    """Whether the service refused a discount (or margin) that a lead may approve."""
    return any(
        item.code == policy.NEEDS_APPROVAL
        for items in getattr(error, "error_dict", {}).values()
        for item in items
    )


def _number(text: str) -> str:
    """A typed number as the services read it: "1 250,50" is 1250.50.

    People write a decimal comma as often as a point, and group thousands with spaces (also
    the narrow no-break space that copying from a spreadsheet brings along).
    """
    for space in (" ", "\u00a0", "\u202f"):
        text = text.replace(space, "")
    return text.replace(",", ".")


def _decimal_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class PurchaseForm(ServiceForm):
    model = Purchase

    date = forms.CharField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.CharField(label=gettext_lazy("Amount"), widget=_decimal_input())
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"), choices=[(code, code) for code in CURRENCIES]
    )
    description = forms.CharField(
        label=gettext_lazy("What was bought"), max_length=500, required=False
    )
    discount_percent = forms.CharField(
        label=gettext_lazy("Discount, %"),
        required=False,
        widget=_decimal_input(),
        help_text=gettext_lazy("From 0 to 100; leave empty if there was none."),
    )
    cost = forms.CharField(
        label=gettext_lazy("Cost to the firm"),
        required=False,
        widget=_decimal_input(),
        help_text=gettext_lazy("What it costs the firm, in the same currency; optional."),
    )

    def __init__(self, *args: Any, purchase: Purchase | None = None, **kwargs: Any) -> None:
        if purchase is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "date": purchase.date.isoformat(),
                "amount": purchase.amount,
                "currency": purchase.currency,
                "description": purchase.description,
                "discount_percent": (
                    format(purchase.discount_percent.normalize(), "f")
                    if purchase.discount_percent is not None
                    else ""
                ),
                "cost": purchase.cost if purchase.cost is not None else "",
            }
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.initial.setdefault("date", timezone.localdate().isoformat())
        self.initial.setdefault("currency", DEFAULT_CURRENCY)

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        return {
            "date": cleaned["date"],
            "amount": _number(cleaned["amount"]),
            "currency": cleaned["currency"],
            "description": cleaned["description"],
            "discount_percent": _number(cleaned["discount_percent"]) or None,
            "cost": _number(cleaned["cost"]) or None,
        }

    @property
    def approval_url(self) -> str:
        """Where "Ask a lead to approve" sends this form, once a discount was refused."""
        return policy.approval_request_url() if self.needs_discount_approval else ""
