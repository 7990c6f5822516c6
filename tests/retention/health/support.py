"""Helpers of the client health tests: purchase histories written through the services."""

import datetime
from typing import Any

from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.retention.health.models import HealthSettings
from clientela.sales.services.purchases import purchase_create
from conftest import make_contact


def buy(
    actor: User,
    contact: Contact,
    days_ago: list[int],
    amount: str = "100.00",
    currency: str = "UAH",
) -> None:
    today = timezone.localdate()
    for ago in days_ago:
        purchase_create(
            actor=actor,
            data={
                "contact": contact.pk,
                "date": (today - datetime.timedelta(days=ago)).isoformat(),
                "amount": amount,
                "currency": currency,
            },
        )


def small_firm(owner: User, **names: Any) -> dict[str, Contact]:
    """Twelve clients: eight buying steadily every ~30 days, two who stopped 300 days ago after
    buying often (big spenders), one who stopped a while ago, one one-time buyer."""
    config = HealthSettings.current()
    config.min_repeat_buyers = 5
    config.save()
    clients: dict[str, Contact] = {}
    for i in range(8):
        clients[f"steady{i}"] = make_contact(owner, first_name=f"Steady{i}", lifecycle="customer")
        step = 20 + 6 * i  # each at a rhythm of their own
        buy(owner, clients[f"steady{i}"], list(range(5 + i, 400, step)))
    clients["gone_big"] = make_contact(owner, first_name="GoneBig", lifecycle="customer")
    buy(
        owner,
        clients["gone_big"],
        [700, 680, 660, 640, 620, 600, 580, 560, 540, 520, 500, 480, 460],
        "900.00",
    )
    clients["gone_small"] = make_contact(owner, first_name="GoneSmall", lifecycle="customer")
    buy(
        owner,
        clients["gone_small"],
        [700, 680, 660, 640, 620, 600, 580, 560, 540, 520, 500, 480, 460],
        "20.00",
    )
    clients["drifting"] = make_contact(owner, first_name="Drifting", lifecycle="customer")
    buy(owner, clients["drifting"], [500, 470, 440, 410, 380, 350], "150.00")
    clients["once"] = make_contact(owner, first_name="Once", lifecycle="customer")
    buy(owner, clients["once"], [60])
    return clients
