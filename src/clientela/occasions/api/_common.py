"""The occasions router and what its endpoint modules share."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from clientela.accounts.api import BadQuery, error_responses
from clientela.accounts.models import User

router = Router(tags=["occasions"])

READ_ERRORS = error_responses(401, 404)
WRITE_ERRORS = error_responses(401, 403, 404, 422)
DATES = ["client dates"]
GESTURES = ["gestures"]
GREETINGS = ["greetings"]


def _bad_query(field: str, message: str) -> BadQuery:
    return BadQuery(ValidationError({field: [message]}))


def _day(value: str | None, field: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _bad_query(field, _("Enter a date as YYYY-MM-DD.")) from None


def _ensure_can_write(who: User) -> None:
    if not who.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))
