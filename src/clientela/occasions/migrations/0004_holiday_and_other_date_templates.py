"""Greeting templates for holidays (the campaigns) and for a client's other dates (a wedding,
a founding day), in Ukrainian, Russian and English: without them a first campaign reached
nobody and a wedding was greeted with the anniversary's text. {occasion} names the holiday or
the date."""

from typing import Any

from django.db import migrations

DEFAULTS = [
    (
        "holiday",
        "uk",
        "Святкове привітання",
        "Вітаємо зі святом, {formal_name}!",
        "Шановна(ий) {formal_name}!\n\n"
        "З нагоди свята «{occasion}» щиро вітаємо Вас від усієї нашої команди. Бажаємо миру, "
        "здоров'я і добра Вам і Вашим близьким.\n\n"
        "З повагою,\n{manager_name}",
    ),
    (
        "holiday",
        "ru",
        "Праздничное поздравление",
        "Поздравляем с праздником, {formal_name}!",
        "Уважаемая(ый) {formal_name}!\n\n"
        "По случаю праздника «{occasion}» от всей нашей команды сердечно поздравляем Вас. "
        "Желаем мира, здоровья и добра Вам и Вашим близким.\n\n"
        "С уважением,\n{manager_name}",
    ),
    (
        "holiday",
        "en",
        "Season's greetings",
        "Season's greetings, {first_name}!",
        "Dear {formal_name},\n\n"
        "All of us wish you a happy {occasion}: peace, good health and every success to you "
        "and your family.\n\n"
        "Best wishes,\n{manager_name}",
    ),
    (
        "custom",
        "uk",
        "Інша дата",
        "Вітаю, {formal_name}!",
        "Шановна(ий) {formal_name}!\n\n"
        "З нагоди «{occasion}» щиро вітаю Вас! Бажаю радості, здоров'я і всього найкращого.\n\n"
        "З повагою,\n{manager_name}",
    ),
    (
        "custom",
        "ru",
        "Другая дата",
        "Поздравляю, {formal_name}!",
        "Уважаемая(ый) {formal_name}!\n\n"
        "По случаю «{occasion}» от души поздравляю Вас! Желаю радости, здоровья и всего "
        "самого лучшего.\n\n"
        "С уважением,\n{manager_name}",
    ),
    (
        "custom",
        "en",
        "Other date",
        "Congratulations, {first_name}!",
        "Dear {formal_name},\n\n"
        "Congratulations on your {occasion}! I wish you joy, good health and all the best.\n\n"
        "Best wishes,\n{manager_name}",
    ),
]


def add_templates(apps: Any, schema_editor: Any) -> None:
    GreetingTemplate = apps.get_model("occasions", "GreetingTemplate")
    for kind, language, name, subject, body in DEFAULTS:
        if not GreetingTemplate.objects.filter(occasion_kind=kind, language=language).exists():
            GreetingTemplate.objects.create(
                name=name, occasion_kind=kind, language=language, subject=subject, body=body
            )


def remove_templates(apps: Any, schema_editor: Any) -> None:
    GreetingTemplate = apps.get_model("occasions", "GreetingTemplate")
    for kind, language, name, subject, _body in DEFAULTS:
        GreetingTemplate.objects.filter(
            occasion_kind=kind, language=language, name=name, subject=subject
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("occasions", "0003_occasion_leap_shift")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
