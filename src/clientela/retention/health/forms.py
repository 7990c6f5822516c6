"""Forms of the health pages: the settings and a playbook with its steps."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clientela.contacts.models import Lifecycle
from clientela.retention.health.models import Playbook, PlaybookStepKind

STEP_ROWS = 5


class HealthSettingsForm(forms.Form):
    threshold = forms.IntegerField(label=_("At risk below this score"), min_value=1, max_value=100)
    min_repeat_buyers = forms.IntegerField(
        label=_("Repeat buyers needed for a fit"), min_value=2, max_value=10000
    )


class PlaybookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    lifecycle = forms.ChoiceField(
        label=_("Contact stage"),
        required=False,
        choices=[("", _("Any stage")), *Lifecycle.choices],
    )
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)
    is_default = forms.BooleanField(label=_("Default playbook"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [("", "—"), *PlaybookStepKind.choices]
        for i in range(STEP_ROWS):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Step"), choices=kinds, required=False
            )
            self.fields[f"title_{i}"] = forms.CharField(
                label=_("Title"), max_length=200, required=False
            )
            self.fields[f"due_{i}"] = forms.IntegerField(
                label=_("Due in, days"), min_value=0, max_value=365, required=False
            )

    @property
    def step_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"kind_{i}"], self[f"title_{i}"], self[f"due_{i}"]) for i in range(STEP_ROWS)]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        steps = [
            {
                "kind": data[f"kind_{i}"],
                "title": data[f"title_{i}"],
                "due_in_days": data[f"due_{i}"],
            }
            for i in range(STEP_ROWS)
            if data.get(f"kind_{i}") or data.get(f"title_{i}")
        ]
        return {
            "name": data["name"],
            "lifecycle": data["lifecycle"],
            "tag": data["tag"],
            "is_default": data["is_default"],
            "active": data["active"],
            "position": data["position"],
            "steps": steps,
        }

    @classmethod
    def initial_for(cls, playbook: Playbook) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": playbook.name,
            "lifecycle": playbook.lifecycle,
            "tag": playbook.tag.name if playbook.tag else "",
            "is_default": playbook.is_default,
            "active": playbook.active,
            "position": playbook.position,
        }
        for i, step in enumerate(list(playbook.steps.all())[:STEP_ROWS]):
            initial |= {
                f"kind_{i}": step.kind,
                f"title_{i}": step.title,
                f"due_{i}": step.due_in_days,
            }
        return initial

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            name = field
            if field.startswith("steps."):
                _prefix, index, sub = field.split(".", 2)
                name = {"kind": "kind", "title": "title", "due_in_days": "due"}[sub] + f"_{index}"
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
