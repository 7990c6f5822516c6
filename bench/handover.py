"""Time a handover of a manager's book of 1,000 clients to two colleagues, in one run.

    CLIENTELA_DATA_DIR=/tmp/clt-bench-handover python bench/handover.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clt_bench_handover python bench/handover.py

An empty database is migrated (a missing PostgreSQL database is created first) and filled to
--contacts contacts by bench/generate.py. The manager bench_leaver, in the team of bench_m0_0,
is given the --clients live contacts of lowest id (their client copies follow them, through
contacts.client_copies, and their computed occasions are made, as the services would have made
them); whatever open deals and tasks generate.py made for those clients are the rest of the
book. bench_taker1 and bench_taker2, active managers of the same team, take it over; the
administrator bench_admin hands it over with handover_spread (a round robin by name), the
default colleague bench_taker1 and a note. A re-run reuses the users and the book.

Every call runs in a transaction rolled back at its end, so each one moves the same rows; the
figure is the best of --repeat calls, each after a VACUUM of the tables a handover touches on
PostgreSQL (the dead rows of the calls before), and the end of the transaction is outside it.
Queries are counted on an untimed call after a first one (which looks up content types,
cached after it); that call also keeps the audit events and notes it wrote. The ratio is to a
raw baseline measured in the same run, rolled back too: plain cursor.execute UPDATEs of the
owner and team of exactly those contacts, companies, deals and tasks and of their client
copies (every model registered in contacts.client_copies: purchases, activities, occasions
and the rest), and those same audit events and notes INSERTed with cursor.executemany. That
is the least work a handover must do.
"""

import argparse
import os
import sys
import time
from collections import deque
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent / "src"), str(BENCH)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientela.settings")

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from generate import ensure_postgres_database, generate  # noqa: E402  (bench/generate.py; sets Django up)
from replay import (  # noqa: E402
    Rows,
    best_of,
    chunks,
    insert_rows,
    last_ids,
    rolled_back,
    rows_after,
)

from clientela.accounts.models import Role, User  # noqa: E402
from clientela.activities.handover import (  # noqa: E402
    Book,
    HandoverPlan,
    HandoverResult,
    handover,
    handover_book,
    handover_plan,
    handover_spread,
)
from clientela.activities.models import Activity, Task  # noqa: E402
from clientela.contacts import client_copies  # noqa: E402
from clientela.contacts.client_copies import client_copies_follow  # noqa: E402
from clientela.contacts.models import (  # noqa: E402
    Company,
    CompanySearchTerm,
    Contact,
    ContactSearchTerm,
)
from clientela.core.models import AuditEvent  # noqa: E402
from clientela.occasions.services import occasions_refresh  # noqa: E402
from clientela.sales.models import Deal  # noqa: E402

ACTOR = "bench_admin"
LEAVER = "bench_leaver"
TAKERS = ("bench_taker1", "bench_taker2")
TEAMMATE = "bench_m0_0"  # generate.py's first manager: the team, and who gets clients back
NOTE = "Bench handover: bench_leaver has left; the clients, their deals and tasks are yours."
# A handover writes these rows: a note per client and, per moved record and note, an event.
WRITTEN: list[type[models.Model]] = [Activity, AuditEvent]


def copy_models() -> list[type[models.Model]]:
    """The client copies: every model that keeps its client's owner and team."""
    return list(client_copies._models)


def touched_tables() -> list[str]:
    """The tables a handover writes: the records, their search terms, copies, notes, events."""
    found = [Contact, Company, ContactSearchTerm, CompanySearchTerm, Deal, Task, AuditEvent]
    return list(dict.fromkeys(m._meta.db_table for m in [*found, *copy_models()]))


def prepare_users() -> tuple[User, User, list[User]]:
    """The administrator (from generate.py), the leaver and the two takers in one team."""
    actor = User.objects.filter(username=ACTOR).first()
    teammate = User.objects.filter(username=TEAMMATE).first()
    if actor is None or teammate is None:
        raise SystemExit(f"no user {ACTOR} or {TEAMMATE}: fill the database with bench/generate.py")
    people = []
    for name in (LEAVER, *TAKERS):
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User.objects.create(username=name, role=Role.MANAGER, team=teammate.team)
        elif (user.role, user.team_id, user.is_active) != (Role.MANAGER, teammate.team_id, True):
            user.role, user.team_id, user.is_active = Role.MANAGER, teammate.team_id, True
            user.save()
        people.append(user)
    return actor, people[0], people[1:]


def give(contact_ids: list[int], owner: User) -> None:
    """Make `owner` the owner of these contacts; their client copies follow, as in the services."""
    for part in chunks(contact_ids):
        Contact.all_objects.filter(pk__in=part).update(owner=owner, team_id=owner.team_id)
    for contact in Contact.all_objects.filter(pk__in=contact_ids):
        client_copies_follow(contact)


def prepare_book(leaver: User, count: int) -> None:
    """The leaver owns exactly the `count` live contacts of lowest id, and no company."""
    wanted = list(Contact.objects.order_by("id").values_list("id", flat=True)[:count])
    if len(wanted) < count:
        raise SystemExit(f"only {len(wanted):,} live contacts")
    owned = set(Contact.all_objects.filter(owner=leaver).values_list("id", flat=True))
    companies = list(Company.all_objects.filter(owner=leaver).values_list("id", flat=True))
    if owned == set(wanted) and not companies:
        return
    began = time.perf_counter()
    teammate = User.objects.get(username=TEAMMATE)
    with transaction.atomic():
        give(sorted(owned - set(wanted)), teammate)
        give([pk for pk in wanted if pk not in owned], leaver)
        Company.all_objects.filter(pk__in=companies).update(
            owner=teammate, team_id=teammate.team_id
        )
        for company in Company.all_objects.filter(pk__in=companies):
            client_copies_follow(company)
        # generate.py writes contacts with bulk INSERTs, which make no occasions; the book's
        # clients get theirs (birthdays, name days) as a service save would have made them.
        for contact in Contact.objects.filter(pk__in=wanted):
            occasions_refresh(contact)
    print(
        f"book of {LEAVER}: {count:,} contacts in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )


Moves = dict[tuple[int, int | None], dict[type[models.Model], list[int]]]


def moves_of(plan: HandoverPlan) -> Moves:
    """For each (new owner, its team), the ids of the contacts, companies, deals and tasks."""
    moves: Moves = {}
    for model, pairs in (
        (Contact, plan.contacts),
        (Company, plan.companies),
        (Deal, plan.deals),
        (Task, plan.tasks),
    ):
        for record, user in pairs:
            ids = moves.setdefault((user.pk, user.team_id), {})
            ids.setdefault(model, []).append(record.pk)
    return moves


def count_copies(book: Book) -> int:
    """The client copies of the book's clients: the rows that must move with them."""
    contact_ids = [c.pk for c in book.contacts]
    company_ids = [c.pk for c in book.companies]
    found = 0
    for model in copy_models():
        rows = model.all_objects  # type: ignore[attr-defined]
        for part in chunks(contact_ids):
            found += rows.filter(contact_id__in=part).count()
        for part in chunks(company_ids):
            found += rows.filter(company_id__in=part, contact__isnull=True).count()
    return found


def raw_handover(moves: Moves, rows: Rows) -> None:
    """The baseline: UPDATE the owner and team of the records and their client copies, then
    INSERT the notes and audit events, with plain cursor.execute and executemany, no ORM."""
    with connection.cursor() as cursor:
        for (owner_id, team_id), by_model in moves.items():
            for model, ids in by_model.items():
                for part in chunks(ids):
                    marks = ", ".join(["%s"] * len(part))
                    cursor.execute(
                        f"UPDATE {model._meta.db_table} SET owner_id = %s, team_id = %s "
                        f"WHERE id IN ({marks})",
                        [owner_id, team_id, *part],
                    )
            for copy in copy_models():
                for client, condition in (
                    (Contact, "contact_id IN ({})"),
                    (Company, "company_id IN ({}) AND contact_id IS NULL"),
                ):
                    for part in chunks(by_model.get(client, [])):
                        where = condition.format(", ".join(["%s"] * len(part)))
                        cursor.execute(
                            f"UPDATE {copy._meta.db_table} SET owner_id = %s, team_id = %s "
                            f"WHERE {where}",
                            [owner_id, team_id, *part],
                        )
        insert_rows(cursor, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000, help="when there are fewer")
    parser.add_argument("--clients", type=int, default=1_000, help="contacts in the book")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="calls to take the best of")
    args = parser.parse_args()

    ensure_postgres_database()
    call_command("migrate", interactive=False, verbosity=0)
    existing = Contact.objects.count()
    if existing < args.contacts:
        generate(args.contacts - existing, args.seed)
    actor, leaver, takers = prepare_users()
    prepare_book(leaver, args.clients)

    book = handover_book(actor, leaver)
    assignments = handover_spread(book, takers)
    moves = moves_of(handover_plan(book, assignments, takers[0]))
    copies = count_copies(book)

    def hand_over() -> HandoverResult:
        return handover(
            actor=actor,
            from_user=leaver,
            assignments=assignments,
            default_to=takers[0],
            note=NOTE,
        )

    # Django keeps the last 9,000 queries (CaptureQueriesContext counts those it kept); a
    # handover of 1,000 clients makes tens of thousands.
    connection.queries_log = deque(maxlen=None)

    def hand_over_and_keep_rows() -> tuple[HandoverResult, int, Rows]:
        before = last_ids(WRITTEN)
        with CaptureQueriesContext(connection) as queries:
            result = hand_over()
        return result, len(queries), rows_after(WRITTEN, before)

    def raw_and_count() -> int:
        with CaptureQueriesContext(connection) as queries:
            raw_handover(moves, rows)
        return len(queries)

    rolled_back(hand_over)
    _seconds, (result, queries_of_handover, rows) = rolled_back(hand_over_and_keep_rows)
    _seconds, queries_of_raw = rolled_back(raw_and_count)
    connection.queries_log.clear()
    handover_s = best_of(args.repeat, hand_over, touched_tables())
    raw_s = best_of(args.repeat, lambda: raw_handover(moves, rows), touched_tables())

    clients = result.contacts + result.companies
    print(
        f"{connection.vendor}, {Contact.objects.count():,} contacts, book of {LEAVER} to "
        + " and ".join(t.username for t in takers)
        + f": {result.contacts:,} contacts, {result.companies:,} companies, "
        f"{result.deals:,} deals, {result.tasks:,} tasks, {copies:,} client copies moved; "
        f"{len(rows[Activity]):,} notes and {len(rows[AuditEvent]):,} audit events written; "
        f"best of {args.repeat}"
    )
    updated = sum(len(ids) for by_model in moves.values() for ids in by_model.values())
    written = sum(len(values) for values in rows.values())
    print(f"{'step':<52}{'best s':>8}{'ms / client':>13}{'× raw':>7}{'queries':>9}")
    table = [
        (
            f"raw SQL: {updated + copies:,} rows updated, {written:,} inserted",
            raw_s,
            queries_of_raw,
        ),
        ("handover()", handover_s, queries_of_handover),
    ]
    for name, seconds, statements in table:
        print(
            f"{name:<52}{seconds:8.3f}{seconds * 1000 / clients:13.3f}"
            f"{seconds / raw_s:7.1f}{statements:9d}"
        )


if __name__ == "__main__":
    main()
