"""Folding of names, phones and emails into search terms.

A person types "olena" for "Олена", "Hryhorii" or "Grigoriy" for "Григорій", "Shevchenko" for
"Шевченко". Names are transliterated to Latin and then folded so that the spellings of the
common transliteration systems (Ukrainian national, Russian GOST/BGN, passport, German/Polish
habits) meet in one key: g/h, y/i/j, kh/h, ts/c/tz, ch/c, sh/s, zh/z and doubled letters are
merged, apostrophes and soft signs dropped, and "ye" after a vowel is "e" (Andreyev is Андреев,
Nikolayev Николаев). The rules are applied to stored names and to the query alike, and each
rule keeps a prefix of a word a prefix of its key, so a partial word still matches.

A phone is also kept backwards (`PHONE_TAIL` and the digits reversed), so that typing the last
digits of a number — "4567" — finds it with the same prefix scan.

Terms contain only [a-z0-9], which sort the same under every collation; that keeps the range
scans of `prefix_range` on an index correct on SQLite and PostgreSQL alike.
"""

import re
import unicodedata

import phonenumbers
from anyascii import anyascii

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "ё": "e", "ъ": "", "ы": "y", "э": "e",
}  # fmt: skip

# Longest first: "shch" must win over "sh" + "ch".
_FOLDS = [
    ("shch", "s"), ("sch", "s"), ("sh", "s"), ("zh", "z"), ("kh", "h"), ("ch", "c"),
    ("ts", "c"), ("tz", "c"), ("x", "ks"), ("w", "v"), ("g", "h"), ("y", "i"), ("j", "i"),
    ("q", "k"),
]  # fmt: skip
_FOLD_RE = re.compile("|".join(re.escape(src) for src, _ in _FOLDS))
# Russian "е" after a vowel is written "ye" by BGN/PCGN and English habit, "e" by others.
_VOWEL_YE_RE = re.compile(r"([aeiou])ie")
_FOLD_MAP = dict(_FOLDS)
_DOUBLES_RE = re.compile(r"(.)\1+")
_WORD_RE = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*", re.UNICODE)
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]")

MAX_TERM_LENGTH = 60


def transliterate(text: str) -> str:
    """Lower-case Latin for any script; Cyrillic by a fixed table that matches the folds."""
    lowered = unicodedata.normalize("NFC", text.lower())
    return anyascii("".join(_CYRILLIC.get(ch, ch) for ch in lowered)).lower()


def _fold_latin(latin: str) -> str:
    folded = _FOLD_RE.sub(lambda m: _FOLD_MAP[m.group(0)], latin)
    folded = _VOWEL_YE_RE.sub(r"\1e", folded)
    folded = _DOUBLES_RE.sub(r"\1", folded)
    # BGN/PCGN and English habit write a word-initial Russian "Е" and Ukrainian "Є" as "Ye":
    # Yelena is Елена, Yevhen is Євген, Yekaterina is Екатерина.
    if folded.startswith("ie"):
        folded = folded[1:]
    return folded[:MAX_TERM_LENGTH]


def fold_word(word: str) -> str:
    return _fold_latin(_NON_ALNUM_RE.sub("", transliterate(word)))


# A typed word may stop inside a pair of letters that folds to another letter: "Myk" may be
# the start of "Mykh…" (kh → h), "Robert" of "Roberts…" (ts → c), "Shc" of "Shch…" (→ s),
# "Andrey" of "Andreyev" (ye → e).
_DIGRAPH_TAILS = ("h", "s", "e")


def fold_prefixes(word: str) -> set[str]:
    """The keys that the words starting with `word` (as typed into a search box) begin with."""
    latin = _NON_ALNUM_RE.sub("", transliterate(word))
    key = _fold_latin(latin)
    if not key:
        return set()
    keys = {key}
    last = next((ch for ch in reversed(word) if ch.isalnum()), "")
    if not last.isascii():
        return keys  # Cyrillic letters transliterate to whole pairs: "Мик" is not "Мих…"
    for tail in _DIGRAPH_TAILS:
        longer = _fold_latin(latin + tail)
        if not longer.startswith(key):
            keys.add(longer)
    return keys


def split_words(text: str) -> list[str]:
    """The words of a name: "Шевченко-Петренко" is two words, "Мар'яна" one."""
    return _WORD_RE.findall(text or "")


def name_terms(*texts: str | None) -> set[str]:
    """Search terms for the words of names (people, firms, deals)."""
    terms = set()
    for text in texts:
        for word in split_words(text or ""):
            folded = fold_word(word)
            if folded:
                terms.add(folded)
    return terms


def email_terms(email: str) -> set[str]:
    """The address and its local part, folded to [a-z0-9] so "o.petrenko@" finds it too."""
    address = email.strip().lower()
    local = address.split("@", 1)[0]
    terms = {_NON_ALNUM_RE.sub("", address)[:MAX_TERM_LENGTH]}
    if local:
        terms.add(_NON_ALNUM_RE.sub("", local)[:MAX_TERM_LENGTH])
    return {term for term in terms if term}


# Marks a phone's reversed digits. No folded name starts with "qq" (q folds to k, doubles merge).
PHONE_TAIL = "qq"
MIN_TAIL_DIGITS = 4


def phone_tail_term(digits: str) -> str:
    """The term whose prefixes are the last digits of `digits`, read backwards."""
    return PHONE_TAIL + digits[::-1]


def phone_terms(e164: str) -> set[str]:
    """Digits of the number as typed internationally and nationally (with and without 0), and
    backwards, for a search by its last digits."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", e164)
        return {digits, phone_tail_term(digits)} if digits else set()
    national_format = phonenumbers.PhoneNumberFormat.NATIONAL
    national = re.sub(r"\D", "", phonenumbers.format_number(number, national_format))
    significant = phonenumbers.national_significant_number(number)
    terms = {term for term in {e164.lstrip("+"), national, significant} if term}
    return terms | {phone_tail_term(significant or e164.lstrip("+"))}


def prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high) such that every term starting with prefix lies inside (prefix is [a-z0-9]+)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


PHONE_QUERY_RE = re.compile(r"^\+?[\d\s().\-]{5,}$")
