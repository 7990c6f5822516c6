"""Greetings over JSON."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from clientela.accounts.api import RecordId, actor, error_responses
from clientela.accounts.zones import user_zone
from clientela.occasions import (
    selectors_api,
    selectors_greetings,
    services_greetings,
)
from clientela.occasions.api._common import (
    GREETINGS,
    READ_ERRORS,
    _ensure_can_write,
    router,
)
from clientela.occasions.schemas import (
    GreetingIn,
    GreetingOut,
)

# --- greetings ----------------------------------------------------------------------------------


@router.post(
    "/greetings",
    response={201: GreetingOut, **error_responses(401, 403, 422)},
    tags=GREETINGS,
    summary="Send or schedule a greeting",
)
def greeting_send(request: HttpRequest, payload: GreetingIn) -> Status:
    """An email to a contact or a company, now or at `send_at`; placeholders are filled in for
    the client. A marketing greeting (`personal: false`) needs the contact's consent."""
    who = actor(request)
    _ensure_can_write(who)
    send_at = payload.send_at
    if send_at is not None and timezone.is_naive(send_at):
        send_at = timezone.make_aware(send_at, user_zone(who))
    with transaction.atomic():
        parts = selectors_api.greeting_parts(
            who,
            contact=payload.contact,
            company=payload.company,
            occasion=payload.occasion,
            template=payload.template,
        )
        template = parts.template
        if payload.language:
            language = payload.language
        elif template is not None:
            language = template.language
        else:
            language = selectors_greetings.greeting_language(parts.client)
        greeting = services_greetings.greeting_send(
            actor=who,
            contact=parts.contact,
            company=parts.company,
            subject=_or_template(payload.subject, template, "subject"),
            body=_or_template(payload.body, template, "body"),
            language=language,
            personal=payload.personal,
            template=template,
            occasion=parts.occasion,
            send_at=send_at,
        )
        out = GreetingOut.from_orm(greeting)
    return Status(201, out)


def _or_template(value: str | None, template: Any, field: str) -> str:
    if value is not None:
        return value
    return str(getattr(template, field)) if template is not None else ""


@router.get(
    "/greetings/{greeting_id}",
    response={200: GreetingOut, **READ_ERRORS},
    tags=GREETINGS,
    summary="One greeting and its status",
)
def greeting_detail(request: HttpRequest, greeting_id: RecordId) -> Any:
    return selectors_greetings.greeting_get(actor(request), greeting_id)
