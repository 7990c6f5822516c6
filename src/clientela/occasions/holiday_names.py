"""Names of public holidays in languages the `holidays` library has none for.

The library names Ukraine's holidays in Ukrainian and English but not in Russian, which a
Russian-speaking client of a Ukrainian firm reads. `holiday_name` looks a name up here: the
library's name in the country's own language, translated, with the library's notes for a day
off moved to another day ("(вихідний)", "перенесено з …") translated too. A name not listed
here stays in the country's language rather than being guessed.
"""

import re

# (country, language) -> {the library's name in the country's own language: the translation}
NAMES: dict[tuple[str, str], dict[str, str]] = {
    ("UA", "ru"): {
        "Новий рік": "Новый год",
        "Різдво Христове": "Рождество Христово",
        "Міжнародний жіночий день": "Международный женский день",
        "Великдень (Пасха)": "Пасха (Воскресение Христово)",
        "День праці": "День труда",
        "День міжнародної солідарності трудящих": "День международной солидарности трудящихся",
        "День перемоги над нацизмом у Другій світовій війні (День перемоги)": (
            "День победы над нацизмом во Второй мировой войне (День победы)"
        ),
        "День Перемоги": "День Победы",
        "День памʼяті та перемоги над нацизмом у Другій світовій війні 1939-1945 років": (
            "День памяти и победы над нацизмом во Второй мировой войне 1939–1945 годов"
        ),
        "Трійця": "Троица",
        "День Конституції України": "День Конституции Украины",
        "День Української Державності": "День украинской государственности",
        "День незалежності України": "День независимости Украины",
        "День захисника України": "День защитника Украины",
        "День захисників і захисниць України": "День защитников и защитниц Украины",
    },
}
# The library's notes on days off: a pattern of the country's language and the translation,
# "{date}" the day moved from, "{name}" the holiday's own name (translated in turn).
NOTES: dict[tuple[str, str], list[tuple[re.Pattern[str], str]]] = {
    ("UA", "ru"): [
        (
            re.compile(r"^Вихідний день \(перенесено з (?P<date>.+)\)$"),
            "Выходной день (перенесён с {date})",
        ),
        (re.compile(r"^(?P<name>.+) \(вихідний\)$"), "{name} (выходной)"),
    ],
}


def has_names(country: str, language: str) -> bool:
    """Whether this module names the holidays of `country` in `language`."""
    return (country.upper(), language) in NAMES


def holiday_name(name: str, *, country: str, language: str) -> str:
    """`name` (the library's, in the country's language) in `language`, where listed."""
    key = (country.upper(), language)
    names = NAMES.get(key, {})
    if name in names:
        return names[name]
    for pattern, template in NOTES.get(key, []):
        match = pattern.match(name)
        if match:
            parts = match.groupdict()
            if "name" in parts:
                parts["name"] = names.get(parts["name"], parts["name"])
            return template.format(**parts)
    return name
