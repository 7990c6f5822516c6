"""Services that create, change, start and finish gesture experiments.

Only team leads and administrators run experiments (`can_run_experiments`); a draft is edited
freely, a running or finished experiment no longer changes its setup: its clients, arms and
window are what the results are measured against.
"""

from clientela.retention.experiments.services._common import MAX_ARMS, MAX_SEED, experiment_snapshot
from clientela.retention.experiments.services.definition import experiment_create, experiment_update
from clientela.retention.experiments.services.running import (
    experiment_finish,
    experiment_start,
    task_title,
)

__all__ = [
    "MAX_ARMS",
    "MAX_SEED",
    "experiment_create",
    "experiment_finish",
    "experiment_snapshot",
    "experiment_start",
    "experiment_update",
    "task_title",
]
