"""Forms of the survey pages: the client's answer and asking a contact by hand."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clientela.retention.surveys.models import SurveyKind, score_range
from clientela.retention.surveys.services import MAX_COMMENT


class AnswerForm(forms.Form):
    """The score as radio buttons (0–10 for NPS, 1–5 for CSAT) and an optional comment."""

    score = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = score_range(kind)
        field = self.fields["score"]
        field.choices = [(str(value), str(value)) for value in range(low, high + 1)]  # type: ignore[attr-defined]
        if kind == SurveyKind.NPS:
            field.label = _("How likely are you to recommend us to a friend or colleague?")
            field.help_text = _("0 — not at all likely, 10 — extremely likely.")
        else:
            field.label = _("How satisfied are you with our service?")
            field.help_text = _("1 — very dissatisfied, 5 — very satisfied.")


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Survey"),
        choices=SurveyKind.choices,
        initial=SurveyKind.NPS,
        widget=forms.RadioSelect,
    )
