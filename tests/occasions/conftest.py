"""Fixtures of the occasions tests."""

import email
import email.policy
import importlib
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation

from clientela.accounts.models import User


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assertions read English text: pages and service messages speak English here."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def default_greeting_templates(request: Any) -> None:
    """The default greeting templates, as the data migration installs them.

    A test run with `transaction=True` empties every table when it ends, so the tests after
    it would find no templates; they are installed again when missing. Modules that rely on
    them ask for this fixture with `pytestmark`.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    from clientela.occasions.models import GreetingTemplate

    if not GreetingTemplate.objects.exists():
        for migration in ("0002_greeting_templates", "0004_holiday_and_other_date_templates"):
            seed = importlib.import_module(f"clientela.occasions.migrations.{migration}")
            seed.add_templates(apps, None)
        dear = importlib.import_module("clientela.occasions.migrations.0007_templates_dear")
        dear.open_with_dear(apps, None)


# --- a real SMTP server -----------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[arg-type]
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_settings(settings: Any, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "greetings@firm.example"


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_settings(settings, port)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def sender(owner: User) -> User:
    owner.first_name, owner.last_name, owner.email = "Ірина", "Коваль", "iryna@firm.example"
    owner.save(update_fields=["first_name", "last_name", "email"])
    return owner
