"""Signals of the sales app, and keeping the owner's team on deals and purchases in step.

`deal_won` — sent once a deal moved to a won stage has been committed (never for a
transaction that rolled back), from `services.deal_move_stage` through
`transaction.on_commit`. Keyword arguments:

    deal      the Deal, as saved (its stage, closed_at and owner are current)
    actor     the User who moved it
    purchase  the Purchase created in the same transaction, or None

Receivers run after the commit, outside the mover's transaction: a receiver that writes must
open its own (the activities app's follow-up task: `deal_won.connect(...)` in its
AppConfig.ready, creating a task for `deal.owner` due after the configured delay). A failing
receiver cannot undo the win. Sales does not know who listens: a lower app never imports a
higher one (DESIGN.md), so the activities app connects itself here.
"""

from typing import Any

from django.dispatch import Signal

from clientela.accounts.models import User
from clientela.sales.models import Deal, Purchase

deal_won = Signal()


def owner_team_follow(
    sender: type[User], instance: User, update_fields: Any, **kwargs: Any
) -> None:
    """A user moved to another team takes its deals and purchases along."""
    if update_fields is not None and "team" not in update_fields:
        return
    for model in (Deal, Purchase):
        records = model.all_objects.filter(owner=instance)
        if instance.team_id is None:
            stale = records.exclude(team__isnull=True)
        else:
            stale = records.exclude(team_id=instance.team_id)
        stale.update(team_id=instance.team_id)
