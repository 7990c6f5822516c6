"""The search index of contacts and companies, and the one search box over both.

Each record keeps its folded name words, phone digits and email parts as rows of a narrow
table with an index on the term, so a search is a range scan of that index on SQLite and
PostgreSQL alike (no full scan of the contacts), intersected per query word and then filtered
by what the user may see.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from clientela.contacts.models import (
    Channel,
    Company,
    CompanySearchTerm,
    Contact,
    ContactSearchTerm,
)
from clientela.core.text import (
    MIN_TAIL_DIGITS,
    PHONE_QUERY_RE,
    email_terms,
    fold_prefixes,
    fold_word,
    name_terms,
    phone_tail_term,
    phone_terms,
    prefix_range,
    split_words,
)

MIN_QUERY_LENGTH = 2


def _record_terms(record: Contact | Company, channels: list[tuple[str, str]]) -> set[str]:
    if isinstance(record, Contact):
        terms = name_terms(record.first_name, record.middle_name, record.last_name)
    else:
        terms = name_terms(record.name, record.legal_id)
    for kind, value in channels:
        terms |= phone_terms(value) if kind == Channel.Kind.PHONE else email_terms(value)
    return terms


def search_index_update(record: Contact | Company, channels: list[tuple[str, str]]) -> None:
    """Replace the terms of one record; called by the services inside their transaction."""
    terms = _record_terms(record, channels)
    if isinstance(record, Contact):
        ContactSearchTerm.objects.filter(contact=record).delete()
        ContactSearchTerm.objects.bulk_create(
            ContactSearchTerm(contact=record, term=t) for t in terms
        )
    else:
        CompanySearchTerm.objects.filter(company=record).delete()
        CompanySearchTerm.objects.bulk_create(
            CompanySearchTerm(company=record, term=t) for t in terms
        )


@dataclass(frozen=True)
class ParsedQuery:
    """Each element is a set of alternative prefixes; a record must match every element."""

    groups: list[set[str]]

    @property
    def empty(self) -> bool:
        return not self.groups


def parse_query(text: str) -> ParsedQuery:
    """The words of a query, each a set of alternative prefixes; fewer than 2 characters: none."""
    text = text.strip()
    if len(text) < MIN_QUERY_LENGTH:
        return ParsedQuery([])
    if PHONE_QUERY_RE.match(text):
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= MIN_TAIL_DIGITS:
            # The start of a number in any format, or its last digits ("45 67").
            return ParsedQuery([{digits, phone_tail_term(digits)}])
    groups = []
    for word in text.split():
        if "@" in word or "." in word:
            # An email or a part of one, kept whole: "o.petrenko" is one term of the address.
            alternatives = email_terms(word)
            folded = fold_word(word)
            if folded:
                alternatives.add(folded)
            if alternatives:
                groups.append(alternatives)
            continue
        # A name is cut into words as the index cut it: "Шевченко-Петренко" is two words.
        for part in split_words(word):
            prefixes = fold_prefixes(part)
            if part.isdigit() and len(part) >= MIN_TAIL_DIGITS:
                prefixes.add(phone_tail_term(part))  # the last digits of a phone
            if part.isascii():
                # Email terms are not folded: "zhenya" must still find "zhenya@…".
                prefixes |= email_terms(part)
            if prefixes:
                groups.append(prefixes)
    return ParsedQuery(groups)


def _ranges(alternatives: set[str]) -> list[tuple[str, str]]:
    """The term ranges of a word's prefixes; a prefix inside another's range is dropped."""
    kept = [p for p in alternatives if not any(o != p and p.startswith(o) for o in alternatives)]
    return [prefix_range(prefix) for prefix in sorted(kept)]


def _ordered_groups(query: ParsedQuery) -> list[list[tuple[str, str]]]:
    """The words' ranges, the word with the longest prefix (likely the rarest) first."""
    groups = sorted(query.groups, key=lambda group: -min(len(p) for p in group))
    return [_ranges(group) for group in groups]


def _condition(ranges: list[tuple[str, str]]) -> Q:
    condition = Q()
    for low, high in ranges:
        condition |= Q(term__gte=low, term__lt=high)
    return condition


def _conditions(query: ParsedQuery) -> list[Q]:
    """One condition on the term column per word, the likely rarest first."""
    return [_condition(ranges) for ranges in _ordered_groups(query)]


def _matching(queryset: QuerySet, term_model: type[Model], fk: str, text: str) -> QuerySet:
    """Records having, for every word of `text`, a term that starts with one of its prefixes.

    The first word's matches are read from the term index (their number bounds the cost);
    each further word is checked per remaining record through the term table's record index.
    """
    query = parse_query(text)
    if query.empty:
        return queryset.none()
    first, *rest = _conditions(query)
    terms = term_model.objects  # type: ignore[attr-defined]
    queryset = queryset.filter(pk__in=terms.filter(first).values(fk))
    for condition in rest:
        queryset = queryset.filter(Exists(terms.filter(condition, **{fk: OuterRef("pk")})))
    return queryset


def ranked_ids(
    term_model: type[Model], fk: str, visible: QuerySet, text: str, limit: int
) -> list[int]:
    """Ids of the first `limit` matching records in the order of the term index.

    The search box shows the best matches, not an alphabetical list: closest words first
    ("olena" before "olenka"), then the oldest record. Read straight down the term index, this
    needs no sort of all matches, so "olena" among a million contacts costs what a rare name
    does. `visible` is the queryset of records the user may see; it is probed per term row by
    primary key (a correlated EXISTS, not a join, so that the planner cannot start from the
    user's records and sort all their terms).
    """
    query = parse_query(text)
    if query.empty:
        return []
    first, *rest = _ordered_groups(query)
    terms = term_model.objects  # type: ignore[attr-defined]
    candidates: list[tuple[str, int]] = []
    # One ordered scan per range of the first word: an OR of ranges would make the database
    # gather and sort every match instead of stopping after the first few.
    for low, high in first:
        rows = terms.filter(term__gte=low, term__lt=high)
        rows = rows.filter(Exists(visible.filter(pk=OuterRef(fk))))
        for ranges in rest:
            rows = rows.filter(Exists(terms.filter(_condition(ranges), **{fk: OuterRef(fk)})))
        # A record may match with two terms ("olena", "olenka"): read a few extra.
        candidates += rows.order_by("term", fk).values_list("term", fk)[: limit * 3]
    ids: list[int] = []
    for _term, pk in sorted(candidates):
        if pk not in ids:
            ids.append(pk)
            if len(ids) == limit:
                break
    return ids


def contacts_matching(queryset: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    return _matching(queryset, ContactSearchTerm, "contact_id", text)


def companies_matching(queryset: QuerySet[Company], text: str) -> QuerySet[Company]:
    return _matching(queryset, CompanySearchTerm, "company_id", text)


@dataclass(frozen=True)
class SearchResults:
    query: str
    contacts: list[Any]
    companies: list[Any]

    @property
    def total(self) -> int:
        return len(self.contacts) + len(self.companies)
