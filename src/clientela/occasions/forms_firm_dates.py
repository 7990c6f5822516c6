"""The forms of firm dates: the service holds the rules, the forms read the input."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext_lazy

from clientela.occasions.firm_date_rules import firm_date_text
from clientela.occasions.models import FirmDate
from clientela.occasions.professional_days import PROFESSIONAL_DAYS

FIXED = "fixed"
WEEKDAY = "weekday"
NAME_LABELS = {
    "uk": gettext_lazy("Name in Ukrainian"),
    "ru": gettext_lazy("Name in Russian"),
    "en": gettext_lazy("Name in English"),
}


class FirmDateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    name_uk = forms.CharField(label=NAME_LABELS["uk"], max_length=200, required=False)
    name_ru = forms.CharField(label=NAME_LABELS["ru"], max_length=200, required=False)
    name_en = forms.CharField(label=NAME_LABELS["en"], max_length=200, required=False)
    rule = forms.ChoiceField(
        label=gettext_lazy("It falls on"),
        choices=[
            (FIXED, gettext_lazy("a day of the month")),
            (WEEKDAY, gettext_lazy("a weekday of the month")),
        ],
        initial=FIXED,
        required=False,
        widget=forms.RadioSelect,
    )
    day = forms.IntegerField(label=gettext_lazy("Day"), min_value=1, max_value=31, required=False)
    week = forms.TypedChoiceField(
        label=gettext_lazy("Which"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *FirmDate.Week.choices],
    )
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Weekday"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *WEEKDAYS.items()],
    )
    month = forms.TypedChoiceField(label=gettext_lazy("Month"), coerce=int, choices=MONTHS.items())
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)

    @property
    def other_names(self) -> list[forms.BoundField]:
        return [self[f"name_{language}"] for language in NAME_LABELS]

    @property
    def other_names_open(self) -> bool:
        """Whether the names in other languages are shown unfolded: some are given or wrong."""
        return any(field.value() or field.errors for field in self.other_names)

    def service_data(self) -> dict[str, Any]:
        """The cleaned input as `services_firm_dates` takes it."""
        data = self.cleaned_data
        weekday_rule = data["rule"] == WEEKDAY
        return {
            "name": data["name"],
            "names": {language: data[f"name_{language}"] for language in NAME_LABELS},
            "month": data["month"],
            "day": None if weekday_rule else data["day"],
            "weekday": data["weekday"] if weekday_rule else None,
            "week": data["week"] if weekday_rule else None,
        }

    @staticmethod
    def initial_of(firm_date: FirmDate) -> dict[str, Any]:
        return {
            "name": firm_date.name,
            **{f"name_{language}": text for language, text in firm_date.names.items()},
            "rule": FIXED if firm_date.day is not None else WEEKDAY,
            "day": firm_date.day,
            "week": firm_date.week,
            "weekday": firm_date.weekday,
            "month": firm_date.month,
            "active": firm_date.active,
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field-keyed errors next to the inputs they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class ProfessionalDaysForm(forms.Form):
    """Which of Ukraine's professional days to add. Every day is a valid choice (one added in
    another tab meanwhile is skipped by the service, not refused); `offered` are those not
    added yet, in the order they come this year."""

    keys = forms.MultipleChoiceField(
        label=gettext_lazy("Professional days"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, language: str, taken: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        days = sorted(PROFESSIONAL_DAYS.values(), key=lambda d: (d.date_in(year), d.key))
        field = self.fields["keys"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (d.key, f"{d.name_in(language)} — {firm_date_text(d.month, d.day, d.weekday, d.week)}")
            for d in days
        ]
        self.offered = [choice for choice in self["keys"] if choice.data["value"] not in taken]
