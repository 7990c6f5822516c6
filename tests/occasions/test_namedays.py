"""Name days from first names: spellings, church names, feasts after the birthday, calendars."""

import datetime
import json
import re
from importlib import resources

import pytest

from clientela.core.text import fold_word
from clientela.occasions.namedays import (
    civil_date,
    name_day_for,
    name_entry,
    name_table,
    saint_name,
)


def day_of(name: str, birth: datetime.date | None = None, tradition: str = "new") -> tuple:
    found = name_day_for(name, birth=birth, tradition=tradition)
    assert found is not None, name
    return (found.month, found.day)


@pytest.mark.parametrize("spelling", ["Олена", "Елена", "Olena", "Elena", "Yelena", "Алёна"])
def test_spellings_of_olena_find_the_same_saint(spelling: str) -> None:
    found = name_day_for(spelling, birth=None, tradition="new")

    assert found is not None
    assert found.church_name == "Олена"
    assert (found.month, found.day) == (5, 21)
    assert "Олена" in found.saint


@pytest.mark.parametrize("spelling", ["Юрій", "Юрий", "Yurii", "Yuriy", "Yuri", "Георгій", "Єгор"])
def test_yurii_is_georgii_on_23_april_or_6_may(spelling: str) -> None:
    new = name_day_for(spelling, birth=None, tradition="new")
    julian = name_day_for(spelling, birth=None, tradition="julian")

    assert new is not None
    assert julian is not None
    assert new.church_name == julian.church_name == "Георгій"
    assert (new.month, new.day) == (4, 23)
    assert (julian.month, julian.day) == (5, 6)
    assert new.main


@pytest.mark.parametrize(
    ("name", "church"),
    [
        ("Світлана", "Фотинія"),
        ("Светлана", "Фотинія"),
        ("Svetlana", "Фотинія"),
        ("Оксана", "Ксенія"),
        ("Oxana", "Ксенія"),
        ("Ксения", "Ксенія"),
        ("Alexander", "Олександр"),
        ("Aleksandr", "Олександр"),
        ("Oleksandr", "Олександр"),
        ("Кристина", "Христина"),
        ("Дем'ян", "Даміан"),
        ("Дем’ян", "Даміан"),
    ],
)
def test_secular_and_latin_names_lead_to_the_church_name(name: str, church: str) -> None:
    entry = name_entry(name)

    assert entry is not None
    assert entry.church_name == church


@pytest.mark.parametrize(
    "name", ["Снежана", "Сніжана", "Анжела", "Мирослава", "Мілана", "Xyzzy", ""]
)
def test_a_name_without_a_known_saint_has_no_name_day(name: str) -> None:
    assert name_day_for(name, birth=None, tradition="new") is None
    assert name_day_for(name, birth=datetime.date(1990, 3, 1), tradition="julian") is None


def test_only_the_first_word_of_a_double_first_name_counts() -> None:
    assert day_of("Олена-Марія") == (5, 21)
    assert day_of("  Olena  ") == (5, 21)


def test_a_birthday_between_two_feasts_picks_the_next_feast() -> None:
    # Георгій: 4 February, 23 April, 3 November, 26 November.
    assert day_of("Юрій", datetime.date(1980, 3, 1)) == (4, 23)
    assert day_of("Юрій", datetime.date(1980, 5, 1)) == (11, 3)
    assert day_of("Юрій", datetime.date(1980, 11, 10)) == (11, 26)


def test_a_birthday_on_a_feast_day_is_that_feast() -> None:
    assert day_of("Юрій", datetime.date(1980, 11, 3)) == (11, 3)


def test_a_birthday_after_the_last_feast_wraps_to_the_first_of_next_year() -> None:
    assert day_of("Юрій", datetime.date(1980, 12, 20)) == (2, 4)
    found = name_day_for("Юрій", birth=datetime.date(1980, 12, 20), tradition="new")
    assert found is not None
    assert "Всеволодович" in found.saint
    assert not found.main


def test_an_unknown_birthday_gives_the_main_feast_even_when_it_is_not_the_first() -> None:
    # Кирило: the main feast (Cyril and Methodius) is in May, others in January and February.
    assert day_of("Кирило") == (5, 11)
    assert day_of("Kirill", tradition="julian") == (5, 24)


def test_julian_is_thirteen_days_later_across_month_ends() -> None:
    assert civil_date(12, 19, "julian") == (1, 1)
    assert civil_date(12, 31, "julian") == (1, 13)
    assert civil_date(1, 31, "julian") == (2, 13)
    assert civil_date(2, 28, "julian") == (3, 13)
    assert civil_date(2, 29, "julian") == (3, 13)
    assert civil_date(12, 19, "new") == (12, 19)


def test_julian_name_day_across_the_year_end() -> None:
    # Ілля: 20 July and 19 December (new) are 2 August and 1 January (Julian).
    assert day_of("Ілля", datetime.date(1990, 12, 25), tradition="julian") == (1, 1)
    assert day_of("Ілля", datetime.date(1990, 12, 25), tradition="new") == (7, 20)
    assert day_of("Ілля", datetime.date(1990, 12, 10), tradition="new") == (12, 19)
    # A birthday on 1 January is on the Julian feast that the new calendar keeps on 19 December.
    assert day_of("Illia", datetime.date(1990, 1, 1), tradition="julian") == (1, 1)
    # On 2 January the Julian calendar's next feast is in August.
    assert day_of("Ilya", datetime.date(1990, 1, 2), tradition="julian") == (8, 2)


def test_an_unknown_tradition_is_the_new_calendar() -> None:
    assert day_of("Юрій", tradition="") == (4, 23)


def test_the_table_is_large_unambiguous_and_names_its_sources() -> None:
    table = name_table()
    given_names = {spelling for entry in table.entries for spelling in entry.spellings}
    cyrillic = {name for name in given_names if not name.isascii()}

    assert len(table.entries) >= 250
    assert len(cyrillic) >= 300
    assert table.collisions == ()
    assert table.sources
    doc = json.loads(
        resources.files("clientela.occasions.namedays")
        .joinpath("data/namedays.json")
        .read_text("utf-8")
    )
    assert any("pomisna" in source for source in doc["source"])


def test_every_entry_has_one_main_feast_listed_first_and_real_dates() -> None:
    for entry in name_table().entries:
        assert entry.feasts, entry.church_name
        assert entry.feasts[0].main, entry.church_name
        assert sum(feast.main for feast in entry.feasts) == 1, entry.church_name
        for feast in entry.feasts:
            datetime.date(2000, feast.month, feast.day)  # raises on 31 April
            assert feast.saint
            names = name_table().saints[feast.saint]
            assert names["ru"].strip(), feast.saint
            assert names["en"].strip(), feast.saint
            assert not re.search("[іїєґІЇЄҐ]", names["ru"]), names["ru"]  # Ukrainian letters
            assert not re.search("[а-яА-ЯёЁ]", names["en"]), names["en"]  # Cyrillic


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uk", "блгв. кн. Олександр Невський (перенесення мощей)"),
        ("ru", "блгв. кн. Александр Невский (перенесение мощей)"),
        ("en", "Right-believing Prince Alexander Nevsky (translation of relics)"),
        ("en-us", "Right-believing Prince Alexander Nevsky (translation of relics)"),
    ],
)
def test_a_saint_is_named_in_each_language(language: str, expected: str) -> None:
    found = name_day_for("Олександр", birth=None, tradition="new")
    assert found is not None

    assert saint_name(found.saint, language) == expected


def test_text_that_is_not_a_saint_of_the_table_stays_as_it_is() -> None:
    assert saint_name("Весілля", "en") == "Весілля"


def test_latin_variants_fold_to_their_cyrillic_keys() -> None:
    assert fold_word("Olena") == fold_word("Олена")
    assert fold_word("Yurii") == fold_word("Юрій")


def test_bohdan_is_feodot_given_by_god() -> None:
    """Богдан translates Феодот («given by God»): the feast of the martyr Feodot after the
    birthday, 18 May (Feodot of Ancyra) when it is unknown."""
    main = name_day_for("Богдан", birth=None, tradition="new")
    found = name_day_for("Bohdan", birth=datetime.date(1990, 8, 1), tradition="new")
    assert main is not None
    assert found is not None
    assert (main.month, main.day) == (5, 18)
    assert (found.month, found.day, found.church_name) == (9, 2, "Феодот")
