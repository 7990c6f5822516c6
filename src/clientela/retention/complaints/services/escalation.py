"""Escalating overdue complaints to the team lead: a task and an email, once per deadline.

`complaints_escalate(now)` runs every minute (core.jobs, periodic). It finds the open
complaints whose deadline has passed and whose current deadline was not escalated yet, and
escalates each in a transaction of its own: one conditional UPDATE claims the complaint (so
two workers, or two ticks, never escalate one deadline twice), then every lead of the
complaint's team (none: every administrator) gets an urgent task due today and an email in
their language. A complaint given a new deadline (reopened, another severity) can be
escalated again when that one passes too.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.accounts.zones import user_today
from clientela.activities.models import TaskOrigin
from clientela.activities.services import task_create
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_record
from clientela.core.mail import queue_email
from clientela.retention.complaints.deadlines import overdue_text
from clientela.retention.complaints.models import IS_OPEN, Complaint
from clientela.sales.models import Deal

logger = logging.getLogger(__name__)

BATCH = 200
NOT_ESCALATED = (
    Q(escalated_deadline__isnull=True)
    | Q(escalated_deadline__lt=F("deadline"))
    | Q(escalated_deadline__gt=F("deadline"))
)


def escalation_recipients(complaint: Complaint) -> list[User]:
    """The active leads of the complaint's team; without any, the active administrators."""
    active = User.objects.filter(is_active=True).order_by("id")
    if complaint.team_id is not None:
        leads = list(active.filter(team_id=complaint.team_id, role=Role.LEAD))
        if leads:
            return leads
    return list(active.filter(Q(role=Role.ADMIN) | Q(is_superuser=True)))


def _client_name(complaint: Complaint) -> str:
    return str(complaint.contact if complaint.contact_id else complaint.company)


def _task_for(complaint: Complaint, lead: User, now: datetime.datetime, text: str) -> None:
    """An urgent task due today for `lead`, about the complaint's client where `lead` sees it."""
    data: dict[str, object] = {
        "title": (_("Overdue complaint: %(client)s") % {"client": _client_name(complaint)})[:200],
        "notes": _("Complaint #%(id)s, %(late)s. Handled by %(owner)s.\n\n%(description)s")
        % {
            "id": complaint.pk,
            "late": text,
            "owner": complaint.owner,
            "description": complaint.description,
        },
        "due_date": user_today(lead, now),
        "urgent": True,
        "owner": lead.pk,
    }
    for field, model, pk in (
        ("contact", Contact, complaint.contact_id),
        ("company", Company, complaint.company_id),
        ("deal", Deal, complaint.deal_id),
    ):
        if pk and model.objects.visible_to(lead).filter(pk=pk).exists():
            data[field] = pk
    # The lead is the task's author as well as its assignee: the system acts on its behalf,
    # and the history records the change as made by the system channel.
    task_create(actor=lead, data=data, origin=TaskOrigin.COMPLAINT)


def _email_for(complaint: Complaint, lead: User, now: datetime.datetime) -> None:
    if not lead.email:
        return
    language = lead.language or settings.LANGUAGE_CODE
    url = settings.SITE_URL + reverse("complaints:detail", args=[complaint.pk])
    with translation.override(language):
        late = overdue_text(complaint.deadline, now)
        subject = _("Complaint overdue: %(client)s, %(late)s") % {
            "client": _client_name(complaint),
            "late": late,
        }
        body = render_to_string(
            "complaints/escalation_email.txt",
            {"complaint": complaint, "lead": lead, "late": late, "url": url},
        )
    queue_email(
        to=lead.email,
        subject=subject[:300],
        body=body,
        language=language,
        purpose="complaint_escalation",
    )


@transaction.atomic
def complaint_escalate(complaint_id: int, now: datetime.datetime) -> bool:
    """Escalate one overdue complaint unless its deadline was escalated; True if done here."""
    claimed = Complaint.objects.filter(
        IS_OPEN, NOT_ESCALATED, pk=complaint_id, deadline__lt=now
    ).update(escalated_at=now, escalated_deadline=F("deadline"))
    if claimed != 1:
        return False
    complaint = Complaint.objects.select_related("owner", "contact", "company").get(pk=complaint_id)
    leads = escalation_recipients(complaint)
    complaint.escalated_to.set(leads)
    for lead in leads:
        with translation.override(lead.language or settings.LANGUAGE_CODE):
            _task_for(complaint, lead, now, overdue_text(complaint.deadline, now))
        _email_for(complaint, lead, now)
    audit_record(
        actor=None,
        action="update",
        obj=complaint,
        changes={"escalated_to": [None, ", ".join(str(lead) for lead in leads) or "—"]},
    )
    return True


def complaints_escalate(now: datetime.datetime) -> str:
    """Every overdue complaint whose deadline was not escalated yet (the periodic job)."""
    due = list(
        Complaint.objects.filter(IS_OPEN, NOT_ESCALATED, deadline__lt=now)
        .order_by("deadline", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    escalated = sum(1 for pk in due if complaint_escalate(pk, now))
    if escalated:
        logger.info("Escalated %s overdue complaints", escalated)
    return f"{escalated} escalated"
