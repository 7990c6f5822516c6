"""Forms of the survey pages: the client's answer, asking a contact by hand, the policy."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clientela.retention.surveys.models import (
    MAX_COOLDOWN_DAYS,
    MAX_DELAY_DAYS,
    MAX_LINK_VALID_DAYS,
    SurveyKind,
    SurveyPolicy,
    score_range,
)
from clientela.retention.surveys.services import MAX_COMMENT, RECENT_PURCHASE_DAYS
from clientela.retention.surveys.services_policy import MAX_FIRM_NAME, POLICY_FIELDS


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


KIND_HELP = _(
    "NPS asks how likely the client is to recommend you (0–10), CSAT how satisfied they are (1–5)."
)


class PolicyForm(forms.Form):
    """The survey policy in three groups: after a purchase, after a complaint, every survey."""

    after_purchase = forms.BooleanField(label=capfirst(_("ask after a purchase")), required=False)
    purchase_kind = forms.ChoiceField(
        label=_("Survey"), choices=SurveyKind.choices, help_text=KIND_HELP
    )
    purchase_delay_days = forms.IntegerField(
        label=capfirst(_("days after the purchase")), min_value=0, max_value=MAX_DELAY_DAYS
    )
    after_complaint = forms.BooleanField(
        label=capfirst(_("ask after a resolved complaint")),
        required=False,
        help_text=_("Resolving a complaint schedules a survey for its client."),
    )
    complaint_kind = forms.ChoiceField(
        label=_("Survey"), choices=SurveyKind.choices, help_text=KIND_HELP
    )
    complaint_delay_days = forms.IntegerField(
        label=capfirst(_("days after the resolution")), min_value=0, max_value=MAX_DELAY_DAYS
    )
    firm_name = forms.CharField(
        label=capfirst(_("firm name shown to clients")),
        required=False,
        max_length=MAX_FIRM_NAME,
        help_text=_("Shown on the survey page and in the email."),
    )
    cooldown_days = forms.IntegerField(
        label=capfirst(_("cool-down, days")),
        min_value=0,
        max_value=MAX_COOLDOWN_DAYS,
        help_text=_("Nobody is asked again within this many days, whatever the reason."),
    )
    link_valid_days = forms.IntegerField(
        label=capfirst(_("link valid, days")), min_value=1, max_value=MAX_LINK_VALID_DAYS
    )

    GROUPS = (
        (_("After a purchase"), ("after_purchase", "purchase_kind", "purchase_delay_days")),
        (
            _("After a resolved complaint"),
            ("after_complaint", "complaint_kind", "complaint_delay_days"),
        ),
        (_("For every survey"), ("firm_name", "cooldown_days", "link_valid_days")),
    )

    def __init__(self, *args: Any, policy: SurveyPolicy | None = None, **kwargs: Any) -> None:
        if policy is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(policy, name) for name in POLICY_FIELDS}
        super().__init__(*args, **kwargs)
        # Set here, not on the fields: a lazy text formatted at import would stay untranslated.
        self.fields["after_purchase"].help_text = _(
            "Recording a purchase schedules a survey for its client, unless the purchase is "
            "dated more than %(days)s days ago."
        ) % {"days": RECENT_PURCHASE_DAYS}
        delay_help = _("From 0 (the same day) to %(max)s days.") % {"max": MAX_DELAY_DAYS}
        self.fields["purchase_delay_days"].help_text = delay_help
        self.fields["complaint_delay_days"].help_text = delay_help
        self.fields["link_valid_days"].help_text = _(
            "How long the client may answer, from 1 to %(max)s days."
        ) % {"max": MAX_LINK_VALID_DAYS}

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in self.GROUPS]

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors next to the fields they name (the others on top)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
