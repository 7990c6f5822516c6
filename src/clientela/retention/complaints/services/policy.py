"""The deadline policy: hours per severity, changed by an administrator."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.core.audit import audit_diff, audit_record
from clientela.retention.complaints.models import MAX_HOURS, ComplaintPolicy, Severity

POLICY_FIELDS = tuple(f"{severity}_hours" for severity in Severity.values)


def policy_snapshot(policy: ComplaintPolicy) -> dict[str, Any]:
    return {field: getattr(policy, field) for field in POLICY_FIELDS}


@transaction.atomic
def complaint_policy_update(*, actor: User, data: dict[str, Any]) -> ComplaintPolicy:
    """Set the hours of the severities present in `data` (whole hours, 1 to a year).

    New deadlines (new complaints, a changed severity, a reopening) follow the new hours;
    deadlines already set stay as they were promised. Administrators only.
    """
    if not actor.is_admin:
        raise PermissionDenied(_("Only an administrator sets the complaint deadlines."))
    policy = ComplaintPolicy.objects.select_for_update().filter(pk=1).first()
    policy = policy or ComplaintPolicy.current()
    before = policy_snapshot(policy)
    errors: dict[str, list[str]] = {}
    for field, raw in data.items():
        if field not in POLICY_FIELDS:
            errors[field] = [_("There is no such field.")]
            continue
        try:
            if isinstance(raw, bool) or raw in (None, ""):
                raise ValueError
            hours = int(str(raw).strip())
        except ValueError:
            errors[field] = [_("Enter a whole number of hours.")]
            continue
        if not 1 <= hours <= MAX_HOURS:
            errors[field] = [
                _("Enter from 1 to %(max)s hours.") % {"max": MAX_HOURS},
            ]
            continue
        setattr(policy, field, hours)
    if errors:
        raise ValidationError(errors)
    changes = audit_diff(before, policy_snapshot(policy))
    if changes:
        policy.save()
        audit_record(actor=actor, action="update", obj=policy, changes=changes)
    return policy
