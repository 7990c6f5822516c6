"""Emails about discount requests, each in its reader's language, through the outbox.

Filed: to the leads of the requester's team (or, with no such lead, to the administrators)
who have an email address. Decided: to the requester. Queued with core.mail.queue_email, so
they are sent once the transaction commits and retried on failure.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.core.mail import queue_email
from clientela.retention.discounts.limits import show
from clientela.retention.discounts.models import DiscountRequest, RequestStatus


def _link(request: DiscountRequest) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("discounts:request_detail", args=[request.pk])


def _language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def deciders(request: DiscountRequest) -> list[User]:
    """Who is told of a new request: the team's leads, else the administrators (not the
    requester)."""
    users = User.objects.filter(is_active=True).exclude(pk=request.requested_by_id)
    leads = list(users.filter(role=Role.LEAD, team_id=request.team_id)) if request.team_id else []
    return leads or list(users.filter(role=Role.ADMIN))


def notify_filed(request: DiscountRequest) -> int:
    """Queue the "please decide" emails; how many were queued."""
    sent = 0
    for user in deciders(request):
        if not user.email:
            continue
        language = _language(user)
        with translation.override(language):
            subject = _("Discount to approve: %(discount)s %% for %(client)s") % {
                "discount": show(request.discount_percent),
                "client": request.contact or request.company,
            }
            body = _(
                "%(who)s asks to give %(discount)s %% (limit %(limit)s) to %(client)s: "
                "%(amount)s %(currency)s after the discount.\n\nReason: %(reason)s\n\n"
                "Approve or reject: %(link)s\n"
            ) % {
                "who": request.requested_by,
                "discount": show(request.discount_percent),
                "limit": (
                    f"{show(request.limit_percent)} %" if request.limit_percent is not None else "—"
                ),
                "client": request.contact or request.company,
                "amount": request.amount,
                "currency": request.currency,
                "reason": request.reason,
                "link": _link(request),
            }
        queue_email(
            to=user.email, subject=subject, body=body, language=language, purpose="discount"
        )
        sent += 1
    return sent


def notify_decided(request: DiscountRequest) -> bool:
    """Queue the email telling the requester what was decided; False without an address."""
    user = request.requested_by
    if not user.email:
        return False
    language = _language(user)
    with translation.override(language):
        if request.status == RequestStatus.APPROVED:
            subject = _("Discount approved: %(discount)s %% for %(client)s")
            body = _(
                "%(who)s approved %(discount)s %% for %(client)s, valid until %(until)s. "
                "You can now save it once.\n\n%(note)s\n\n%(link)s\n"
            )
        else:
            subject = _("Discount rejected: %(discount)s %% for %(client)s")
            body = _("%(who)s rejected %(discount)s %% for %(client)s.\n\n%(note)s\n\n%(link)s\n")
        values = {
            "who": request.decided_by,
            "discount": show(request.discount_percent),
            "client": request.contact or request.company,
            "until": request.valid_until.isoformat() if request.valid_until else "—",
            "note": request.decision_note,
            "link": _link(request),
        }
        subject, body = subject % values, body % values
    queue_email(to=user.email, subject=subject, body=body, language=language, purpose="discount")
    return True
