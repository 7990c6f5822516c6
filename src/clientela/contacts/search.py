"""The search index of contacts and companies, and the one search box over both.

Each record keeps its folded name words, phone digits and email parts as rows of a narrow
table with an index on the term, so a search is a range scan of that index on SQLite and
PostgreSQL alike (no full scan of the contacts), intersected per query word and then filtered
by what the user may see.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from clientela.contacts.models import (
    Channel,
    Company,
    CompanySearchTerm,
    Contact,
    ContactSearchTerm,
)
from clientela.core.text import (
    PHONE_QUERY_RE,
    email_terms,
    fold_prefixes,
    fold_word,
    name_terms,
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
        if len(digits) >= 5:
            return ParsedQuery([{digits}])
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
            if part.isascii():
                # Email terms are not folded: "zhenya" must still find "zhenya@…".
                prefixes |= email_terms(part)
            if prefixes:
                groups.append(prefixes)
    return ParsedQuery(groups)


def _ids_matching(term_model: type[Model], fk: str, query: ParsedQuery) -> QuerySet:
    ids: QuerySet | None = None
    for alternatives in query.groups:
        condition = Q()
        for prefix in alternatives:
            low, high = prefix_range(prefix)
            condition |= Q(term__gte=low, term__lt=high)
        group_ids = term_model.objects.filter(condition).values(fk)  # type: ignore[attr-defined]
        ids = group_ids if ids is None else ids.filter(**{f"{fk}__in": group_ids})
    assert ids is not None, "an empty query matches nothing and is answered before this"
    return ids


def contacts_matching(queryset: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    query = parse_query(text)
    if query.empty:
        return queryset.none()
    ids = _ids_matching(ContactSearchTerm, "contact_id", query)
    return queryset.filter(pk__in=ids)


def companies_matching(queryset: QuerySet[Company], text: str) -> QuerySet[Company]:
    query = parse_query(text)
    if query.empty:
        return queryset.none()
    ids = _ids_matching(CompanySearchTerm, "company_id", query)
    return queryset.filter(pk__in=ids)


@dataclass(frozen=True)
class SearchResults:
    query: str
    contacts: list[Any]
    companies: list[Any]

    @property
    def total(self) -> int:
        return len(self.contacts) + len(self.companies)
