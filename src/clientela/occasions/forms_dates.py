"""Forms of a client's dates: the calendar, the name day and "client since"; custom dates."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from clientela.occasions.models import Tradition

MONTH_CHOICES = [("", "—"), *[(str(number), name) for number, name in MONTHS.items()]]


class ServiceErrorsForm(forms.Form):
    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field-keyed errors next to the inputs they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class ClientDatesForm(ServiceErrorsForm):
    tradition = forms.ChoiceField(
        label=_("Church calendar for the name day"),
        choices=[("", _("The firm's choice")), *Tradition.choices],
        required=False,
    )
    name_day_day = forms.IntegerField(
        label=_("Day"),
        required=False,
        min_value=1,
        max_value=31,
        help_text=_("Leave empty to compute it from the first name and the birthday."),
    )
    name_day_month = forms.TypedChoiceField(
        label=_("Month"),
        choices=MONTH_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
    )
    no_name_day = forms.BooleanField(label=_("Does not celebrate a name day"), required=False)
    client_since = forms.DateField(
        label=_("Client since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: the date of the first purchase."),
    )

    def __init__(self, *args: Any, is_contact: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_contact:
            for name in ("tradition", "name_day_day", "name_day_month", "no_name_day"):
                del self.fields[name]


class CustomDateForm(ServiceErrorsForm):
    label = forms.CharField(label=_("What"), max_length=200)
    day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31)
    month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTH_CHOICES, coerce=int, empty_value=None
    )
    year = forms.IntegerField(label=_("Year (if known)"), required=False)
