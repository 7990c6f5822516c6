"""The form of a holiday greeting campaign: the holiday, the segment (the contact list's
filters), a template per language and the time to send on the day."""

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import User
from clientela.contacts.models import Lifecycle, Tag
from clientela.contacts.selectors import CONTACT_SORTS, ListFilters, list_filters_clean
from clientela.occasions.forms_greetings import DEFAULT_SEND_TIME, ServiceErrorsMixin
from clientela.occasions.models import GreetingTemplate

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def template_field_name(language: str) -> str:
    return f"template_{language}"


class CampaignForm(ServiceErrorsMixin, forms.Form):
    holiday = forms.DateField(
        label=_("Holiday"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    name = forms.CharField(label=_("Holiday name"), max_length=100, required=False)
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    lifecycle = forms.ChoiceField(
        label=_("Lifecycle"), required=False, choices=[("", _("Any")), *Lifecycle.choices]
    )
    q = forms.CharField(label=_("Name, email or phone contains"), required=False, max_length=100)
    time = forms.TimeField(
        label=_("Send on the day at"),
        initial=DEFAULT_SEND_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    error_fields = {"templates": "template_uk"}
    error_labels = {"recipients": ""}

    def __init__(
        self,
        *args: Any,
        tags: list[Tag],
        owners: list[User],
        templates: list[GreetingTemplate],
        user: User,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.templates = templates
        tag_field: Any = self.fields["tag"]
        tag_field.choices = [("", _("Any")), *((t.pk, t.name) for t in tags)]
        owner_field: Any = self.fields["owner"]
        owner_field.choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
        ]
        for language, language_name in settings.LANGUAGES:
            self.fields[template_field_name(language)] = forms.TypedChoiceField(
                label=_("Template for clients in %(language)s") % {"language": language_name},
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    ("", _("— none: skip these clients —")),
                    *((t.pk, t.name) for t in templates if t.language == language),
                ],
            )

    def template_fields(self) -> list[Any]:
        return [self[template_field_name(language)] for language, _name in settings.LANGUAGES]

    def segment_fields(self) -> list[Any]:
        return [self[name] for name in ("tag", "owner", "lifecycle", "q")]

    def filters(self) -> ListFilters:
        """The contact list's filters for the chosen segment (its choices are already valid)."""
        data = self.cleaned_data
        return list_filters_clean(
            self.user,
            {
                "tag": data.get("tag") or "",
                "owner": data.get("owner") or "",
                "lifecycle": data.get("lifecycle") or "",
                "q": data.get("q") or "",
            },
            sorts=CONTACT_SORTS,
        )

    def chosen_templates(self) -> dict[str, GreetingTemplate | None]:
        by_pk = {t.pk: t for t in self.templates}
        return {
            language: by_pk.get(self.cleaned_data.get(template_field_name(language)) or 0)
            for language, _name in settings.LANGUAGES
        }

    @property
    def day(self) -> datetime.date:
        return self.cleaned_data["holiday"]
