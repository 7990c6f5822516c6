"""Signals of the sales app.

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

`purchase_recorded` — sent once a new purchase has been committed (from `purchase_create`
and from a win that records one). Keyword arguments: purchase, actor. The retention apps
listen (a satisfaction survey after a purchase).
"""

from django.dispatch import Signal

deal_won = Signal()
purchase_recorded = Signal()
