"""Purchase pages: recording, reading, changing, trash and restore, the list with its filters,
and who may do what (every persona)."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clientela.core.models import AuditEvent
from clientela.sales.models import Purchase
from clientela.sales.services import purchase_delete
from conftest import client_for, make_company, make_contact
from sales.support import make_deal, make_purchase

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]
DAY = datetime.date(2026, 1, 10)
GOOD = {
    "date": "2026-01-10",
    "amount": "1 250,50",
    "currency": "EUR",
    "description": "Шини зимові",
    "discount_percent": "7,5",
}


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def purchase(owner, contact) -> Purchase:
    return make_purchase(owner, contact, DAY, amount="300.00", description="Мастило")


def purchase_rows() -> list[tuple[Any, ...]]:
    return list(
        Purchase.all_objects.order_by("pk").values_list(
            "pk", "date", "amount", "currency", "description", "discount_percent", "deleted_at"
        )
    )


# --- recording ----------------------------------------------------------------------------


def test_the_form_for_a_contact_names_the_client_and_starts_today(owner, contact):
    response = client_for(owner).get(f"/purchases/new/?contact={contact.pk}")

    page = response.content.decode()
    assert response.status_code == 200
    assert str(contact) in page
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert '<option value="UAH" selected>' in page


def test_a_purchase_is_recorded_for_a_contact_and_the_page_goes_back_to_it(owner, lead, contact):
    response = client_for(lead).post(f"/purchases/new/?contact={contact.pk}", GOOD)

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    purchase = Purchase.objects.get()
    assert (purchase.contact, purchase.owner, purchase.date) == (contact, owner, DAY)
    assert (purchase.amount, purchase.currency) == (Decimal("1250.50"), "EUR")
    assert (purchase.description, purchase.discount_percent) == ("Шини зимові", Decimal("7.5"))
    assert AuditEvent.objects.filter(object_id=purchase.pk, action="create", actor=lead).exists()


def test_a_purchase_is_recorded_for_a_company(owner, company):
    response = client_for(owner).post(f"/purchases/new/?company={company.pk}", GOOD)

    assert response["Location"] == f"/companies/{company.pk}/"
    assert Purchase.objects.get().company == company


def test_a_purchase_of_a_deal_starts_with_the_deal_value_and_takes_its_client(
    owner, contact, sales
):
    deal = make_deal(owner, contact, value="4800.00", currency="USD")
    client = client_for(owner)

    form = client.get(f"/purchases/new/?deal={deal.pk}")
    saved = client.post(f"/purchases/new/?deal={deal.pk}", {**GOOD, "currency": "USD"})

    page = form.content.decode()
    assert 'value="4800.00"' in page
    assert '<option value="USD" selected>' in page
    assert saved.status_code == 302
    purchase = Purchase.objects.get()
    assert (purchase.deal, purchase.contact) == (deal, contact)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-100"}, "amount"),
        ({"amount": ""}, "amount"),
        ({"amount": "сто"}, "amount"),
        ({"currency": "XXX"}, "currency"),
        ({"date": "2999-01-01"}, "date"),
        ({"date": "10.01.2026"}, "date"),
        ({"date": ""}, "date"),
        ({"discount_percent": "101"}, "discount_percent"),
        ({"discount_percent": "-3"}, "discount_percent"),
        ({"description": "x" * 501}, "description"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_saved(owner, contact, change, field):
    before = purchase_rows()
    audit = AuditEvent.objects.count()

    response = client_for(owner).post(f"/purchases/new/?contact={contact.pk}", {**GOOD, **change})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert purchase_rows() == before
    assert AuditEvent.objects.count() == audit


def test_a_future_date_is_refused_with_a_clear_message(owner, contact):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client_for(owner).post(
        f"/purchases/new/?contact={contact.pk}", {**GOOD, "date": tomorrow.isoformat()}
    )

    assert response.context["form"].errors["date"] == ["A purchase cannot be dated in the future."]
    assert not Purchase.objects.exists()


def test_without_a_client_the_page_helps_to_find_one(owner, contact):
    client = client_for(owner)

    empty = client.get("/purchases/new/")
    found = client.get("/purchases/new/", {"q": "Шевченко"})

    assert empty.status_code == 200
    assert "Whose purchase is it?" in empty.content.decode()
    assert f'href="/purchases/new/?contact={contact.pk}"' in found.content.decode()


# --- reading, changing, trash -------------------------------------------------------------


def test_the_purchase_page_shows_everything_recorded(owner, purchase, contact):
    page = client_for(owner).get(f"/purchases/{purchase.pk}/").content.decode()

    assert "Мастило" in page
    assert "300.00 UAH" in page
    assert f'href="/contacts/{contact.pk}/"' in page
    assert f'href="/purchases/{purchase.pk}/edit/"' in page


def test_a_purchase_is_changed(owner, purchase):
    client = client_for(owner)
    form = client.get(f"/purchases/{purchase.pk}/edit/")
    version = form.context["version"]

    response = client.post(
        f"/purchases/{purchase.pk}/edit/",
        {**GOOD, "amount": "320", "expected_updated_at": version},
    )

    assert response.status_code == 302
    purchase.refresh_from_db()
    assert (purchase.amount, purchase.currency) == (Decimal("320.00"), "EUR")
    event = AuditEvent.objects.filter(object_id=purchase.pk, action="update").get()
    assert event.changes["amount"] == ["300.00", "320.00"]


def test_a_bad_change_is_shown_and_nothing_saved(owner, purchase):
    before = purchase_rows()

    response = client_for(owner).post(
        f"/purchases/{purchase.pk}/edit/", {**GOOD, "discount_percent": "150"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["discount_percent"]
    assert purchase_rows() == before


def test_a_change_over_someone_elses_newer_change_is_refused(owner, lead, purchase):
    client = client_for(owner)
    version = client.get(f"/purchases/{purchase.pk}/edit/").context["version"]
    client_for(lead).post(
        f"/purchases/{purchase.pk}/edit/",
        {**GOOD, "amount": "999", "expected_updated_at": version},
    )

    response = client.post(
        f"/purchases/{purchase.pk}/edit/",
        {**GOOD, "amount": "111", "expected_updated_at": version},
    )

    assert response.status_code == 409
    assert "Someone else changed this purchase" in response.content.decode()
    purchase.refresh_from_db()
    assert purchase.amount == Decimal("999.00")


def test_a_purchase_goes_to_the_trash_and_its_owner_restores_it(owner, purchase, contact):
    client = client_for(owner)

    asked = client.get(f"/purchases/{purchase.pk}/delete/")
    deleted = client.post(f"/purchases/{purchase.pk}/delete/")

    assert asked.status_code == 200
    assert deleted["Location"] == f"/contacts/{contact.pk}/"
    assert client.get(f"/purchases/{purchase.pk}/").status_code == 404
    trash = client.get("/trash/").content.decode()
    assert f'action="/purchases/{purchase.pk}/restore/"' in trash

    restored = client.post(f"/purchases/{purchase.pk}/restore/")

    assert restored["Location"] == f"/purchases/{purchase.pk}/"
    purchase.refresh_from_db()
    assert purchase.deleted_at is None


# --- the list -----------------------------------------------------------------------------


def test_the_list_filters_by_client_owner_and_period(owner, lead, contact):
    other = make_contact(lead, first_name="Іван", last_name="Франко")
    make_purchase(owner, contact, datetime.date(2025, 12, 1), description="грудень")
    make_purchase(owner, contact, datetime.date(2026, 1, 5), description="січень")
    make_purchase(lead, other, datetime.date(2026, 1, 6), description="чужий")
    client = client_for(lead)

    def shown(**params: Any) -> list[str]:
        response = client.get("/purchases/", params)
        assert response.status_code == 200
        return [p.description for p, _link in response.context["rows"]]

    assert shown() == ["чужий", "січень", "грудень"]
    assert shown(contact=contact.pk) == ["січень", "грудень"]
    assert shown(owner=owner.pk) == ["січень", "грудень"]
    assert shown(owner="me") == ["чужий"]
    assert shown(date_from="2026-01-01") == ["чужий", "січень"]
    assert shown(date_from="2026-01-01", date_to="2026-01-05") == ["січень"]
    assert shown(sort="date", contact=contact.pk) == ["грудень", "січень"]
    assert "Олена" in client.get("/purchases/", {"contact": contact.pk}).content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "date_to"),
        ({"contact": "abc"}, "contact"),
        ({"sort": "amount"}, "sort"),
        ({"cursor": "forged"}, "cursor"),
    ],
)
def test_bad_list_filters_answer_400_naming_the_problem(owner, params, field):
    response = client_for(owner).get("/purchases/", params)

    assert response.status_code == 400
    assert f"<code>{field}</code>" in response.content.decode()


def test_the_list_pages_with_a_cursor(owner, contact, settings):
    settings.LIST_PAGE_SIZE = 2
    for day in range(1, 6):
        make_purchase(owner, contact, datetime.date(2026, 1, day), description=f"d{day}")
    client = client_for(owner)

    seen = []
    response = client.get("/purchases/")
    while True:
        seen += [p.description for p, _link in response.context["rows"]]
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        response = client.get("/purchases/", {"cursor": cursor})

    assert seen == ["d5", "d4", "d3", "d2", "d1"]


def test_the_list_costs_the_same_for_few_and_many_rows(owner, contact, company, sales):
    deal = make_deal(owner, contact)
    client = client_for(owner)
    make_purchase(owner, contact, DAY, deal=deal.pk)
    with CaptureQueriesContext(connection) as few:
        client.get("/purchases/")
    for i in range(30):
        make_purchase(owner, company if i % 2 else contact, DAY, deal=deal.pk)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/purchases/")

    assert len(response.context["rows"]) == 31
    assert len(many) == len(few)


def test_the_htmx_list_answers_with_the_results_only(owner, purchase):
    response = client_for(owner).get(
        "/purchases/", headers={"HX-Request": "true", "HX-Target": "results"}
    )

    page = response.content.decode()
    assert "Мастило" in page
    assert "<html" not in page


# --- who may do what ----------------------------------------------------------------------


def _status(client: Client, method: str, url: str) -> int:
    response = client.post(url) if method == "post" else client.get(url)
    return response.status_code


OPEN_PAGES = [
    ("get", "/purchases/", [200, 200, 200, 200, 200, 200]),
    ("get", "/purchases/new/", [200, 200, 200, 200, 200, 403]),
    ("get", "/purchases/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
    ("get", "/purchases/new/?company={company}", [200, 404, 200, 404, 200, 403]),
    ("post", "/purchases/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
]

RECORD_PAGES = [
    ("get", "/purchases/{purchase}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/purchases/{purchase}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/purchases/{purchase}/edit/", [200, 404, 200, 404, 200, 403]),
    ("get", "/purchases/{purchase}/delete/", [200, 404, 200, 404, 200, 403]),
    ("post", "/purchases/{purchase}/delete/", [302, 404, 302, 404, 302, 403]),
    # A live purchase is not in the trash: restoring it is "not found" for everyone.
    ("post", "/purchases/{purchase}/restore/", [404, 404, 404, 404, 404, 404]),
]

TRASHED_PAGES = [
    ("post", "/purchases/{purchase}/restore/", [302, 404, 404, 404, 302, 404]),
    ("get", "/purchases/{purchase}/", [404, 404, 404, 404, 404, 404]),
]


def _cases(table: list[tuple[str, str, list[int]]]) -> list[Any]:
    return [
        pytest.param(method, url, persona, expected[i], id=f"{persona}-{method}-{url}")
        for method, url, expected in table
        for i, persona in enumerate(PERSONAS)
    ]


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(OPEN_PAGES))
def test_open_pages(request, contact, company, method, url, persona, expected):
    user = request.getfixturevalue(persona)
    before = purchase_rows()

    address = url.format(contact=contact.pk, company=company.pk)

    assert _status(client_for(user), method, address) == expected
    assert purchase_rows() == before  # an empty form saves nothing


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(RECORD_PAGES))
def test_record_pages(request, purchase, method, url, persona, expected):
    user = request.getfixturevalue(persona)

    status = _status(client_for(user), method, url.format(purchase=purchase.pk))

    assert status == expected
    purchase.refresh_from_db()
    if status != 302:
        assert (purchase.amount, purchase.deleted_at) == (Decimal("300.00"), None)


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(TRASHED_PAGES))
def test_trashed_pages(request, owner, purchase, method, url, persona, expected):
    purchase_delete(actor=owner, purchase=purchase)
    user = request.getfixturevalue(persona)

    assert _status(client_for(user), method, url.format(purchase=purchase.pk)) == expected


def test_a_viewer_reads_purchases_without_buttons(viewer, contact, purchase):
    client = client_for(viewer)

    detail = client.get(f"/purchases/{purchase.pk}/").content.decode()
    listing = client.get("/purchases/").content.decode()
    contact_page = client.get(f"/contacts/{contact.pk}/").content.decode()

    assert "Мастило" in detail
    assert "/edit/" not in detail
    assert "/delete/" not in detail
    assert "Мастило" in listing
    assert "/purchases/new/" not in listing
    assert "Мастило" in contact_page
    assert "/purchases/new/" not in contact_page


def test_an_outsider_finds_nothing_of_another_team(outsider, owner, purchase, contact):
    company = make_company(owner, name="ТОВ Інша")
    make_purchase(owner, company, DAY)
    client = client_for(outsider)

    assert client.get("/purchases/").context["rows"] == []
    assert client.get("/purchases/", {"contact": contact.pk}).context["rows"] == []
    assert client.get(f"/purchases/{purchase.pk}/").status_code == 404
