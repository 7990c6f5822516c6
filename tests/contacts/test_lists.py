"""List filters (bad values are a ValidationError naming the field) and the cost of a page."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact, Tag
from clientela.contacts.selectors import (
    COMPANY_SORTS,
    CONTACT_SORTS,
    ListFilters,
    company_list,
    contact_count,
    contact_list,
    list_filters_clean,
    search_everything,
)
from conftest import make_company, make_contact


def _clean(user: User, **params: Any) -> ListFilters:
    return list_filters_clean(user, params, sorts=CONTACT_SORTS)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lifecycle": "vip"}, "lifecycle"),
        ({"lifecycle": "LEAD"}, "lifecycle"),
        ({"sort": "birthday"}, "sort"),
        ({"sort": "name; DROP TABLE"}, "sort"),
        ({"tag": "no-such-tag"}, "tag"),
        ({"tag": "-1"}, "tag"),
        ({"owner": "boss"}, "owner"),
        ({"owner": "1.5"}, "owner"),
        ({"company": "romashka"}, "company"),
    ],
)
def test_unknown_filter_value_names_the_field(
    owner: User, params: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _clean(owner, **params)

    assert list(caught.value.message_dict) == [field]


def test_no_filters_means_everything_by_name(owner: User) -> None:
    assert _clean(owner) == ListFilters(sort="name")
    assert _clean(owner, owner="", tag="", lifecycle="", company="", q="  ", sort="") == (
        ListFilters(sort="name")
    )


def test_owner_me_is_the_user(owner: User) -> None:
    assert _clean(owner, owner="me").owner == owner.pk


def test_numbers_are_parsed(owner: User) -> None:
    tag = Tag.objects.create(name="VIP")

    filters = _clean(owner, owner="7", company="12", tag=str(tag.pk), lifecycle="customer")

    assert (filters.owner, filters.company, filters.tag, filters.lifecycle) == (
        7,
        12,
        tag.pk,
        "customer",
    )


@pytest.mark.parametrize("typed", ["vip", "VIP", " Vip "])
def test_tag_by_name_in_any_case(owner: User, typed: str) -> None:
    tag = Tag.objects.create(name="VIP")

    assert _clean(owner, tag=typed).tag == tag.pk


@pytest.mark.parametrize("typed", ["важливий", "ВАЖЛИВИЙ", "Важливий"])
def test_cyrillic_tag_by_name_in_any_case(owner: User, typed: str) -> None:
    tag = Tag.objects.create(name="Важливий")
    Tag.objects.create(name="Терміново")

    assert _clean(owner, tag=typed).tag == tag.pk


def test_filters_narrow_the_list(owner: User) -> None:
    # given
    company = make_company(owner)
    customer = make_contact(owner, first_name="Ірина", lifecycle="customer", tags=["VIP"])
    at_company = make_contact(owner, first_name="Павло", company=company.pk)
    make_contact(owner, first_name="Олег")

    def listed(**params: str) -> list[int]:
        return [c.pk for c in contact_list(owner, _clean(owner, **params)).items]

    # then
    assert listed(lifecycle="customer") == [customer.pk]
    assert listed(tag="vip") == [customer.pk]
    assert listed(company=str(company.pk)) == [at_company.pk]
    assert listed(q="Pavlo") == [at_company.pk]
    assert listed(owner="me", lifecycle="customer", tag="VIP") == [customer.pk]
    assert listed(lifecycle="former") == []


@pytest.mark.parametrize("field", ["owner", "company", "tag"])
@pytest.mark.parametrize("value", ["99999999999999999999999", "0", "-5"])
def test_an_id_out_of_range_names_the_field(owner: User, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _clean(owner, **{field: value})

    assert list(caught.value.message_dict) == [field]


def test_the_largest_id_lists_nothing(owner: User) -> None:
    make_contact(owner)

    filters = _clean(owner, owner=str(2**63 - 1), company=str(2**63 - 1))

    assert contact_list(owner, filters).items == []
    assert contact_count(owner, filters) == (0, False)


def test_count_is_capped(owner: User, settings: Any) -> None:
    settings.LIST_COUNT_CAP = 3
    for i in range(5):
        make_contact(owner, first_name=f"N{i}")

    assert contact_count(owner, _clean(owner)) == (3, True)


def test_list_rows_carry_what_the_page_shows(owner: User) -> None:
    company = make_company(owner)
    make_contact(owner, company=company.pk, phones=["067 123 45 67"], emails=["o@example.com"])

    [row] = contact_list(owner, _clean(owner)).items

    with CaptureQueriesContext(connection) as reads:
        shown = (
            row.full_name,
            row.primary_phone,
            row.primary_email,
            row.lifecycle,
            row.owner.username,
            row.company.name,
        )
    assert shown == (
        "Шевченко Олена",
        "+380671234567",
        "o@example.com",
        "lead",
        "owner",
        company.name,
    )
    assert len(reads) == 0


# --- queries per page -------------------------------------------------------------------------


def _fill(owner: User, teammate: User, lead: User, rows: int) -> None:
    companies = [make_company(owner, name=f"Firm {i}") for i in range(3)]
    owners = [owner, teammate, lead]
    for i in range(rows):
        make_contact(
            owners[i % 3],
            first_name=f"Олена{i}",
            company=companies[i % 3].pk if owners[i % 3] == owner else None,
            tags=["VIP"],
            lifecycle="customer",
        )


LIST_PARAMS = [
    pytest.param({}, id="plain"),
    pytest.param({"sort": "-updated"}, id="sorted"),
    pytest.param({"tag": "vip", "lifecycle": "customer"}, id="tag-and-stage"),
    pytest.param({"q": "олена"}, id="search"),
]


@pytest.mark.parametrize("params", LIST_PARAMS)
def test_contact_list_costs_the_same_few_queries_for_3_or_30_rows(
    lead: User, owner: User, teammate: User, django_assert_num_queries: Any, params: dict
) -> None:
    # given three rows, the cost of a page
    _fill(owner, teammate, lead, 3)
    filters = _clean(lead, **params)
    with CaptureQueriesContext(connection) as small:
        page = contact_list(lead, filters)
        [(c.owner.username, c.company and c.company.name) for c in page.items]
    assert len(page.items) == 3
    assert len(small) <= 3

    # when there are thirty rows
    _fill(owner, teammate, lead, 27)

    # then a page costs the same (filters parsed anew: they keep the plan they chose)
    filters = _clean(lead, **params)
    with django_assert_num_queries(len(small)):
        page = contact_list(lead, filters)
        [(c.owner.username, c.company and c.company.name) for c in page.items]
    assert len(page.items) == 30


def test_contact_list_next_page_costs_the_same(owner: User, django_assert_num_queries: Any) -> None:
    for i in range(12):
        make_contact(owner, first_name=f"N{i:02d}")
    filters = _clean(owner)
    first = contact_list(owner, filters, size=5)

    with django_assert_num_queries(1):
        second = contact_list(owner, filters, cursor=first.next_cursor, size=5)
        [c.owner.username for c in second.items]

    assert len(second.items) == 5


def test_company_list_costs_the_same_for_3_or_30_rows(
    owner: User, django_assert_num_queries: Any
) -> None:
    for i in range(3):
        make_company(owner, name=f"Firm {i}", tags=["опт"])
    filters = list_filters_clean(owner, {"tag": "опт"}, sorts=COMPANY_SORTS)
    with CaptureQueriesContext(connection) as small:
        [c.owner.username for c in company_list(owner, filters).items]
    assert len(small) <= 3

    for i in range(3, 30):
        make_company(owner, name=f"Firm {i}", tags=["опт"])

    filters = list_filters_clean(owner, {"tag": "опт"}, sorts=COMPANY_SORTS)
    with django_assert_num_queries(len(small)):
        page = company_list(owner, filters)
        [c.owner.username for c in page.items]
    assert len(page.items) == 30
    assert Company.objects.count() == 30


def test_search_costs_the_same_for_3_or_30_matches(
    owner: User, django_assert_num_queries: Any
) -> None:
    for i in range(3):
        make_contact(owner, first_name="Олена", last_name=f"Шевченко{i}")
        make_company(owner, name=f"Олена {i}")
    with CaptureQueriesContext(connection) as small:
        results = search_everything(owner, "olena")
        [(c.owner.username, c.company) for c in results.contacts]
    assert results.total == 6
    # ranked ids of contacts, of companies, then the few records of each
    assert len(small) <= 4

    for i in range(3, 30):
        make_contact(owner, first_name="Олена", last_name=f"Шевченко{i}")

    with django_assert_num_queries(len(small)):
        results = search_everything(owner, "olena")
        [(c.owner.username, c.company) for c in results.contacts]
    assert len(results.contacts) == 20
    assert Contact.objects.count() == 30


def test_tag_plan_is_chosen_once_for_the_count_and_the_page(
    owner: User, django_assert_num_queries: Any
) -> None:
    for i in range(3):
        make_contact(owner, first_name=f"N{i}", tags=["VIP"])
    filters = _clean(owner, tag="vip")
    contact_count(owner, filters)

    # the count chose the plan; the page does not count the tag again
    with django_assert_num_queries(1):
        page = contact_list(owner, filters)
    assert len(page.items) == 3
