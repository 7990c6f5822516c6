"""The firm's first greeting templates: birthday, name day and anniversary in Ukrainian,
Russian and English. Administrators and team leads change them or add their own."""

from typing import Any

from django.db import migrations

DEFAULTS = [
    (
        "birthday",
        "uk",
        "День народження",
        "З днем народження, {formal_name}!",
        "Шановна(ий) {formal_name}!\n\n"
        "Щиро вітаю Вас з днем народження! Бажаю міцного здоров'я, радості, "
        "натхнення і успіхів у всіх справах. Нехай цей рік принесе багато приємних подій.\n\n"
        "З повагою,\n{manager_name}",
    ),
    (
        "birthday",
        "ru",
        "День рождения",
        "С днём рождения, {formal_name}!",
        "Уважаемая(ый) {formal_name}!\n\n"
        "Сердечно поздравляю Вас с днём рождения! Желаю крепкого здоровья, радости, "
        "вдохновения и успехов во всех делах. Пусть этот год принесёт много приятных событий.\n\n"
        "С уважением,\n{manager_name}",
    ),
    (
        "birthday",
        "en",
        "Birthday",
        "Happy birthday, {first_name}!",
        "Dear {formal_name},\n\n"
        "Happy birthday! I wish you good health, joy and success in everything you do, "
        "and a year full of good news.\n\n"
        "Best wishes,\n{manager_name}",
    ),
    (
        "name_day",
        "uk",
        "День ангела",
        "З днем ангела, {formal_name}!",
        "Шановна(ий) {formal_name}!\n\n"
        "Вітаю Вас з днем ангела! Нехай Ваш небесний покровитель оберігає Вас, "
        "а кожен день приносить мир, добро і радість.\n\n"
        "З повагою,\n{manager_name}",
    ),
    (
        "name_day",
        "ru",
        "День ангела",
        "С днём ангела, {formal_name}!",
        "Уважаемая(ый) {formal_name}!\n\n"
        "Поздравляю Вас с днём ангела! Пусть Ваш небесный покровитель хранит Вас, "
        "а каждый день приносит мир, добро и радость.\n\n"
        "С уважением,\n{manager_name}",
    ),
    (
        "name_day",
        "en",
        "Name day",
        "Happy name day, {first_name}!",
        "Dear {formal_name},\n\n"
        "Warm wishes on your name day! May it bring you peace, kindness and joy.\n\n"
        "Best wishes,\n{manager_name}",
    ),
    (
        "anniversary",
        "uk",
        "Річниця співпраці",
        "Дякуємо, що Ви з нами, {formal_name}!",
        "Шановна(ий) {formal_name}!\n\n"
        "Сьогодні — {occasion}. Дякую Вам за довіру і за кожен спільний проєкт. "
        "Радий(а) працювати з Вами і надалі.\n\n"
        "З повагою,\n{manager_name}",
    ),
    (
        "anniversary",
        "ru",
        "Годовщина сотрудничества",
        "Спасибо, что Вы с нами, {formal_name}!",
        "Уважаемая(ый) {formal_name}!\n\n"
        "Сегодня — {occasion}. Благодарю Вас за доверие и за каждый общий проект. "
        "Рад(а) работать с Вами и дальше.\n\n"
        "С уважением,\n{manager_name}",
    ),
    (
        "anniversary",
        "en",
        "Anniversary",
        "Thank you for being with us, {first_name}!",
        "Dear {formal_name},\n\n"
        "Today is the {occasion}. Thank you for your trust and for every project we have "
        "done together. I look forward to many more.\n\n"
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
    dependencies = [("occasions", "0001_initial")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
