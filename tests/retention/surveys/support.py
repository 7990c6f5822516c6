"""Helpers for the survey tests: a survey sent for real, its raw token read from the email."""

import datetime
import re
from typing import Any

from django.utils import timezone

from clientela.contacts.models import Contact
from clientela.core.models import OutgoingEmail
from clientela.retention.surveys.models import SurveyPolicy, SurveyRequest
from clientela.retention.surveys.services import surveys_send_due

TOKEN_IN_LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})/(?!stop)")


def token_of(body: str) -> str:
    found = TOKEN_IN_LINK.search(body)
    assert found, body
    return found.group(1)


def schedule(contact: Contact, kind: str = "nps", **fields: Any) -> SurveyRequest:
    """A request due now, made directly (the triggers have their own tests)."""
    request: SurveyRequest = SurveyRequest.objects.create(
        contact=contact,
        owner_id=contact.owner_id,
        team_id=contact.team_id,
        kind=kind,
        trigger="manual",
        language=contact.language or "uk",
        send_at=fields.pop("send_at", timezone.now()),
        **fields,
    )
    return request


def send(contact: Contact, kind: str = "nps", **fields: Any) -> tuple[SurveyRequest, str]:
    """Schedule and send a survey to `contact`; the request and the raw token of its link."""
    request = schedule(contact, kind, **fields)
    surveys_send_due(timezone.now())
    request.refresh_from_db()
    assert request.status == SurveyRequest.Status.SENT, request.skip_reason
    email = OutgoingEmail.objects.get(pk=request.email_id)
    return request, token_of(email.body)


def policy(**changes: Any) -> SurveyPolicy:
    current = SurveyPolicy.current()
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()
    return current


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)
