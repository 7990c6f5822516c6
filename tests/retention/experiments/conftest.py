from typing import Any

import pytest


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    # Assertions read English text.
    settings.LANGUAGE_CODE = "en"
