"""Time the contact list and search against raw SQL doing the same work, in one run.

Run bench/generate.py first on the same database, then:

    CLIENTELA_DATA_DIR=/tmp/clt-bench python bench/contacts.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clientela_bench python bench/contacts.py

Each figure is the median (and 95th percentile) of --repeat runs after a warm-up, with the
number of SQL queries and the ratio to the hand-written SQL baseline measured in this run.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientela.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from clientela.accounts.models import Role, User  # noqa: E402
from clientela.contacts.models import Contact, Tag  # noqa: E402
from clientela.contacts.selectors import (  # noqa: E402
    CONTACT_SORTS,
    contact_list,
    list_filters_clean,
    search_everything,
)

settings.ALLOWED_HOSTS = ["*"]
# Pages are measured without collectstatic: plain static storage, as in development.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class QueryCounter:
    """Counts statements sent to the database, across connections closed by a request's end."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    fn()  # warm caches and connections
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
    return statistics.median(times), p95, counter.count


def raw(sql: str, params: list[Any]) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def page(user: User, params: dict[str, str], walk: int = 0) -> Callable[[], Any]:
    filters = list_filters_clean(user, params, sorts=CONTACT_SORTS)
    cursor = None
    for _ in range(walk):
        cursor = contact_list(user, filters, cursor=cursor).next_cursor
    # Filters are parsed on every call, as each request parses them (with any plan they choose).
    return lambda: (
        contact_list(
            user, list_filters_clean(user, params, sorts=CONTACT_SORTS), cursor=cursor
        ).items
    )


LIST_SQL = """
SELECT c.id, c.first_name, c.middle_name, c.last_name, c.sort_name, c.lifecycle, c.primary_phone,
       c.primary_email, c.job_title, c.created_at, c.updated_at, c.owner_id, c.company_id,
       u.first_name, u.last_name, u.username, co.name
FROM contacts_contact c
JOIN accounts_user u ON u.id = c.owner_id
LEFT JOIN contacts_company co ON co.id = c.company_id
WHERE c.deleted_at IS NULL {where}
ORDER BY c.sort_name, c.id LIMIT 51
"""
SEARCH_SQL = """
SELECT t.contact_id FROM contacts_contactsearchterm t
WHERE t.term >= %s AND t.term < %s AND EXISTS (
    SELECT 1 FROM contacts_contact c WHERE c.id = t.contact_id AND c.deleted_at IS NULL {where})
ORDER BY t.term, t.contact_id LIMIT 60
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    admin = User.objects.get(username="bench_admin")
    lead = User.objects.filter(username__startswith="bench_lead", role=Role.LEAD).first()
    manager = User.objects.filter(username__startswith="bench_m", role=Role.MANAGER).first()
    assert lead is not None
    assert manager is not None
    tag = Tag.objects.get(name="VIP")
    n = Contact.objects.count()
    print(f"{connection.vendor}, {n:,} contacts, median / p95 of {args.repeat} runs\n")
    owner_in = f"AND c.team_id = {lead.team_id}"
    cases = [
        ("list, admin, by name", page(admin, {}), raw(LIST_SQL.format(where=""), [])),
        ("list, manager (own)", page(manager, {}),
         raw(LIST_SQL.format(where="AND c.owner_id = %s"), [manager.pk])),
        ("list, lead (team)", page(lead, {}), raw(LIST_SQL.format(where=owner_in), [])),
        ("list, admin, stage=customer", page(admin, {"lifecycle": "customer"}),
         raw(LIST_SQL.format(where="AND c.lifecycle = 'customer'"), [])),
        ("list, admin, tag=VIP", page(admin, {"tag": "VIP"}),
         raw(LIST_SQL.format(where="AND EXISTS (SELECT 1 FROM contacts_contacttag t WHERE t.contact_id = c.id AND t.tag_id = %s)"), [tag.pk])),
        ("list, admin, newest first", page(admin, {"sort": "-created"}),
         raw(LIST_SQL.format(where="").replace("c.sort_name, c.id", "c.created_at DESC, c.id DESC"), [])),
        ("list, admin, page 21", page(admin, {}, walk=20),
         raw(LIST_SQL.format(where="").replace("LIMIT 51", "LIMIT 51 OFFSET 1000"), [])),
        ("list, admin, q=olena (name order)", page(admin, {"q": "olena"}),
         raw(LIST_SQL.format(where="AND c.id IN (SELECT contact_id FROM contacts_contactsearchterm WHERE term >= 'olena' AND term < 'olenb')"), [])),
        ("search 'olena', admin", lambda: search_everything(admin, "olena"),
         raw(SEARCH_SQL.format(where=""), ["olena", "olenb"])),
        ("search 'shev', lead", lambda: search_everything(lead, "shev"),
         raw(SEARCH_SQL.format(where=owner_in), ["sev", "sew"])),
        ("search phone, manager", lambda: search_everything(manager, "099 000 00 05"),
         raw(SEARCH_SQL.format(where="AND c.owner_id = %s"), ["0990000005", "0990000006", manager.pk])),
        # The last digits of a number: a prefix scan of the phones' backwards terms.
        ("search last digits '4321', admin", lambda: search_everything(admin, "4321"),
         raw(SEARCH_SQL.format(where=""), ["qq1234", "qq1235"])),
    ]  # fmt: skip
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    if client.get("/contacts/").status_code == 200:
        cases.append(
            (
                "page GET /contacts/ (HTML)",
                lambda: client.get("/contacts/"),
                raw(LIST_SQL.format(where=""), []),
            )
        )
        cases.append(("page GET /search/?q=olena", lambda: client.get("/search/", {"q": "olena"}),
                      raw(SEARCH_SQL.format(where=""), ["olena", "olenb"])))  # fmt: skip
    if client.get("/api/v1/contacts").status_code == 200:
        cases.append(
            (
                "API GET /api/v1/contacts",
                lambda: client.get("/api/v1/contacts"),
                raw(LIST_SQL.format(where=""), []),
            )
        )

    print(f"{'case':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'raw ms':>8} {'ratio':>6}")
    for name, fn, baseline in cases:
        median, p95, queries = measure(fn, args.repeat)
        raw_median, _, _ = measure(baseline, args.repeat)
        print(
            f"{name:34} {median:10.2f} {p95:8.2f} {queries:8d} {raw_median:8.2f} {median / raw_median:6.1f}"
        )


if __name__ == "__main__":
    main()
