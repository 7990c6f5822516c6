"""Search reads the term index, never the whole contact table, on SQLite and PostgreSQL.

The plans are read from the database itself: on SQLite `EXPLAIN QUERY PLAN`, on PostgreSQL
`EXPLAIN` with sequential scans switched off (so a small test table cannot hide a missing
index), over two thousand contacts. Each database is asked twice: with the statistics it
keeps by itself (none on SQLite, where nothing runs ANALYZE; fresh ones on PostgreSQL, where
autovacuum does) and after an explicit ANALYZE.
"""

import re

import pytest
from django.db import connection
from django.db.models import QuerySet

from clientela.accounts.models import User
from clientela.contacts.models import Contact, ContactSearchTerm
from clientela.contacts.search import contacts_matching
from clientela.contacts.selectors import CONTACT_LIST_COLUMNS
from conftest import make_contact

QUERIES = ["shev", "Олена Шевченко", "067 123", "olena.shevchenko@example.com"]


def _plan(queryset: QuerySet) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return [row[0].strip() for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]


def _assert_term_index_drives(plan: list[str], query: str) -> None:
    text = f"query {query!r}:\n" + "\n".join(plan)
    if connection.vendor == "postgresql":
        assert "Seq Scan" not in text, text
        # The term ranges are index conditions on contact_term ...
        assert re.search(r"(Index (Only )?Scan using|Bitmap Index Scan on) contact_term", text), (
            text
        )
        assert re.search(r"Index Cond: \(+(\(term\)::text|term) >= '", text), text
        # ... and the contacts are then fetched one by one by their primary key.
        assert "Index Scan using contacts_contact_pkey on contacts_contact" in text, text
    else:
        assert connection.vendor == "sqlite"
        # No full scan of contacts or terms; the few users may be read whole for the owner join.
        scans = [line for line in plan if line.startswith("SCAN")]
        assert all(line.split()[:2] == ["SCAN", "accounts_user"] for line in scans), text
        assert any(
            "USING COVERING INDEX contact_term (term>? AND term<?)" in line for line in plan
        ), text
        assert any(line.startswith("SEARCH contacts_contact ") for line in plan), text


def _search_page(user: User, text: str) -> QuerySet:
    """The query of the search box (search_everything) and of a list filtered by `q`."""
    return (
        contacts_matching(Contact.objects.visible_to(user), text)
        .select_related("owner", "company")
        .only(*CONTACT_LIST_COLUMNS)
        .order_by("sort_name", "id")[:20]
    )


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.fixture
def many_contacts(owner: User, teammate: User, admin: User) -> Contact:
    """Two thousand contacts with unrelated terms, and one Олена Шевченко of `owner`."""
    owners = [owner, teammate, admin]
    contacts = Contact.objects.bulk_create(
        # as the services write them: each record carries its owner's team
        Contact(
            owner=owners[i % 3],
            team_id=owners[i % 3].team_id,
            first_name=f"N{i}",
            sort_name=f"n{i:05d}",
        )
        for i in range(2000)
    )
    ContactSearchTerm.objects.bulk_create(
        ContactSearchTerm(contact=c, term=f"w{(i * 7919) % 1_000_003:07d}")
        for i, c in enumerate(contacts)
    )
    return make_contact(owner, phones=["067 123 45 67"], emails=["olena.shevchenko@example.com"])


@pytest.mark.parametrize("persona", ["admin", "lead", "owner"])
def test_search_uses_the_term_index_with_the_statistics_the_database_keeps(
    request: pytest.FixtureRequest, many_contacts: Contact, persona: str
) -> None:
    # given
    if connection.vendor == "postgresql":
        _analyze()  # what autovacuum does after a bulk load; SQLite never does it by itself
    user = request.getfixturevalue(persona)

    for text in QUERIES:
        # when
        found = list(_search_page(user, text))

        # then
        assert [c.pk for c in found] == [many_contacts.pk], text
        _assert_term_index_drives(
            _plan(contacts_matching(Contact.objects.visible_to(user), text)), text
        )
        _assert_term_index_drives(_plan(_search_page(user, text)), text)


@pytest.mark.parametrize("persona", ["admin", "lead", "owner"])
def test_search_uses_the_term_index_after_analyze(
    request: pytest.FixtureRequest, many_contacts: Contact, persona: str
) -> None:
    _analyze()
    user = request.getfixturevalue(persona)

    for text in QUERIES:
        _assert_term_index_drives(
            _plan(contacts_matching(Contact.objects.visible_to(user), text)), text
        )
        _assert_term_index_drives(_plan(_search_page(user, text)), text)
