"""The page form of an experiment: its setup, its eligible clients as the contact list filters
them, and its arms (a fixed number of rows; empty rows are left out).

The form reads what a person typed; the services decide what is valid and their errors are
put back next to the field (or the arm row) they name.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import User
from clientela.contacts.models import Lifecycle, Tag
from clientela.core.money import DEFAULT_CURRENCY
from clientela.occasions.models import GestureKind, GreetingTemplate
from clientela.retention.experiments.models import MAX_WINDOW_DAYS, Arm, Experiment
from clientela.retention.experiments.services import MAX_ARMS

FILTER_FIELDS = ("tag", "owner", "lifecycle", "q")


class ExperimentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you expect, e.g. “a postcard keeps more clients than nothing”."),
    )
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    lifecycle = forms.ChoiceField(
        label=_("Lifecycle"), required=False, choices=[("", _("Any")), *Lifecycle.choices]
    )
    q = forms.CharField(label=_("Name, email or phone contains"), required=False, max_length=100)
    at_risk_only = forms.BooleanField(label=_("At-risk clients only"), required=False)
    window_days = forms.IntegerField(
        label=_("Outcome: a purchase within, days"),
        min_value=1,
        max_value=MAX_WINDOW_DAYS,
        initial=60,
    )
    stratify_by_owner = forms.BooleanField(
        label=_("Balance the arms per owner"),
        required=False,
        initial=True,
        help_text=_("Each manager's clients are spread evenly over the arms."),
    )
    seed = forms.IntegerField(
        label=_("Random seed"),
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text=_("Empty: drawn at random when the experiment starts, then recorded."),
    )

    # Service error keys → form fields.
    error_fields = {f"filters.{name}": name for name in FILTER_FIELDS}

    def __init__(
        self, *args: Any, tags: list[Tag], owners: list[User], user: User, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        tag_field: Any = self.fields["tag"]
        tag_field.choices = [("", _("Any")), *((t.pk, t.name) for t in tags)]
        owner_field: Any = self.fields["owner"]
        owner_field.choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
        ]

    @staticmethod
    def initial_of(experiment: Experiment) -> dict[str, Any]:
        saved = experiment.filters or {}
        return {
            "name": experiment.name,
            "hypothesis": experiment.hypothesis,
            "tag": saved.get("tag", ""),
            "owner": saved.get("owner", ""),
            "lifecycle": saved.get("lifecycle", ""),
            "q": saved.get("q", ""),
            "at_risk_only": experiment.at_risk_only,
            "window_days": experiment.window_days,
            "stratify_by_owner": experiment.stratify_by_owner,
            "seed": experiment.seed,
        }

    def filter_fields(self) -> list[Any]:
        return [self[name] for name in FILTER_FIELDS]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "hypothesis": data.get("hypothesis") or "",
            "filters": {
                name: str(data[name]) for name in FILTER_FIELDS if data.get(name) not in (None, "")
            },
            "at_risk_only": bool(data.get("at_risk_only")),
            "window_days": data["window_days"],
            "stratify_by_owner": bool(data.get("stratify_by_owner")),
            "seed": data.get("seed"),
        }


class ArmForm(forms.Form):
    name = forms.CharField(label=_("Arm"), max_length=100, required=False)
    is_control = forms.BooleanField(label=_("Control"), required=False)
    gesture_kind = forms.ChoiceField(
        label=_("Gesture"),
        required=False,
        choices=[("", _("— none —")), *GestureKind.choices],
    )
    creates_task = forms.BooleanField(label=_("Task for the owner"), required=False)
    cost = forms.DecimalField(label=_("Cost per client"), required=False, min_value=0)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, required=False, initial=DEFAULT_CURRENCY
    )
    greeting_template = forms.TypedChoiceField(
        label=_("Send this greeting template"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, templates: list[GreetingTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["greeting_template"]
        field.choices = [("", _("— none —")), *((t.pk, template_label(t)) for t in templates)]

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or "").strip()

    @staticmethod
    def initial_of(arm: Arm) -> dict[str, Any]:
        return {
            "name": arm.name,
            "is_control": arm.is_control,
            "gesture_kind": arm.gesture_kind,
            "creates_task": arm.creates_task,
            "cost": arm.cost,
            "currency": arm.currency,
            "greeting_template": arm.greeting_template_id or "",
        }


def template_label(template: GreetingTemplate) -> str:
    return _("%(name)s (%(occasion)s, %(language)s)") % {
        "name": template.name,
        "occasion": template.get_occasion_kind_display(),
        "language": template.get_language_display(),
    }


ArmFormSet = forms.formset_factory(ArmForm, extra=0, max_num=MAX_ARMS, absolute_max=MAX_ARMS)

DEFAULT_ARMS = [
    {"name": _("Postcard"), "gesture_kind": GestureKind.POSTCARD, "creates_task": True},
    {"name": _("No gesture"), "is_control": True},
]


def arm_formset(
    data: Any = None,
    *,
    templates: list[GreetingTemplate],
    arms: list[Arm] | None = None,
    new: bool = False,
) -> Any:
    """The arm rows: the experiment's arms (or two suggestions for a new one), then empty rows
    up to the most an experiment may have. `templates`: those an arm may send (in use); a
    draft's arm keeps showing its own template even once it is out of use, so that saving
    names the problem instead of dropping the choice in silence."""
    if data is not None:
        return ArmFormSet(data, prefix="arms", form_kwargs={"templates": templates})
    offered = list(templates)
    for arm in arms or []:
        if arm.greeting_template is not None and arm.greeting_template not in offered:
            offered.append(arm.greeting_template)
    rows: list[dict[str, Any]] = (
        [ArmForm.initial_of(arm) for arm in arms or []]
        if not new
        else [{**row, "currency": DEFAULT_CURRENCY, "cost": 0} for row in DEFAULT_ARMS]
    )
    rows += [{"currency": DEFAULT_CURRENCY}] * (MAX_ARMS - len(rows))
    return ArmFormSet(initial=rows, prefix="arms", form_kwargs={"templates": offered})


def arms_data(formset: Any) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """The non-empty rows for the service, and {service row: form row} to put errors back."""
    rows: list[dict[str, Any]] = []
    where: dict[int, int] = {}
    for index, form in enumerate(formset.forms):
        if form.is_blank():
            continue
        where[len(rows)] = index
        data = form.cleaned_data
        rows.append(
            {
                "name": data["name"],
                "is_control": bool(data.get("is_control")),
                "gesture_kind": data.get("gesture_kind") or "",
                "creates_task": bool(data.get("creates_task")),
                "cost": data.get("cost") if data.get("cost") is not None else 0,
                "currency": data.get("currency") or DEFAULT_CURRENCY,
                "greeting_template": data.get("greeting_template"),
            }
        )
    return rows, where


def add_service_errors(
    form: ExperimentForm, formset: Any, where: dict[int, int], error: ValidationError
) -> None:
    """Put each service error next to its field: `arms.1.cost` on the arm row it came from."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        if key.startswith("arms."):
            _arms, row, *rest = key.split(".")
            target = formset.forms[where.get(int(row), 0)] if row.isdigit() else None
            name = rest[0] if rest else None
            if target is not None and name in target.fields:
                target.add_error(name, messages)
                continue
            form.add_error(None, messages)
            continue
        name = form.error_fields.get(key, key)
        if name in form.fields:
            form.add_error(name, messages)
        else:
            form.add_error(None, messages)
