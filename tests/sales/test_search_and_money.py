"""Deals found by title, and the money helpers of core."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clientela.core.money import CURRENCIES, clean_amount, clean_currency, validate_currency
from clientela.sales.models import Deal
from clientela.sales.search import deals_matching
from clientela.sales.selectors import DealFilters, deal_list, deals_search
from clientela.sales.services import deal_update
from sales.support import make_deal


def test_deals_matching_finds_by_words_of_the_title(owner, contact, sales):
    office = make_deal(owner, contact, title="Ремонт офісу на Подолі")
    make_deal(owner, contact, title="Поставка плитки")

    found = deals_matching(Deal.objects.all(), "remont podol")
    cyrillic = deals_matching(Deal.objects.all(), "ремонт")

    assert list(found) == [office]
    assert list(cyrillic) == [office]
    assert list(deals_matching(Deal.objects.all(), "x")) == []  # too short to search


def test_renamed_deal_is_found_by_its_new_title(owner, contact, sales):
    deal = make_deal(owner, contact, title="Стара назва")

    deal_update(actor=owner, deal=deal, data={"title": "Нова угода"})

    assert list(deals_matching(Deal.objects.all(), "нова")) == [deal]
    assert list(deals_matching(Deal.objects.all(), "стара")) == []


def test_search_shows_only_visible_deals(owner, teammate, lead, contact, sales):
    deal = make_deal(owner, contact, title="Ремонт офісу")

    assert deals_search(owner, "ремонт") == [deal]
    assert deals_search(lead, "ремонт") == [deal]
    assert deals_search(teammate, "ремонт") == []
    assert deal_list(teammate, DealFilters(q="ремонт")).items == []


def test_search_costs_two_queries(owner, contact, sales, django_assert_num_queries):
    for i in range(5):
        make_deal(owner, contact, title=f"Ремонт {i}")

    with django_assert_num_queries(2):
        found = deals_search(owner, "ремонт", limit=3)
        names = [(d.title, d.owner.username, d.stage.name) for d in found]

    assert len(names) == 3


@pytest.mark.parametrize("code", ["UAH", "EUR", "USD", "PLN", "GBP", "CHF", "CZK"])
def test_known_currencies(code):
    assert code in CURRENCIES
    validate_currency(code)


@pytest.mark.parametrize("code", ["uah", "XYZ", "", None, "EURO"])
def test_unknown_currencies_are_refused(code):
    with pytest.raises(ValidationError):
        validate_currency(code)


def test_clean_currency_forgives_case_and_spaces():
    assert clean_currency(" pln ") == "PLN"


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("10", "10.00"), ("0", "0.00"), (5, "5.00"), ("1,5", "1.50"), (Decimal("2.1"), "2.10")],
)
def test_amounts(raw, amount):
    assert clean_amount(raw) == Decimal(amount)


@pytest.mark.parametrize("raw", ["-0.01", "abc", "1.001", "NaN", "Infinity", "1e20", None, True])
def test_bad_amounts(raw):
    with pytest.raises(ValidationError):
        clean_amount(raw)
