"""Time the occasions agenda against raw SQL reading the same index ranges, in one run.

Run bench/generate.py first on the same database, then:

    CLIENTELA_DATA_DIR=/tmp/clt-bench python bench/occasions.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clientela_bench python bench/occasions.py

The first run gives every generated contact a birthday occasion (from its birth day, with a
year) and every second one a name day, with two INSERT ... SELECT statements (--refill redoes
it). Each figure is the median (and 95th percentile) of --repeat runs after a warm-up, with
the number of SQL queries and the ratio to the hand-written SQL measured in this run: the same
mmdd ranges on the (owner, mmdd), (team, mmdd) or (mmdd) index, the client joined in.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientela.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from clientela.accounts.models import Role, User  # noqa: E402
from clientela.contacts.models import Contact  # noqa: E402
from clientela.occasions.agenda import _segments, agenda, agenda_window  # noqa: E402
from clientela.occasions.models import Occasion  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

BIRTHDAYS = """
INSERT INTO occasions_occasion
    (contact_id, owner_id, team_id, kind, month, day, mmdd, year, label, manual, created_at)
SELECT id, owner_id, team_id, 'birthday', birth_month, birth_day, birth_month * 100 + birth_day,
       1950 + id %% 50, '', %s, %s
FROM contacts_contact WHERE birth_month IS NOT NULL AND birth_day IS NOT NULL
"""
# Every second contact: a name day spread over the year (days 1-28 of each month).
# %% is a literal % for the driver (the statements take parameters).
NAME_DAYS = """
INSERT INTO occasions_occasion
    (contact_id, owner_id, team_id, kind, month, day, mmdd, year, label, manual, created_at)
SELECT id, owner_id, team_id, 'name_day', 1 + (id * 7) %% 12, 1 + (id * 13) %% 28,
       (1 + (id * 7) %% 12) * 100 + 1 + (id * 13) %% 28, NULL, 'св. Олена', %s, %s
FROM contacts_contact WHERE id %% 2 = 0
"""
RAW_SQL = """
SELECT o.id, o.kind, o.month, o.day, o.year, o.label, o.owner_id,
       c.id, c.first_name, c.middle_name, c.last_name, c.sort_name
FROM occasions_occasion o
LEFT JOIN contacts_contact c ON c.id = o.contact_id
WHERE {where} o.mmdd >= %s AND o.mmdd <= %s
ORDER BY o.mmdd, o.id
"""


HEAVY = 5000


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, float, int, Any]:
    result = fn()  # warm caches and connections
    if isinstance(result, list) and len(result) > HEAVY:
        repeat = min(repeat, 3)  # tens of thousands of rows: a few runs tell enough
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        fn()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, counter.count, result


def fill(refill: bool) -> None:
    if Occasion.objects.exists() and not refill:
        return
    began = time.perf_counter()
    with transaction.atomic():
        Occasion.objects.all().delete() if refill else None
        with connection.cursor() as cursor:
            now = timezone.now()
            cursor.execute(BIRTHDAYS, [False, now])
            cursor.execute(NAME_DAYS, [False, now])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"occasions written in {time.perf_counter() - began:.0f} s\n")


def raw(
    where: str, params: list[Any], today: date, days: int, limit: int | None = None
) -> Callable[[], Any]:
    ranges = [(low, high) for _year, low, high in _segments(today, today + timedelta(days=days))]
    sql = RAW_SQL.format(where=where) + (f" LIMIT {limit + 1}" if limit else "")

    def run() -> Any:
        rows: list[Any] = []
        with connection.cursor() as cursor:
            for low, high in ranges:
                cursor.execute(sql, [*params, low, high])
                rows += cursor.fetchall()
                if limit and len(rows) > limit:
                    break
        return rows

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--refill", action="store_true", help="rewrite the occasions first")
    args = parser.parse_args()
    fill(args.refill)

    admin = User.objects.get(username="bench_admin")
    lead = User.objects.filter(username__startswith="bench_lead", role=Role.LEAD).first()
    manager = User.objects.filter(username__startswith="bench_m", role=Role.MANAGER).first()
    assert lead is not None
    assert manager is not None
    year = timezone.localdate().year
    mid, year_end = date(year, 6, 10), date(year, 12, 28)
    print(
        f"{connection.vendor}, {Contact.objects.count():,} contacts, "
        f"{Occasion.objects.count():,} occasions, median / p95 of {args.repeat} runs\n"
    )
    who = [
        ("manager (mine)", manager, "mine", "o.owner_id = %s AND", [manager.pk]),
        ("lead (team)", lead, "team", "o.team_id = %s AND", [lead.team_id]),
        ("admin (all)", admin, "all", "", []),
    ]
    cases = []
    for label, user, scope, where, params in who:
        for today, days in ((mid, 7), (mid, 30), (year_end, 7), (year_end, 30)):
            name = f"{label}, {days} d from {today:%d %b}"
            cases.append(
                (
                    name,
                    lambda user=user, scope=scope, today=today, days=days: agenda(
                        user, days=days, scope=scope, today=today
                    ),
                    raw(where, params, today, days),
                )
            )
    for label, user, scope, where, params in who[1:]:
        # What the page reads: the first whole days, at most 300 occasions.
        name = f"{label}, 30 d, page's first 300"
        cases.append(
            (
                name,
                lambda user=user, scope=scope: (
                    agenda_window(user, days=30, scope=scope, today=mid, limit=300).items
                ),
                raw(where, params, mid, 30, limit=300),
            )
        )
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    if client.get("/occasions/").status_code == 200:
        today = timezone.localdate()
        cases.append(("page GET /occasions/ (manager)", lambda: client.get("/occasions/"),
                      raw("o.owner_id = %s AND", [manager.pk], today, 7)))  # fmt: skip
        cases.append(("page GET /occasions/?days=30", lambda: client.get("/occasions/?days=30"),
                      raw("o.owner_id = %s AND", [manager.pk], today, 30, limit=300)))  # fmt: skip
        lead_client = Client(raise_request_exception=False)
        lead_client.force_login(lead)
        cases.append(("page /occasions/?days=30&scope=team", lambda: lead_client.get("/occasions/?days=30&scope=team"),
                      raw("o.team_id = %s AND", [lead.team_id], today, 30, limit=300)))  # fmt: skip
        cases.append(("page GET / (dashboard, manager)", lambda: client.get("/"),
                      raw("o.owner_id = %s AND", [manager.pk], today, 7)))  # fmt: skip

    print(
        f"{'case':34} {'rows':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8} "
        f"{'raw ms':>8} {'ratio':>6}"
    )
    for name, fn, baseline in cases:
        median, p95, queries, result = measure(fn, args.repeat)
        raw_median, _, _, _ = measure(baseline, args.repeat)
        rows = f"{len(result):,}" if isinstance(result, list) else "page"
        print(
            f"{name:34} {rows:>7} {median:10.2f} {p95:8.2f} {queries:8d} {raw_median:8.2f} "
            f"{median / raw_median:6.1f}"
        )


if __name__ == "__main__":
    main()
