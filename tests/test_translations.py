"""Clientela speaks Ukrainian, Russian and English: the catalogs are complete and in step.

Every string a person sees is written in English in the code and templates, marked for
translation, and translated in src/clientela/locale/{uk,ru}. These tests keep it that way:

- every entry of the Ukrainian and Russian catalogs is translated (every plural form), none is
  fuzzy, and each translation keeps the placeholders and HTML tags of its English original;
- each compiled .mo holds exactly what its .po says (the .mo files are committed, so an
  install needs no gettext);
- the catalogs hold every string the sources mark, and nothing they no longer mark;
- templates show no English text outside {% translate %}/{% blocktranslate %}, and Python code
  passes no bare English string to messages, form labels, choices or validation errors;
- pages render in the language the reader chose.

After adding or changing a marked string, in src/clientela (with DJANGO_SETTINGS_MODULE set):
`django-admin makemessages -l uk -l ru -l en --no-obsolete --ignore 'migrations/*'`, translate
the new entries of uk and ru (no "#, fuzzy" left), then `django-admin compilemessages`.
The checks that need gettext skip without it, except under CI=true.
"""

import ast
import os
import re
import shutil
import struct
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.utils import translation

from clientela.contacts.models import Lifecycle
from conftest import client_for, make_company, make_contact

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "clientela"
LOCALE = PACKAGE / "locale"
TRANSLATED = ("uk", "ru")
ALL_LANGUAGES = ("uk", "ru", "en")
SHOWN = 10  # offenders listed in a failure message


def _gettext_tool(name: str) -> str:
    """The path of a gettext program; skipped without it, except under CI, where it must exist."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing: CI needs gettext (apt-get install gettext)")
        pytest.skip(f"{name} is not installed (apt-get install gettext)")
    return path


# --- reading .po and .mo files -----------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def where(self, path: Path) -> str:
        context = f" [{self.msgctxt}]" if self.msgctxt else ""
        return f"{path.relative_to(ROOT)}:{self.line}{context} {self.msgid!r}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") first. Enough of the format for ours."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry is not None:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if entry is None:
            entry = Entry(msgid="", line=number)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword == "msgstr":
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = value
            else:
                target = (keyword, 0)
                setattr(entry, keyword, value)
                if keyword == "msgid":
                    entry.line = number
        elif line.startswith('"') and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """The raw catalog of a .mo file: "ctx\\x04msgid[\\x00plural]" -> "msgstr[\\x00msgstr…]"."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    catalog = {}
    for i in range(count):
        length, offset = struct.unpack(
            order + "2I", data[originals + 8 * i : originals + 8 * i + 8]
        )
        key = data[offset : offset + length].decode("utf-8")
        length, offset = struct.unpack(
            order + "2I", data[translations + 8 * i : translations + 8 * i + 8]
        )
        catalog[key] = data[offset : offset + length].decode("utf-8")
    return catalog


def expected_mo(entries: list[Entry]) -> dict[str, str]:
    """What msgfmt puts in the .mo for these entries: translated, not fuzzy, not obsolete."""
    catalog = {}
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        forms = [entry.msgstr[i] for i in sorted(entry.msgstr)]
        if not any(forms) or (entry.msgid_plural is not None and not all(forms)):
            continue
        key = (
            entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\x00{entry.msgid_plural}"
        )
        if entry.msgctxt is not None:
            key = f"{entry.msgctxt}\x04{key}"
        catalog[key] = "\x00".join(forms)
    return catalog


def _comparable(catalog: dict[str, str]) -> dict[str, str]:
    """The catalog without the header's POT-Creation-Date, which msgfmt may leave out."""
    header = "".join(
        line
        for line in catalog.get("", "").splitlines(keepends=True)
        if not line.startswith("POT-Creation-Date:")
    )
    return {**catalog, "": header}


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def live(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid and not e.obsolete]


def _offenders(problems: list[str]) -> str:
    more = f"\n  … and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return "\n  " + "\n  ".join(problems[:SHOWN]) + more


# --- the catalogs are complete ----------------------------------------------------------------


def test_every_language_has_a_catalog_and_a_compiled_one() -> None:
    for language in ALL_LANGUAGES:
        assert po_path(language).is_file(), f"no catalog for {language}"
        assert po_path(language).with_suffix(".mo").is_file(), f"{language}: .mo not compiled"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    path = po_path(language)
    entries = parse_po(path)
    header = entries[0]
    assert header.msgid == "", "the catalog starts with its header"
    assert "fuzzy" not in header.flags, f"{path}: the header is marked fuzzy"
    assert f"Language: {language}\n" in header.msgstr[0]
    plurals = re.search(r"nplurals=(\d+)", header.msgstr[0])
    assert plurals is not None, f"{path}: no Plural-Forms header"
    nplurals = int(plurals.group(1))

    problems = []
    for entry in live(entries):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.where(path)}")
        wanted = range(nplurals) if entry.msgid_plural is not None else range(1)
        empty = [i for i in wanted if not entry.msgstr.get(i)]
        if empty:
            forms = f" (plural forms {empty})" if entry.msgid_plural is not None else ""
            problems.append(f"untranslated{forms}: {entry.where(path)}")
    assert not problems, f"{language}: {len(problems)} entries to translate:{_offenders(problems)}"
    assert len(live(entries)) > 100, "the catalog is suspiciously small"


# %(name)s, %s, %d, %5.2f (never %%), and {name}/{0}/{} for str.format and JavaScript.
_PRINTF = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
_BRACES = re.compile(r"(?<!\{)\{[\w.]*\}(?!\})")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _placeholders(text: str) -> Counter[str]:
    text = text.replace("%%", "")
    return Counter(_PRINTF.findall(text) + _BRACES.findall(text) + _TAG.findall(text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_placeholders_and_html(language: str) -> None:
    path = po_path(language)
    problems = []
    for entry in live(parse_po(path)):
        for index, text in sorted(entry.msgstr.items()):
            if not text:
                continue
            have = _placeholders(text)
            if entry.msgid_plural is None:
                allowed = [_placeholders(entry.msgid)]
            elif index == 0:
                # The first form answers 1 (and 21, 31… in Ukrainian and Russian): it may
                # follow either English form.
                allowed = [_placeholders(entry.msgid), _placeholders(entry.msgid_plural)]
            else:
                allowed = [_placeholders(entry.msgid_plural)]
            if have not in allowed:
                want = allowed[-1]
                missing = sorted((want - have).elements())
                extra = sorted((have - want).elements())
                problems.append(f"{entry.where(path)}: missing {missing}, extra {extra}")
    assert not problems, f"{language}: placeholders differ:{_offenders(problems)}"


# --- the compiled catalogs are in step ---------------------------------------------------------


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_compiled_catalog_matches_its_source(language: str) -> None:
    path = po_path(language)
    compiled = _comparable(read_mo(path.with_suffix(".mo")))
    expected = _comparable(expected_mo(parse_po(path)))
    stale = sorted(
        key for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key)
    )
    assert not stale, (
        f"{language}: django.mo is not compiled from django.po; run `django-admin "
        f"compilemessages` in src/clientela. Differences:{_offenders([repr(k) for k in stale])}"
    )


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_msgfmt_accepts_the_catalog_and_compiles_the_same(language: str, tmp_path: Path) -> None:
    msgfmt = _gettext_tool("msgfmt")
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(compiled), str(po_path(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt refuses {language}:\n{result.stderr}"
    committed = read_mo(po_path(language).with_suffix(".mo"))
    assert _comparable(read_mo(compiled)) == _comparable(committed), (
        f"{language}: django.mo is not compiled from django.po; run compilemessages"
    )


def _source_copy(destination: Path) -> Path:
    """The package's sources and catalogs, without what makemessages is not to read."""
    copy = destination / "clientela"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.mo", "static"),
    )
    return copy


def _keys(entries: list[Entry]) -> set[tuple[str | None, str, str | None]]:
    return {entry.key for entry in live(entries)}


def test_catalogs_hold_every_marked_string_and_no_other(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run makemessages on a copy of the sources: the committed catalogs must not change."""
    _gettext_tool("xgettext")
    _gettext_tool("msgmerge")
    copy = _source_copy(tmp_path)
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["uk"],
        no_obsolete=True,
        ignore_patterns=["migrations/*"],
        verbosity=0,
    )
    marked = _keys(parse_po(copy / "locale" / "uk" / "LC_MESSAGES" / "django.po"))
    for language in ALL_LANGUAGES:
        catalog = _keys(parse_po(po_path(language)))
        new = [f"not in the catalog: {key}" for key in sorted(map(str, marked - catalog))]
        gone = [f"marked nowhere: {key}" for key in sorted(map(str, catalog - marked))]
        assert not new + gone, (
            f"{language}: the catalog is not in step with the sources; in src/clientela run "
            "makemessages, translate the new entries, then compilemessages:"
            + _offenders(new + gone)
        )


# --- nothing shown in English by mistake -------------------------------------------------------

# Words a template may show untranslated: the product's name and technical terms.
ALLOWED_WORDS = {"Clientela", "API", "htmx", "E.164"}
# Attributes whose values a person reads (or hears, with a screen reader).
READ_ATTRIBUTES = {"title", "aria-label", "aria-description", "placeholder", "alt", "label"}
_MARK = "\x00"
_WORDS = re.compile(r"[A-Za-z]{3,}")
_SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}


def _without_template_code(source: str) -> str:
    """The template's HTML with every tag, variable and translated block replaced by a mark."""
    parts: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = (token.contents.split() or [""])[0]
            if closing is not None:
                if name == closing:
                    closing = None
                continue
            closing = _SKIPPED_BLOCKS.get(name)
            parts.append(_MARK)
        elif closing is not None or token.token_type == TokenType.COMMENT:
            continue
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        else:
            parts.append(_MARK)
    return "".join(parts)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._raw = 0  # inside <script> or <style>

    def _check(self, text: str) -> None:
        text = text.replace(_MARK, " ")
        for word in ALLOWED_WORDS:
            text = text.replace(word, " ")
        if _WORDS.search(text):
            self.found.append((self.getpos()[0], " ".join(text.split())))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._raw += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self._check(value)
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self._check(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._raw = max(0, self._raw - 1)

    def handle_data(self, data: str) -> None:
        if not self._raw:
            self._check(data)


def untranslated_template_text(source: str) -> list[tuple[int, str]]:
    parser = _VisibleText()
    parser.feed(_without_template_code(source))
    parser.close()
    return parser.found


def _templates() -> Iterator[Path]:
    yield from sorted(PACKAGE.glob("**/templates/**/*.html"))


def test_the_template_check_sees_english_text() -> None:
    source = (
        '{% load i18n %}<h1>Clients</h1><a title="Go back">{% translate "Back" %}</a>'
        "{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}<b>{{ name }}</b> Clientela"
        '<input type="submit" value="Send"><script>let abc = 1</script>'
    )
    assert [text for _line, text in untranslated_template_text(source)] == [
        "Clients",
        "Go back",
        "Send",
    ]


def test_templates_show_no_untranslated_text() -> None:
    problems = []
    templates = list(_templates())
    assert templates, "no templates found"
    for path in templates:
        for line, text in untranslated_template_text(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(PACKAGE)}:{line}: {text!r}")
    assert not problems, (
        "English text outside {% translate %} or {% blocktranslate %}:" + _offenders(problems)
    )


_GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
# Calls whose string arguments reach a person: errors shown on pages and in the API; and the
# functions of django.contrib.messages (called as `messages.success(…)`).
_SHOWN_BY_CALLS = {"ValidationError", "PermissionDenied", "ApiError", "HttpError", "add_error"}
_MESSAGES = {"debug", "info", "success", "warning", "error", "add_message"}
# Keywords and class attributes that name things on a page (any word counts, "name" too).
_LABEL_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
_CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}
# Model fields whose first positional argument is the verbose name (not a related model).
_RELATION_FIELDS = {"ManyToManyField", "OneToOneField"}


def _looks_like_prose(text: str) -> bool:
    """English meant for a person, not a key, a code or a format: 'Save', 'Enter a number.'."""
    if not _WORDS.search(text):
        return False
    return bool(re.search(r"\s", text.strip())) or text[:1].isupper() or text.endswith(".")


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _shown_by(call: ast.Call) -> bool:
    name = _call_name(call)
    if name in _SHOWN_BY_CALLS:
        return True
    func = call.func
    return (
        name in _MESSAGES
        and isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "messages"
    )


def _is_model_field(call: ast.Call) -> bool:
    """`models.CharField(…)` and the like, whose first argument is the verbose name."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "models"
        and func.attr.endswith("Field")
        and func.attr not in _RELATION_FIELDS
    )


def _base_name(base: ast.expr) -> str:
    if isinstance(base, ast.Name):
        return base.id
    return base.attr if isinstance(base, ast.Attribute) else ""


def untranslated_python_strings(source: str) -> list[tuple[int, str]]:
    """Bare English strings handed to messages, errors, labels or choices in `source`."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def translated(node: ast.AST) -> bool:
        parent = parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Call) and _call_name(parent) in _GETTEXT:
                return True
            parent = parents.get(parent)
        return False

    def role(node: ast.AST) -> str | None:
        """ "label" for a name shown on a page, "message" for a sentence, None otherwise."""
        child, parent = node, parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Dict) and child in parent.keys:
                return None  # a field name keying errors, not a message
            if isinstance(parent, ast.keyword):
                return "label" if parent.arg in _LABEL_KEYWORDS else None
            if isinstance(parent, ast.Call):
                if child is parent.func:
                    return None
                if _shown_by(parent):
                    return "message"
                if _is_model_field(parent) and parent.args and child is parent.args[0]:
                    return "label"
                return None  # an argument of another function: a key, a name, a format
            if (
                isinstance(parent, ast.Tuple)
                and isinstance(parents.get(parent), ast.Assign)
                and child is not parent.elts[-1]
            ):
                return None  # a choice's stored value, not its label
            if isinstance(parent, ast.Assign):
                names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
                if names & {"verbose_name", "verbose_name_plural"}:
                    return "label"
                klass = parents.get(parent)
                if (
                    isinstance(klass, ast.ClassDef)
                    and any(_base_name(b) in _CHOICES_BASES for b in klass.bases)
                    and isinstance(parent.value, ast.Tuple)
                    and child is parent.value
                ):
                    return "label"  # NAME = value, label
                return None
            child, parent = parent, parents.get(parent)
        return None

    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        kind = role(node)
        if kind is None or not _WORDS.search(node.value):
            continue
        if kind == "message" and not _looks_like_prose(node.value):
            continue
        if not translated(node):
            found.append((node.lineno, node.value))
    return sorted(found)


def test_the_python_check_sees_bare_english() -> None:
    source = """
from django.utils.translation import gettext as _

class Stage(models.TextChoices):
    LEAD = "lead", "Lead"
    DONE = "done", _("Done")

class Thing(models.Model):
    name = models.CharField(_("name"), help_text="Shown under the input.")
    size = models.IntegerField("size")
    kind = models.CharField(_("kind"), default="Plain", choices=Kind.choices)
    owner = models.ManyToManyField("User", verbose_name=_("owner"))

    class Meta:
        verbose_name = "thing"

def view(request):
    messages.success(request, "Saved.")
    messages.success(request, _("Saved."))
    raise ValidationError({"birth_day": [_("There is no such date.")], "x": ["Bad value."]})
"""
    assert [text for _line, text in untranslated_python_strings(source)] == [
        "Lead",
        "Shown under the input.",
        "size",
        "thing",
        "Saved.",
        "Bad value.",
    ]


def test_python_code_hands_no_bare_english_to_people() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or "management" in path.parts:
            continue  # command-line output for operators stays English
        for line, text in untranslated_python_strings(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(PACKAGE)}:{line}: {text!r}")
    assert not problems, "English shown without gettext:" + _offenders(problems)


# --- pages in the reader's language ------------------------------------------------------------

NAV_ENGLISH = ("Dashboard", "Contacts", "Companies", "Trash", "Log out")
EXPECTED_WORDS = {
    "uk": ("Контакти", "Компанії", "Кошик", "Власник", "Вийти"),
    "ru": ("Контакты", "Компании", "Корзина", "Владелец", "Выйти"),
}


def _navigation(html: str) -> str:
    match = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert match is not None, "no main navigation on the page"
    return match.group(0)


@pytest.fixture
def records(owner: Any) -> None:
    company = make_company(owner)
    make_contact(owner, company=company.pk, lifecycle=Lifecycle.CUSTOMER, tags=["VIP"])


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("page", ["/contacts/", "/"])
def test_pages_speak_the_chosen_language(
    language: str, page: str, owner: Any, records: None, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"  # the cookie, not the site default, must decide
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for word in EXPECTED_WORDS[language][:2]:
        assert word in html, f"{page} in {language}: no “{word}”"
    if page == "/contacts/":
        for word in EXPECTED_WORDS[language][2:]:
            assert word in html, f"{page} in {language}: no “{word}”"
        stage = "Клієнт" if language == "uk" else "Клиент"
        assert f'<span class="badge">{stage}</span>' in html
    nav = _navigation(html)
    english = [word for word in NAV_ENGLISH if re.search(rf">\s*{word}\s*<", nav + html)]
    assert not english, f"{page} in {language} shows English: {english}"


def test_english_stays_english(owner: Any, records: None, settings: Any) -> None:
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/contacts/").content.decode()
    nav = _navigation(html)
    for word in ("Dashboard", "Contacts", "Companies", "Trash"):
        assert f">{word}</a>" in nav
    assert "Контакти" not in html
    assert "Контакты" not in html


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        (
            "uk",
            {
                1: "Змінено 1 контакт.",
                3: "Змінено 3 контакти.",
                5: "Змінено 5 контактів.",
                11: "Змінено 11 контактів.",
                21: "Змінено 21 контакт.",
            },
        ),
        (
            "ru",
            {
                1: "Изменён 1 контакт.",
                3: "Изменено 3 контакта.",
                5: "Изменено 5 контактов.",
                11: "Изменено 11 контактов.",
                21: "Изменён 21 контакт.",
            },
        ),
    ],
)
def test_plural_forms_follow_the_number(language: str, counts: dict[int, str]) -> None:
    from clientela.contacts.views.contacts import CONTACTS

    with translation.override(language):
        assert {n: CONTACTS.msg_bulk_done(n) for n in counts} == counts
        assert str(Lifecycle.LEAD.label) == {"uk": "Лід", "ru": "Лид"}[language]
