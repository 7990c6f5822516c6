"""The text of a greeting: its placeholders, checked when a template is saved, and filled in
for one client (a contact or a company) in the greeting's language.

Placeholders are written in braces: {first_name}, {formal_name}, {last_name}, {company},
{manager_name}, {occasion}. Anything else in braces — a typo such as {frist_name}, an
attribute such as {first_name.upper}, a lone "{" — is refused with the placeholder named, so a
client never receives "Dear {frist_name}".

{formal_name} is the polite address. In Ukrainian and Russian it is the first name with the
patronymic in the nominative, "Олена Петрівна": the vocative ("Олено Петрівно") cannot be
formed reliably from any name a person types in, and a wrong case reads worse than the
nominative, which every greeting card uses after "Шановна". In English it is the first and
last name, "Olena Shevchenko": "Ms Shevchenko" would need a gender Clientela does not record.

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
