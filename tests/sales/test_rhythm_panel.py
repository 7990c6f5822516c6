"""The purchases panel of contact and company pages: the buying rhythm in words, the latest
purchases, the actions that record one, and a cost that does not grow with the purchases."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from clientela.core.extensions import actions_for
from clientela.sales.views.purchase_extensions import client_purchases
from conftest import client_for, make_company, make_contact
from sales.support import make_deal, make_purchase


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def panel_of(user: Any, url: str) -> str:
    """The purchases panel's HTML on the page at `url`."""
    page = client_for(user).get(url).content.decode()
    start = page.index('id="purchases"')
    return page[start : page.index("</section>", start)]


def test_a_regular_buyer_shows_count_totals_and_rhythm(owner, contact):
    for days in (100, 70, 40):
        make_purchase(owner, contact, days_ago(days), amount="100")
    make_purchase(owner, contact, days_ago(10), amount="50", currency="EUR")

    panel = panel_of(owner, f"/contacts/{contact.pk}/")

    assert "<dt>Purchases</dt><dd>4</dd>" in panel
    assert "300.00 UAH" in panel
    assert "50.00 EUR" in panel
    assert "Usually every 30 days" in panel
    assert date_format(days_ago(10), "DATE_FORMAT") in panel
    assert "(10 days ago)" in panel
    expected = date_format(days_ago(10) + datetime.timedelta(days=30), "DATE_FORMAT")
    assert f"next purchase expected around {expected}" in panel
    assert "Overdue" not in panel


def test_an_overdue_buyer_is_highlighted(owner, contact):
    for days in (275, 230, 185, 140):
        make_purchase(owner, contact, days_ago(days))

    panel = panel_of(owner, f"/contacts/{contact.pk}/")

    assert 'class="notice rhythm-overdue"' in panel
    assert (
        "<strong>Overdue to buy again:</strong> last purchase 140 days ago, usually every 45 days."
        in panel
    )
    assert "next purchase expected" not in panel


def test_a_buyer_just_inside_the_rhythm_is_not_overdue(owner, contact):
    # 67 days since the last purchase, every 45 days: within one and a half rhythms.
    for days in (157, 112, 67):
        make_purchase(owner, contact, days_ago(days))

    panel = panel_of(owner, f"/contacts/{contact.pk}/")

    assert "Usually every 45 days" in panel
    assert "Overdue" not in panel


def test_too_few_purchase_days_say_what_the_rhythm_needs(owner, contact):
    make_purchase(owner, contact, days_ago(30))
    make_purchase(owner, contact, days_ago(5))
    make_purchase(owner, contact, days_ago(5))  # the same day is one visit

    panel = panel_of(owner, f"/contacts/{contact.pk}/")

    assert "<dt>Purchases</dt><dd>3</dd>" in panel
    assert "The buying rhythm needs purchases on 3 different days; so far: 2." in panel
    assert "Usually every" not in panel
    assert "Overdue" not in panel


def test_no_purchases_yet_offers_to_add_one(owner, contact):
    panel = panel_of(owner, f"/contacts/{contact.pk}/")

    assert "No purchases yet." in panel
    assert f'href="/purchases/new/?contact={contact.pk}"' in panel


def test_the_panel_lists_the_last_five_and_links_to_all(owner, contact):
    for days in range(1, 8):
        make_purchase(owner, contact, days_ago(days * 10), description=f"покупка {days}")

    panel = panel_of(owner, f"/contacts/{contact.pk}/")

    assert (
        panel.count('href="/purchases/')
        - panel.count('href="/purchases/?')
        - panel.count('href="/purchases/new/')
        == 5
    )
    assert "покупка 1" in panel
    assert "покупка 5" in panel
    assert "покупка 6" not in panel
    assert f'href="/purchases/?contact={contact.pk}"' in panel
    assert "All 7 purchases" in panel


def test_a_company_page_has_its_own_panel(owner, company):
    for days in (90, 60, 30):
        make_purchase(owner, company, days_ago(days))

    panel = panel_of(owner, f"/companies/{company.pk}/")

    assert "Usually every 30 days" in panel
    assert f'href="/purchases/?company={company.pk}"' in panel
    assert f'href="/purchases/new/?company={company.pk}"' in panel


def test_the_panel_counts_only_what_the_reader_sees(owner, lead, contact):
    make_purchase(owner, contact, days_ago(10))

    panel = panel_of(lead, f"/contacts/{contact.pk}/")

    assert "<dt>Purchases</dt><dd>1</dd>" in panel


def test_actions_record_a_purchase_for_contacts_companies_and_deals(
    owner, viewer, contact, company, sales
):
    deal = make_deal(owner, contact)

    contact_page = client_for(owner).get(f"/contacts/{contact.pk}/").content.decode()
    company_page = client_for(owner).get(f"/companies/{company.pk}/").content.decode()

    assert f'href="/purchases/new/?contact={contact.pk}"' in contact_page
    assert f'href="/purchases/new/?company={company.pk}"' in company_page
    assert f"/purchases/new/?deal={deal.pk}" in [a.url for a in actions_for("deal", owner, deal)]
    assert not [a for a in actions_for("deal", viewer, deal) if "purchases" in a.url]
    assert not [a for a in actions_for("contact", viewer, contact) if "purchases" in a.url]


# --- the cost -----------------------------------------------------------------------------


def _page_queries(user: Any, url: str) -> int:
    client = client_for(user)
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_contact_page_costs_the_same_for_one_and_forty_purchases(owner):
    one = make_contact(owner, first_name="Один")
    many = make_contact(owner, first_name="Багато")
    make_purchase(owner, one, days_ago(3))
    for days in range(40):
        make_purchase(owner, many, days_ago(days * 7 + 1))

    assert _page_queries(owner, f"/contacts/{many.pk}/") == _page_queries(
        owner, f"/contacts/{one.pk}/"
    )


def test_the_company_page_costs_the_same_for_one_and_forty_purchases(owner):
    one = make_company(owner, name="Один")
    many = make_company(owner, name="Багато")
    make_purchase(owner, one, days_ago(3))
    for days in range(40):
        make_purchase(owner, many, days_ago(days * 7 + 1))

    assert _page_queries(owner, f"/companies/{many.pk}/") == _page_queries(
        owner, f"/companies/{one.pk}/"
    )


@pytest.mark.parametrize(("purchases", "queries"), [(0, 1), (1, 3), (40, 3)])
def test_the_panel_itself_is_a_fixed_number_of_queries(
    owner, contact, django_assert_num_queries, purchases, queries
):
    for days in range(purchases):
        make_purchase(owner, contact, days_ago(days * 3))
    request = RequestFactory().get("/")
    request.user = owner

    with django_assert_num_queries(queries):
        data = client_purchases(request, contact)

    assert data["rhythm"].count == purchases
    assert len(data["purchases"]) == min(purchases, 5)
