"""Fixtures of the client health tests: the CDNOW sample imported once per test module."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from clientela.accounts.models import Role, User
from clientela.accounts.services import team_create, user_create
from clientela.contacts.services import contact_create
from clientela.sales.services.purchases import purchase_create

CDNOW = Path(__file__).parent / "data" / "CDNOW_sample.txt"
CALIBRATION_END = datetime.date(1997, 9, 30)


@dataclass(frozen=True)
class CdnowImport:
    actor: User
    contacts: dict[int, int]  # sample id → contact id
    purchases: int
    seconds: float


def read_cdnow() -> list[tuple[int, datetime.date, str]]:
    rows = []
    for line in CDNOW.read_text().splitlines():
        _original, sample_id, day, _cds, dollars = line.split()
        rows.append((int(sample_id), datetime.datetime.strptime(day, "%Y%m%d").date(), dollars))
    return rows


def import_cdnow(actor: User) -> CdnowImport:
    """Every client as a contact and every line as a purchase, through the services.

    One transaction per 500 purchases (the services nest inside it), one actor throughout.
    """
    import time

    started = time.perf_counter()
    rows = read_cdnow()
    contacts: dict[int, int] = {}
    with transaction.atomic():
        for sample_id in sorted({row[0] for row in rows}):
            contact = contact_create(
                actor=actor,
                data={
                    "first_name": "CDNOW",
                    "last_name": f"{sample_id:04d}",
                    "lifecycle": "customer",
                },
                allow_duplicate=True,
            )
            contacts[sample_id] = contact.pk
    for start in range(0, len(rows), 500):
        with transaction.atomic():
            for sample_id, day, dollars in rows[start : start + 500]:
                purchase_create(
                    actor=actor,
                    data={
                        "contact": contacts[sample_id],
                        "date": day.isoformat(),
                        "amount": dollars,
                        "currency": "USD",
                    },
                )
    return CdnowImport(actor, contacts, len(rows), time.perf_counter() - started)


@pytest.fixture(scope="module")
def cdnow(django_db_setup: Any, django_db_blocker: Any) -> Iterator[CdnowImport]:
    """The CDNOW sample in the test database for the whole module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        team = team_create(name="CDNOW")
        actor = user_create(
            username="cdnow", password="x-cdnow-importer-x", role=Role.MANAGER, team=team
        )
        yield import_cdnow(actor)
        transaction.set_rollback(True)
