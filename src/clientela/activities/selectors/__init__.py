"""Every read of activities and tasks, already narrowed to what the user may see."""

from clientela.activities.selectors.activities import (
    ACTIVITY_SORTS,
    ActivityFilters,
    activities_filtered,
    activity_filters_clean,
    activity_get,
    activity_list,
    trash_activities,
    trashed_activity_get,
)
from clientela.activities.selectors.my_day import MyDay, my_day
from clientela.activities.selectors.tasks import (
    TASK_SORTS,
    TASK_STATUSES,
    TaskFilters,
    task_filters_clean,
    task_get,
    task_list,
    tasks_filtered,
    trash_tasks,
    trashed_task_get,
    with_due_order,
)

__all__ = [
    "ACTIVITY_SORTS",
    "TASK_SORTS",
    "TASK_STATUSES",
    "ActivityFilters",
    "MyDay",
    "TaskFilters",
    "activities_filtered",
    "activity_filters_clean",
    "activity_get",
    "activity_list",
    "my_day",
    "task_filters_clean",
    "task_get",
    "task_list",
    "tasks_filtered",
    "trash_activities",
    "trash_tasks",
    "trashed_activity_get",
    "trashed_task_get",
    "with_due_order",
]
