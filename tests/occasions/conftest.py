"""Fixtures of the occasions tests."""

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


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
        seed = importlib.import_module("clientela.occasions.migrations.0002_greeting_templates")
        seed.add_templates(apps, None)
