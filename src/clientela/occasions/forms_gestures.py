"""The page form for a gesture.

It only reads what a person typed; the service decides what a valid gesture is (a cost of
zero or more, a known currency, a response only once it is done) and its field-keyed errors
are put back next to the field they name.
"""

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from clientela.accounts.models import User
from clientela.core.money import CURRENCIES, DEFAULT_CURRENCY
from clientela.occasions.models import Gesture, GestureKind, Occasion


def _number(text: str) -> str:
    """A typed number as the service reads it: "1 250,50" is 1250.50."""
    for space in (" ", "\u00a0", "\u202f"):
        text = text.replace(space, "")
    return text.replace(",", ".")


class GestureForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Gesture"), choices=GestureKind.choices)
    date = forms.CharField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Gesture.Status.choices)
    cost = forms.CharField(
        label=gettext_lazy("Cost"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy("Zero or more; empty is zero."),
    )
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"), choices=[(code, code) for code in CURRENCIES]
    )
    response = forms.ChoiceField(
        label=gettext_lazy("Client's response"), choices=Gesture.Response.choices, required=False
    )
    occasion = forms.ChoiceField(label=gettext_lazy("For the occasion"), required=False)
    user = forms.ChoiceField(label=gettext_lazy("Done by"))
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea)

    def __init__(
        self,
        *args: Any,
        gesture: Gesture | None = None,
        occasions: list[Occasion] | None = None,
        doers: list[User] | None = None,
        **kwargs: Any,
    ) -> None:
        if gesture is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": gesture.kind,
                "date": gesture.date.isoformat(),
                "status": gesture.status,
                "cost": gesture.cost,
                "currency": gesture.currency,
                "response": gesture.response,
                "occasion": str(gesture.occasion_id or ""),
                "user": str(gesture.user_id),
                "notes": gesture.notes,
            }
        super().__init__(*args, **kwargs)
        occasion_choices: list[tuple[str, str]] = [("", str(gettext_lazy("None")))]
        occasion_choices += [
            (str(o.pk), f"{o} — {o.label}" if o.label else str(o)) for o in occasions or []
        ]
        self.fields["occasion"].choices = occasion_choices  # type: ignore[attr-defined]
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            (str(u.pk), str(u)) for u in doers or []
        ]
        self.initial.setdefault("date", timezone.localdate().isoformat())
        self.initial.setdefault("currency", DEFAULT_CURRENCY)
        self.initial.setdefault("status", Gesture.Status.DONE)

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        return {
            "kind": cleaned["kind"],
            "date": cleaned["date"],
            "status": cleaned["status"],
            "cost": _number(cleaned["cost"] or "") or "0",
            "currency": cleaned["currency"],
            "response": cleaned["response"],
            "occasion": cleaned["occasion"] or None,
            "user": cleaned["user"],
            "notes": cleaned["notes"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            if key in self.fields:
                self.add_error(key, messages)
            else:
                try:
                    label = str(capfirst(Gesture._meta.get_field(key).verbose_name))  # type: ignore[union-attr]
                except FieldDoesNotExist:
                    label = key
                self.add_error(None, [f"{label}: {message}" for message in messages])
