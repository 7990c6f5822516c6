"""Fixtures for the complaint tests: the owner's contact with a deal and a purchase, and a
complaint of that contact recorded through the service."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.retention.complaints.models import Complaint
from clientela.retention.complaints.services import complaint_create
from clientela.sales.models import Deal, Purchase
from core.conftest import keep_signals, smtp, smtp_port  # noqa: F401
from sales.conftest import Stages, sales  # noqa: F401
from sales.support import make_deal, make_purchase


def make_complaint(actor: User, client: Contact | Company, /, **data: Any) -> Complaint:
    field = "contact" if isinstance(client, Contact) else "company"
    data.setdefault("channel", "phone")
    data.setdefault("category", "delivery")
    data.setdefault("description", "Замовлення привезли на тиждень пізніше.")
    return complaint_create(actor=actor, data={field: client.pk, **data})


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def deal(owner: User, contact: Contact, sales: Stages) -> Deal:  # noqa: F811
    return make_deal(owner, contact, title="Ремонт офісу")


@pytest.fixture
def purchase(owner: User, contact: Contact) -> Purchase:
    return make_purchase(owner, contact, timezone.localdate())


@pytest.fixture
def complaint(owner: User, contact: Contact) -> Complaint:
    return make_complaint(owner, contact, severity="high")
