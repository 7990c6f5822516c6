"""The outbox: emails reach a real SMTP server once, failures are recorded and retried."""

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from clientela.core import mail
from clientela.core.jobs import run_due_jobs
from clientela.core.mail import MAX_ATTEMPTS, email_retry_now, email_send, queue_email
from clientela.core.models import OutgoingEmail
from core.conftest import start_smtp

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("keep_signals")]


def run_worker() -> None:
    call_command("worker", "--batch")


def make_due(email: OutgoingEmail) -> None:
    """Let the time of the next attempt come: the email and its task are due now."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    OutgoingEmail.objects.filter(pk=email.pk).update(send_after=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def queue_cyrillic(**extra: Any) -> OutgoingEmail:
    return queue_email(
        to="olena@example.com",
        subject="З днем народження, Олено!",
        body="Вітаємо з днем народження!\nВаша команда",
        language="uk",
        **extra,
    )


def test_queued_email_is_sent_once_through_the_database_worker(smtp):
    # given an email queued (its send enqueued on commit)
    email = queue_cyrillic(headers={"List-Unsubscribe": "<mailto:stop@example.com>"})
    assert DBTaskResult.objects.count() == 1

    # when the worker runs, twice
    run_worker()
    run_worker()

    # then the server received it once, in UTF-8 with its language
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "olena@example.com"
    assert message["Subject"] == "З днем народження, Олено!"
    assert message["Content-Language"] == "uk"
    assert message["List-Unsubscribe"] == "<mailto:stop@example.com>"
    assert message.get_content_charset() == "utf-8"
    text = message.get_content().replace("\r\n", "\n").strip()
    assert text == "Вітаємо з днем народження!\nВаша команда"
    email.refresh_from_db()
    assert message["Message-ID"] == email.message_id
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    assert email.last_error == ""


def test_digest_email_says_it_was_sent_automatically(smtp):
    queue_email(to="m@example.com", subject="Your day", body="…", language="en", purpose="digest")
    run_worker()
    assert smtp.messages[0]["Auto-Submitted"] == "auto-generated"
    assert smtp.messages[0]["Content-Language"] == "en"


def test_smtp_down_records_the_failure_and_retries_then_sends_once(smtp_port, settings):
    # given no SMTP server listening
    email = queue_cyrillic()

    # when the worker tries
    run_worker()

    # then the email waits for its next attempt, with the error, and a retry task is scheduled
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert "refused" in email.last_error.lower()
    wait = email.send_after - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(minutes=1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == email.send_after

    # when the server is up and the next attempt is due
    controller, inbox = start_smtp(smtp_port)
    try:
        make_due(email)
        run_worker()
        run_worker()
    finally:
        controller.stop()

    # then it was sent, once
    assert len(inbox.messages) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2


def test_email_fails_after_the_last_attempt_and_retry_now_gives_one_more(smtp_port):
    email = queue_cyrillic()
    delays = []
    for _attempt in range(MAX_ATTEMPTS):
        before = timezone.now()
        make_due(email)
        email_send(email.pk)
        email.refresh_from_db()
        delays.append(email.send_after - before)
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == MAX_ATTEMPTS
    assert email.last_error
    # 1 min, 5 min, 30 min, 2 h, 12 h between the attempts
    assert [round(d.total_seconds() / 60) for d in delays[:-1]] == [1, 5, 30, 120, 720]

    assert email_retry_now(email) is True
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email_send(email.pk) == "failed"  # still down: one attempt, then failed again


def test_an_email_is_claimed_by_one_sender_only(smtp):
    email = queue_cyrillic()
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.SENDING)
    assert email_send(email.pk) == "skipped"
    assert smtp.messages == []


def test_email_not_due_yet_is_not_sent(smtp):
    later = timezone.now() + datetime.timedelta(hours=3)
    email = queue_cyrillic(send_after=later)
    run_worker()
    assert smtp.messages == []
    assert DBTaskResult.objects.get().run_after == later
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 0


def test_sweep_sends_an_email_whose_task_was_lost(smtp):
    # given an email queued long ago whose task never ran (a Redis restart, a failed enqueue)
    email = OutgoingEmail.objects.create(
        to="a@example.com",
        subject="Hello",
        body="Body",
        send_after=timezone.now() - datetime.timedelta(minutes=10),
    )
    # when the scheduler ticks
    report = run_due_jobs()
    # then it is sent
    assert "sent" in report["emails"]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(smtp.messages) == 1


def test_a_send_cut_off_midway_is_marked_failed_not_sent_again(smtp):
    email = OutgoingEmail.objects.create(
        to="a@example.com",
        subject="Hello",
        body="Body",
        status=OutgoingEmail.Status.SENDING,
        attempts=1,
        send_after=timezone.now() - mail.SENDING_STUCK - datetime.timedelta(minutes=1),
    )
    run_due_jobs()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert "stopped while sending" in email.last_error
    assert smtp.messages == []


def test_admin_shows_failures_and_retries_now(smtp_port, admin):
    from django.test import Client

    email = OutgoingEmail.objects.create(
        to="a@example.com",
        subject="Hello",
        body="Body",
        status=OutgoingEmail.Status.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error="SMTPServerDisconnected: gone",
    )
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/core/outgoingemail/")
    assert page.status_code == 200
    assert "a@example.com" in page.text
    detail = client.get(f"/admin/core/outgoingemail/{email.pk}/change/")
    assert "SMTPServerDisconnected: gone" in detail.text

    client.post(
        "/admin/core/outgoingemail/",
        {"action": "retry_now", "_selected_action": [email.pk]},
    )
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1


@pytest.mark.parametrize(
    ("last_error", "problem"),
    [
        ("", ""),
        ("ConnectionRefusedError: [Errno 111] Connection refused", "could not be reached"),
        ("SMTPServerDisconnected: Connection unexpectedly closed", "could not be reached"),
        ("TimeoutError: timed out", "could not be reached"),
        ("SMTPAuthenticationError: (535, b'5.7.8 Error: authentication failed')", "sign-in"),
        ("SMTPRecipientsRefused: {'x@y': (550, b'No such user')}", "recipient's address"),
        ("SMTPSenderRefused: (553, b'5.7.1 Sender rejected', 'a@b')", "sender's address"),
        ("SMTPDataError: (554, b'Message rejected')", "refused the message"),
        ("ValueError: something else", "answered with an error"),
        (mail.CUT_OFF, "cut off"),
    ],
)
def test_a_failure_is_told_to_users_as_a_kind_of_problem(last_error, problem):
    with translation.override("en"):
        assert problem in OutgoingEmail(last_error=last_error).problem


def test_a_problem_is_told_in_the_readers_language():
    email = OutgoingEmail(last_error="ConnectionRefusedError: [Errno 111] Connection refused")
    with translation.override("ru"):
        assert email.problem == "почтовый сервер недоступен"
