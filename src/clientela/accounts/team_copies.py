"""Records that keep a copy of their owner's team, moved along when the owner changes team.

Apps above accounts register their owned models here (in their AppConfig.ready); accounts
connects the one receiver, so a user's move updates every kind of record without accounts
importing the apps that own them.
"""

from typing import Any

from django.db.models import Model

from clientela.accounts.models import User

_models: list[type[Model]] = []


def register_team_copy(model: type[Model]) -> None:
    """`model` has `owner` and `team` and an `all_objects` manager that includes the trash."""
    if model not in _models:
        _models.append(model)


def owner_team_follow(
    sender: type[User], instance: User, update_fields: Any, **kwargs: Any
) -> None:
    """A user moved to another team takes its records along (saves of other fields cost nothing)."""
    if update_fields is not None and "team" not in update_fields:
        return
    for model in _models:
        records = model.all_objects.filter(owner=instance)  # type: ignore[attr-defined]
        if instance.team_id is None:
            stale = records.exclude(team__isnull=True)
        else:
            stale = records.exclude(team_id=instance.team_id)
        stale.update(team_id=instance.team_id)
