"""Forms of the account settings page."""

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


@cache
def _time_zones() -> list[str]:
    return sorted(available_timezones())


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("As the browser asks")), *settings.LANGUAGES]
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        default = _("The server's (%(zone)s)") % {"zone": settings.TIME_ZONE}
        time_zone.choices = [("", default), *((zone, zone) for zone in _time_zones())]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “accounting export”."),
    )
