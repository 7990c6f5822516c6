"""Page forms for greeting templates and for sending a greeting.

The forms read what a person typed; the services decide what is valid (known placeholders,
an email address, consent, a moment not in the past) and their errors are put back next to
the field they name.
"""

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clientela.occasions.models import GreetingTemplate, OccasionKind

KIND_CHOICES = [*OccasionKind.choices, ("holiday", _("Holiday"))]
DEFAULT_SEND_TIME = datetime.time(9, 0)


class ServiceErrorsMixin:
    """Puts a service's field-keyed errors next to the inputs, the others above the form."""

    error_fields: dict[str, str] = {}
    error_labels: dict[str, Any] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        form: Any = self
        if not hasattr(error, "error_dict"):
            form.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            name = self.error_fields.get(key, key)
            if name in form.fields and not form.fields[name].widget.is_hidden:
                form.add_error(name, messages)
            else:
                label = self.error_labels.get(key, "")
                form.add_error(None, [f"{label}: {m}" if label else m for m in messages])


class GreetingTemplateForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    occasion_kind = forms.ChoiceField(label=_("For"), choices=KIND_CHOICES)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    @classmethod
    def initial_of(cls, template: GreetingTemplate) -> dict[str, Any]:
        return {name: getattr(template, name) for name in cls.base_fields}


class GreetingForm(ServiceErrorsMixin, forms.Form):
    """A greeting to one client: the template it starts from, its text, and when it goes."""

    NOW, ON_DAY = "now", "on_day"

    template = forms.TypedChoiceField(
        label=_("Template"), required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(label=_("Language of the greeting"), choices=settings.LANGUAGES)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    personal = forms.BooleanField(
        label=_("A personal greeting from me"),
        required=False,
        initial=True,
        help_text=_(
            "Personal greetings need no consent to marketing and are marked as personal. "
            "Untick it for a greeting on behalf of the firm."
        ),
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[(NOW, _("Send now")), (ON_DAY, _("Send on the day at"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    day = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        initial=DEFAULT_SEND_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    error_fields = {"send_at": "time", "personal": "personal"}
    error_labels = {"contact": _("Contact"), "company": _("Company"), "occasion": _("Occasion")}

    def __init__(self, *args: Any, templates: list[GreetingTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["template"]
        field.choices = [("", _("— no template —"))] + [
            (t.pk, f"{t.name} ({t.get_language_display()})") for t in templates
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == self.ON_DAY:
            if not data.get("day") and "day" not in self.errors:
                self.add_error("day", _("Choose the day to send it on."))
            if not data.get("time") and "time" not in self.errors:
                self.add_error("time", _("Choose the time to send it at."))
        return data
