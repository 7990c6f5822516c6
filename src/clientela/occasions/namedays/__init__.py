"""Name days: from a first name to the feast of its saint, in the client's church calendar.

`data/namedays.json` lists given names by their church name (Світлана is Фотинія, Юрій is
Георгій, Оксана is Ксенія) with their Ukrainian, Russian and Latin spellings and the fixed
feasts of the saints of that name, the main one first, each saint named in Ukrainian, Russian
and English; the file names its sources.

The feasts are the dates of the church calendar, which the new calendar (Orthodox Church of
Ukraine and Greek Catholics since 2023) keeps on the same civil dates; the Julian calendar keeps
them 13 days later (valid from 1900 to 2099). A name day is kept as the civil date of a common
year with a leap-year shift: a Julian feast of 16–28 February falls on 1–13 March in a common
year and one day earlier in a leap year (29 February–12 March), because the Julian February
passes over the civil 29 February; every other date has no shift. A name that is not in the
table has no name day: nothing is guessed.
"""

import datetime
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from clientela.core.text import fold_word, split_words

NEW = "new"
JULIAN = "julian"
JULIAN_SHIFT = datetime.timedelta(days=13)
COMMON_YEAR = 2023
LEAP_YEAR = 2024


@dataclass(frozen=True)
class Feast:
    month: int  # of the church calendar (= the new calendar's civil date)
    day: int
    saint: str  # in Ukrainian; `saint_name` gives it in Russian or English
    main: bool


@dataclass(frozen=True)
class NameEntry:
    church_name: str
    feasts: tuple[Feast, ...]
    spellings: tuple[str, ...]


@dataclass(frozen=True)
class NameDay:
    month: int  # civil date in the given tradition
    day: int
    saint: str
    church_name: str
    tradition: str
    main: bool
    leap_shift: int = 0  # days to add to (month, day) in a leap year: 0 or -1 (see leap_shift)


@dataclass(frozen=True)
class NameTable:
    entries: tuple[NameEntry, ...]
    by_key: dict[str, NameEntry]
    collisions: tuple[tuple[str, str, str], ...]  # (key, kept church name, other church name)
    sources: tuple[str, ...]
    saints: dict[str, dict[str, str]]  # the Ukrainian name of a saint -> {"ru": …, "en": …}


@cache
def name_table() -> NameTable:
    """The table, read once per process."""
    raw = resources.files(__package__).joinpath("data/namedays.json").read_text("utf-8")
    doc = json.loads(raw)
    entries: list[NameEntry] = []
    by_key: dict[str, NameEntry] = {}
    collisions: list[tuple[str, str, str]] = []
    saints: dict[str, dict[str, str]] = {}
    for item in doc["names"]:
        for f in item["feasts"]:
            saints[f["saint"]] = {"uk": f["saint"], "ru": f["saint_ru"], "en": f["saint_en"]}
        spellings = tuple(item["uk"] + item["ru"] + item["latin"])
        entry = NameEntry(
            church_name=item["church"],
            feasts=tuple(
                Feast(f["month"], f["day"], f["saint"], bool(f.get("main"))) for f in item["feasts"]
            ),
            spellings=spellings,
        )
        entries.append(entry)
        for spelling in spellings:
            key = fold_word(spelling)
            known = by_key.get(key)
            if known is None:
                by_key[key] = entry
            elif known is not entry:
                collisions.append((key, known.church_name, entry.church_name))
    return NameTable(tuple(entries), by_key, tuple(collisions), tuple(doc["source"]), saints)


def saint_name(saint: str, language: str) -> str:
    """A saint of the table (as a name day's occasion keeps it, in Ukrainian) named in
    `language` ("uk", "ru", "en", or a longer code such as "en-us"); text that is not a saint
    of the table comes back as it is."""
    return name_table().saints.get(saint, {}).get((language or "")[:2], saint)


def name_entry(first_name: str) -> NameEntry | None:
    """The church name of the first word of `first_name`, in any listed spelling, or None."""
    words = split_words(first_name or "")
    if not words:
        return None
    return name_table().by_key.get(fold_word(words[0]))


def civil_date(month: int, day: int, tradition: str) -> tuple[int, int]:
    """The civil (month, day) of a church-calendar date in `tradition`, in a common year:
    19 Dec is 1 Jan in Julian (`leap_shift` says how a leap year differs)."""
    if tradition != JULIAN:
        return month, day
    # 29 February (St John Cassian) exists only in leap years; the rest shift as in a common year.
    year = LEAP_YEAR if (month, day) == (2, 29) else COMMON_YEAR
    shifted = datetime.date(year, month, day) + JULIAN_SHIFT
    return shifted.month, shifted.day


def leap_shift(month: int, day: int, tradition: str) -> int:
    """The days to add to `civil_date` in a leap year: -1 for a Julian feast of 16–28 February
    (Julian 16 February is the civil 29 February of a leap year, not 1 March), 0 otherwise."""
    if tradition != JULIAN or (month, day) == (2, 29):
        return 0
    in_leap_year = datetime.date(LEAP_YEAR, month, day) + JULIAN_SHIFT
    as_stored = datetime.date(in_leap_year.year, *civil_date(month, day, tradition))
    return (in_leap_year - as_stored).days


def name_day_for(first_name: str, *, birth: datetime.date | None, tradition: str) -> NameDay | None:
    """The name day of someone called `first_name`: the first feast of the namesake on or after
    the birthday (after the last feast of the year, the first of the next), the main feast when
    the birthday is unknown; None when no saint of that name is known."""
    entry = name_entry(first_name)
    if entry is None or not entry.feasts:
        return None
    tradition = JULIAN if tradition == JULIAN else NEW
    dated = [(civil_date(f.month, f.day, tradition), f) for f in entry.feasts]
    if birth is None:
        (month, day), feast = next((d for d in dated if d[1].main), dated[0])
    else:
        dated.sort(key=lambda d: d[0])
        born = (birth.month, birth.day)
        (month, day), feast = next((d for d in dated if d[0] >= born), dated[0])
    shift = leap_shift(feast.month, feast.day, tradition)
    return NameDay(month, day, feast.saint, entry.church_name, tradition, feast.main, shift)
