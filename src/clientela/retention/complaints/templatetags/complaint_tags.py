"""Template helpers of the complaint pages."""

from django import template

from clientela.retention.complaints.deadlines import due_text, overdue_text
from clientela.retention.complaints.models import Complaint

register = template.Library()


@register.filter
def deadline_label(complaint: Complaint) -> str:
    """ "overdue by 3 h" or "due in 2 days" for an open complaint; "" once it is resolved."""
    if not complaint.is_open:
        return ""
    if complaint.is_overdue():
        return overdue_text(complaint.deadline)
    return due_text(complaint.deadline)
