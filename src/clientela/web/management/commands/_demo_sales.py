"""Demo pipelines, deals, purchases, calls, meetings, notes and tasks for `clientela demo`.

Made through the services like everything else in the demo, from the same fixed seed, and
placed relative to today: a client who buys every six weeks bought six weeks ago, the board
has deals in every stage, "My day" has overdue, today's and upcoming tasks, and one manager has
had a draining morning, so every page shows something real. The services stamp records with
the time they run; the history of the past (when a deal entered its stage, when a task was
added) is then dated back with plain updates, which only the demo does.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from clientela.accounts.models import Role, User
from clientela.activities.models import Task
from clientela.activities.services import activity_create, task_complete, task_create
from clientela.contacts.models import Company, Contact, Lifecycle
from clientela.occasions.models import Gesture, Occasion, OccasionKind
from clientela.occasions.services import occasions_refresh
from clientela.occasions.services_gestures import gesture_create
from clientela.sales.models import Deal, DealStageChange, LostReason, Pipeline, Stage, StageKind
from clientela.sales.services import (
    deal_create,
    deal_move_stage,
    lost_reason_create,
    pipeline_create,
    purchase_create,
    stage_create,
)

PIPELINES = [
    (
        "Продажі",
        [
            ("Новий запит", "open", 10),
            ("Кваліфікація", "open", 25),
            ("Пропозиція", "open", 50),
            ("Переговори", "open", 75),
            ("Виграно", "won", 100),
            ("Програно", "lost", 0),
        ],
    ),
    (
        "Сервісні контракти",
        [
            ("Заявка", "open", 20),
            ("Оцінка", "open", 40),
            ("Договір", "open", 80),
            ("Підписано", "won", 100),
            ("Відмова", "lost", 0),
        ],
    ),
]
LOST_REASONS = ["Дорого", "Обрали конкурента", "Немає бюджету", "Не на часі", "Не відповідає"]

DEAL_TITLES = {
    "uk": "Оснащення офісу|Річний контракт на обслуговування|Постачання обладнання|"
    "Корпоративні подарунки|Ремонт складу|Навчання персоналу|Оновлення серверної|"
    "Меблі для переговорної|Сезонне замовлення|Пілотний проєкт",
    "ru": "Оснащение офиса|Годовой сервисный контракт|Поставка оборудования|"
    "Корпоративные подарки|Ремонт склада|Обучение персонала|Сезонный заказ",
    "en": "Office fit-out|Annual service contract|Equipment supply|Corporate gifts|"
    "Warehouse refit|Staff training|Server room upgrade|Pilot project",
}
BOUGHT = {
    "uk": "Канцтовари|Картриджі|Кавомашина та кава|Офісні крісла|Сервісне обслуговування|"
    "Подарункові набори|Папір А4, 50 пачок|Ноутбуки",
    "ru": "Канцтовары|Картриджи|Кофе и обслуживание кофемашины|Офисные кресла|"
    "Подарочные наборы|Бумага А4",
    "en": "Stationery|Toner cartridges|Coffee service|Office chairs|Gift boxes|Laptops",
}
CALL_NOTES = {
    "uk": "Обговорили пропозицію|Домовились про зустріч|Уточнили терміни поставки|"
    "Клієнт незадоволений затримкою|Нагадали про оплату|Привітали з покупкою|"
    "Попросили передзвонити після обіду|Узгодили знижку",
    "ru": "Обсудили предложение|Договорились о встрече|Уточнили сроки поставки|"
    "Клиент недоволен задержкой|Напомнили об оплате",
    "en": "Discussed the offer|Agreed to meet|Checked delivery dates|"
    "Client unhappy about the delay|Reminder about the invoice",
}
TASKS = {
    "uk": "Надіслати комерційну пропозицію|Передзвонити щодо договору|Підготувати рахунок|"
    "Узгодити дату доставки|Надіслати каталог|Запросити на презентацію",
    "ru": "Отправить коммерческое предложение|Перезвонить по договору|Подготовить счёт|"
    "Согласовать дату доставки",
    "en": "Send the proposal|Call back about the contract|Prepare the invoice|"
    "Agree the delivery date|Send the catalogue",
}


def _choices(text: str) -> list[str]:
    return text.split("|")


@dataclass
class Client:
    record: Contact | Company
    owner: User
    language: str

    @property
    def key(self) -> dict[str, int]:
        field = "contact" if isinstance(self.record, Contact) else "company"
        return {field: self.record.pk}


class SalesDemo:
    """Adds the sales and activity demo data for the users and clients already created."""

    def __init__(self, rng: random.Random, users: dict[str, User]) -> None:
        self.rng = rng
        self.users = users
        self.admin = users["admin"]
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.sellers = [u for u in users.values() if u.role in (Role.LEAD, Role.MANAGER)]

    def run(self) -> dict[str, int]:
        stages = self.create_pipelines()
        clients = self.clients()
        purchases = self.create_purchases(clients)
        deals = self.create_deals(clients, stages)
        activities = self.create_activities(clients)
        tasks = self.create_tasks(clients)
        gestures = self.create_gestures()
        return {
            "gestures": gestures,
            "deals": deals,
            "purchases": purchases,
            "activities": activities,
            "tasks": tasks,
        }

    # -- helpers ------------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(hour, minute))
        return timezone.make_aware(moment)

    def working_days(self, back: int) -> list[datetime.date]:
        days = [self.today - datetime.timedelta(days=n) for n in range(1, back + 1)]
        return [d for d in days if d.weekday() < 5]

    def clients(self) -> list[Client]:
        people = Contact.objects.select_related("owner", "company").order_by("pk")
        firms = Company.objects.select_related("owner").order_by("pk")
        found = [Client(c, c.owner, c.language or "uk") for c in people]
        found += [Client(c, c.owner, _company_language(c)) for c in firms]
        return found

    # -- pipelines ----------------------------------------------------------------------------

    def create_pipelines(self) -> dict[str, list[Stage]]:
        for name in LOST_REASONS:
            lost_reason_create(actor=self.admin, name=name)
        made: dict[str, list[Stage]] = {}
        for name, stages in PIPELINES:
            pipeline = pipeline_create(actor=self.admin, name=name)
            made[name] = [
                stage_create(
                    actor=self.admin,
                    pipeline=pipeline,
                    name=stage_name,
                    kind=kind,
                    probability=probability,
                )
                for stage_name, kind, probability in stages
            ]
        return made

    # -- purchases ----------------------------------------------------------------------------

    def create_purchases(self, clients: list[Client]) -> int:
        """Two years of purchases: regular buyers, a few who stopped buying, one-off buyers."""
        buyers = [
            c
            for c in clients
            if isinstance(c.record, Company) or c.record.lifecycle == Lifecycle.CUSTOMER
        ]
        created = 0
        for client in buyers:
            if self.rng.random() < 0.4:
                continue
            every = self.rng.choice([21, 30, 45, 60, 90, 120])
            drifting = self.rng.random() < 0.25
            # The last purchase: within the rhythm, or (drifting: gone quiet) far past it.
            gap = (
                int(every * self.rng.uniform(3.0, 6.0)) if drifting else self.rng.randint(0, every)
            )
            day = self.today - datetime.timedelta(days=gap)
            dates: list[datetime.date] = []
            start = self.today - datetime.timedelta(days=730)
            while day > start and len(dates) < 12:
                dates.append(day)
                # People do not buy like clockwork: intervals vary around their rhythm.
                day -= datetime.timedelta(days=max(7, int(self.rng.gauss(every, every * 0.4))))
            if self.rng.random() < 0.15:
                dates = dates[:1]  # bought once
            base = Decimal(self.rng.choice([800, 1500, 3200, 7500, 12000, 25000]))
            currency = "UAH" if client.language != "en" else self.rng.choice(["EUR", "USD"])
            if currency != "UAH":
                base = (base / 40).quantize(Decimal("1"))
            for bought_on in reversed(dates):
                amount = (base * Decimal(str(round(self.rng.uniform(0.7, 1.4), 2)))).quantize(
                    Decimal("0.01")
                )
                purchase_create(
                    actor=client.owner,
                    data={
                        **client.key,
                        "date": bought_on,
                        "amount": amount,
                        "currency": currency,
                        "description": self.rng.choice(_choices(BOUGHT[client.language])),
                        "discount_percent": self.rng.choice([None, None, None, 1, 3, 5]),
                    },
                )
                created += 1
        return created

    # -- deals --------------------------------------------------------------------------------

    def create_deals(self, clients: list[Client], stages: dict[str, list[Stage]]) -> int:
        """Deals in every stage; the closed ones won or lost over the last months."""
        reasons = list(LostReason.objects.all())
        created = 0
        for pipeline_name, count in (("Продажі", 70), ("Сервісні контракти", 16)):
            pipeline_stages = stages[pipeline_name]
            pipeline = Pipeline.objects.get(pk=pipeline_stages[0].pipeline_id)
            for n in range(count):
                client = self.rng.choice(clients)
                target = pipeline_stages[n % len(pipeline_stages)]
                value = Decimal(self.rng.choice([5, 12, 18, 25, 40, 60, 95, 150])) * 1000
                currency = "UAH" if client.language != "en" else "EUR"
                if currency == "EUR":
                    value = (value / 45).quantize(Decimal("10"))
                close = self.today + datetime.timedelta(days=self.rng.randint(-10, 75))
                deal = deal_create(
                    actor=client.owner,
                    data={
                        **client.key,
                        "title": self.rng.choice(_choices(DEAL_TITLES[client.language])),
                        "value": value,
                        "currency": currency,
                        "expected_close": close,
                        "source": self.rng.choice(["Сайт", "Рекомендація", "Виставка", "Дзвінок"]),
                        "pipeline": pipeline.pk,
                    },
                )
                created += 1
                self.walk(deal, pipeline_stages, target, reasons)
        return created

    def walk(self, deal: Deal, stages: list[Stage], target: Stage, reasons: list[Any]) -> None:
        """Move `deal` stage by stage to `target`, then date the moves back over past weeks."""
        opened = [s for s in stages if s.kind == StageKind.OPEN]
        path = opened[: opened.index(target) + 1] if target.kind == StageKind.OPEN else opened
        path = path[: self.rng.randint(1, len(path))] if target.kind != StageKind.OPEN else path
        if target.kind != StageKind.OPEN:
            path = [*path, target]
        owner = deal.owner
        for stage in path[1:]:
            extra: dict[str, Any] = {}
            if stage.kind == StageKind.LOST:
                extra["lost_reason"] = self.rng.choice(reasons)
            elif stage.kind == StageKind.WON:
                extra["purchase"] = {"description": deal.title, "date": self.today}
            deal = deal_move_stage(deal=deal, stage=stage, actor=owner, **extra)
        # Date the history back: created some weeks ago, each stage a few days to weeks long.
        moves = list(DealStageChange.objects.filter(deal=deal).order_by("at", "pk"))
        days_back = sum(self.rng.randint(3, 20) for _ in range(len(moves) + 1))
        moment = self.now - datetime.timedelta(days=days_back, hours=self.rng.randint(0, 8))
        Deal.objects.filter(pk=deal.pk).update(created_at=moment, stage_changed_at=moment)
        for move in moves:
            moment += datetime.timedelta(days=self.rng.randint(3, 20), hours=self.rng.randint(0, 8))
            moment = min(moment, self.now - datetime.timedelta(hours=1))
            DealStageChange.objects.filter(pk=move.pk).update(at=moment)
            Deal.objects.filter(pk=deal.pk).update(stage_changed_at=moment)
        if target.kind != StageKind.OPEN:
            Deal.objects.filter(pk=deal.pk).update(closed_at=moment)
            deal.purchases.update(date=moment.date())
            # An UPDATE sends no signal: the client's anniversary (its first purchase) is
            # computed again here, or it would stay on the day the purchase was first saved.
            for client in (deal.contact, deal.company):
                if client is not None:
                    occasions_refresh(client, kinds=[OccasionKind.ANNIVERSARY])

    # -- calls, meetings, emails, notes ------------------------------------------------------

    def create_activities(self, clients: list[Client]) -> int:
        by_owner: dict[int, list[Client]] = {}
        for client in clients:
            by_owner.setdefault(client.owner.pk, []).append(client)
        created = 0
        for user in self.sellers:
            mine = by_owner.get(user.pk)
            if not mine:
                continue
            for day in self.working_days(42):
                for _ in range(self.rng.choice([1, 2, 3, 3, 4, 5, 6])):
                    created += self.call(user, self.rng.choice(mine), day)
                if self.rng.random() < 0.3:
                    created += self.other_activity(user, self.rng.choice(mine), day)
        # Today: a heavy morning for one manager (three draining calls before 11:00), a normal
        # one for another, so the workload page has both to show.
        today = [("andrii", [(9, 5), (9, 40), (10, 20)], 5), ("iryna", [(9, 15), (11, 15)], 2)]
        for username, times, draining in today:
            user = self.users[username]
            for hour, minute in times:
                moment = self.at(self.today, hour, minute)
                if moment < self.now and by_owner.get(user.pk):
                    client = self.rng.choice(by_owner[user.pk])
                    created += self.call(user, client, self.today, moment=moment, draining=draining)
        return created

    def call(
        self,
        user: User,
        client: Client,
        day: datetime.date,
        *,
        moment: datetime.datetime | None = None,
        draining: int | None = None,
    ) -> int:
        moment = moment or self.at(day, self.rng.randint(9, 17), self.rng.randint(0, 59))
        talked = draining is not None or self.rng.random() < 0.75
        data: dict[str, Any] = {
            "kind": "call",
            **client.key,
            "user": user.pk,
            "started_at": moment,
            "direction": self.rng.choice(["out", "out", "in"]),
            "outcome": "talked" if talked else self.rng.choice(["no_answer", "busy", "voicemail"]),
        }
        if talked:
            data |= {
                "duration": self.rng.randint(60, 1500),
                "mood": self.rng.choices([1, 2, 3, 4, 5], [1, 2, 5, 6, 3])[0],
                "draining": draining or self.rng.choices([1, 2, 3, 4, 5], [4, 6, 5, 2, 1])[0],
                "body": self.rng.choice(_choices(CALL_NOTES[client.language])),
            }
        activity_create(actor=user, data=data)
        return 1

    def other_activity(self, user: User, client: Client, day: datetime.date) -> int:
        kind = self.rng.choice(["meeting", "email", "note"])
        start = self.at(day, self.rng.randint(9, 16))
        data: dict[str, Any] = {"kind": kind, **client.key, "user": user.pk, "started_at": start}
        if kind == "meeting":
            data |= {
                "ended_at": start + datetime.timedelta(minutes=self.rng.choice([30, 60, 90])),
                "place": self.rng.choice(["Офіс клієнта", "Наш офіс", "Zoom"]),
                "subject": self.rng.choice(_choices(CALL_NOTES[client.language])),
            }
        elif kind == "email":
            email = getattr(client.record, "primary_email", "") or ""
            data |= {
                "direction": "out",
                "email_address": email,
                "subject": self.rng.choice(_choices(TASKS[client.language])),
            }
        else:
            data |= {"body": self.rng.choice(_choices(CALL_NOTES[client.language]))}
        activity_create(actor=user, data=data)
        return 1

    # -- gestures -----------------------------------------------------------------------------

    def create_gestures(self) -> int:
        return _gestures(self)

    # -- tasks --------------------------------------------------------------------------------

    def create_tasks(self, clients: list[Client]) -> int:
        created = 0
        for client in self.rng.sample(clients, 90):
            owner = client.owner
            due = self.today + datetime.timedelta(
                days=self.rng.choice([-4, -2, -1, 0, 0, 0, 1, 2, 3, 5, 8])
            )
            hour = self.rng.choice([None, 10, 12, 15, 17])
            task = task_create(
                actor=owner,
                data={
                    **client.key,
                    "title": self.rng.choice(_choices(TASKS[client.language])),
                    "due_date": due,
                    "due_time": datetime.time(hour, 0) if hour else None,
                    "urgent": self.rng.random() < 0.15,
                },
            )
            created += 1
            if due < self.today and self.rng.random() < 0.4:
                task_complete(actor=owner, task=task)
            Task.objects.filter(pk=task.pk).update(
                created_at=self.now - datetime.timedelta(days=self.rng.randint(1, 14))
            )
        return created


def _company_language(company: Company) -> str:
    first = company.contacts.values_list("language", flat=True).first()
    return first or "uk"


GESTURES = [
    # kind, cost in UAH, how often
    ("postcard", Decimal("60"), 5),
    ("flowers", Decimal("850"), 2),
    ("gift", Decimal("1500"), 1),
    ("voucher", Decimal("0"), 2),
    ("call", Decimal("0"), 4),
    ("email", Decimal("0"), 3),
]
RESPONSES = ["thanked", "pleased", "bought", "neutral", "", ""]


def _gestures(demo: "SalesDemo") -> int:
    """Gestures for the clients' birthdays and name days of the past months, with their cost."""
    kinds = [kind for kind, _cost, weight in GESTURES for _ in range(weight)]
    costs = {kind: cost for kind, cost, _weight in GESTURES}
    occasions = list(
        Occasion.objects.filter(contact__isnull=False, kind__in=["birthday", "name_day"])
        .select_related("contact", "owner")
        .order_by("pk")
    )
    created = 0
    for occasion in demo.rng.sample(occasions, min(80, len(occasions))):
        kind = demo.rng.choice(kinds)
        day = datetime.date(demo.today.year, occasion.month, min(occasion.day, 28))
        if day > demo.today:
            day = day.replace(year=day.year - 1)
        owner = occasion.owner
        gesture_create(
            actor=owner,
            data={
                "occasion": occasion.pk,
                "kind": kind,
                "date": day,
                "cost": costs[kind],
                "currency": "UAH",
                "status": Gesture.Status.DONE,
                "response": demo.rng.choice(RESPONSES),
            },
        )
        created += 1
    return created
