"""Page forms of the pipeline settings: a pipeline's name, a stage, a lost reason.

As with every form here, the services hold the rules; the forms read the input.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from clientela.sales.forms_purchases import ServiceForm
from clientela.sales.models import LostReason, Pipeline, Stage, StageKind


class PipelineForm(ServiceForm):
    model = Pipeline

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


class StageForm(ServiceForm):
    model = Stage

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=StageKind.choices)
    probability = forms.CharField(
        label=gettext_lazy("Default probability, %"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "A whole number from 0 to 100; a deal moved here takes it. Empty: 100 for a won "
            "stage, 0 otherwise."
        ),
    )

    def __init__(self, *args: Any, stage: Stage | None = None, **kwargs: Any) -> None:
        if stage is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": stage.name,
                "kind": stage.kind,
                "probability": stage.probability,
            }
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        return {
            "name": cleaned["name"],
            "kind": cleaned["kind"],
            "probability": cleaned["probability"].strip() or None,
        }


class LostReasonForm(ServiceForm):
    model = LostReason

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
