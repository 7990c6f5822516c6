"""Demo complaints for `clientela demo`: about 25, in every state, a few overdue (one of
them escalated by the first tick of the worker), a few compensated with a voucher.

Called by the demo command after the sales demo, with its random generator and users, like
`SalesDemo(rng, users).run()`: `complaints_demo(rng, users)` returns how many it made.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from clientela.accounts.models import Role, User
from clientela.contacts.models import Contact
from clientela.retention.complaints.models import ComplaintChannel, Severity
from clientela.retention.complaints.services import (
    complaint_close,
    complaint_compensation_record,
    complaint_create,
    complaint_reopen,
    complaint_resolve,
    complaint_start,
)

# What clients complain about, by category, in each client's language.
COMPLAINTS: dict[str, dict[str, list[str]]] = {
    "delivery": {
        "uk": [
            "Замовлення привезли на тиждень пізніше обіцяного.",
            "Кур'єр залишив коробки під дверима й не попередив.",
        ],
        "ru": ["Заказ пришёл неполным: нет двух кресел.", "Доставку переносили трижды."],
        "en": ["The delivery came a week late.", "Two chairs were missing from the order."],
    },
    "product": {
        "uk": [
            "Кавомашина зламалась через місяць після покупки.",
            "Картриджі не підійшли до принтера, хоча менеджер запевняв.",
        ],
        "ru": ["Кофемашина сломалась через месяц.", "Картриджи не подошли к принтеру."],
        "en": [
            "The laptops arrived with a foreign keyboard layout.",
            "The coffee machine broke after a month.",
        ],
    },
    "billing": {
        "uk": ["Рахунок виставлено двічі за одну поставку."],
        "ru": ["В счёте неверные реквизиты."],
        "en": ["We were invoiced twice for one delivery."],
    },
    "service": {
        "uk": ["Не можемо додзвонитися до менеджера третій день."],
        "ru": ["Третий день не можем дозвониться до менеджера."],
        "en": ["Nobody answered our email about the warranty."],
    },
    "staff": {
        "uk": ["Кур'єр був неввічливий."],
        "ru": ["Курьер был груб."],
        "en": ["The courier was rude."],
    },
}
RESOLUTIONS = [
    "Вибачились, доставили відсутнє наступного дня.",
    "Замінили товар, сплатили доставку.",
    "Скасували зайвий рахунок, надіслали акт звірки.",
    "Поговорили з клієнтом, надали знижку на наступне замовлення.",
]
# (status, severity, hours since received) of each demo complaint, so every state shows.
PLAN = [
    ("new", "critical", 7),  # overdue
    ("new", "high", 2),
    ("new", "normal", 30),
    ("new", "low", 5),
    ("new", "high", 40),  # overdue
    ("in_progress", "critical", 2),
    ("in_progress", "high", 30),  # overdue
    ("in_progress", "normal", 80),  # overdue
    ("in_progress", "normal", 10),
    ("in_progress", "low", 24),
    ("in_progress", "high", 6),
    ("resolved", "high", 50),
    ("resolved", "normal", 100),
    ("resolved", "critical", 20),
    ("resolved", "low", 200),
    ("closed", "normal", 300),
    ("closed", "high", 400),
    ("closed", "low", 500),
    ("closed", "normal", 700),
    ("closed", "critical", 900),
    ("closed", "normal", 1200),
    ("reopened", "high", 150),
    ("reopened", "normal", 250),
    ("new", "normal", 1),
    ("in_progress", "critical", 1),
]


def complaints_demo(rng: random.Random, users: dict[str, User]) -> int:
    """Make the demo complaints through the services; the number made."""
    contacts = list(
        Contact.objects.select_related("owner").filter(owner__role=Role.MANAGER).order_by("id")
    )
    if not contacts:
        return 0
    now = timezone.now()
    made = 0
    for n, (status, severity, hours) in enumerate(PLAN):
        contact = rng.choice(contacts)
        actor = contact.owner
        category = list(COMPLAINTS)[n % len(COMPLAINTS)]
        texts = COMPLAINTS[category]
        language = contact.language if contact.language in texts else "uk"
        complaint = complaint_create(
            actor=actor,
            data={
                "contact": contact.pk,
                "channel": rng.choice(ComplaintChannel.values),
                "category": category,
                "severity": Severity(severity),
                "description": rng.choice(texts[language]),
                "received_at": now - datetime.timedelta(hours=hours),
            },
        )
        made += 1
        if status == "new":
            continue
        complaint_start(actor=actor, complaint=complaint)
        if status == "in_progress":
            continue
        if n % 3 == 0:
            complaint_compensation_record(
                actor=actor,
                complaint=complaint,
                data={"cost": str(Decimal(rng.choice([200, 300, 500]))), "currency": "UAH"},
            )
        complaint_resolve(actor=actor, complaint=complaint, resolution=rng.choice(RESOLUTIONS))
        if status == "closed":
            complaint_close(actor=actor, complaint=complaint)
        elif status == "reopened":
            complaint_reopen(
                actor=actor, complaint=complaint, reason="Клієнт каже, що проблема повторилась."
            )
    return made
