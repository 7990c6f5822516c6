"""Fixtures and helpers for the tests of the My day, task and activity pages.

Import the fixtures a test module uses by name (`from activities.page_support import ...`).
"""

import datetime
from typing import Any

import pytest
from django.utils import timezone

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]


@pytest.fixture(autouse=True)
def english_pages(settings: Any) -> None:
    # Assertions read English text.
    settings.LANGUAGE_CODE = "en"


def local_input(moment: datetime.datetime) -> str:
    """A moment as a datetime-local input sends it, in the page's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def call_input(**overrides: Any) -> dict[str, Any]:
    """The POST body of the call form, as a person fills it in."""
    data: dict[str, Any] = {
        "direction": "out",
        "started_at": local_input(timezone.now() - datetime.timedelta(minutes=10)),
        "duration": "5",
        "duration_seconds": "",
        "outcome": "talked",
        "mood": "4",
        "draining": "2",
        "subject": "Про знижку",
        "body": "Домовились про зустріч.",
        "follow_up_title": "",
        "follow_up_date": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def task_input(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Надіслати пропозицію",
        "due_date": timezone.localdate().isoformat(),
        "due_time": "",
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
