"""Helpers for the sales tests: deals and purchases made through the services, a JSON client.

A module rather than conftest fixtures so that tests can make many records in a loop; the
JSON client mirrors tests/api/api_support.py (not importable from here: tests/api is not a
package).
"""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.test import Client

from clientela.accounts.models import User
from clientela.accounts.services import api_token_create
from clientela.contacts.models import Company, Contact
from clientela.sales.models import Deal, Purchase
from clientela.sales.services import deal_create, purchase_create

BASE = "/api/v1"


def make_deal(actor: User, client: Contact | Company, /, **data: Any) -> Deal:
    field = "contact" if isinstance(client, Contact) else "company"
    data.setdefault("title", "Ремонт офісу")
    data.setdefault("value", Decimal("1500.00"))
    data.setdefault("currency", "UAH")
    return deal_create(actor=actor, data={field: client.pk, **data})


def make_purchase(
    actor: User, client: Contact | Company, day: datetime.date, /, **data: Any
) -> Purchase:
    field = "contact" if isinstance(client, Contact) else "company"
    data.setdefault("amount", Decimal("100.00"))
    return purchase_create(actor=actor, data={field: client.pk, "date": day, **data})


class ApiClient:
    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, body: Any) -> Any:
        return getattr(self.client, method)(
            BASE + path,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path: str, body: Any = None) -> Any:
        return self._send("post", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self._send("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(BASE + path, headers=self.headers)


def api_as(user: User) -> ApiClient:
    _token, raw = api_token_create(user=user, name="tests")
    return ApiClient(raw)


def error_fields(response: Any) -> dict[str | None, list[str]]:
    """{"field": [messages]} of an error answer, checking the one error shape on the way."""
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["detail"]
    return {e["field"]: e["messages"] for e in body["errors"]}
