"""Time the client health nightly job (health_recompute) end to end on a database, in one run.

    CLIENTELA_DATA_DIR=/tmp/clt-bench-health python bench/health_job.py --contacts 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clt_bench_health \
        python bench/health_job.py --contacts 20000

An empty database is migrated (a missing PostgreSQL database is created first) and filled:
--contacts contacts by bench/generate.py, then, when there are no purchases, every contact's
purchases over the last 2 years drawn from BG/NBD and Gamma-Gamma with CDNOW-like parameters
(numpy, fixed seed; first purchase 52–104 weeks ago, amounts in UAH). The first call of the
job writes every client's health (inserts); the nightly figure is the best of --repeat later
calls (updates). The ratio is to a raw baseline measured in the same run: one SQL read of the
purchase rows the job needs (cursor.fetchall, no ORM). Queries are counted on one extra call.
--profile adds where the time of one call goes (cProfile, by cumulative time).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent / "src"), str(BENCH)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientela.settings")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from generate import ensure_postgres_database, generate  # noqa: E402  (bench/generate.py; sets Django up)

from clientela.contacts.models import Contact  # noqa: E402
from clientela.retention.health.fitting import bgnbd, gammagamma  # noqa: E402
from clientela.retention.health.models import ClientHealth  # noqa: E402
from clientela.retention.health.services import RecomputeResult, health_recompute  # noqa: E402
from clientela.sales.models import Purchase  # noqa: E402

# CDNOW (Fader, Hardie & Lee 2005): purchase rhythm, and spend per purchase in dollars.
RHYTHM = bgnbd.BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
VALUE = gammagamma.GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
UAH_PER_DOLLAR = 40  # Gamma-Gamma is scale-free: the same clients with γ / 40
WEEKS = (52.0, 104.0)  # since the first purchase
BATCH = 5000

RAW_READ = """
SELECT p.contact_id, p.date, p.amount, p.currency
FROM sales_purchase p JOIN contacts_contact c ON c.id = p.contact_id
WHERE p.deleted_at IS NULL AND c.deleted_at IS NULL AND p.date <= %s
"""


def purchase_days(n: int, today: date, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(client index, day ordinal, amount) of every purchase of `n` clients, BG/NBD rhythm.

    Like fitting.simulate.simulate, but keeping each purchase's day and amount: the first
    purchase T weeks ago, then exponential gaps at the client's rate λ ~ Gamma(r, α) until
    they drop out (probability p ~ Beta(a, b) after each repeat purchase) or reach today.
    Each amount ~ Gamma(p, ν), ν ~ Gamma(q, γ) per client.
    """
    rng = np.random.default_rng(seed)
    T = np.floor(rng.uniform(WEEKS[0], WEEKS[1], n) * 7.0) / 7.0
    lam = rng.gamma(RHYTHM.r, 1.0 / RHYTHM.alpha, n)
    drop = rng.beta(RHYTHM.a, RHYTHM.b, n)
    first = today.toordinal() - np.rint(T * 7.0).astype(np.int64)
    clients, days = [np.arange(n)], [first]
    clock = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        clock[idx] += rng.exponential(1.0 / lam[idx])
        bought = clock[idx] <= T[idx]
        active[idx[~bought]] = False
        buyers = idx[bought]
        clients.append(buyers)
        days.append(first[buyers] + np.floor(clock[buyers] * 7.0).astype(np.int64))
        active[buyers[rng.random(buyers.size) < drop[buyers]]] = False
    client = np.concatenate(clients)
    nu = rng.gamma(VALUE.q, 1.0 / VALUE.gamma, n)
    amount = rng.gamma(VALUE.p, 1.0 / nu[client]) * UAH_PER_DOLLAR
    return client, np.concatenate(days), np.maximum(np.round(amount, 2), 0.01)


def fill_purchases(seed: int) -> None:
    contacts = list(Contact.objects.order_by("id").values_list("id", "owner_id", "team_id"))
    today = timezone.localdate()
    began = time.perf_counter()
    client, days, amounts = purchase_days(len(contacts), today, seed)
    rows = [
        Purchase(
            contact_id=contacts[i][0],
            owner_id=contacts[i][1],
            team_id=contacts[i][2],
            date=date.fromordinal(day),
            amount=Decimal(f"{amount:.2f}"),
            currency="UAH",
        )
        for i, day, amount in zip(client.tolist(), days.tolist(), amounts.tolist(), strict=True)
    ]
    with transaction.atomic():
        Purchase.objects.bulk_create(rows, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{len(rows):,} purchases for {len(contacts):,} contacts "
        f"in {time.perf_counter() - began:.0f} s",
        file=sys.stderr,
    )


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def raw_read() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(RAW_READ, [timezone.localdate()])
        return cursor.fetchall()


def orm_read() -> list[tuple[Any, ...]]:
    # What health_recompute reads (services._purchase_rows), through the ORM.
    return list(
        Purchase.objects.filter(
            contact__isnull=False, contact__deleted_at__isnull=True, date__lte=timezone.localdate()
        ).values_list("contact_id", "date", "amount", "currency")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000, help="when there are none")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=3, help="calls of the job to take the best of"
    )
    parser.add_argument("--profile", action="store_true", help="where one call's time goes")
    args = parser.parse_args()

    ensure_postgres_database()
    call_command("migrate", interactive=False, verbosity=0)
    if not Contact.objects.exists():
        generate(args.contacts, args.seed)
    if not Purchase.objects.exists():
        fill_purchases(args.seed)

    baseline, rows = best_of(3, raw_read)
    orm_s, _ = best_of(3, orm_read)
    had_health = ClientHealth.objects.exists()
    first_s, first = best_of(1, health_recompute)
    repeat = args.repeat if first_s < 30 else min(args.repeat, 2)
    job_s, result = best_of(repeat, health_recompute)
    with CaptureQueriesContext(connection) as queries:
        health_recompute()
    assert isinstance(result, RecomputeResult)

    contacts = Contact.objects.count()
    print(
        f"{connection.vendor}, {contacts:,} contacts, {Purchase.objects.count():,} purchases "
        f"({len(rows) / max(result.clients, 1):.2f} per client), "
        f"{result.clients:,} clients scored, {result.at_risk:,} at risk "
        f"(enough history: {result.enough_history}; first call: {first.tasks} tasks)"
    )
    print(f"{'step':<46}{'best s':>9}{'× baseline':>12}{'queries':>9}")
    first_name = "first call (writes health: " + ("updates)" if had_health else "inserts)")
    table = [
        ("baseline: raw SQL read of the purchases", baseline, "1"),
        ("ORM read of the same rows (_purchase_rows)", orm_s, "1"),
        ("health_recompute(), " + first_name, first_s, ""),
        (f"health_recompute(), nightly (best of {repeat})", job_s, str(len(queries))),
    ]
    for name, seconds, count in table:
        print(f"{name:<46}{seconds:9.3f}{seconds / baseline:12.1f}{count:>9}")

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(health_recompute)
        print()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(r"clientela|django/db", 25)


if __name__ == "__main__":
    main()
