"""Every change to pipelines, deals and purchases: validated, audited, in one transaction.

Each service checks the actor's right to write, refuses bad values with a ValidationError
keyed by the field (nothing saved), records the change in the audit history and keeps the
owner's team and the deal search index in step.
"""

from clientela.sales.services._common import Errors
from clientela.sales.services.deals import (
    DEAL_EXCLUDED,
    deal_create,
    deal_delete,
    deal_move_stage,
    deal_restore,
    deal_snapshot,
    deal_update,
)
from clientela.sales.services.pipelines import (
    lost_reason_create,
    lost_reason_move,
    lost_reason_set_active,
    lost_reason_update,
    pipeline_create,
    pipeline_make_default,
    pipeline_move,
    pipeline_set_active,
    pipeline_update,
    stage_create,
    stage_move,
    stage_set_active,
    stage_update,
    stages_reorder,
)
from clientela.sales.services.purchases import (
    purchase_create,
    purchase_delete,
    purchase_restore,
    purchase_snapshot,
    purchase_update,
)

__all__ = [
    "DEAL_EXCLUDED",
    "Errors",
    "deal_create",
    "deal_delete",
    "deal_move_stage",
    "deal_restore",
    "deal_snapshot",
    "deal_update",
    "lost_reason_create",
    "lost_reason_move",
    "lost_reason_set_active",
    "lost_reason_update",
    "pipeline_create",
    "pipeline_make_default",
    "pipeline_move",
    "pipeline_set_active",
    "pipeline_update",
    "purchase_create",
    "purchase_delete",
    "purchase_restore",
    "purchase_snapshot",
    "purchase_update",
    "stage_create",
    "stage_move",
    "stage_set_active",
    "stage_update",
    "stages_reorder",
]
