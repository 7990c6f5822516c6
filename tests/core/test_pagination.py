"""Keyset pagination (core.pagination) through the contact and company lists."""

import base64
import datetime
import math

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.contacts.selectors import (
    COMPANY_SORTS,
    CONTACT_SORTS,
    company_list,
    contact_list,
    list_filters_clean,
)
from clientela.core.pagination import Page, capped_count, keyset_page
from conftest import make_company, make_contact

SIZE = 5
NAMES = [
    ("Олена", "Шевченко"),
    ("Олена", "Шевченко"),
    ("Олена", "Шевченко"),
    ("Олена", "Шевченко"),
    ("Олена", "Шевченко"),
    ("Тарас", "Шевченко"),
    ("Andrii", "Shevchenko"),
    ("Anna", "Adams"),
    ("Anna", "adams"),
    ("Юрій", "Бондар"),
    ("Юрій", "бондар"),
    ("Zoe", "Zimmer"),
    ("Ірина", "Іваненко"),
    ("Їжак", "Їжаченко"),
    ("Єва", "Єрмак"),
    ("Ґанна", "Ґудзь"),
    ("Петро", "Петренко"),
    ("Petro", "Petrenko"),
    ("Марія", "Мельник"),
    ("Maria", "Melnyk"),
    ("Ольга", "Ткаченко"),
    ("Оля", "Ткаченко"),
    ("Яна", "Яковенко"),
]


@pytest.fixture
def contacts(owner: User) -> list[Contact]:
    """23 contacts with ties on every sort key: five share a name, some a created or updated
    time, so only the id separates them."""
    made = [make_contact(owner, first_name=first, last_name=last) for first, last in NAMES]
    same_time = datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.UTC)
    Contact.objects.filter(pk__in=[c.pk for c in made[3:9]]).update(created_at=same_time)
    Contact.objects.filter(pk__in=[c.pk for c in made[6:14]]).update(updated_at=same_time)
    return made


def _expected(order: list[str]) -> list[int]:
    ordering = [F(f[1:]).desc() if f.startswith("-") else F(f).asc() for f in order]
    return list(Contact.objects.order_by(*ordering).values_list("pk", flat=True))


def _walk_forward(user: User, sort: str) -> list[Page]:
    filters = list_filters_clean(user, {"sort": sort}, sorts=CONTACT_SORTS)
    pages = [contact_list(user, filters, size=SIZE)]
    while pages[-1].next_cursor:
        pages.append(contact_list(user, filters, cursor=pages[-1].next_cursor, size=SIZE))
        assert len(pages) <= 10, "the walk does not end"
    return pages


def _ids(page: Page) -> list[int]:
    return [item.pk for item in page.items]


@pytest.mark.parametrize("sort", list(CONTACT_SORTS))
def test_walking_forward_shows_every_row_once_in_order(
    owner: User, contacts: list[Contact], sort: str
) -> None:
    # when
    pages = _walk_forward(owner, sort)

    # then
    walked = [pk for page in pages for pk in _ids(page)]
    assert walked == _expected(CONTACT_SORTS[sort])
    assert len(walked) == len(set(walked)) == len(NAMES)
    assert len(pages) == math.ceil(len(NAMES) / SIZE)
    assert all(len(page.items) == SIZE for page in pages[:-1])
    assert pages[0].previous_cursor is None
    assert pages[-1].next_cursor is None
    assert all(page.previous_cursor for page in pages[1:])


@pytest.mark.parametrize("sort", list(CONTACT_SORTS))
def test_previous_cursor_returns_the_previous_page(
    owner: User, contacts: list[Contact], sort: str
) -> None:
    filters = list_filters_clean(owner, {"sort": sort}, sorts=CONTACT_SORTS)
    pages = _walk_forward(owner, sort)

    for i in range(len(pages) - 1, 0, -1):
        back = contact_list(owner, filters, cursor=pages[i].previous_cursor, size=SIZE)
        assert _ids(back) == _ids(pages[i - 1])
        # a page reached backwards leads forward again to where the user came from
        again = contact_list(owner, filters, cursor=back.next_cursor, size=SIZE)
        assert _ids(again) == _ids(pages[i])
        assert (back.previous_cursor is None) == (i == 1)


def test_walking_back_from_the_end_to_the_start(owner: User, contacts: list[Contact]) -> None:
    filters = list_filters_clean(owner, {}, sorts=CONTACT_SORTS)
    forward = _walk_forward(owner, "name")

    page = forward[-1]
    backward = [page]
    while page.previous_cursor:
        page = contact_list(owner, filters, cursor=page.previous_cursor, size=SIZE)
        backward.append(page)

    assert [_ids(p) for p in reversed(backward)] == [_ids(p) for p in forward]


def test_an_exact_number_of_pages_has_no_empty_last_page(owner: User) -> None:
    for i in range(2 * SIZE):
        make_contact(owner, first_name=f"Name{i:02d}")

    pages = _walk_forward(owner, "name")

    assert [len(p.items) for p in pages] == [SIZE, SIZE]
    assert pages[-1].next_cursor is None


def test_an_empty_list_is_one_empty_page(owner: User) -> None:
    page = contact_list(owner, list_filters_clean(owner, {}, sorts=CONTACT_SORTS))

    assert page == Page(items=[], next_cursor=None, previous_cursor=None)


def test_paging_keeps_the_filter(owner: User, contacts: list[Contact]) -> None:
    filters = list_filters_clean(owner, {"q": "Шевченко"}, sorts=CONTACT_SORTS)

    first = contact_list(owner, filters, size=SIZE)
    second = contact_list(owner, filters, cursor=first.next_cursor, size=SIZE)

    assert len(first.items) == SIZE
    assert len(second.items) == 2
    assert second.next_cursor is None
    assert {c.last_name for c in first.items + second.items} == {"Шевченко", "Shevchenko"}


def test_companies_walk_the_same_way(owner: User) -> None:
    for name in ["ТОВ Ромашка", "ТОВ Ромашка", "Acme", "ПрАТ Світанок", "acme", "Бета", "Альфа"]:
        make_company(owner, name=name)
    filters = list_filters_clean(owner, {"sort": "-name"}, sorts=COMPANY_SORTS)

    pages = [company_list(owner, filters, size=3)]
    while pages[-1].next_cursor:
        pages.append(company_list(owner, filters, cursor=pages[-1].next_cursor, size=3))

    walked = [pk for page in pages for pk in _ids(page)]
    expected = list(
        Company.objects.order_by(F("sort_name").desc(), F("id").desc()).values_list("pk", flat=True)
    )
    assert walked == expected


def _tampered(cursor: str) -> str:
    middle = len(cursor) // 2
    swapped = "A" if cursor[middle] != "A" else "B"
    return cursor[:middle] + swapped + cursor[middle + 1 :]


def _foreign_signature() -> str:
    payload = signing.dumps({"v": ["a", 1], "b": False}, salt="someone.else")
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "make_cursor",
    [
        pytest.param(lambda page: "garbage", id="garbage"),
        pytest.param(lambda page: "%%%", id="not-base64"),
        pytest.param(lambda page: base64.urlsafe_b64encode(b"\xff\xfe").decode(), id="not-utf8"),
        pytest.param(lambda page: _tampered(page.next_cursor), id="tampered"),
        pytest.param(lambda page: page.next_cursor[:-3], id="truncated"),
        pytest.param(lambda page: _foreign_signature(), id="other-salt"),
    ],
)
def test_a_forged_or_broken_cursor_is_a_validation_error_naming_cursor(
    owner: User, contacts: list[Contact], make_cursor: object
) -> None:
    filters = list_filters_clean(owner, {}, sorts=CONTACT_SORTS)
    first = contact_list(owner, filters, size=SIZE)
    cursor = make_cursor(first)  # type: ignore[operator]

    with pytest.raises(ValidationError) as caught:
        contact_list(owner, filters, cursor=cursor, size=SIZE)

    assert list(caught.value.message_dict) == ["cursor"]


@pytest.mark.parametrize(("made_for", "used_for"), [("name", "created"), ("name", "-name")])
def test_a_cursor_of_another_sort_is_a_validation_error_naming_cursor(
    owner: User, contacts: list[Contact], made_for: str, used_for: str
) -> None:
    # given a cursor of one sort (a client changed `sort` and kept `cursor`)
    made = list_filters_clean(owner, {"sort": made_for}, sorts=CONTACT_SORTS)
    cursor = contact_list(owner, made, size=SIZE).next_cursor

    # when it is used with another
    used = list_filters_clean(owner, {"sort": used_for}, sorts=CONTACT_SORTS)
    with pytest.raises(ValidationError) as caught:
        contact_list(owner, used, cursor=cursor, size=SIZE)

    # then
    assert list(caught.value.message_dict) == ["cursor"]


def test_keyset_page_refuses_a_cursor_of_another_length(owner: User) -> None:
    for i in range(3):
        make_contact(owner, first_name=f"N{i}")
    queryset = Contact.objects.all()
    cursor = keyset_page(queryset, order=["sort_name", "id"], cursor=None, size=1).next_cursor

    with pytest.raises(ValidationError) as caught:
        keyset_page(queryset, order=["id"], cursor=cursor, size=1)

    assert "cursor" in caught.value.message_dict


def test_capped_count_counts_up_to_the_cap(owner: User) -> None:
    for i in range(7):
        make_contact(owner, first_name=f"N{i}")
    queryset = Contact.objects.all()

    assert capped_count(queryset, 5) == (5, True)
    assert capped_count(queryset, 6) == (6, True)
    assert capped_count(queryset, 7) == (7, False)
    assert capped_count(queryset, 100) == (7, False)
    assert capped_count(queryset.none(), 5) == (0, False)


def test_capped_count_reads_at_most_cap_plus_one_rows(
    owner: User, django_assert_num_queries: object
) -> None:
    for i in range(4):
        make_contact(owner, first_name=f"N{i}")

    with django_assert_num_queries(1) as captured:  # type: ignore[operator]
        assert capped_count(Contact.objects.order_by("sort_name"), 2) == (2, True)

    sql = captured.captured_queries[0]["sql"].upper()
    assert "LIMIT 3" in sql
    assert "ORDER BY" not in sql
