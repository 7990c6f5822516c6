from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Personas are created with a password; argon2 is meant to be slow, these tests are not
    about passwords (test_password_is_hashed_with_argon2 puts the real one back)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
