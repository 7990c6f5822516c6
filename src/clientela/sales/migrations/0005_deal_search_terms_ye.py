"""Deal search terms: "ye" after a vowel is folded to "e" now (Andreyev is Андреев); the
terms of deals whose title may fold differently are written again."""

from django.db import migrations

BATCH = 1000


def reindex(apps, schema_editor):
    from clientela.core.text import name_terms

    deal_model = apps.get_model("sales", "Deal")
    term_model = apps.get_model("sales", "DealSearchTerm")
    ids = sorted(
        set(term_model.objects.filter(term__contains="ie").values_list("deal_id", flat=True))
    )
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = [
            term_model(deal_id=deal.pk, term=term)
            for deal in deal_model._base_manager.filter(pk__in=chunk).only("pk", "title")
            for term in name_terms(deal.title)
        ]
        term_model.objects.filter(deal_id__in=chunk).delete()
        term_model.objects.bulk_create(rows, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("sales", "0004_discount_and_cost")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
