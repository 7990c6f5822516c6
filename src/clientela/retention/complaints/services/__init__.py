"""Every change to complaints: validated, audited, in one transaction.

Each service checks the actor's right to write, refuses bad values with a ValidationError
keyed by the field (nothing saved) and records the change in the audit history.
"""

from clientela.retention.complaints.services._common import deadline_for, snapshot
from clientela.retention.complaints.services.escalation import (
    complaint_escalate,
    complaints_escalate,
    escalation_recipients,
)
from clientela.retention.complaints.services.policy import (
    POLICY_FIELDS,
    complaint_policy_update,
)
from clientela.retention.complaints.services.records import (
    belongs_to_client,
    complaint_compensation_link,
    complaint_compensation_record,
    complaint_create,
    complaint_delete,
    complaint_restore,
    complaint_update,
)
from clientela.retention.complaints.services.transitions import (
    complaint_close,
    complaint_reopen,
    complaint_resolve,
    complaint_start,
)

__all__ = [
    "POLICY_FIELDS",
    "belongs_to_client",
    "complaint_close",
    "complaint_compensation_link",
    "complaint_compensation_record",
    "complaint_create",
    "complaint_delete",
    "complaint_escalate",
    "complaint_policy_update",
    "complaint_reopen",
    "complaint_resolve",
    "complaint_restore",
    "complaint_start",
    "complaint_update",
    "complaints_escalate",
    "deadline_for",
    "escalation_recipients",
    "snapshot",
]
