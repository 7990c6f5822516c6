"""Lists cost the same number of queries for 3 rows as for 30: no query per row."""

import pytest
from api_support import api_as, session_api

from conftest import make_company, make_contact


@pytest.fixture(params=[3, 30], ids=["3 rows", "30 rows"])
def rows(request, owner, lead):
    """`rows` contacts and companies owned by `owner`, with a tag, a company and two channels."""
    firm = make_company(owner, name="Firm", tags=["vip"])
    for i in range(request.param):
        make_contact(
            owner,
            first_name=f"Name{i}",
            tags=["vip"],
            company=firm.pk,
            phones=[f"067 123 45 {i:02d}"],
            emails=[f"n{i}@example.com"],
        )
        make_company(owner, name=f"Firm {i}", tags=["vip"])
    return request.param


# Token check (its user joined) + the page; a tag named by text adds its lookup and the
# bounded count that picks the plan (core.plans); search reads ranked ids of contacts and
# companies, then those records.
TOKEN_LIST_QUERIES = 2


@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        ("/contacts", {}, TOKEN_LIST_QUERIES),
        ("/contacts", {"sort": "-updated", "lifecycle": "lead"}, TOKEN_LIST_QUERIES),
        ("/contacts", {"tag": "vip", "owner": "me"}, TOKEN_LIST_QUERIES + 2),
        ("/contacts", {"q": "name"}, TOKEN_LIST_QUERIES),
        ("/companies", {}, TOKEN_LIST_QUERIES),
        ("/companies", {"tag": "vip", "sort": "-created"}, TOKEN_LIST_QUERIES + 2),
        ("/search", {"q": "name"}, TOKEN_LIST_QUERIES + 2),
        ("/tags", {}, TOKEN_LIST_QUERIES),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    owner, rows, django_assert_num_queries, path, params, queries
):
    client = api_as(owner)
    client.get("/tags")  # the first call of a token records its use (one write a minute)

    with django_assert_num_queries(queries):
        response = client.get(path, params)

    assert response.status_code == 200
    body = response.json()
    if path == "/tags":
        assert [t["name"] for t in body] == ["vip"]
    else:
        shown = body["contacts"] if path == "/search" else body["items"]
        assert len(shown) >= min(rows, 20)


def test_lead_sees_the_team_at_the_same_cost(lead, rows, django_assert_num_queries):
    client = api_as(lead)
    client.get("/tags")

    with django_assert_num_queries(TOKEN_LIST_QUERIES):
        response = client.get("/contacts", {"limit": 200})

    assert len(response.json()["items"]) == rows


def test_next_page_costs_the_same(owner, rows, django_assert_num_queries):
    client = api_as(owner)
    cursor = client.get("/contacts", {"limit": 1}).json()["next_cursor"]

    with django_assert_num_queries(TOKEN_LIST_QUERIES):
        response = client.get("/contacts", {"limit": 1, "cursor": cursor})

    assert len(response.json()["items"]) == 1
    assert response.json()["previous_cursor"]


def test_session_list_costs_a_fixed_number_of_queries(owner, rows, django_assert_num_queries):
    client = session_api(owner)

    with django_assert_num_queries(3):  # session, user, page
        response = client.get("/contacts")

    assert len(response.json()["items"]) == rows
