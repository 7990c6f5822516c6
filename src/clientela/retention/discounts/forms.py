"""Page forms of the discount policy: they read what was typed; the services decide."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from clientela.contacts.models import Lifecycle, Tag
from clientela.core.money import CURRENCIES


def _decimal(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=30,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ServiceErrors:
    def add_service_errors(self, error: ValidationError) -> None:
        form: Any = self
        if not hasattr(error, "error_dict"):
            form.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            form.add_error(key if key in form.fields else None, messages)


NO_LIMIT = gettext_lazy("Empty: no limit.")


class PolicyForm(ServiceErrors, forms.Form):
    manager_max_percent = _decimal(
        gettext_lazy("Largest discount of a manager, %"), help_text=NO_LIMIT
    )
    lead_max_percent = _decimal(
        gettext_lazy("Largest discount of a team lead, %"), help_text=NO_LIMIT
    )
    admin_max_percent = _decimal(
        gettext_lazy("Largest discount of an administrator, %"), help_text=NO_LIMIT
    )
    margin_floor_percent = _decimal(
        gettext_lazy("Margin floor, %"),
        help_text=gettext_lazy(
            "Applied when a deal or purchase records its cost: (price − cost) / price, "
            "the price after the discount. Empty: no floor."
        ),
    )
    approval_days = forms.IntegerField(
        label=gettext_lazy("An approval is valid for, days"), min_value=1, max_value=365
    )


class RuleForm(ServiceErrors, forms.Form):
    lifecycle = forms.ChoiceField(label=gettext_lazy("Contact stage"), required=False)
    tag = forms.TypedChoiceField(
        label=gettext_lazy("Tag"), required=False, coerce=int, empty_value=None
    )
    max_percent = _decimal(gettext_lazy("Largest discount, %"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lifecycle = self.fields["lifecycle"]
        tag = self.fields["tag"]
        assert isinstance(lifecycle, forms.ChoiceField)
        assert isinstance(tag, forms.ChoiceField)
        lifecycle.choices = [("", gettext_lazy("Any stage")), *Lifecycle.choices]
        tag.choices = [("", gettext_lazy("Any tag")), *Tag.objects.values_list("pk", "name")]


class RequestForm(ServiceErrors, forms.Form):
    """The values of a request, prefilled from the deal or purchase form that was refused."""

    subject = forms.CharField(widget=forms.HiddenInput)
    contact = forms.CharField(required=False, widget=forms.HiddenInput)
    company = forms.CharField(required=False, widget=forms.HiddenInput)
    deal = forms.CharField(required=False, widget=forms.HiddenInput)
    purchase = forms.CharField(required=False, widget=forms.HiddenInput)
    discount_percent = _decimal(gettext_lazy("Discount, %"), required=True)
    amount = _decimal(
        gettext_lazy("Price after the discount"),
        required=True,
        help_text=gettext_lazy("What the client pays."),
    )
    cost = _decimal(gettext_lazy("Cost to the firm"))
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"), choices=[(code, code) for code in CURRENCIES]
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the client should get it"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("discount_percent", "amount", "cost"):
            text = data.get(name) or ""
            for space in (" ", "\u00a0", "\u202f"):
                text = text.replace(space, "")
            data[name] = text.replace(",", ".") or None
        return data


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the requester"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False)
