"""What surveys do when a purchase is recorded or a complaint resolved (signals of lower apps).

Both signals are sent after their transaction commits; a failing survey must not undo the
purchase or the resolution, so errors are logged and swallowed here.
"""

import logging
from typing import Any

from clientela.retention.surveys import services

logger = logging.getLogger(__name__)


def on_purchase_recorded(sender: Any, purchase: Any, actor: Any = None, **kwargs: Any) -> None:
    try:
        services.survey_after_purchase(purchase=purchase, actor=actor)
    except Exception:
        logger.exception("No survey could be scheduled after purchase %s", purchase.pk)


def on_complaint_resolved(sender: Any, complaint: Any, actor: Any = None, **kwargs: Any) -> None:
    try:
        services.survey_after_complaint(complaint=complaint, actor=actor)
    except Exception:
        logger.exception("No survey could be scheduled after complaint %s", complaint.pk)


def connect() -> None:
    from clientela.retention.complaints.signals import complaint_resolved
    from clientela.sales.signals import purchase_recorded

    purchase_recorded.connect(on_purchase_recorded, dispatch_uid="surveys_after_purchase")
    complaint_resolved.connect(on_complaint_resolved, dispatch_uid="surveys_after_complaint")
