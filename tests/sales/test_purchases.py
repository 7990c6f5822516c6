"""Purchases through the services, and a client's purchase rhythm with exact numbers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from clientela.core.errors import EditConflict
from clientela.sales.models import Purchase
from clientela.sales.selectors import purchase_rhythm
from clientela.sales.services import (
    purchase_create,
    purchase_delete,
    purchase_restore,
    purchase_update,
)
from conftest import make_company, make_contact
from sales.support import make_deal, make_purchase

DAY = datetime.date(2026, 1, 10)


def test_purchase_takes_owner_and_team_from_its_client(owner, lead, contact):
    # The lead records it, but the purchase is seen with the client, by the client's owner.
    purchase = make_purchase(lead, contact, DAY, amount="1200.50", currency="eur")

    purchase.refresh_from_db()
    assert (purchase.owner, purchase.team) == (owner, owner.team)
    assert (purchase.amount, purchase.currency) == (Decimal("1200.50"), "EUR")


def test_purchase_of_a_deal_takes_the_deal_client(owner, contact, sales):
    deal = make_deal(owner, contact)

    purchase = purchase_create(actor=owner, data={"deal": deal.pk, "date": DAY, "amount": 5})

    assert purchase.contact == contact
    assert purchase.deal == deal


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "-100"}, "amount"),
        ({"amount": None}, "amount"),
        ({"currency": "XXX"}, "currency"),
        ({"currency": "hryvnia"}, "currency"),
        ({"date": "10/01/2026"}, "date"),
        ({"date": None}, "date"),
        ({"discount_percent": "101"}, "discount_percent"),
        ({"discount_percent": "-1"}, "discount_percent"),
        ({"contact": None}, "contact"),
        ({"deal": 10**9}, "deal"),
        ({"description": "x" * 501}, "description"),
    ],
)
def test_bad_purchase_is_refused_by_field_and_nothing_saved(owner, contact, counts, data, field):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        purchase_create(
            actor=owner, data={"contact": contact.pk, "date": DAY, "amount": "10", **data}
        )

    assert field in caught.value.message_dict
    assert counts() == before


def test_purchase_cannot_be_in_the_future(owner, contact):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        make_purchase(owner, contact, tomorrow)

    assert list(caught.value.message_dict) == ["date"]


def test_purchase_of_an_invisible_client_is_refused(owner, outsider, counts):
    theirs = make_company(outsider)
    before = counts()

    with pytest.raises(ValidationError) as caught:
        make_purchase(owner, theirs, DAY)

    assert list(caught.value.message_dict) == ["company"]
    assert counts() == before


def test_update_delete_restore(owner, teammate, viewer, contact):
    purchase = make_purchase(owner, contact, DAY)

    with pytest.raises(Http404):
        purchase_update(actor=teammate, purchase=purchase, data={"amount": "1"})
    with pytest.raises(PermissionDenied):
        purchase_update(actor=viewer, purchase=purchase, data={"amount": "1"})
    with pytest.raises(ValidationError):
        purchase_update(actor=owner, purchase=purchase, data={"amount": "-1"})
    changed = purchase_update(
        actor=owner,
        purchase=purchase,
        data={"amount": "250", "discount_percent": "2.5"},
        expected_updated_at=purchase.updated_at,
    )
    assert (changed.amount, changed.discount_percent) == (Decimal("250.00"), Decimal("2.50"))
    with pytest.raises(EditConflict):
        purchase_update(
            actor=owner,
            purchase=purchase,
            data={"amount": "1"},
            expected_updated_at=purchase.updated_at,
        )

    purchase_delete(actor=owner, purchase=changed)
    assert not Purchase.objects.filter(pk=purchase.pk).exists()
    purchase_restore(actor=owner, purchase=changed)
    assert Purchase.objects.filter(pk=purchase.pk).exists()


# --- rhythm ------------------------------------------------------------------------------------


def _buy(owner, client, *days_and_amounts):
    for day, amount, currency in days_and_amounts:
        make_purchase(owner, client, day, amount=amount, currency=currency)


def test_rhythm_of_a_regular_client(owner, contact):
    # given: purchases on 1 Jan, 31 Jan (twice: one visit), 2 Mar; gaps 30 and 30 days
    _buy(
        owner,
        contact,
        (datetime.date(2026, 1, 1), "100.00", "UAH"),
        (datetime.date(2026, 1, 31), "50.25", "UAH"),
        (datetime.date(2026, 1, 31), "10.00", "EUR"),
        (datetime.date(2026, 3, 2), "200.00", "UAH"),
    )

    # when: 45 days after the last purchase, exactly 1.5 × 30
    rhythm = purchase_rhythm(owner, contact=contact, today=datetime.date(2026, 4, 16))

    # then
    assert rhythm.count == 4
    assert rhythm.totals == {"EUR": Decimal("10.00"), "UAH": Decimal("350.25")}
    assert (rhythm.first_date, rhythm.last_date) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 2),
    )
    assert rhythm.purchase_days == 3
    assert rhythm.average_interval_days == Decimal("30.0")
    assert rhythm.days_since_last == 45
    assert rhythm.expected_next == datetime.date(2026, 4, 1)
    assert rhythm.overdue is False  # not more than 1.5 × 30

    late = purchase_rhythm(owner, contact=contact, today=datetime.date(2026, 4, 17))
    assert late.days_since_last == 46
    assert late.overdue is True


def test_rhythm_with_uneven_gaps_rounds_for_show_only(owner, company):
    # gaps 10, 11 and 11 days: average 32 / 3 = 10.67
    _buy(
        owner,
        company,
        (datetime.date(2026, 5, 1), "1", "UAH"),
        (datetime.date(2026, 5, 11), "1", "UAH"),
        (datetime.date(2026, 5, 22), "1", "UAH"),
        (datetime.date(2026, 6, 2), "1", "UAH"),
    )

    at_16 = purchase_rhythm(owner, company=company, today=datetime.date(2026, 6, 18))
    at_17 = purchase_rhythm(owner, company=company, today=datetime.date(2026, 6, 19))

    assert at_16.average_interval_days == Decimal("10.7")
    assert at_16.expected_next == datetime.date(2026, 6, 13)  # 10.67 rounds to 11 days
    assert (at_16.days_since_last, at_16.overdue) == (16, False)  # 16 ≤ 16.0
    assert (at_17.days_since_last, at_17.overdue) == (17, True)  # 17 > 16.0


def test_two_purchase_days_are_no_rhythm_yet(owner, contact):
    _buy(
        owner,
        contact,
        (datetime.date(2025, 1, 1), "1", "UAH"),
        (datetime.date(2025, 1, 2), "1", "UAH"),
    )

    rhythm = purchase_rhythm(owner, contact=contact, today=datetime.date(2026, 1, 1))

    assert rhythm.count == 2
    assert rhythm.average_interval_days is None
    assert rhythm.expected_next is None
    assert rhythm.overdue is False
    assert rhythm.days_since_last == 364


def test_rhythm_without_purchases(owner, contact):
    rhythm = purchase_rhythm(owner, contact=contact)

    assert (rhythm.count, rhythm.totals, rhythm.last_date, rhythm.overdue) == (0, {}, None, False)


def test_rhythm_leaves_out_trashed_purchases_and_other_clients(owner, contact):
    other = make_contact(owner, first_name="Інший")
    _buy(owner, contact, (datetime.date(2026, 1, 1), "5", "UAH"))
    _buy(owner, other, (datetime.date(2026, 1, 2), "7", "UAH"))
    gone = make_purchase(owner, contact, datetime.date(2026, 1, 3), amount="9")
    purchase_delete(actor=owner, purchase=gone)

    rhythm = purchase_rhythm(owner, contact=contact, today=datetime.date(2026, 1, 5))

    assert (rhythm.count, rhythm.totals) == (1, {"UAH": Decimal("5.00")})


def test_rhythm_costs_two_queries(owner, contact, django_assert_num_queries):
    for month in range(1, 7):
        make_purchase(owner, contact, datetime.date(2025, month, 1))

    with django_assert_num_queries(2):
        rhythm = purchase_rhythm(owner, contact=contact, today=datetime.date(2025, 12, 1))

    assert rhythm.count == 6
