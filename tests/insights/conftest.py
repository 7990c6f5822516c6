"""Fixtures for the workload and handover tests: the sales pipeline (for deals), English pages."""

from typing import Any

import pytest

from sales.conftest import Stages, reason, sales  # noqa: F401


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    # Assertions read English text.
    settings.LANGUAGE_CODE = "en"
