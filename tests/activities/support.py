"""Helpers for the activities tests: calls, other activities and tasks made through the services.

A module rather than conftest fixtures so that tests can make many records in a loop; import
it as `from activities.support import make_call, make_task`.
"""

import datetime
from typing import Any

from django.utils import timezone

from clientela.accounts.models import User
from clientela.activities.models import Activity, Task
from clientela.activities.services import activity_create, task_create
from clientela.contacts.models import Company, Contact
from clientela.sales.models import Deal


def _client_field(client: Contact | Company | Deal) -> str:
    if isinstance(client, Contact):
        return "contact"
    if isinstance(client, Company):
        return "company"
    return "deal"


def make_activity(
    actor: User, client: Contact | Company | Deal, kind: str, /, **data: Any
) -> Activity:
    """An activity of `kind` with `client` (a contact, a company or a deal), as a user logs it."""
    data.setdefault(_client_field(client), client.pk)
    if kind == "call":
        data.setdefault("direction", "out")
    if kind == "email":
        data.setdefault("direction", "out")
    return activity_create(actor=actor, data={"kind": kind, **data})


def make_call(actor: User, client: Contact | Company | Deal, /, **data: Any) -> Activity:
    """An outgoing call of five minutes by default."""
    data.setdefault("duration", 300)
    return make_activity(actor, client, "call", **data)


def make_task(actor: User, /, **data: Any) -> Task:
    """A task for the actor (or `owner=`) titled "Подзвонити", due today by default."""
    data.setdefault("title", "Подзвонити")
    data.setdefault("due_date", timezone.localdate())
    for field in ("contact", "company", "deal", "owner"):
        if hasattr(data.get(field), "pk"):
            data[field] = data[field].pk
    return task_create(actor=actor, data=data)


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)
