"""The text of a greeting: its placeholders, checked when a template is saved, and filled in
for one client (a contact or a company) in the greeting's language.

Placeholders are written in braces: {dear}, {first_name}, {formal_name}, {last_name},
{company}, {manager_name}, {occasion}. Anything else in braces — a typo such as {frist_name}, an
attribute such as {first_name.upper}, a lone "{" — is refused with the placeholder named, so a
client never receives "Dear {frist_name}".

{formal_name} is the polite address. In Ukrainian and Russian it is the first name with the
patronymic in the nominative, "Олена Петрівна": the vocative ("Олено Петрівно") cannot be
formed reliably from any name a person types in, and a wrong case reads worse than the
nominative, which every greeting card uses after "Шановна". In English it is the first and
last name, "Olena Shevchenko": "Ms Shevchenko" would need a gender Clientela does not record.

{dear} is the polite opening that agrees with the client: "Шановна" or "Шановний", "Уважаемая"
or "Уважаемый", told by the patronymic (-івна, -овна, -ична, -кизи are a woman's; -ович, -евич,
-ич, -огли a man's), and "Шановна(ий)", "Уважаемая(ый)" when there is none to tell by; "Dear"
in English; "Шановні", "Уважаемые", "Dear" to a company.

A company is greeted by its name: {first_name}, {formal_name} and {company} are the company's
name (so "Dear {first_name}!" still reads "Dear Acme!"), and {last_name} is empty.
"""

import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from clientela.contacts.models import Company, Contact

PLACEHOLDERS = (
    "dear",
    "first_name",
    "formal_name",
    "last_name",
    "company",
    "manager_name",
    "occasion",
)

# How the occasion is named inside a greeting, in the greeting's language (the text goes to
# the client, whatever language the sender's screen is in).
OCCASION_WORDS: dict[str, dict[str, str]] = {
    "uk": {
        "birthday": "день народження",
        "name_day": "день ангела",
        "anniversary": "річниця нашої співпраці",
        "custom": "свято",
        "holiday": "свято",
    },
    "ru": {
        "birthday": "день рождения",
        "name_day": "день ангела",
        "anniversary": "годовщина нашего сотрудничества",
        "custom": "праздник",
        "holiday": "праздник",
    },
    "en": {
        "birthday": "birthday",
        "name_day": "name day",
        "anniversary": "anniversary of our work together",
        "custom": "celebration",
        "holiday": "holiday",
    },
}
LANGUAGES = tuple(OCCASION_WORDS)


def placeholder_problems(text: str) -> list[str]:
    """What is wrong with the braces of `text`, one message per problem (empty: all good)."""
    problems: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [
            _(
                "A brace is not closed or not opened: write placeholders as {first_name}, "
                "and a brace itself as {{ or }}."
            )
        ]
    allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name == "":
            problems.append(_("Empty braces {} are not a placeholder; use one of: %s.") % allowed)
        elif name not in PLACEHOLDERS or spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            problems.append(
                _("%(placeholder)s is not a placeholder; use one of: %(allowed)s.")
                % {"placeholder": shown, "allowed": allowed}
            )
    return list(dict.fromkeys(problems))


def template_errors(fields: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """{"subject": [...], "body": [...]} for the fields whose placeholders are wrong."""
    errors = {}
    for field, text in fields:
        problems = placeholder_problems(text)
        if problems:
            errors[field] = problems
    return errors


@dataclass(frozen=True)
class GreetingText:
    subject: str
    body: str


def formal_name(contact: Contact, language: str) -> str:
    """The polite address in `language` (see the module's docstring for why the nominative)."""
    if language in ("uk", "ru"):
        return contact.formal_name
    return " ".join(part for part in (contact.first_name, contact.last_name) if part)


def occasion_word(kind: str, language: str, label: str = "") -> str:
    """The occasion as the greeting names it: a custom date or a holiday by its own name."""
    if kind in ("custom", "holiday") and label:
        return label
    return OCCASION_WORDS.get(language, OCCASION_WORDS["en"]).get(kind, "")


# The polite opening, by language: (a woman, a man, either, a company).
DEAR: dict[str, tuple[str, str, str, str]] = {
    "uk": ("Шановна", "Шановний", "Шановна(ий)", "Шановні"),
    "ru": ("Уважаемая", "Уважаемый", "Уважаемая(ый)", "Уважаемые"),
    "en": ("Dear", "Dear", "Dear", "Dear"),
}
# Patronymic endings, in Cyrillic and in Latin transliteration.
WOMAN = ("івна", "ївна", "овна", "евна", "ична", "кизи", "кызы", "ivna", "yivna",
         "ovna", "evna", "ichna", "kyzy", "kizi", "qizi")  # fmt: skip
MAN = ("ович", "евич", "євич", "йович", "ич", "огли", "оглы", "ovych", "evych", "ovich",
       "evich", "ich", "ych", "ohly", "ogly", "oglu")  # fmt: skip


def patronymic_gender(patronymic: str) -> str:
    """ "f" or "m" as the patronymic's ending tells, "" when it tells nothing."""
    words = patronymic.strip().lower().replace("ё", "е").split()
    if not words:
        return ""
    last = words[-1]
    if last.endswith(WOMAN):
        return "f"
    if last.endswith(MAN):
        return "m"
    return ""


def dear(client: Contact | Company, language: str) -> str:
    """The polite opening for `client` in `language` (see the module's docstring)."""
    woman, man, either, company = DEAR.get(language, DEAR["en"])
    if isinstance(client, Company):
        return company
    gender = patronymic_gender(client.middle_name or "")
    return {"f": woman, "m": man}.get(gender, either)


def greeting_values(
    client: Contact | Company,
    *,
    sender: Any,
    language: str,
    occasion_kind: str,
    occasion_label: str = "",
) -> dict[str, str]:
    """The value of every placeholder for `client`, written by `sender`, in `language`."""
    if isinstance(client, Company):
        names = {
            "first_name": client.name,
            "formal_name": client.name,
            "last_name": "",
            "company": client.name,
        }
    else:
        names = {
            "first_name": client.first_name,
            "formal_name": formal_name(client, language),
            "last_name": client.last_name,
            "company": client.company.name if client.company_id and client.company else "",
        }
    return {
        **names,
        "dear": dear(client, language),
        "manager_name": sender.get_full_name() or sender.get_username(),
        "occasion": occasion_word(occasion_kind, language, occasion_label),
    }


def render_text(text: str, values: dict[str, str]) -> str:
    """`text` with its placeholders filled in; the text must have passed `placeholder_problems`."""
    return text.format_map(values)


def render_greeting(subject: str, body: str, values: dict[str, str]) -> GreetingText:
    # A subject is one line: a newline in it would break the email's headers.
    rendered = " ".join(render_text(subject, values).split())
    return GreetingText(subject=rendered, body=render_text(body, values))
