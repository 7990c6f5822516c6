"""Plans chosen for scale give the same answers as the simple ones, and keep teams in step.

At a million contacts a lead's list reads a (team, name) index, a tag shared by many contacts
is probed per row of the ordered list, and the search box reads the term index in order
(see core.plans, accounts.visibility and contacts.search). These tests pin down that each
fast path answers exactly what the plain path answers.
"""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientela.accounts.models import Role, Team, User
from clientela.contacts.models import Contact
from clientela.contacts.selectors import (
    CONTACT_SORTS,
    contact_list,
    list_filters_clean,
    search_everything,
)
from clientela.contacts.services import contacts_bulk_reassign
from clientela.core import plans
from conftest import UserFactory, make_contact


def _page_ids(user: User, **params: str) -> list[int]:
    filters = list_filters_clean(user, params, sorts=CONTACT_SORTS)
    return [c.pk for c in contact_list(user, filters).items]


@pytest.mark.parametrize("sort", ["name", "-created"])
def test_dense_tag_plan_lists_exactly_what_the_sparse_plan_lists(
    owner: User, monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    # given six contacts, four of them tagged
    for i in range(6):
        make_contact(
            owner,
            first_name=f"Ім'я{i}",
            last_name=f"Прізвище{5 - i}",
            tags=["VIP"] if i % 3 else [],
        )

    # when the tag counts as rare, then as common
    monkeypatch.setattr(plans, "DENSE_LINKS", 1000)
    sparse = _page_ids(owner, tag="VIP", sort=sort)
    monkeypatch.setattr(plans, "DENSE_LINKS", 2)
    with CaptureQueriesContext(connection) as queries:
        dense = _page_ids(owner, tag="VIP", sort=sort)

    # then the page is the same, reached by probing each row (EXISTS) instead of gathering ids
    assert len(sparse) == 4
    assert dense == sparse
    assert "EXISTS" in queries.captured_queries[-1]["sql"]


def test_owner_moving_to_another_team_takes_the_records_along(
    owner: User, lead: User, team_b: Team, contact: Contact
) -> None:
    lead_b = UserFactory(username="lead_b", role=Role.LEAD, team=team_b)
    assert _page_ids(lead) == [contact.pk]

    owner.team = team_b
    owner.save()

    assert _page_ids(lead) == []
    assert _page_ids(lead_b) == [contact.pk]
    assert Contact.objects.get(pk=contact.pk).team_id == team_b.pk


def test_saving_other_fields_of_a_user_does_not_touch_its_records(
    owner: User, contact: Contact, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        owner.save(update_fields=["last_login"])


def test_reassigned_record_joins_the_new_owners_team(
    admin: User, lead: User, outsider: User, contact: Contact
) -> None:
    contacts_bulk_reassign(actor=admin, contact_ids=[contact.pk], owner=outsider)

    assert Contact.objects.get(pk=contact.pk).team_id == outsider.team_id
    assert _page_ids(lead) == []


def test_search_box_reads_the_term_index_in_order_without_sorting_all_matches(
    owner: User, admin: User
) -> None:
    # given more matches than the box shows
    made = [
        make_contact(owner, first_name="Олена", last_name=f"Прізвище{i:02d}") for i in range(25)
    ]

    with CaptureQueriesContext(connection) as queries:
        results = search_everything(admin, "olena", limit=20)

    # then the oldest twenty (all match the same word) are shown
    assert [c.pk for c in results.contacts] == [c.pk for c in made[:20]]
    ranked_sql = queries.captured_queries[0]["sql"]
    assert "contacts_contactsearchterm" in ranked_sql
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + ranked_sql)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        assert "contact_term" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("sort", ["name", "-name", "created", "-updated"])
def test_text_filtered_list_sorts_gathered_matches_in_the_same_order(
    owner: User, sort: str
) -> None:
    # given matches and non-matches interleaved in name order
    for i in range(7):
        first = "Олена" if i % 2 else "Ірина"
        make_contact(owner, first_name=first, last_name=f"Прізвище{i}")
    plain = list_filters_clean(owner, {"sort": sort}, sorts=CONTACT_SORTS)
    searched = list_filters_clean(owner, {"sort": sort, "q": "olena"}, sorts=CONTACT_SORTS)

    # when every page of the search is walked with the gathering plan
    walked, cursor = [], None
    with CaptureQueriesContext(connection) as queries:
        while True:
            page = contact_list(owner, searched, cursor=cursor, size=2)
            walked += [c.pk for c in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break

    # then it lists the matches in the order of the plain list, sorted without an index walk
    everything = [c.pk for c in contact_list(owner, plain).items]
    olenas = set(Contact.objects.filter(first_name="Олена").values_list("pk", flat=True))
    assert walked == [pk for pk in everything if pk in olenas]
    assert all("COALESCE" in q["sql"] for q in queries.captured_queries)
