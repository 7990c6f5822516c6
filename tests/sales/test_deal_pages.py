"""Deal pages: the list, a new deal, a deal's page, edit, trash and restore, history; the deals
panel, actions and search section on the pages of contacts and companies; who sees what."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientela.core import extensions
from clientela.core.money import CURRENCIES
from clientela.sales.models import Deal
from clientela.sales.services import deal_delete, deal_move_stage, deal_update
from conftest import client_for, make_company, make_contact
from sales.support import make_deal, make_purchase

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]


@pytest.fixture(autouse=True)
def english(settings):
    # Assertions read English text and English number formats.
    settings.LANGUAGE_CODE = "en"


def _titles(html: str) -> list[str]:
    return re.findall(r'<td><a href="/deals/\d+/">([^<]+)</a></td>', html)


def _deal_input(**overrides):
    data = {
        "title": "Поставка кави",
        "contact": "",
        "company": "",
        "value": "2500",
        "currency": "UAH",
        "pipeline": "",
        "stage": "",
        "lost_reason": "",
        "expected_close": "",
        "probability": "",
        "source": "",
        "owner": "",
    }
    data.update(overrides)
    return data


def _field_errors(html: str, name: str) -> str:
    """The text of the field box of input `name` (its label, input and errors)."""
    return html.split(f'<label for="id_{name}"', 1)[1].split('<div class="field', 1)[0]


# --- the list -----------------------------------------------------------------------------------


def test_list_shows_deals_with_client_stage_value_and_owner(owner, contact, company, sales):
    make_deal(owner, contact, title="Офіс", value="12500")
    make_deal(owner, company, title="Склад", currency="EUR")

    html = client_for(owner).get("/deals/list/").content.decode()

    assert _titles(html) == ["Склад", "Офіс"]
    assert "12,500.00 UAH" in html
    assert "1,500.00 EUR" in html
    assert f'href="/contacts/{contact.pk}/"' in html
    assert f'href="/companies/{company.pk}/"' in html
    assert "Новий" in html
    assert str(owner) in html


def test_list_filters_by_status_stage_text_client_and_owner(
    owner, lead, teammate, contact, sales, reason
):
    won = make_deal(owner, contact, title="Виграна угода")
    deal_move_stage(deal=won, stage=sales.won, actor=owner)
    lost = make_deal(owner, contact, title="Програна угода")
    deal_move_stage(deal=lost, stage=sales.lost, actor=owner, lost_reason=reason)
    make_deal(owner, contact, title="Відкрита угода")
    other = make_contact(teammate, first_name="Тарас")
    make_deal(teammate, other, title="Колеги")
    client = client_for(lead)

    def titles(query: str) -> list[str]:
        return sorted(_titles(client.get(f"/deals/list/?{query}").content.decode()))

    assert titles("status=won") == ["Виграна угода"]
    assert titles(f"stage={sales.lost.pk}") == ["Програна угода"]
    assert titles("status=open") == ["Відкрита угода", "Колеги"]
    assert titles("q=програна") == ["Програна угода"]
    assert titles(f"contact={other.pk}") == ["Колеги"]
    assert titles(f"owner={teammate.pk}") == ["Колеги"]
    assert "Тарас" in client.get(f"/deals/list/?contact={other.pk}").content.decode()
    assert client.get("/deals/list/?status=maybe").status_code == 400
    assert client.get("/deals/list/?sort=price").status_code == 400


def test_list_pages_by_cursor(owner, contact, sales, settings):
    settings.LIST_PAGE_SIZE = 2
    for i in range(5):
        make_deal(owner, contact, title=f"Угода {i}")
    client = client_for(owner)

    first = client.get("/deals/list/?sort=title").content.decode()
    following = re.search(r'rel="next" href="\?([^"]+)"', first)
    assert following is not None
    second = client.get(f"/deals/list/?{following.group(1).replace('&amp;', '&')}").content.decode()

    assert _titles(first) == ["Угода 0", "Угода 1"]
    assert _titles(second) == ["Угода 2", "Угода 3"]
    assert client.get("/deals/list/?cursor=forged").status_code == 400


def test_list_results_alone_for_htmx(owner, contact, sales):
    make_deal(owner, contact)

    response = client_for(owner).get(
        "/deals/list/?status=open", headers={"HX-Request": "true", "HX-Target": "results"}
    )

    assert "<html" not in response.content.decode()
    assert _titles(response.content.decode()) == ["Ремонт офісу"]


@pytest.mark.parametrize("persona", ["owner", "admin"])
def test_list_queries_do_not_grow_with_the_rows(
    request, persona, owner, admin, sales, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    contact = make_contact(owner)
    company = make_company(owner)
    make_deal(owner, contact)
    client = client_for(user)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/deals/list/").status_code == 200
    for i in range(29):
        make_deal(owner, company if i % 2 else contact, title=f"Угода {i}")

    with django_assert_num_queries(len(one)):
        html = client.get("/deals/list/").content.decode()

    assert len(_titles(html)) == 30


# --- a new deal ---------------------------------------------------------------------------------


def test_new_deal_from_a_contact_page_starts_with_that_contact(owner, contact, company, sales):
    with_company = make_contact(owner, first_name="Андрій", company=company.pk)
    client = client_for(owner)

    html = client.get(f"/deals/new/?contact={contact.pk}").content.decode()
    from_company = client.get(f"/deals/new/?company={company.pk}").content.decode()
    both = client.get(f"/deals/new/?contact={with_company.pk}").content.decode()

    assert f'value="{contact} #{contact.pk}"' in html
    assert f'href="/contacts/{contact.pk}/"' in html  # cancel goes back there
    assert f'value="{company.name} #{company.pk}"' in from_company
    assert f'value="{company.name} #{company.pk}"' in both
    for code in CURRENCIES:
        assert f'<option value="{code}"' in html
    assert f'<option value="{sales.pipeline.pk}" selected>' in html


def test_create_a_deal(owner, contact, sales):
    client = client_for(owner)

    response = client.post(
        "/deals/new/",
        _deal_input(
            contact=f"{contact} #{contact.pk}",
            pipeline=sales.pipeline.pk,
            stage=sales.offer.pk,
            currency="EUR",
            value="2500,50",
            expected_close="2030-05-01",
        ),
    )

    deal = Deal.objects.get(title="Поставка кави")
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert (deal.contact, deal.stage, deal.owner) == (contact, sales.offer, owner)
    assert (deal.value, deal.currency) == (Decimal("2500.50"), "EUR")
    assert deal.expected_close == datetime.date(2030, 5, 1)
    assert deal.probability == 50  # the stage's
    page = client.get(response["Location"]).content.decode()
    assert "Deal “Поставка кави” created." in page


def test_a_client_typed_by_name_is_found(owner, contact, sales):
    response = client_for(owner).post("/deals/new/", _deal_input(contact="Шевченко Олена"))

    assert response.status_code == 302
    assert Deal.objects.get().contact == contact


def test_bad_input_is_named_next_to_its_field_and_nothing_saved(
    owner, contact, sales, other_stage, counts
):
    before = counts()
    client = client_for(owner)

    no_client = client.post("/deals/new/", _deal_input(value="-5"))
    wrong_stage = client.post(
        "/deals/new/",
        _deal_input(
            contact=f"{contact} #{contact.pk}", pipeline=sales.pipeline.pk, stage=other_stage.pk
        ),
    )
    unknown = client.post("/deals/new/", _deal_input(contact="Нікого Такого"))

    assert no_client.status_code == 422
    html = no_client.content.decode()
    assert "The amount cannot be negative." in _field_errors(html, "value")
    assert "Give a contact, a company or both." in _field_errors(html, "contact")
    assert wrong_stage.status_code == 422
    assert "This stage is not in the deal" in _field_errors(wrong_stage.content.decode(), "stage")
    assert "There is no contact “Нікого Такого” that you can see." in _field_errors(
        unknown.content.decode(), "contact"
    )
    assert counts() == before


def test_stage_options_follow_the_chosen_pipeline(owner, sales, other_stage):
    html = (
        client_for(owner)
        .get(f"/deals/new/stages/?pipeline={other_stage.pipeline_id}")
        .content.decode()
    )

    assert f'<option value="{other_stage.pk}">' in html
    assert f'<option value="{sales.new.pk}">' not in html


def test_client_suggestions_offer_only_visible_clients(owner, outsider, contact, sales):
    make_contact(outsider, first_name="Олена", last_name="Шевчук")

    html = client_for(owner).get("/deals/new/clients/?contact=Шев").content.decode()
    companies = client_for(owner).get("/deals/new/clients/?company=Ромашка").content.decode()

    assert html.count("<option") == 1
    assert f'value="{contact} #{contact.pk}"' in html
    assert companies.count("<option") == 0


# --- a deal's page ------------------------------------------------------------------------------


def test_deal_page_shows_fields_stage_history_and_purchases(owner, lead, contact, company, sales):
    deal = make_deal(
        owner,
        contact,
        title="Ремонт",
        value="1500",
        company=company.pk,
        source="Сайт",
        expected_close=datetime.date.today() - datetime.timedelta(days=1),
    )
    deal_move_stage(deal=deal, stage=sales.offer, actor=lead)
    make_purchase(owner, contact, datetime.date.today(), deal=deal.pk, amount="999.90")

    html = client_for(owner).get(f"/deals/{deal.pk}/").content.decode()

    assert "<h1>Ремонт</h1>" in html
    assert "1,500.00 UAH" in html
    assert f'href="/contacts/{contact.pk}/"' in html
    assert f'href="/companies/{company.pk}/"' in html
    assert "Сайт" in html
    assert "overdue" in html
    history = html.split('class="stage-history"', 1)[1].split("</ol>", 1)[0]
    assert history.index("Новий") < history.index("Пропозиція")
    assert str(lead) in history
    assert "so far" in history
    assert "999.90 UAH" in html
    # the move form offers the stages, the current one chosen
    assert f'<option value="{sales.offer.pk}" selected>' in html


def test_deal_page_renders_what_the_apps_above_register(owner, contact, sales, monkeypatch):
    deal = make_deal(owner, contact)
    monkeypatch.setitem(
        extensions._panels,
        "test_panel",
        extensions.Panel(
            key="test_panel",
            targets=frozenset({"deal"}),
            order=1,
            template="sales/_client_deals.html",
            context=lambda request, record: {"deals": [record], "count": 1},
        ),
    )
    monkeypatch.setitem(
        extensions._actions,
        "test_action",
        extensions.Action(
            key="test_action",
            targets=frozenset({"deal"}),
            order=1,
            label="Test the deal",
            url_name="sales:deal_list",
            param="deal",
        ),
    )

    html = client_for(owner).get(f"/deals/{deal.pk}/").content.decode()

    assert f'href="/deals/list/?deal={deal.pk}"' in html
    assert "Test the deal" in html
    panel = html.split('class="card panel client-deals"', 1)[1]
    assert f'href="/deals/{deal.pk}/"' in panel


def test_deal_page_queries_do_not_grow_with_history_or_purchases(
    owner, contact, sales, django_assert_num_queries
):
    deal = make_deal(owner, contact)
    client = client_for(owner)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/deals/{deal.pk}/").status_code == 200
    for i in range(5):
        deal_move_stage(deal=deal, stage=sales.offer if i % 2 == 0 else sales.new, actor=owner)
        deal.refresh_from_db()
        make_purchase(owner, contact, datetime.date.today(), deal=deal.pk)

    with django_assert_num_queries(len(few)):
        client.get(f"/deals/{deal.pk}/")


# --- edit, trash, restore, history --------------------------------------------------------------


def test_edit_a_deal(owner, contact, company, sales):
    deal = make_deal(owner, contact)
    client = client_for(owner)
    page = client.get(f"/deals/{deal.pk}/edit/").content.decode()
    version = re.search(r'name="expected_updated_at" value="([^"]+)"', page)
    assert version is not None
    assert 'name="stage"' not in page  # a deal changes stage by moving

    response = client.post(
        f"/deals/{deal.pk}/edit/",
        _deal_input(
            title="Ремонт складу",
            contact=f"{contact} #{contact.pk}",
            company=f"{company.name} #{company.pk}",
            value="3000",
            probability="70",
            expected_updated_at=version.group(1),
        ),
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.title, deal.value, deal.company, deal.probability) == (
        "Ремонт складу",
        Decimal("3000.00"),
        company,
        70,
    )


def test_an_edit_over_a_newer_change_is_refused_with_a_notice(owner, lead, contact, sales):
    deal = make_deal(owner, contact, title="Ремонт")
    client = client_for(owner)
    page = client.get(f"/deals/{deal.pk}/edit/").content.decode()
    version = re.search(r'name="expected_updated_at" value="([^"]+)"', page)
    assert version is not None
    deal_update(actor=lead, deal=deal, data={"title": "Ремонт (керівник)"})

    response = client.post(
        f"/deals/{deal.pk}/edit/",
        _deal_input(
            title="Ремонт (власник)",
            contact=f"{contact} #{contact.pk}",
            expected_updated_at=version.group(1),
        ),
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this deal while you were editing it." in html
    assert "Ремонт (власник)" in html  # the user's input is kept
    deal.refresh_from_db()
    assert deal.title == "Ремонт (керівник)"


def test_a_lost_deal_edits_its_reason(owner, contact, sales, reason, admin):
    from clientela.sales.services import lost_reason_create

    other = lost_reason_create(actor=admin, name="Обрали конкурента")
    deal = make_deal(owner, contact)
    deal_move_stage(deal=deal, stage=sales.lost, actor=owner, lost_reason=reason)
    deal.refresh_from_db()

    response = client_for(owner).post(
        f"/deals/{deal.pk}/edit/",
        _deal_input(
            title=deal.title,
            contact=f"{contact} #{contact.pk}",
            lost_reason=other.pk,
            expected_updated_at=deal.updated_at.isoformat(),
        ),
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.lost_reason == other


def test_delete_to_the_trash_and_restore(owner, contact, sales):
    deal = make_deal(owner, contact, title="Ремонт")
    client = client_for(owner)
    assert "Move “Ремонт” to the trash?" in client.get(f"/deals/{deal.pk}/delete/").content.decode()

    deleted = client.post(f"/deals/{deal.pk}/delete/")

    assert deleted.status_code == 302
    assert client.get(f"/deals/{deal.pk}/").status_code == 404
    assert "Ремонт" not in client.get("/deals/").content.decode().split("</header>", 1)[1]
    trash = client.get("/trash/").content.decode()
    assert f'action="/deals/{deal.pk}/restore/"' in trash

    restored = client.post(f"/deals/{deal.pk}/restore/")

    assert restored.status_code == 302
    assert restored["Location"] == f"/deals/{deal.pk}/"
    assert client.get(f"/deals/{deal.pk}/").status_code == 200


def test_history_lists_the_changes_with_labels(owner, contact, sales):
    deal = make_deal(owner, contact, title="Ремонт")
    deal_update(actor=owner, deal=deal, data={"title": "Ремонт складу"})
    deal_move_stage(deal=deal, stage=sales.offer, actor=owner)

    html = client_for(owner).get(f"/deals/{deal.pk}/history/").content.decode()

    events = html.split('<li class="card">')[1:]
    assert len(events) == 3
    assert "<del>Новий</del>" in events[0]
    assert "<ins>Пропозиція</ins>" in events[0]
    assert '<th scope="row">Title</th>' in events[1]
    assert "<ins>Ремонт складу</ins>" in events[1]


# --- who sees what ------------------------------------------------------------------------------

DEAL_PAGES = [
    ("get", "/deals/", [200, 200, 200, 200, 200, 200]),
    ("get", "/deals/list/", [200, 200, 200, 200, 200, 200]),
    ("get", "/deals/new/", [200, 200, 200, 200, 200, 403]),
    ("post", "/deals/new/", [422, 422, 422, 422, 422, 403]),
    ("get", "/deals/{deal}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/deals/{deal}/history/", [200, 404, 200, 404, 200, 200]),
    ("get", "/deals/{deal}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/deals/{deal}/edit/", [422, 404, 422, 404, 422, 403]),
    ("get", "/deals/{deal}/delete/", [200, 404, 200, 404, 200, 403]),
    ("post", "/deals/{deal}/delete/", [302, 404, 302, 404, 302, 403]),
    ("get", "/deals/{deal}/move/?stage={won}", [200, 404, 200, 404, 200, 403]),
    ("post", "/deals/{deal}/move/", [422, 404, 422, 404, 422, 403]),
    # A live deal is not in the trash: restoring it is "not found" for everyone.
    ("post", "/deals/{deal}/restore/", [404, 404, 404, 404, 404, 404]),
]


@pytest.mark.parametrize(
    ("method", "url", "persona", "expected"),
    [
        pytest.param(method, url, persona, statuses[i], id=f"{persona}-{method}-{url}")
        for method, url, statuses in DEAL_PAGES
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_deal_pages_for_each_persona(
    request, owner, contact, sales, method, url, persona, expected
):
    deal = make_deal(owner, contact)
    client = client_for(request.getfixturevalue(persona))
    address = url.format(deal=deal.pk, won=sales.won.pk)

    response = client.post(address) if method == "post" else client.get(address)

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [302, 404, 404, 404, 302, 404], strict=True)),
)
def test_restore_from_the_trash_for_each_persona(request, owner, contact, sales, persona, expected):
    deal = make_deal(owner, contact)
    deal_delete(actor=owner, deal=deal)

    response = client_for(request.getfixturevalue(persona)).post(f"/deals/{deal.pk}/restore/")

    assert response.status_code == expected


def test_an_outsider_finds_nothing_of_team_a(owner, outsider, contact, sales):
    deal = make_deal(owner, contact, title="Секретна угода")
    client = client_for(outsider)

    board = client.get("/deals/").content.decode()
    listed = client.get("/deals/list/").content.decode()
    found = client.get("/search/?q=Секретна").content.decode()

    assert "Секретна угода" not in board
    assert "Секретна угода" not in listed
    assert "Секретна угода" not in found
    assert client.get(f"/deals/{deal.pk}/move/?stage={sales.won.pk}").status_code == 404


def test_viewer_reads_deals_without_buttons_that_write(owner, viewer, contact, sales):
    deal = make_deal(owner, contact)

    html = client_for(viewer).get(f"/deals/{deal.pk}/").content.decode()

    assert deal.title in html
    assert f"/deals/{deal.pk}/edit/" not in html
    assert f"/deals/{deal.pk}/delete/" not in html
    assert "move-form" not in html


# --- on the pages of contacts and companies, and in the search ----------------------------------


def test_contact_page_lists_its_deals_open_first(owner, contact, sales):
    won = make_deal(owner, contact, title="Виграна")
    deal_move_stage(deal=won, stage=sales.won, actor=owner)
    make_deal(owner, contact, title="Відкрита", value="700")

    html = client_for(owner).get(f"/contacts/{contact.pk}/").content.decode()

    panel = html.split('class="card panel client-deals"', 1)[1].split("</section>", 1)[0]
    assert _titles(panel) == ["Відкрита", "Виграна"]
    assert "700.00 UAH" in panel
    assert "Виграно" in panel
    assert f'href="/deals/new/?contact={contact.pk}"' in html


def test_company_page_lists_its_deals_and_links_the_rest(owner, company, sales, monkeypatch):
    from clientela.sales.views import deal_extensions

    monkeypatch.setattr(deal_extensions, "PANEL_DEALS", 2)
    for i in range(3):
        make_deal(owner, company, title=f"Угода {i}")

    html = client_for(owner).get(f"/companies/{company.pk}/").content.decode()

    panel = html.split('class="card panel client-deals"', 1)[1].split("</section>", 1)[0]
    assert len(_titles(panel)) == 2
    assert f'href="/deals/list/?company={company.pk}"' in panel
    assert "All 3 deals" in panel
    assert f'href="/deals/new/?company={company.pk}"' in html


def test_viewer_gets_no_new_deal_action(owner, viewer, contact, sales):
    make_deal(owner, contact)

    html = client_for(viewer).get(f"/contacts/{contact.pk}/").content.decode()

    assert "client-deals" in html
    assert "/deals/new/" not in html


def test_the_deals_panel_costs_the_same_for_one_deal_or_many(
    owner, contact, sales, django_assert_num_queries
):
    make_deal(owner, contact)
    client = client_for(owner)
    client.get(f"/contacts/{contact.pk}/")  # settings rows the page's panels read are made once
    with CaptureQueriesContext(connection) as one:
        client.get(f"/contacts/{contact.pk}/")
    for i in range(15):
        make_deal(owner, contact, title=f"Угода {i}")

    with django_assert_num_queries(len(one) + 1):  # + the count, once there are more than shown
        client.get(f"/contacts/{contact.pk}/")


def test_search_finds_deals_on_the_page_and_under_the_box(owner, contact, sales):
    deal = make_deal(owner, contact, title="Поставка кави")
    client = client_for(owner)

    page = client.get("/search/?q=кави").content.decode()
    live = client.get("/search/?q=кави", headers={"HX-Request": "true"}).content.decode()

    section = page.split("<h2>Deals", 1)[1]
    assert f'href="/deals/{deal.pk}/"' in section
    assert "1,500.00 UAH" in section
    assert str(contact) in section
    assert re.search(rf'<li><a href="/deals/{deal.pk}/">Поставка кави</a>', live)
