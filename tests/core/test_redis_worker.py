"""The same jobs on real Redis workers (CLIENTELA_TASK_BACKEND=redis).

Needs Redis on 127.0.0.1:6379 (bin/test starts it under CI=true). Without it the tests are
skipped on a developer's machine and fail in CI, where nothing may be skipped.
"""

import datetime
import os
import socket
from typing import Any

import pytest
from django.core.management import call_command

from clientela.core.mail import queue_email
from clientela.core.models import OutgoingEmail

REDIS_DB_URL = "redis://127.0.0.1:6379/13"  # a database of its own, emptied by the tests


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


if not redis_answers() and os.environ.get("CI") != "true":
    pytest.skip("Redis is not running on 127.0.0.1:6379", allow_module_level=True)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("keep_signals")]


@pytest.fixture
def redis_backend() -> Any:
    import redis
    from django.test import override_settings

    connection = redis.Redis.from_url(REDIS_DB_URL)
    connection.flushdb()
    redis_settings = override_settings(
        TASK_BACKEND="redis",
        RQ_QUEUES={"default": {"URL": REDIS_DB_URL, "DEFAULT_TIMEOUT": 60}},
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
    )
    with redis_settings:
        _restore_task_modules()
        yield connection
    connection.flushdb()
    _restore_task_modules()


def _restore_task_modules() -> None:
    """Make the task backends and the tasks anew for the current TASKS setting.

    Django's own task handler keeps the backends it made (nothing resets it when a test
    changes TASKS), so it would go on handing out the Redis backend, whose tasks are those of
    the django-tasks backport that django-tasks-rq is built on; the database backend takes
    only Django's own. Forget the backends, then make the task modules' tasks anew.
    """
    import importlib

    from asgiref.local import Local
    from django.tasks import task_backends

    import clientela.activities.tasks
    import clientela.core.tasks

    task_backends._settings = task_backends.settings = task_backends.configure_settings(None)  # type: ignore[attr-defined]
    task_backends._connections = Local()  # type: ignore[attr-defined]
    for module in (clientela.core.tasks, clientela.activities.tasks):
        importlib.reload(module)


def test_redis_is_there_in_ci():
    assert redis_answers(), "Redis must run on 127.0.0.1:6379"


def test_email_is_sent_once_through_a_redis_worker(redis_backend, smtp):
    email = queue_email(to="olena@example.com", subject="Вітаємо", body="Зі святом!", language="uk")
    assert redis_backend.llen("rq:queue:default") == 1

    call_command("worker", "--batch")
    call_command("worker", "--batch")

    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Subject"] == "Вітаємо"
    assert smtp.messages[0]["Content-Language"] == "uk"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1


def test_a_failed_send_is_retried_through_the_redis_scheduler(redis_backend, smtp_port):
    email = queue_email(to="a@example.com", subject="Hi", body="Body")
    call_command("worker", "--batch")
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    # the retry waits in Redis' scheduled jobs until its time
    assert redis_backend.zcard("rq:scheduled:default") == 1


def test_reminders_task_runs_on_a_redis_worker(redis_backend, owner):
    from clientela.activities.models import Task, TaskOrigin
    from clientela.activities.tasks import create_reminders_task
    from clientela.occasions.models import Occasion
    from conftest import make_contact

    today = datetime.date.today()
    ahead = today + datetime.timedelta(days=3)
    client = make_contact(owner)
    Occasion.objects.create(
        contact=client,
        owner=owner,
        team=owner.team,
        kind="birthday",
        month=ahead.month,
        day=ahead.day,
    )
    result = create_reminders_task.enqueue(today.isoformat())
    call_command("worker", "--batch")
    assert Task.objects.filter(origin=TaskOrigin.REMINDER, contact=client).count() == 1
    assert create_reminders_task.get_result(result.id).status == "SUCCESSFUL"
