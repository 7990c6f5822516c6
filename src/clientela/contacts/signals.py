"""Keeping the copy of the owner's team on contacts and companies in step with the owner."""

from typing import Any

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact


def owner_team_follow(
    sender: type[User], instance: User, update_fields: Any, **kwargs: Any
) -> None:
    """A user moved to another team takes its records along (saves of other fields cost nothing)."""
    if update_fields is not None and "team" not in update_fields:
        return
    for model in (Contact, Company):
        records = model.all_objects.filter(owner=instance)
        if instance.team_id is None:
            stale = records.exclude(team__isnull=True)
        else:
            stale = records.exclude(team_id=instance.team_id)
        stale.update(team_id=instance.team_id)
