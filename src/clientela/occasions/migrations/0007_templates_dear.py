"""The default templates open with {dear}: "Шановна" or "Шановний" as the patronymic tells,
instead of the hedged "Шановна(ий)" (and Russian "Уважаемая(ый)") for everyone. Any template
that opens with the hedge before {formal_name} is changed the same way."""

from django.db import migrations

HEDGES = {"uk": "Шановна(ий) {formal_name}", "ru": "Уважаемая(ый) {formal_name}"}
DEAR = "{dear} {formal_name}"


def open_with_dear(apps, schema_editor):
    GreetingTemplate = apps.get_model("occasions", "GreetingTemplate")
    for language, hedge in HEDGES.items():
        for template in GreetingTemplate.objects.filter(language=language, body__contains=hedge):
            template.body = template.body.replace(hedge, DEAR)
            template.subject = template.subject.replace(hedge, DEAR)
            template.save(update_fields=["body", "subject"])


def hedge_again(apps, schema_editor):
    GreetingTemplate = apps.get_model("occasions", "GreetingTemplate")
    for language, hedge in HEDGES.items():
        for template in GreetingTemplate.objects.filter(language=language, body__contains=DEAR):
            template.body = template.body.replace(DEAR, hedge)
            template.subject = template.subject.replace(DEAR, hedge)
            template.save(update_fields=["body", "subject"])


class Migration(migrations.Migration):
    dependencies = [
        ("occasions", "0006_firm_date_weekday_rules"),
    ]

    operations = [migrations.RunPython(open_with_dear, hedge_again)]
