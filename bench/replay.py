"""What the write benchmarks share: a call timed in a transaction rolled back after it, the
best of several such calls, and the rows a call wrote, read back and written again with plain
SQL for the raw baseline (bench/campaign.py, bench/handover.py)."""

import time
from collections.abc import Callable
from typing import Any

from django.db import connection, models, transaction

CHUNK = 900  # ids per IN (...): under SQLite's oldest limit of 999 parameters

Rows = dict[type[models.Model], list[tuple[Any, ...]]]


def chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def rolled_back(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of `fn` in a transaction that is rolled back after the clock stops."""
    with transaction.atomic():
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, result


def clear_dead_rows(tables: list[str]) -> None:
    """VACUUM `tables` on PostgreSQL, where every rolled-back UPDATE and INSERT leaves dead
    rows and index entries behind that the next call would write among."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM {table}")


def best_of(repeat: int, fn: Callable[[], Any], tables: list[str]) -> float:
    """The fastest of `repeat` rolled-back calls, each after clearing the dead rows of `tables`."""
    times = []
    for _ in range(repeat):
        clear_dead_rows(tables)
        times.append(rolled_back(fn)[0])
    return min(times)


def columns(model: type[models.Model]) -> list[str]:
    return [field.column for field in model._meta.concrete_fields if field.column]


def last_ids(written: list[type[models.Model]]) -> dict[type[models.Model], int]:
    with connection.cursor() as cursor:
        found = {}
        for model in written:
            cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")
            found[model] = cursor.fetchone()[0] or 0
        return found


def rows_after(written: list[type[models.Model]], after: dict[type[models.Model], int]) -> Rows:
    """Every row of the `written` tables with an id above `after`'s, as the driver returns it."""
    rows: Rows = {}
    with connection.cursor() as cursor:
        for model in written:
            names = ", ".join(connection.ops.quote_name(c) for c in columns(model))
            cursor.execute(
                f"SELECT {names} FROM {model._meta.db_table} WHERE id > %s ORDER BY id",
                [after[model]],
            )
            rows[model] = cursor.fetchall()
    return rows


def insert_rows(cursor: Any, rows: Rows) -> None:
    """The rows again, one executemany per table, no ORM."""
    for model, values in rows.items():
        names = ", ".join(connection.ops.quote_name(c) for c in columns(model))
        marks = ", ".join(["%s"] * len(columns(model)))
        cursor.executemany(f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({marks})", values)
