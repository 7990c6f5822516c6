"""Occasions over JSON: the agenda, holidays, a client's dates, gestures and greetings.

Parse, call one service or selector. Every read goes through the selectors (what the caller
may see, or 404); every write goes through the services inside one transaction, together
with building its answer, so a failure anywhere leaves nothing saved. Mounted at /api/v1/ by
clientela.api.
"""

from clientela.occasions.api import agenda, dates, gestures, greetings
from clientela.occasions.api._common import router

__all__ = ["agenda", "dates", "gestures", "greetings", "router"]
