"""Folding names, emails and phones into search terms (core.text)."""

import pytest

from clientela.core.text import (
    PHONE_QUERY_RE,
    email_terms,
    fold_prefixes,
    fold_word,
    name_terms,
    phone_terms,
    prefix_range,
    split_words,
    transliterate,
)


def _meet(query: str, stored: str) -> bool:
    """Whether typing `query` finds the word `stored` (a prefix match on folded keys)."""
    key = fold_word(stored)
    return any(key.startswith(prefix) for prefix in fold_prefixes(query))


# Spellings of one name in Ukrainian, Russian, the Ukrainian national Latin system and the
# usual Russian-style Latin spellings (BGN/PCGN, passports, English habit).
SAME_NAME = [
    ["Олена", "olena", "OLENA", "Olena"],
    ["Шевченко", "Shevchenko", "shevchenko", "SHEVCHENKO"],
    ["Григорій", "Григорий", "Hryhorii", "Hryhoriy", "Grigoriy", "Grigorii", "Grigory"],
    ["Юрій", "Юрий", "Yurii", "Yuriy", "Yury", "Iurii", "Jurij"],
    ["Хмельницький", "Хмельницкий", "Khmelnytskyi", "Khmelnytskyy", "Khmelnitsky"],
    ["Наталія", "Наталья", "Наталия", "Nataliia", "Natalia", "Natalya", "Nataliya"],
    ["Олексій", "Oleksii", "Oleksiy"],
    ["Алексей", "Aleksei", "Alexey", "Alexei", "Aleksey"],
    ["Ольга", "Olha", "Olga"],
    ["Анастасія", "Анастасия", "Anastasiia", "Anastasiya", "Anastasia"],
    ["Євген", "Yevhen", "Ievgen", "Evhen"],
    ["Евгений", "Yevgeniy", "Evgeniy", "Evgenii", "Yevgeny"],
    ["Елена", "Yelena", "Elena"],
    ["Екатерина", "Yekaterina", "Ekaterina"],
    ["Катерина", "Kateryna", "Katerina"],
    ["Жук", "Zhuk"],
    ["Цой", "Tsoi", "Tsoy"],
    ["Щербак", "Shcherbak", "Scherbak"],
    ["Мар'яна", "Мар’яна", "Maryana", "Mariana", "Mar'iana"],
    ["Ігор", "Ihor", "Igor", "Игорь"],
    ["Дмитро", "Dmytro"],
    ["Дмитрий", "Dmitriy", "Dmitry", "Dmitrii"],
    ["Андреев", "Andreyev", "Andreev"],
    ["Николаев", "Nikolayev", "Nikolaev"],
    ["Воєвода", "Воевода", "Voievoda", "Voyevoda"],
]


@pytest.mark.parametrize("spellings", SAME_NAME, ids=lambda names: names[0])
def test_spellings_of_one_name_share_one_key(spellings: list[str]) -> None:
    keys = {fold_word(name) for name in spellings}

    assert len(keys) == 1, {name: fold_word(name) for name in spellings}


# Different names, even where one is the Ukrainian and the other the Russian form of the same
# Christian name: a search for one must not bring the other.
DIFFERENT_NAMES = [
    ("Олексій", "Алексей"),
    ("Oleksii", "Aleksei"),
    ("Олена", "Елена"),
    ("Olena", "Yelena"),
    ("Сергій", "Сергей"),
    ("Андрій", "Андрей"),
    ("Катерина", "Екатерина"),
    ("Дмитро", "Дмитрий"),
    ("Шевченко", "Коваленко"),
    ("Петро", "Павло"),
]


@pytest.mark.parametrize(("first", "second"), DIFFERENT_NAMES)
def test_different_names_do_not_find_each_other(first: str, second: str) -> None:
    assert not _meet(first, second)
    assert not _meet(second, first)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("shev", "Шевченко"),
        ("Шев", "Shevchenko"),
        ("Shevch", "Шевченко"),
        ("Myk", "Михайло"),  # "kh" cut after the k
        ("Myk", "Микола"),
        ("Robert", "Robertson"),  # "ts" cut after the t
        ("Khmelnyt", "Хмельницький"),
        ("Shc", "Щербак"),  # "shch" cut after the c
        ("Ye", "Елена"),
        ("Nataliy", "Наталія"),
        ("Hryh", "Григорій"),
        ("Grig", "Григорій"),
        ("Andrey", "Андреев"),  # "ye" cut after the y
        ("Andrey", "Андрей"),
    ],
)
def test_the_start_of_a_word_finds_the_word(typed: str, stored: str) -> None:
    assert _meet(typed, stored)


def test_cyrillic_start_is_not_stretched_to_another_letter() -> None:
    # "Мик" ends in к, a whole letter; only the Latin "Myk" may be the start of "Mykh".
    assert _meet("Мик", "Микола")
    assert not _meet("Мик", "Михайло")


def test_fold_word_keeps_only_lower_latin_letters_and_digits() -> None:
    for word in ["Мар'яна", "O'Brien", "Łukasz", "Zoë", "Ёлка", "Straße", "2024"]:
        folded = fold_word(word)
        assert folded
        assert folded.isascii()
        assert folded == folded.lower()
        assert folded.isalnum()


def test_fold_word_of_punctuation_is_empty() -> None:
    assert fold_word("—!?") == ""
    assert fold_prefixes("—!?") == set()


def test_transliterate_is_lower_case_latin() -> None:
    assert transliterate("Щука Їжак Ґанок") == "shchuka izhak ganok"


def test_split_words_keeps_apostrophes_and_splits_hyphens() -> None:
    assert split_words("Шевченко-Петренко Мар'яна, O’Brien") == [
        "Шевченко",
        "Петренко",
        "Мар'яна",
        "O’Brien",
    ]


def test_name_terms_are_the_folded_words_of_every_text() -> None:
    assert name_terms("Олена", "Петрівна", None, "Шевченко-Петренко") == {
        "olena",
        "petrivna",
        "sevcenko",
        "petrenko",
    }


def test_email_terms_are_the_address_and_its_local_part() -> None:
    assert email_terms(" O.Petrenko@Example.com ") == {"opetrenkoexamplecom", "opetrenko"}


def test_phone_terms_cover_international_national_and_short_forms() -> None:
    assert phone_terms("+380671234567") == {
        "380671234567",
        "0671234567",
        "671234567",
        "qq765432176",  # backwards, for a search by the last digits
    }


def test_prefix_range_contains_exactly_the_words_with_the_prefix() -> None:
    low, high = prefix_range("sev")
    inside = ["sev", "sevcenko", "sevzzzz", "sev0"]
    outside = ["se", "sew", "sevcenk"[:2], "sex", "a", "sf"]

    assert all(low <= word < high for word in inside)
    assert not any(low <= word < high for word in outside)


def test_prefix_range_after_z_and_9() -> None:
    assert prefix_range("abz") == ("abz", "ab{")
    low, high = prefix_range("ab9")
    assert low <= "ab99" < high
    assert not low <= "aba" < high


@pytest.mark.parametrize(
    ("text", "is_phone"),
    [
        ("067 123 45 67", True),
        ("+380671234567", True),
        ("(067)123-4567", True),
        ("067.123.45.67", True),
        ("0671", False),
        ("Shevchenko", False),
        ("067 ab", False),
    ],
)
def test_phone_query_shape(text: str, is_phone: bool) -> None:
    assert bool(PHONE_QUERY_RE.match(text)) is is_phone
