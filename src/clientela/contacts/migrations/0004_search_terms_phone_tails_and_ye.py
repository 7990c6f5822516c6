"""Search terms: a phone's digits backwards (a search by its last digits), and "ye" after a
vowel folded to "e" (Andreyev is Андреев).

The terms of every record with a phone, or with a term the new fold may change (one holding
"ie"), are written again from its names and channels, a thousand records at a time.
"""

from django.db import migrations

BATCH = 1000


def _reindex(apps, model_name, term_name, fk, fields):
    from clientela.core.text import email_terms, name_terms, phone_terms

    model = apps.get_model("contacts", model_name)
    term_model = apps.get_model("contacts", term_name)
    channel = apps.get_model("contacts", "Channel")
    ids = set(term_model.objects.filter(term__contains="ie").values_list(f"{fk}_id", flat=True))
    ids |= set(
        channel.objects.filter(kind="phone", **{f"{fk}__isnull": False}).values_list(
            f"{fk}_id", flat=True
        )
    )
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        channels = {}
        for owner_id, kind, value in channel.objects.filter(**{f"{fk}_id__in": chunk}).values_list(
            f"{fk}_id", "kind", "value"
        ):
            channels.setdefault(owner_id, []).append((kind, value))
        rows = []
        for record in model._base_manager.filter(pk__in=chunk).only("pk", *fields):
            terms = name_terms(*(getattr(record, field) for field in fields))
            for kind, value in channels.get(record.pk, []):
                terms |= phone_terms(value) if kind == "phone" else email_terms(value)
            rows += [term_model(**{f"{fk}_id": record.pk, "term": term}) for term in terms]
        term_model.objects.filter(**{f"{fk}_id__in": chunk}).delete()
        term_model.objects.bulk_create(rows, batch_size=BATCH)


def reindex(apps, schema_editor):
    _reindex(
        apps, "Contact", "ContactSearchTerm", "contact", ["first_name", "middle_name", "last_name"]
    )
    _reindex(apps, "Company", "CompanySearchTerm", "company", ["name", "legal_id"])


class Migration(migrations.Migration):
    dependencies = [("contacts", "0003_record_team")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
