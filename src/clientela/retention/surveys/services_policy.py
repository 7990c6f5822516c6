"""The survey policy: which survey goes out when, the cool-down and the link's life.

Changed by an administrator only, every field checked before anything is saved, the change
recorded in the audit log.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.core.audit import audit_diff, audit_record
from clientela.retention.surveys.models import (
    MAX_COOLDOWN_DAYS,
    MAX_DELAY_DAYS,
    MAX_LINK_VALID_DAYS,
    SurveyKind,
    SurveyPolicy,
)

MAX_FIRM_NAME = 200

# The whole days each number of days may hold: (lowest, highest).
DAY_RANGES = {
    "purchase_delay_days": (0, MAX_DELAY_DAYS),
    "complaint_delay_days": (0, MAX_DELAY_DAYS),
    "cooldown_days": (0, MAX_COOLDOWN_DAYS),
    "link_valid_days": (1, MAX_LINK_VALID_DAYS),
}


def _firm_name(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(_("Enter the firm's name as text."))
    if "\x00" in raw:
        raise ValueError(_("Null characters are not allowed."))
    name = raw.strip()
    if len(name) > MAX_FIRM_NAME:
        raise ValueError(
            _("Enter at most %(max)s characters (now %(count)s).")
            % {"max": MAX_FIRM_NAME, "count": len(name)}
        )
    return name


def _yes_no(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(_("Choose yes or no."))
    return raw


def _kind(raw: Any) -> str:
    if raw not in SurveyKind.values:
        raise ValueError(_("Choose NPS or CSAT."))
    return str(raw)


def _days(field: str) -> Callable[[Any], int]:
    low, high = DAY_RANGES[field]

    def parse(raw: Any) -> int:
        message = _("Enter a whole number of days from %(low)s to %(high)s.") % {
            "low": low,
            "high": high,
        }
        if isinstance(raw, bool) or raw is None:
            raise ValueError(message)
        try:
            days = int(str(raw).strip())
        except ValueError:
            raise ValueError(message) from None
        if not low <= days <= high:
            raise ValueError(message)
        return days

    return parse


PARSERS: dict[str, Callable[[Any], Any]] = {
    "firm_name": _firm_name,
    "after_purchase": _yes_no,
    "purchase_kind": _kind,
    "after_complaint": _yes_no,
    "complaint_kind": _kind,
    **{field: _days(field) for field in DAY_RANGES},
}


# The fields an administrator sets: those with a parser.
POLICY_FIELDS = tuple(PARSERS)


def policy_snapshot(policy: SurveyPolicy) -> dict[str, Any]:
    return {field: getattr(policy, field) for field in POLICY_FIELDS}


@transaction.atomic
def survey_policy_update(*, actor: User, data: dict[str, Any]) -> SurveyPolicy:
    """Set the policy fields present in `data`; administrators only.

    Each wrong value is reported under its field's name and then nothing is saved. Surveys
    already scheduled keep their date and links already sent keep their expiry; the new
    rules apply to surveys scheduled and sent from now on. The row is locked, so two
    administrators saving at once change it one after the other.
    """
    if not actor.is_admin:
        raise PermissionDenied(_("Only an administrator sets the survey policy."))
    policy = SurveyPolicy.objects.select_for_update().filter(pk=1).first()
    policy = policy or SurveyPolicy.current()
    before = policy_snapshot(policy)
    errors: dict[str, list[str]] = {}
    for field, raw in data.items():
        parse = PARSERS.get(field)
        if parse is None:
            errors[field] = [_("There is no such field.")]
            continue
        try:
            setattr(policy, field, parse(raw))
        except ValueError as exc:
            errors[field] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    changes = audit_diff(before, policy_snapshot(policy))
    if changes:
        policy.save(update_fields=list(changes))
        audit_record(actor=actor, action="update", obj=policy, changes=changes)
    return policy
