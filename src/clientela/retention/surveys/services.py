"""Every write of the surveys app: scheduling, sending, answering, opting out.

Guarantees:
- a contact is asked at most once per cool-down (any trigger); a contact without an email
  address or who asked not to be surveyed is never mailed (the request is kept as skipped,
  with the reason, so the manager sees why);
- only the SHA-256 of a survey token is stored; the raw token exists only in the email;
- a request is answered at most once: the row is locked and the answer is unique per
  request, so two racing posts record one answer;
- a detractor's answer creates a task for the contact's owner in the same transaction.
"""

import datetime
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.zones import user_today
from clientela.activities.models import Task, TaskOrigin
from clientela.activities.services import task_snapshot
from clientela.contacts.models import Contact
from clientela.core.audit import audit_diff, audit_record
from clientela.core.mail import queue_email
from clientela.retention.surveys.models import (
    SurveyAnswer,
    SurveyKind,
    SurveyOptOut,
    SurveyPolicy,
    SurveyRequest,
    SurveyTrigger,
    hash_survey_token,
    is_detractor,
    score_range,
)

logger = logging.getLogger(__name__)

# A purchase dated earlier than this is history (an import), not a reason to write to anyone.
RECENT_PURCHASE_DAYS = 30
MAX_COMMENT = 2000
MAX_TOKEN = 100
SEND_BATCH = 200
LANGUAGES = {"uk", "ru", "en"}


class SurveyUnavailable(Exception):
    """A token that cannot be answered: "unknown" (forged or never issued), "expired", "used"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def contact_language(contact: Contact) -> str:
    return contact.language if contact.language in LANGUAGES else settings.LANGUAGE_CODE


def request_snapshot(request: SurveyRequest) -> dict[str, Any]:
    return {
        "contact": str(request.contact) if request.contact_id else None,
        "kind": request.kind,
        "trigger": request.trigger,
        "status": request.status,
        "skip_reason": request.skip_reason or None,
        "send_at": request.send_at.isoformat() if request.send_at else None,
        "sent_at": request.sent_at.isoformat() if request.sent_at else None,
        "expires_at": request.expires_at.isoformat() if request.expires_at else None,
    }


def skip_reason(
    contact: Contact,
    *,
    now: datetime.datetime,
    policy: SurveyPolicy,
    exclude_pk: int | None = None,
) -> str:
    """Why `contact` must not be asked now ("" if it may be)."""
    if contact.deleted_at is not None:
        return SurveyRequest.SkipReason.GONE
    if not contact.primary_email:
        return SurveyRequest.SkipReason.NO_EMAIL
    if SurveyOptOut.objects.filter(contact_id=contact.pk).exists():
        return SurveyRequest.SkipReason.OPTED_OUT
    since = now - datetime.timedelta(days=policy.cooldown_days)
    recent = SurveyRequest.all_objects.filter(contact_id=contact.pk)
    if exclude_pk is not None:
        recent = recent.exclude(pk=exclude_pk)
    pending = recent.filter(status=SurveyRequest.Status.SCHEDULED)
    if exclude_pk is None and pending.exists():
        return SurveyRequest.SkipReason.COOLDOWN
    if recent.filter(sent_at__gt=since).exists():
        return SurveyRequest.SkipReason.COOLDOWN
    return ""


def _schedule(
    *,
    contact: Contact,
    kind: str,
    trigger: str,
    send_at: datetime.datetime,
    actor: User | None,
    policy: SurveyPolicy,
    **links: Any,
) -> SurveyRequest:
    reason = skip_reason(contact, now=timezone.now(), policy=policy)
    request = SurveyRequest.objects.create(
        contact=contact,
        owner_id=contact.owner_id,
        team_id=contact.team_id,
        kind=kind,
        trigger=trigger,
        language=contact_language(contact),
        send_at=send_at,
        status=SurveyRequest.Status.SKIPPED if reason else SurveyRequest.Status.SCHEDULED,
        skip_reason=reason,
        created_by=actor if getattr(actor, "pk", None) else None,
        **links,
    )
    audit_record(
        actor=actor, action="create", obj=request, changes=audit_diff({}, request_snapshot(request))
    )
    return request


@transaction.atomic
def survey_after_purchase(*, purchase: Any, actor: User | None) -> SurveyRequest | None:
    """Schedule the policy's survey after a recent purchase of a contact; None if the policy
    is off, the purchase is old (an import of history) or has no contact, or was surveyed."""
    policy = SurveyPolicy.current()
    if not policy.after_purchase or not purchase.contact_id or purchase.deleted_at is not None:
        return None
    if purchase.date < timezone.localdate() - datetime.timedelta(days=RECENT_PURCHASE_DAYS):
        return None
    if purchase.date > timezone.localdate() + datetime.timedelta(days=1):
        return None  # a purchase booked ahead is asked about once it is done, by hand
    if SurveyRequest.all_objects.filter(purchase_id=purchase.pk).exists():
        return None
    contact = Contact.all_objects.select_for_update().get(pk=purchase.contact_id)
    return _schedule(
        contact=contact,
        kind=policy.purchase_kind,
        trigger=SurveyTrigger.PURCHASE,
        send_at=timezone.now() + datetime.timedelta(days=policy.purchase_delay_days),
        actor=actor,
        policy=policy,
        purchase=purchase,
    )


@transaction.atomic
def survey_after_complaint(*, complaint: Any, actor: User | None) -> SurveyRequest | None:
    """Schedule the policy's survey after a resolved complaint of a contact; None if the
    policy is off, the complaint has no contact or was surveyed already."""
    policy = SurveyPolicy.current()
    contact_id = getattr(complaint, "contact_id", None)
    if not policy.after_complaint or not contact_id:
        return None
    if SurveyRequest.all_objects.filter(complaint_id=complaint.pk).exists():
        return None
    contact = Contact.all_objects.select_for_update().get(pk=contact_id)
    return _schedule(
        contact=contact,
        kind=policy.complaint_kind,
        trigger=SurveyTrigger.COMPLAINT,
        send_at=timezone.now() + datetime.timedelta(days=policy.complaint_delay_days),
        actor=actor,
        policy=policy,
        complaint=complaint,
    )


@transaction.atomic
def survey_request_create(*, actor: User, contact: Contact, kind: str) -> SurveyRequest:
    """Ask `contact` (one the actor sees) by hand; it goes out at the next tick of the job.

    Refused with a ValidationError on "contact" when the contact cannot be asked now (no
    email, opted out, asked within the cool-down) and on "kind" for an unknown survey.
    """
    _ensure_can_write(actor)
    if kind not in SurveyKind.values:
        raise ValidationError(
            {"kind": [_("“%(value)s” is not one of the choices.") % {"value": kind}]}
        )
    locked = Contact.objects.visible_to(actor).select_for_update().filter(pk=contact.pk).first()
    if locked is None:
        raise ValidationError({"contact": [_("There is no such contact.")]})
    policy = SurveyPolicy.current()
    reason = skip_reason(locked, now=timezone.now(), policy=policy)
    if reason:
        messages: dict[str, str] = {
            SurveyRequest.SkipReason.NO_EMAIL: _("This contact has no email address."),
            SurveyRequest.SkipReason.OPTED_OUT: _("This contact asked not to be surveyed."),
            SurveyRequest.SkipReason.COOLDOWN: _(
                "This contact was asked within the last %(days)d days or has a survey waiting."
            )
            % {"days": policy.cooldown_days},
        }
        message = messages.get(reason, _("There is no such contact."))
        raise ValidationError({"contact": [message]})
    return _schedule(
        contact=locked,
        kind=kind,
        trigger=SurveyTrigger.MANUAL,
        send_at=timezone.now(),
        actor=actor,
        policy=policy,
    )


# --- sending ------------------------------------------------------------------------------------


def firm_display(policy: SurveyPolicy) -> str:
    return policy.firm_name or _("us")


def survey_link(raw_token: str) -> str:
    return settings.SITE_URL + reverse("surveys:answer", args=[raw_token])


def _email_for(request: SurveyRequest, raw_token: str, policy: SurveyPolicy) -> tuple[str, str]:
    """Subject and text of the survey email, in the request's language."""
    with translation.override(request.language):
        firm = firm_display(policy)
        if request.kind == SurveyKind.NPS:
            subject = _("How likely are you to recommend %(firm)s?") % {"firm": firm}
        else:
            subject = _("How satisfied are you with %(firm)s?") % {"firm": firm}
        body = render_to_string(
            "surveys/email_body.txt",
            {
                "name": request.contact.formal_name,
                "firm": firm,
                "kind": request.kind,
                "link": survey_link(raw_token),
                "stop_link": settings.SITE_URL + reverse("surveys:opt_out", args=[raw_token]),
                "expires_on": timezone.localtime(request.expires_at).date()
                if request.expires_at
                else None,
            },
        )
    return subject, body


def _send_one(pk: int, now: datetime.datetime, policy: SurveyPolicy) -> str:
    with transaction.atomic():
        request = (
            SurveyRequest.all_objects.select_for_update()
            .filter(pk=pk, status=SurveyRequest.Status.SCHEDULED, send_at__lte=now)
            .first()
        )
        if request is None:
            return "taken"
        contact = Contact.all_objects.get(pk=request.contact_id)
        request.contact = contact
        before = request_snapshot(request)
        reason = skip_reason(contact, now=now, policy=policy, exclude_pk=request.pk)
        if reason:
            request.status = SurveyRequest.Status.SKIPPED
            request.skip_reason = reason
            request.save(update_fields=["status", "skip_reason"])
            audit_record(
                actor=None,
                action="update",
                obj=request,
                changes=audit_diff(before, request_snapshot(request)),
            )
            return "skipped"
        raw = secrets.token_urlsafe(32)
        request.language = contact_language(contact)
        request.token_hash = hash_survey_token(raw)
        request.sent_at = now
        request.expires_at = now + datetime.timedelta(days=policy.link_valid_days)
        request.status = SurveyRequest.Status.SENT
        subject, body = _email_for(request, raw, policy)
        request.email = queue_email(
            to=contact.primary_email,
            subject=subject,
            body=body,
            language=request.language,
            purpose="survey",
        )
        request.save(
            update_fields=[
                "language",
                "token_hash",
                "sent_at",
                "expires_at",
                "status",
                "email",
            ]
        )
        audit_record(
            actor=None,
            action="update",
            obj=request,
            changes=audit_diff(before, request_snapshot(request)),
        )
        return "sent"


def surveys_send_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """Send every scheduled request that is due (the periodic job); counts by outcome.

    Each request is sent in a transaction of its own, claimed under a row lock, so two
    workers never send one twice and one bad request does not hold back the others.
    """
    now = now or timezone.now()
    policy = SurveyPolicy.current()
    due = list(
        SurveyRequest.all_objects.filter(status=SurveyRequest.Status.SCHEDULED, send_at__lte=now)
        .order_by("send_at", "id")
        .values_list("pk", flat=True)[:SEND_BATCH]
    )
    counts: dict[str, int] = {}
    for pk in due:
        outcome = _send_one(pk, now, policy)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# --- answering ----------------------------------------------------------------------------------


def _locked_by_token(raw_token: str) -> SurveyRequest:
    if not raw_token or len(raw_token) > MAX_TOKEN:
        raise SurveyUnavailable("unknown")
    request = (
        SurveyRequest.all_objects.select_for_update()
        .filter(token_hash=hash_survey_token(raw_token))
        .first()
    )
    if request is None or request.status not in (
        SurveyRequest.Status.SENT,
        SurveyRequest.Status.ANSWERED,
    ):
        raise SurveyUnavailable("unknown")
    return request


def clean_score(kind: str, raw: Any) -> int:
    low, high = score_range(kind)
    try:
        score = int(str(raw).strip())
    except (TypeError, ValueError):
        score = None
    if score is None or not low <= score <= high:
        raise ValidationError(
            {"score": [_("Choose a score from %(low)d to %(high)d.") % {"low": low, "high": high}]}
        )
    return score


def _detractor_task(answer: SurveyAnswer, contact: Contact) -> Task:
    owner: User = contact.owner
    _low, high = score_range(answer.kind)
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        title = _("Unhappy client: %(kind)s %(score)d of %(high)d from %(client)s") % {
            "kind": "NPS" if answer.kind == SurveyKind.NPS else "CSAT",
            "score": answer.score,
            "high": high,
            "client": str(contact),
        }
    task = Task(
        title=title[:200],
        notes=answer.comment,
        due_date=user_today(owner),
        owner=owner,
        team_id=owner.team_id,
        contact_id=contact.pk,
        urgent=True,
        created_by=None,
        origin=TaskOrigin.SURVEY,
        origin_key=f"survey_answer:{answer.pk}",
    )
    task.save()
    audit_record(actor=None, action="create", obj=task, changes=audit_diff({}, task_snapshot(task)))
    return task


@transaction.atomic
def survey_answer(*, raw_token: str, score: Any, comment: str = "") -> SurveyAnswer:
    """Record the one answer of the request behind `raw_token` (no login: the token is the key).

    Raises SurveyUnavailable("unknown" | "expired" | "used") for a token that cannot be
    answered, ValidationError on "score" / "comment" for bad input; nothing is saved then.
    A detractor's answer creates an urgent task due today for the contact's owner, here.
    """
    request = _locked_by_token(raw_token)
    if request.status == SurveyRequest.Status.ANSWERED:
        raise SurveyUnavailable("used")
    now = timezone.now()
    if request.expires_at is not None and request.expires_at <= now:
        raise SurveyUnavailable("expired")
    value = clean_score(request.kind, score)
    text = str(comment or "").strip()
    if "\x00" in text:
        raise ValidationError({"comment": [_("Null characters are not allowed.")]})
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {"comment": [_("Keep the comment under %(max)d characters.") % {"max": MAX_COMMENT}]}
        )
    contact = Contact.all_objects.select_related("owner").get(pk=request.contact_id)
    answer = SurveyAnswer(
        request=request,
        kind=request.kind,
        contact=contact,
        owner_id=contact.owner_id,
        team_id=contact.team_id,
        score=value,
        comment=text,
        is_detractor=is_detractor(request.kind, value),
        answered_at=now,
    )
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as exc:  # another post was first (the lock makes this rare)
        raise SurveyUnavailable("used") from exc
    before = request_snapshot(request)
    request.status = SurveyRequest.Status.ANSWERED
    request.save(update_fields=["status"])
    audit_record(
        actor=None,
        action="update",
        obj=request,
        changes=audit_diff(before, request_snapshot(request)),
    )
    audit_record(
        actor=None,
        action="create",
        obj=answer,
        changes={"score": [None, value], "comment": [None, text or None]},
    )
    if answer.is_detractor:
        answer.task = _detractor_task(answer, contact)
        answer.save(update_fields=["task"])
    return answer


def _skip_waiting(contact_id: int, reason: str) -> int:
    return SurveyRequest.all_objects.filter(
        contact_id=contact_id, status=SurveyRequest.Status.SCHEDULED
    ).update(status=SurveyRequest.Status.SKIPPED, skip_reason=reason)


@transaction.atomic
def survey_opt_out_by_token(*, raw_token: str) -> None:
    """The client's "do not survey me" from the email's link (works after expiry too)."""
    request = _locked_by_token(raw_token)
    opt_out, created = SurveyOptOut.objects.get_or_create(
        contact_id=request.contact_id, defaults={"by_client": True}
    )
    if created:
        audit_record(actor=None, action="create", obj=opt_out, changes={"by_client": [None, True]})
    _skip_waiting(request.contact_id, SurveyRequest.SkipReason.OPTED_OUT)


@transaction.atomic
def survey_opt_out_set(*, actor: User, contact: Contact, opted_out: bool) -> bool:
    """Record (or lift) a contact's wish not to be surveyed; whether anything changed."""
    _ensure_can_write(actor)
    if not Contact.objects.visible_to(actor).filter(pk=contact.pk).exists():
        raise ValidationError({"contact": [_("There is no such contact.")]})
    existing = SurveyOptOut.objects.select_for_update().filter(contact_id=contact.pk).first()
    if opted_out and existing is None:
        opt_out = SurveyOptOut.objects.create(contact_id=contact.pk, by_client=False)
        audit_record(
            actor=actor, action="create", obj=opt_out, changes={"contact": [None, str(contact)]}
        )
        _skip_waiting(contact.pk, SurveyRequest.SkipReason.OPTED_OUT)
        return True
    if not opted_out and existing is not None:
        audit_record(
            actor=actor, action="delete", obj=existing, changes={"contact": [str(contact), None]}
        )
        existing.delete()
        return True
    return False
