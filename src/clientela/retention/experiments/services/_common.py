"""What the experiment services share: who may run them, the audit snapshot, the row lock."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.retention.experiments.models import Arm, Experiment
from clientela.retention.experiments.selectors import can_run_experiments

Errors = dict[str, list[str]]
EXPERIMENT_FIELDS = frozenset(
    {"name", "hypothesis", "filters", "at_risk_only", "window_days", "stratify_by_owner", "seed"}
)
ARM_FIELDS = frozenset(
    {"name", "is_control", "gesture_kind", "creates_task", "greeting_template", "cost", "currency"}
)
MAX_ARMS = 6
MAX_SEED = 2**63 - 1


def _ensure_can_run(actor: User) -> None:
    if not can_run_experiments(actor):
        raise PermissionDenied(_("Only team leads and administrators run experiments."))


def experiment_snapshot(experiment: Experiment, arms: list[Arm] | None = None) -> dict[str, Any]:
    if arms is None and experiment.pk:
        arms = list(experiment.arms.select_related("greeting_template"))
    arms = arms or []
    return {
        "name": experiment.name,
        "hypothesis": experiment.hypothesis or None,
        "status": experiment.status,
        "filters": experiment.filters or None,
        "at_risk_only": experiment.at_risk_only,
        "window_days": experiment.window_days,
        "stratify_by_owner": experiment.stratify_by_owner,
        "seed": experiment.seed,
        "arms": [
            {
                "name": arm.name,
                "control": arm.is_control,
                "gesture": arm.gesture_kind or None,
                "task": arm.creates_task,
                "greeting": arm.greeting_template.name if arm.greeting_template else None,
                "cost": f"{arm.cost} {arm.currency}",
            }
            for arm in arms
        ]
        or None,
    }


def _locked(actor: User, experiment: Experiment) -> Experiment:
    visible = Experiment.objects.visible_to(actor).filter(pk=experiment.pk)
    list(visible.select_for_update().values_list("pk", flat=True))
    locked = visible.select_related("created_by").first()
    if locked is None:
        raise Http404
    return locked
