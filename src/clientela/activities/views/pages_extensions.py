"""Actions the activity and task pages add to contact, company and deal pages."""

from django.utils.translation import gettext_lazy as _

from clientela.activities.selectors import trash_activities, trash_tasks
from clientela.core.extensions import Action, TrashSection, register_action, register_trash_section

# (key, label, URL name, order): what can be logged or added from a client's or deal's page.
_ACTIONS = [
    ("log_call", _("Log a call"), "activities:call_new", 10),
    ("log_meeting", _("Log a meeting"), "activities:meeting_new", 11),
    ("log_email", _("Log an email"), "activities:email_new", 12),
    ("add_note", _("Add a note"), "activities:note_new", 13),
    ("add_task", _("Add a task"), "activities:task_new", 14),
]
# The query parameter each page passes its record's id in.
_TARGET_PARAMS = {"contact": "contact", "company": "company", "deal": "deal"}


def register() -> None:
    for key, label, url_name, order in _ACTIONS:
        for target, param in _TARGET_PARAMS.items():
            targets = {target}
            if key == "log_call" and target == "contact":
                # A list row offers the most frequent action only.
                targets.add("contact_row")
            register_action(
                Action(
                    key=f"{key}_{target}",
                    targets=frozenset(targets),
                    order=order,
                    label=label,
                    url_name=url_name,
                    param=param,
                )
            )
    register_trash_section(
        TrashSection(
            key="activities",
            order=50,
            title=_("Calls, meetings, emails and notes"),
            items=trash_activities,
            url_restore="activities:restore",
        )
    )
    register_trash_section(
        TrashSection(
            key="tasks",
            order=60,
            title=_("Tasks"),
            items=trash_tasks,
            url_restore="activities:task_restore",
        )
    )
