"""What happens in activities when something happens elsewhere: a won deal gets its follow-up."""

import logging
from typing import Any

from clientela.sales.models import Deal
from clientela.sales.signals import deal_won

logger = logging.getLogger(__name__)


def follow_up_on_win(sender: Any, deal: Deal, actor: Any = None, **kwargs: Any) -> None:
    """A follow-up task for the owner of a won deal (once per win, however often it is sent).

    Runs after the win was committed, so nothing here can undo it; a failure is logged with
    its traceback and the win stands without its task.
    """
    from clientela.activities.services import task_follow_up_create

    try:
        task_follow_up_create(deal=deal, actor=actor)
    except Exception:
        logger.exception("The follow-up task of won deal %s could not be created", deal.pk)


def connect() -> None:
    deal_won.connect(follow_up_on_win, sender=Deal, dispatch_uid="activities.follow_up_on_win")
