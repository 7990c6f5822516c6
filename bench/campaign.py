"""Time a holiday campaign (campaign_send) to a segment of 2,000 clients, in one run.

    CLIENTELA_DATA_DIR=/tmp/clt-bench-campaign python bench/campaign.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clt_bench_campaign python bench/campaign.py

An empty database is migrated (a missing PostgreSQL database is created first) and filled to
--contacts contacts by bench/generate.py. --recipients of them, taken in turn among the
Ukrainian, Russian and English speakers, are the segment: the tag "Bench campaign", marketing
consent and an email address; the three holiday templates are created when a language has
none. The campaign is sent by the administrator bench_admin for a day ten days ahead at 09:00,
so every greeting is scheduled: its email, the greeting and an audit event are written.

Every call runs in a transaction rolled back at its end, so each one writes the same rows; the
figure is the best of --repeat calls, each after a VACUUM of the three tables on PostgreSQL
(the dead rows of the calls before), and the end of the transaction is outside it. Queries are
counted on an untimed call after a first one (which looks up a content type, cached after it);
that call also keeps the rows it wrote. The ratio is to a raw baseline measured in the same
run: inserting those same rows into the three tables with cursor.executemany (no ORM), rolled
back too.
"""

import argparse
import datetime
import os
import sys
import time
from itertools import zip_longest
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent / "src"), str(BENCH)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientela.settings")

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.models import CharField, Value  # noqa: E402
from django.db.models.functions import Cast, Concat  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
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

from clientela.accounts.models import User  # noqa: E402
from clientela.accounts.zones import user_today  # noqa: E402
from clientela.contacts.models import (  # noqa: E402
    Channel,
    Contact,
    ContactSearchTerm,
    ContactTag,
    Tag,
)
from clientela.contacts.selectors import ListFilters  # noqa: E402
from clientela.core.models import AuditEvent, FirmSettings, OutgoingEmail  # noqa: E402
from clientela.core.text import email_terms  # noqa: E402
from clientela.occasions.greetings import LANGUAGES  # noqa: E402
from clientela.occasions.models import Greeting, GreetingTemplate  # noqa: E402
from clientela.occasions.services_campaigns import (  # noqa: E402
    CAMPAIGN_LIMIT,
    campaign_send,
    default_templates,
    holiday_templates,
)
from clientela.occasions.services_greetings import greeting_template_create  # noqa: E402

TAG = "Bench campaign"
ACTOR = "bench_admin"
# In the order the rows must go in: a greeting refers to its email.
TABLES: list[type[models.Model]] = [OutgoingEmail, Greeting, AuditEvent]
TEXTS = {
    "uk": ("Зі святом, {formal_name}!", "{first_name}, вітаємо зі святом! {manager_name}"),
    "ru": ("С праздником, {formal_name}!", "{first_name}, поздравляем с праздником!"),
    "en": ("Happy holidays, {first_name}!", "Dear {formal_name}, season's greetings."),
}


def pick_recipients(count: int) -> list[int]:
    """`count` contact ids, in turn one Ukrainian, one Russian and one English speaker."""
    by_language = [
        Contact.objects.filter(language=language)
        .order_by("id")
        .values_list("id", flat=True)[:count]
        for language in LANGUAGES
    ]
    ids = [pk for turn in zip_longest(*by_language) for pk in turn if pk is not None]
    if len(ids) < count:
        raise SystemExit(f"only {len(ids):,} contacts speak {', '.join(LANGUAGES)}")
    return ids[:count]


def give_emails(ids: list[int]) -> None:
    """An email channel, the primary email and its search terms for contacts without one."""
    missing = list(
        Contact.objects.filter(pk__in=ids, primary_email="").values_list("id", flat=True)
    )
    if not missing:
        return
    emails = {pk: f"c{pk}@example.com" for pk in missing}
    Channel.objects.bulk_create(
        [Channel(contact_id=pk, kind=Channel.Kind.EMAIL, value=e) for pk, e in emails.items()]
    )
    ContactSearchTerm.objects.bulk_create(
        [ContactSearchTerm(contact_id=pk, term=t) for pk, e in emails.items() for t in email_terms(e)]
    )  # fmt: skip
    Contact.objects.filter(pk__in=missing).update(
        primary_email=Concat(Value("c"), Cast("id", CharField()), Value("@example.com"))
    )


def prepare_segment(count: int) -> Tag:
    """The tag of `count` contacts who agreed to marketing email and have an address."""
    tag, _created = Tag.objects.get_or_create(name=TAG)
    tagged = ContactTag.objects.filter(tag=tag, contact__deleted_at__isnull=True)
    ready = tagged.filter(contact__marketing_consent=True, contact__language__in=LANGUAGES).exclude(
        contact__primary_email=""
    )
    if tagged.count() == count == ready.count():
        return tag
    began = time.perf_counter()
    with transaction.atomic():
        ContactTag.objects.filter(tag=tag).delete()
        ids = pick_recipients(count)
        now = timezone.now()
        for part in chunks(ids):
            ContactTag.objects.bulk_create([ContactTag(contact_id=pk, tag=tag) for pk in part])
            Contact.objects.filter(pk__in=part).update(marketing_consent=True, consent_at=now)
            give_emails(part)
    print(
        f"segment {TAG!r}: {count:,} contacts in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    return tag


def prepare_templates(actor: User) -> dict[str, GreetingTemplate | None]:
    """The holiday template of each language, created where a language has none."""
    templates = default_templates(holiday_templates())
    for language, template in templates.items():
        if template is None:
            subject, body = TEXTS[language]
            templates[language] = greeting_template_create(
                actor=actor,
                data={
                    "name": f"Bench holiday {language}",
                    "occasion_kind": "holiday",
                    "language": language,
                    "subject": subject,
                    "body": body,
                },
            )
    return templates


def raw_insert(rows: Rows) -> None:
    """The baseline: the same rows, one executemany per table, no ORM."""
    with connection.cursor() as cursor:
        insert_rows(cursor, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000, help="when there are fewer")
    parser.add_argument(
        "--recipients", type=int, default=CAMPAIGN_LIMIT, help="contacts in the segment"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="calls to take the best of")
    args = parser.parse_args()

    ensure_postgres_database()
    call_command("migrate", interactive=False, verbosity=0)
    existing = Contact.objects.count()
    if existing < args.contacts:
        generate(args.contacts - existing, args.seed)
    actor = User.objects.filter(username=ACTOR).first()
    if actor is None:
        raise SystemExit(f"no user {ACTOR}: fill the database with bench/generate.py")
    tag = prepare_segment(args.recipients)
    templates = prepare_templates(actor)
    # An installation has its firm settings row; written inside a rolled-back call, it
    # would be written again by every call.
    FirmSettings.current()

    def send() -> list[Greeting]:
        return campaign_send(
            actor=actor,
            filters=ListFilters(tag=tag.pk),
            templates=templates,
            day=user_today(actor) + datetime.timedelta(days=10),
            time=datetime.time(9, 0),
            expected=args.recipients,
        )

    def send_and_keep_rows() -> tuple[list[Greeting], int, Rows]:
        before = last_ids(TABLES)
        with CaptureQueriesContext(connection) as queries:
            greetings = send()
        return greetings, len(queries), rows_after(TABLES, before)

    rolled_back(send)
    _seconds, (greetings, queries_of_send, rows) = rolled_back(send_and_keep_rows)
    if {len(values) for values in rows.values()} != {args.recipients}:
        raise SystemExit(f"the rows written: { {m.__name__: len(v) for m, v in rows.items()} }")
    tables = [model._meta.db_table for model in TABLES]
    campaign_s = best_of(args.repeat, send, tables)
    raw_s = best_of(args.repeat, lambda: raw_insert(rows), tables)

    languages = dict.fromkeys(LANGUAGES, 0)
    for greeting in greetings:
        languages[greeting.language] += 1
    count = len(greetings)
    print(
        f"{connection.vendor}, {Contact.objects.count():,} contacts, segment {TAG!r}: "
        f"{count:,} recipients ("
        + ", ".join(f"{lang} {n:,}" for lang, n in languages.items())
        + f"), best of {args.repeat}"
    )
    print(f"{'step':<52}{'best s':>8}{'ms / recipient':>16}{'× raw':>7}{'queries':>9}")
    table = [
        (f"raw executemany of the {count * len(TABLES):,} rows", raw_s, len(TABLES)),
        ("campaign_send()", campaign_s, queries_of_send),
    ]
    for name, seconds, statements in table:
        print(
            f"{name:<52}{seconds:8.3f}{seconds * 1000 / count:16.3f}"
            f"{seconds / raw_s:7.1f}{statements:9d}"
        )


if __name__ == "__main__":
    main()
