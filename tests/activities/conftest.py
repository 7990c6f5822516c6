"""Fixtures for the activities tests: the sales pipeline, row counts to prove that a refused
write saved nothing, and a deal of the owner's contact."""

from collections.abc import Callable

import pytest

from clientela.accounts.models import User
from clientela.activities.models import Activity, Task
from clientela.contacts.models import Contact
from clientela.core.models import AuditEvent
from clientela.sales.models import Deal
from sales.conftest import Stages, other_stage, reason, sales  # noqa: F401
from sales.support import make_deal


def table_counts() -> dict[str, int]:
    """Rows in every table an activity or task write touches, trashed records included."""
    return {
        "Activity": Activity.all_objects.count(),
        "Task": Task.all_objects.count(),
        "AuditEvent": AuditEvent.objects.count(),
    }


@pytest.fixture
def counts() -> Callable[[], dict[str, int]]:
    return table_counts


@pytest.fixture
def deal(owner: User, contact: Contact, sales: Stages) -> Deal:  # noqa: F811
    return make_deal(owner, contact, title="Ремонт офісу")
