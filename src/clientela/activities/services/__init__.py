"""Every change to activities and tasks: validated, audited, in one transaction.

Each service checks the actor's right to write, refuses bad values with a ValidationError
keyed by the field (nothing saved) and records the change in the audit history. An
activity's owner and team are its client's, copied here and moved along by
contacts.client_copies; a task's owner is its assignee.
"""

from clientela.activities.services._common import Errors
from clientela.activities.services.activities import (
    ACTIVITY_RELATED,
    COMMON_FIELDS,
    KIND_FIELDS,
    activity_create,
    activity_delete,
    activity_restore,
    activity_snapshot,
    activity_update,
)
from clientela.activities.services.tasks import (
    TASK_RELATED,
    follow_up_key,
    task_complete,
    task_create,
    task_delete,
    task_follow_up_create,
    task_reopen,
    task_restore,
    task_snapshot,
    task_update,
)

__all__ = [
    "ACTIVITY_RELATED",
    "COMMON_FIELDS",
    "KIND_FIELDS",
    "TASK_RELATED",
    "Errors",
    "activity_create",
    "activity_delete",
    "activity_restore",
    "activity_snapshot",
    "activity_update",
    "follow_up_key",
    "task_complete",
    "task_create",
    "task_delete",
    "task_follow_up_create",
    "task_reopen",
    "task_restore",
    "task_snapshot",
    "task_update",
]
