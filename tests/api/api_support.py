"""Helpers for the API tests: a JSON client with a persona's token or session.

Plain functions rather than fixtures in a conftest.py: tests/api has no __init__.py, and a
conftest.py here would shadow tests/conftest.py for every `from conftest import ...`.
"""

import json
from typing import Any

from django.test import Client

from clientela.accounts.models import User
from clientela.accounts.services import api_token_create

BASE = "/api/v1"


class ApiClient:
    """A Django test client that sends JSON, and a bearer token when given one."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: Any) -> Any:
        return self.client.get(BASE + path, params or {}, headers={**self.headers, **headers})

    def _send(self, method: str, path: str, body: Any, headers: dict[str, Any]) -> Any:
        content = "" if body is None else body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(
            BASE + path,
            data=content,
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def post(self, path: str, body: Any = None, **headers: Any) -> Any:
        return self._send("post", path, body, headers)

    def patch(self, path: str, body: Any = None, **headers: Any) -> Any:
        return self._send("patch", path, body, headers)

    def delete(self, path: str, **headers: Any) -> Any:
        return self.client.delete(BASE + path, headers={**self.headers, **headers})


def api_as(user: User) -> ApiClient:
    """A client for `user` with a fresh personal token."""
    _token, raw = api_token_create(user=user, name="tests")
    return ApiClient(raw)


def session_api(user: User, *, enforce_csrf: bool = False) -> ApiClient:
    """A client for `user` signed in through the browser session."""
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return ApiClient(client=client)


def error_fields(response: Any) -> dict[str | None, list[str]]:
    """{"field": [messages]} of an error answer, checking the one error shape on the way."""
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    for error in body["errors"]:
        assert set(error) == {"field", "messages"}
        assert error["messages"]
        assert all(isinstance(m, str) and m for m in error["messages"])
    return {e["field"]: e["messages"] for e in body["errors"]}
