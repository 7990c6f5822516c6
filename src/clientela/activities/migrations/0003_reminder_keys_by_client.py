"""Reminders of computed occasions are known by the occasion's kind and client, not its row.

A name day removed and computed again is a new row; with the row's id in the key, the reminder
job reminded of it a second time. The keys of existing reminders are rewritten to the new form
(`activities.reminders.reminder_key`); a second reminder already made for the same day keeps
its old key, and reminders of rows gone since keep theirs too.
"""

import re

from django.db import migrations

OLD_KEY = re.compile(r"^occasion:(\d+):(\d{4}-\d{2}-\d{2})$")
COMPUTED = ("birthday", "name_day", "anniversary")
BATCH = 1000


def key_by_client(apps, schema_editor):
    Task = apps.get_model("activities", "Task")
    Occasion = apps.get_model("occasions", "Occasion")
    tasks = (
        Task.objects.filter(origin="reminder", origin_key__startswith="occasion:")
        .order_by("id")
        .values_list("id", "origin_key")
    )
    taken = set()
    batch = []
    for task_id, key in tasks.iterator(chunk_size=BATCH):
        match = OLD_KEY.match(key)
        if match:
            batch.append((task_id, int(match[1]), match[2]))
        if len(batch) >= BATCH:
            _rewrite(Task, Occasion, batch, taken)
            batch = []
    _rewrite(Task, Occasion, batch, taken)


def _rewrite(Task, Occasion, batch, taken):
    rows = Occasion.objects.filter(pk__in={occasion for _, occasion, _ in batch}, kind__in=COMPUTED)
    occasions = {row[0]: row[1:] for row in rows.values_list("id", "kind", "contact_id", "company_id")}
    changed = []
    for task_id, occasion_id, day in batch:
        found = occasions.get(occasion_id)
        if found is None:
            continue
        kind, contact_id, company_id = found
        client = f"contact:{contact_id}" if contact_id else f"company:{company_id}"
        key = f"occasion:{kind}:{client}:{day}"
        if key in taken:
            continue
        taken.add(key)
        changed.append(Task(id=task_id, origin_key=key))
    Task.objects.bulk_update(changed, ["origin_key"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_task_origins_of_retention"),
        ("occasions", "0004_holiday_and_other_date_templates"),
    ]

    operations = [migrations.RunPython(key_by_client, migrations.RunPython.noop)]
