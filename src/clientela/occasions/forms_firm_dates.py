"""The form of a firm date: the service holds the rules, the form reads the input."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy


class FirmDateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    day = forms.IntegerField(label=gettext_lazy("Day"), min_value=1, max_value=31)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Month"),
        coerce=int,
        choices=[
            (1, gettext_lazy("January")),
            (2, gettext_lazy("February")),
            (3, gettext_lazy("March")),
            (4, gettext_lazy("April")),
            (5, gettext_lazy("May")),
            (6, gettext_lazy("June")),
            (7, gettext_lazy("July")),
            (8, gettext_lazy("August")),
            (9, gettext_lazy("September")),
            (10, gettext_lazy("October")),
            (11, gettext_lazy("November")),
            (12, gettext_lazy("December")),
        ],
    )
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field-keyed errors next to the inputs they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)
