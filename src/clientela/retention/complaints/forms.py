"""The page forms of complaints.

They only read what a person typed; the services decide what is valid and their field-keyed
errors are put back next to the field they name.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientela.accounts.models import User
from clientela.core.money import CURRENCIES, DEFAULT_CURRENCY
from clientela.occasions.models import Gesture, GestureKind
from clientela.retention.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintPolicy,
    Severity,
)
from clientela.sales.models import Deal, Purchase


class ServiceErrorsMixin:
    """Put a service's ValidationError next to the fields it names (others on top)."""

    fields: dict[str, Any]

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)  # type: ignore[attr-defined]
            return
        for key, messages in error.message_dict.items():
            if key in self.fields:
                self.add_error(key, messages)  # type: ignore[attr-defined]
            else:
                self.add_error(None, messages)  # type: ignore[attr-defined]


def _local_input(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


class ComplaintForm(ServiceErrorsMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Received through"), choices=ComplaintChannel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=ComplaintCategory.choices)
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        help_text=_("Sets the deadline, by the firm's policy."),
    )
    received_at = forms.CharField(
        label=_("Received"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty is now."),
    )
    description = forms.CharField(label=_("What the client complains about"), widget=forms.Textarea)
    owner = forms.ChoiceField(label=_("Handled by"))
    deal = forms.ChoiceField(label=_("Deal"), required=False)
    purchase = forms.ChoiceField(label=_("Purchase"), required=False)

    def __init__(
        self,
        *args: Any,
        complaint: Complaint | None = None,
        owners: list[User] | None = None,
        deals: list[Deal] | None = None,
        purchases: list[Purchase] | None = None,
        **kwargs: Any,
    ) -> None:
        if complaint is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "channel": complaint.channel,
                "category": complaint.category,
                "severity": complaint.severity,
                "received_at": _local_input(complaint.received_at),
                "description": complaint.description,
                "owner": str(complaint.owner_id),
                "deal": str(complaint.deal_id or ""),
                "purchase": str(complaint.purchase_id or ""),
            }
        super().__init__(*args, **kwargs)
        none = [("", str(pgettext_lazy("nothing chosen", "None")))]
        self.fields["owner"].choices = [(str(u.pk), str(u)) for u in owners or []]
        self.fields["deal"].choices = none + [(str(d.pk), str(d)) for d in deals or []]
        self.fields["purchase"].choices = none + [
            (str(p.pk), f"{p} {p.description}".strip()) for p in purchases or []
        ]
        self.initial.setdefault("severity", Severity.NORMAL)

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        data = {
            name: cleaned[name] or None
            for name in ("channel", "category", "severity", "description", "owner")
        }
        data["deal"] = cleaned["deal"] or None
        data["purchase"] = cleaned["purchase"] or None
        if cleaned["received_at"]:
            data["received_at"] = cleaned["received_at"]
        return data


class ResolveForm(ServiceErrorsMixin, forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how the complaint was resolved.")},
    )


class ReopenForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why it is reopened"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the complaint is reopened.")},
    )


def _number(text: str) -> str:
    """A typed number as the service reads it: "1 250,50" is 1250.50."""
    for space in (" ", "\u00a0", "\u202f"):
        text = text.replace(space, "")
    return text.replace(",", ".")


class CompensationForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Gesture"), choices=GestureKind.choices)
    cost = forms.CharField(
        label=_("Cost"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("What it costs the firm, e.g. the voucher's value."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES])
    notes = forms.CharField(label=_("Notes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("kind", GestureKind.VOUCHER)
        self.initial.setdefault("currency", DEFAULT_CURRENCY)

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        return {
            "kind": cleaned["kind"],
            "cost": _number(cleaned["cost"] or "") or "0",
            "currency": cleaned["currency"],
            "notes": cleaned["notes"],
        }


class LinkCompensationForm(ServiceErrorsMixin, forms.Form):
    compensation = forms.ChoiceField(label=_("A gesture of this client"), required=False)

    def __init__(self, *args: Any, gestures: list[Gesture] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compensation"].choices = [
            ("", str(pgettext_lazy("nothing chosen", "None")))
        ] + [
            (str(g.pk), f"{g.date:%Y-%m-%d} {g.get_kind_display()} {g.cost} {g.currency}")
            for g in gestures or []
        ]


class PolicyForm(ServiceErrorsMixin, forms.Form):
    critical_hours = forms.IntegerField(label=_("Critical, hours"), min_value=1)
    high_hours = forms.IntegerField(label=_("High, hours"), min_value=1)
    normal_hours = forms.IntegerField(label=_("Normal, hours"), min_value=1)
    low_hours = forms.IntegerField(label=_("Low, hours"), min_value=1)

    def __init__(self, *args: Any, policy: ComplaintPolicy | None = None, **kwargs: Any) -> None:
        if policy is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(policy, name)
                for name in ("critical_hours", "high_hours", "normal_hours", "low_hours")
            }
        super().__init__(*args, **kwargs)
