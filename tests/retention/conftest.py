"""Fixtures of every retention test."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assertions read English text: pages and service messages speak English here (a test
    of another language says so with translation.override or the user's language)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
