"""The email outbox: every email Clientela sends is stored first, then sent in the background.

`queue_email` stores an `OutgoingEmail` and, once the caller's transaction commits, enqueues
its send. `email_send` claims the row (queued → sending, one UPDATE, so two workers never send
one email twice), sends it over the configured mailer (SMTP from the environment) and records
what happened: sent, or the error with the time of the next attempt, or failed after the last
attempt. `emails_sweep` (run by the scheduler every minute) sends what is due and was not sent
by its task, so an email survives a lost task queue; nothing is ever dropped silently.

Every change of an email's status sends `email_status_changed` inside the same transaction, so a
record that follows its email (a greeting) is written with it, never behind.
"""

import datetime
import functools
import logging
from email.utils import make_msgid
from typing import Any, Required, TypedDict, Unpack

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientela.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

# The wait after each failed attempt; one attempt more than there are delays, then "failed".
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A task runs a due email within seconds; one still queued this long after it was due has
# lost its task (a restarted Redis, a failed enqueue), and the sweep sends it.
SWEEP_GRACE = datetime.timedelta(minutes=2)
# A send that has not finished in this time was cut off (the worker died mid-send). Whether the
# server took the message is unknown, so it is not retried by itself: it is marked failed for
# a person to look at and retry from the admin.
SENDING_STUCK = datetime.timedelta(minutes=15)

AUTO_SUBMITTED = {"digest": "auto-generated"}
# Emails stored with one INSERT, and sent by one task, at most.
BATCH_SIZE = 100

# Sent with `email_ids` (a list), `status` (the new OutgoingEmail.Status) and `purpose`
# (the emails' purpose) whenever emails change status: claimed for sending, sent, put back
# for another attempt, failed. Receivers run in the transaction that changed the emails.
email_status_changed = Signal()


def _changed(email_ids: list[int], status: str, purpose: str) -> None:
    if email_ids:
        email_status_changed.send(
            sender=OutgoingEmail, email_ids=email_ids, status=status, purpose=purpose
        )


def _message_id() -> str:
    sender = settings.DEFAULT_FROM_EMAIL or "clientela@localhost"
    domain = sender.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return make_msgid(domain=domain)


class EmailFields(TypedDict, total=False):
    """What an outbox email is made of (see `new_email`)."""

    to: Required[str]
    subject: Required[str]
    body: Required[str]
    language: str
    from_email: str  # default: DEFAULT_FROM_EMAIL
    reply_to: str
    headers: dict[str, str]
    purpose: str  # "greeting", "digest", …: receivers of email_status_changed tell by it
    send_after: datetime.datetime | None  # default: now


def new_email(**fields: Unpack[EmailFields]) -> OutgoingEmail:
    """An unsaved outbox email, for `queue_emails`."""
    purpose = fields.get("purpose", "")
    headers = dict(fields.get("headers") or {})
    if purpose in AUTO_SUBMITTED:
        headers.setdefault("Auto-Submitted", AUTO_SUBMITTED[purpose])
    return OutgoingEmail(
        to=fields["to"],
        subject=fields["subject"],
        body=fields["body"],
        language=fields.get("language", ""),
        from_email=fields.get("from_email", ""),
        reply_to=fields.get("reply_to", ""),
        headers=headers,
        purpose=purpose,
        send_after=fields.get("send_after") or timezone.now(),
        message_id=_message_id(),
    )


def queue_email(**fields: Unpack[EmailFields]) -> OutgoingEmail:
    """Store an email as queued and, when the surrounding transaction commits, enqueue its send.

    Takes the fields of `new_email`. The send is retried with a growing delay (1 min, 5 min,
    30 min, 2 h, 12 h) and each failure is recorded on the row; `send_after` holds it back
    until then. If the caller's transaction rolls back, neither the email nor its send exists.
    """
    [email] = queue_emails([new_email(**fields)])
    return email


def queue_emails(emails: list[OutgoingEmail]) -> list[OutgoingEmail]:
    """Store many unsaved emails (from `new_email`) with one INSERT per BATCH_SIZE, and when the
    transaction commits enqueue their sends: one task per BATCH_SIZE emails due together."""
    if not emails:
        return []
    saved = OutgoingEmail.objects.bulk_create(emails, batch_size=BATCH_SIZE)
    by_moment: dict[datetime.datetime, list[int]] = {}
    for email in saved:
        by_moment.setdefault(email.send_after, []).append(email.pk)
    for when, ids in by_moment.items():
        for start in range(0, len(ids), BATCH_SIZE):
            transaction.on_commit(
                functools.partial(_enqueue_send, ids[start : start + BATCH_SIZE], when)
            )
    return saved


def _enqueue_send(email_ids: list[int], when: datetime.datetime | None) -> None:
    """Hand the sends to the task queue; if the queue cannot take them, the sweep will."""
    from clientela.core.tasks import send_email_task, send_emails_task

    later = when is not None and when > timezone.now()
    try:
        if len(email_ids) == 1:
            one = send_email_task.using(run_after=when) if later else send_email_task
            one.enqueue(email_ids[0])
        else:
            many = send_emails_task.using(run_after=when) if later else send_emails_task
            many.enqueue(email_ids)
    except Exception:
        logger.exception(
            "Email(s) %s could not be queued for sending; the sweep will send them", email_ids
        )


def build_message(email: OutgoingEmail) -> EmailMessage:
    headers = {"Message-ID": email.message_id or _message_id(), **email.headers}
    if email.language:
        headers.setdefault("Content-Language", email.language)
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
    )


def email_send(email_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one queued, due email once; returns "sent", "retry", "failed" or "skipped".

    "skipped": the email is not queued (sent already, being sent by another worker, failed)
    or not due yet. A failure keeps the email queued for the next attempt, enqueued with its
    delay, until the last attempt marks it failed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = OutgoingEmail.objects.filter(
            pk=email_id, status=OutgoingEmail.Status.QUEUED, send_after__lte=now
        ).update(status=OutgoingEmail.Status.SENDING, attempts=F("attempts") + 1, send_after=now)
        if not claimed:
            return "skipped"
        email = OutgoingEmail.objects.get(pk=email_id)
        _changed([email.pk], email.status, email.purpose)
    # The mail server is talked to outside any transaction.
    try:
        mailers.default.send_messages([build_message(email)])
    except Exception as exc:
        return _record_failure(email, exc)
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    with transaction.atomic():
        email.save(update_fields=["status", "sent_at", "last_error"])
        _changed([email.pk], email.status, email.purpose)
    logger.info("Email %s to %s sent (attempt %s)", email.pk, email.to, email.attempts)
    return "sent"


CUT_OFF = (
    "The worker stopped while sending: the server may or may not have the message. "
    "Check with the recipient before retrying."
)
# The kinds of failure a user is told about, by the exception that `last_error` begins with.
PROBLEMS: tuple[tuple[tuple[str, ...], Any], ...] = (
    (
        ("SMTPAuthenticationError", "SMTPNotSupportedError"),
        gettext_lazy("the mail server did not accept Clientela's sign-in (the SMTP settings)"),
    ),
    (
        ("SMTPRecipientsRefused",),
        gettext_lazy("the mail server refused the recipient's address"),
    ),
    (("SMTPSenderRefused",), gettext_lazy("the mail server refused the sender's address")),
    (
        ("SMTPServerDisconnected", "SMTPConnectError", "ConnectionRefusedError",
         "ConnectionResetError", "ConnectionError", "TimeoutError", "timeout", "gaierror",
         "OSError"),
        gettext_lazy("the mail server could not be reached"),
    ),
    (("SMTPDataError",), gettext_lazy("the mail server refused the message")),
)  # fmt: skip


def email_problem(last_error: str) -> str:
    """`last_error` (the exception, in the mail server's English) said for a user: what kind of
    problem it is, in the active language; "" when there is none."""
    if not last_error:
        return ""
    if last_error == CUT_OFF:
        return str(
            _(
                "The sending was cut off: the mail server may or may not have the message. "
                "Check with the client before sending it again."
            )
        )
    name = last_error.split(":", 1)[0].strip().rsplit(".", 1)[-1]
    for names, problem in PROBLEMS:
        if name in names:
            return str(problem)
    return str(_("the mail server answered with an error"))


def _record_failure(email: OutgoingEmail, exc: Exception) -> str:
    email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if email.attempts >= MAX_ATTEMPTS:
        email.status = OutgoingEmail.Status.FAILED
        with transaction.atomic():
            email.save(update_fields=["status", "last_error"])
            _changed([email.pk], email.status, email.purpose)
        logger.error(
            "Email %s to %s failed for good after %s attempts: %s",
            email.pk,
            email.to,
            email.attempts,
            email.last_error,
        )
        return "failed"
    email.status = OutgoingEmail.Status.QUEUED
    email.send_after = timezone.now() + RETRY_DELAYS[email.attempts - 1]
    with transaction.atomic():
        email.save(update_fields=["status", "last_error", "send_after"])
        _changed([email.pk], email.status, email.purpose)
    logger.warning(
        "Email %s to %s not sent (attempt %s of %s), next attempt at %s: %s",
        email.pk,
        email.to,
        email.attempts,
        MAX_ATTEMPTS,
        email.send_after.isoformat(),
        email.last_error,
    )
    _enqueue_send([email.pk], email.send_after)
    return "retry"


def email_retry_now(email: OutgoingEmail) -> bool:
    """Put a queued or failed email back in the queue for an attempt now; False if it is sent
    or being sent. A failed email gets one more attempt."""
    retried = _requeue(email.pk, timezone.now())
    if retried:
        transaction.on_commit(lambda: _enqueue_send([email.pk], None))
    return bool(retried)


def _requeue(email_id: int, now: datetime.datetime) -> int:
    email = OutgoingEmail.objects.filter(
        pk=email_id, status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED]
    ).first()
    if email is None:
        return 0
    # A failed email starts one step before the end, so it gets exactly one more attempt.
    attempts = min(email.attempts, MAX_ATTEMPTS - 1)
    with transaction.atomic():
        requeued = OutgoingEmail.objects.filter(pk=email_id, status=email.status).update(
            status=OutgoingEmail.Status.QUEUED, send_after=now, attempts=attempts
        )
        if requeued:
            _changed([email_id], OutgoingEmail.Status.QUEUED, email.purpose)
    return requeued


@transaction.atomic
def _fail_stuck(now: datetime.datetime) -> int:
    """Mark failed the sends cut off mid-way; how many there were."""
    cut_off = OutgoingEmail.objects.select_for_update().filter(
        status=OutgoingEmail.Status.SENDING, send_after__lt=now - SENDING_STUCK
    )
    by_purpose: dict[str, list[int]] = {}
    for pk, purpose in cut_off.values_list("pk", "purpose"):
        by_purpose.setdefault(purpose, []).append(pk)
    ids = [pk for group in by_purpose.values() for pk in group]
    if not ids:
        return 0
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=OutgoingEmail.Status.FAILED, last_error=CUT_OFF
    )
    for purpose, group in by_purpose.items():
        _changed(group, OutgoingEmail.Status.FAILED, purpose)
    return len(ids)


def emails_sweep(*, now: datetime.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Send the due emails whose task did not run, and give up on sends cut off mid-way."""
    now = now or timezone.now()
    stuck = _fail_stuck(now)
    if stuck:
        logger.error("%s email(s) were cut off while sending and are marked failed", stuck)
    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED, send_after__lte=now - SWEEP_GRACE
        )
        .order_by("send_after", "id")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, Any] = {"stuck": stuck}
    for email_id in due:
        outcome = email_send(email_id, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
