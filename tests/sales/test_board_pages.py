"""The deals board page: columns, counts and sums, filters, "more", and moving a deal.

Moves are posted the way the page's own forms post them (without JavaScript) and the way
board.js posts them (htmx headers, the board's columns in the answer).
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clientela.sales.models import Deal, Purchase
from clientela.sales.selectors import BOARD_CARDS
from clientela.sales.services import deal_move_stage, pipeline_create, stage_create
from conftest import client_for, make_contact
from sales.support import make_deal

BOARD_JS = {"HX-Request": "true", "HX-Target": "board"}


@pytest.fixture(autouse=True)
def english(settings):
    # Assertions read English text and English number formats.
    settings.LANGUAGE_CODE = "en"


def _columns(html: str) -> list[str]:
    return [title.strip() for title in re.findall(r'<h2 id="column-\d+-title">([^<]+)', html)]


def _cards(html: str, stage_id: int) -> list[str]:
    """The titles of the cards in one column of the page."""
    section = html.split(f'id="column-{stage_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="deal-title"[^>]*>([^<]+)</a>', section)


def _move(client: Client, deal: Deal, stage, **data) -> object:
    body = {"stage": getattr(stage, "pk", stage), "from_stage": deal.stage_id, **data}
    return client.post(f"/deals/{deal.pk}/move/", body)


# --- what the board shows -----------------------------------------------------------------------


def test_board_shows_stage_columns_with_counts_and_sums_per_currency(owner, contact, sales):
    make_deal(owner, contact, title="Офіс", value="12500")
    make_deal(owner, contact, title="Склад", value="100.10")
    make_deal(owner, contact, title="Євро", value="7", currency="EUR")
    offer = make_deal(owner, contact, title="Пропозиція")
    deal_move_stage(deal=offer, stage=sales.offer, actor=owner)

    html = client_for(owner).get("/deals/").content.decode()

    assert _columns(html) == ["Новий", "Пропозиція", "Виграно", "Програно"]
    new_column = html.split(f'id="column-{sales.new.pk}"', 1)[1].split("</header>", 1)[0]
    assert "3 deals" in new_column
    assert "<li>7.00 EUR</li>" in new_column
    assert "<li>12,600.10 UAH</li>" in new_column
    assert _cards(html, sales.new.pk) == ["Євро", "Склад", "Офіс"]  # the latest arrival on top
    assert _cards(html, sales.offer.pk) == ["Пропозиція"]
    assert "1 deal<" in html.split(f'id="column-{sales.offer.pk}"', 1)[1]


def test_sums_are_written_as_the_readers_language_writes_them(owner, contact, sales):
    make_deal(owner, contact, value="12500")
    owner.language = "uk"
    owner.save(update_fields=["language"])

    html = client_for(owner).get("/deals/").content.decode()

    assert "12\xa0500,00 UAH" in html


def test_a_card_shows_client_value_owner_and_an_overdue_close(owner, contact, company, sales):
    late = make_deal(
        owner,
        contact,
        title="Запізнилась",
        company=company.pk,
        expected_close=datetime.date.today() - datetime.timedelta(days=3),
    )
    make_deal(owner, contact, title="Вчасно", expected_close=datetime.date.today())

    html = client_for(owner).get("/deals/").content.decode()

    card = html.split(f'id="deal-{late.pk}"', 1)[1].split("</li>", 1)[0]
    assert str(contact) in card
    assert company.name in card
    assert "1,500.00 UAH" in card
    assert str(owner) in card
    assert "Overdue:" in card
    on_time = html.split("Вчасно", 1)[1].split("</li>", 1)[0]
    assert "Overdue:" not in on_time
    assert html.count('class="deal-card overdue"') == 1


def test_board_of_another_pipeline_and_the_switcher(owner, contact, sales, other_stage):
    make_deal(owner, contact, title="Сервісна", pipeline=other_stage.pipeline_id)
    make_deal(owner, contact, title="Продаж")
    client = client_for(owner)

    default = client.get("/deals/").content.decode()
    other = client.get(f"/deals/?pipeline={other_stage.pipeline_id}").content.decode()

    assert "Продаж" in default
    assert "Сервісна" not in default
    assert f'href="/deals/?pipeline={other_stage.pipeline_id}"' in default
    assert _cards(other, other_stage.pk) == ["Сервісна"]
    assert client.get("/deals/?pipeline=999999").status_code == 404
    assert client.get("/deals/?pipeline=abc").status_code == 400


def test_board_filters_by_owner_and_team(owner, teammate, outsider, lead, admin, contact, sales):
    make_deal(owner, contact, title="Власника")
    make_deal(teammate, make_contact(teammate, first_name="Тарас"), title="Колеги")
    make_deal(outsider, make_contact(outsider, first_name="Ігор"), title="Чужа")

    everyone = client_for(lead).get("/deals/").content.decode()
    only_owner = client_for(lead).get(f"/deals/?owner={owner.pk}").content.decode()
    team_b = client_for(admin).get(f"/deals/?team={outsider.team_id}").content.decode()
    managers_own = client_for(owner).get("/deals/").content.decode()

    assert sorted(_cards(everyone, sales.new.pk)) == ["Власника", "Колеги"]
    assert _cards(only_owner, sales.new.pk) == ["Власника"]
    assert _cards(team_b, sales.new.pk) == ["Чужа"]
    assert _cards(managers_own, sales.new.pk) == ["Власника"]
    # the owner select offers whom the lead may see; the team select only to who sees all teams
    assert f'<option value="{teammate.pk}">' in everyone
    assert 'name="team"' not in everyone
    assert 'name="team"' in team_b


def test_filter_change_by_htmx_answers_with_the_board_only(owner, lead, contact, sales):
    make_deal(owner, contact, title="Власника")

    response = client_for(lead).get(
        f"/deals/?owner={owner.pk}", headers={"HX-Request": "true", "HX-Target": "board-area"}
    )

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="board"' in html
    assert _cards(html, sales.new.pk) == ["Власника"]


def test_more_loads_the_next_cards_of_one_column(owner, contact, sales):
    for i in range(BOARD_CARDS + 3):
        make_deal(owner, contact, title=f"Угода {i:02d}")
    client = client_for(owner)

    html = client.get("/deals/").content.decode()
    assert len(_cards(html, sales.new.pk)) == BOARD_CARDS
    more = re.search(r'hx-get="(/deals/more/\?[^"]+)"', html)
    assert more is not None
    assert "3 more deals" in html
    url = more.group(1).replace("&amp;", "&")

    rest = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert re.findall(r'class="deal-title"[^>]*>([^<]+)</a>', rest) == [
        "Угода 02",
        "Угода 01",
        "Угода 00",
    ]
    assert "more deal" not in rest  # the column is complete


def test_more_without_javascript_is_the_list_of_the_same_deals(owner, contact, sales):
    for i in range(BOARD_CARDS + 2):
        make_deal(owner, contact, title=f"Угода {i:02d}")
    client = client_for(owner)
    html = client.get("/deals/").content.decode()
    link = re.search(r'<li class="more"><a class="button" href="(/deals/list/\?[^"]+)"', html)
    assert link is not None

    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()

    assert "Угода 01" in listed
    assert "Угода 00" in listed
    assert "Угода 02" not in listed
    redirected = client.get(link.group(1).replace("&amp;", "&").replace("/list/", "/more/"))
    assert redirected.status_code == 302
    assert redirected["Location"].startswith("/deals/list/?")


@pytest.fixture
def board_of(admin, owner):
    """A pipeline of `stages` stages with `per_stage` deals in each."""

    def build(stages: int, per_stage: int) -> int:
        pipeline = pipeline_create(actor=admin, name=f"Воронка {stages}")
        columns = [
            stage_create(actor=admin, pipeline=pipeline, name=f"Етап {i}") for i in range(stages)
        ]
        contact = make_contact(owner, first_name=f"Клієнт {stages}")
        for stage in columns:
            for i in range(per_stage):
                deal = make_deal(
                    owner, contact, title=f"{stage.name} {i}", pipeline=pipeline.pk, stage=stage.pk
                )
                assert deal.stage_id == stage.pk
        return pipeline.pk

    return build


@pytest.mark.parametrize("persona", ["owner", "admin"])
def test_board_queries_do_not_grow_with_deals_or_stages(
    request, persona, board_of, django_assert_num_queries
):
    small, large = board_of(3, 2), board_of(5, 30)
    client = client_for(request.getfixturevalue(persona))

    with CaptureQueriesContext(connection) as small_board:
        assert client.get(f"/deals/?pipeline={small}").status_code == 200
    with django_assert_num_queries(len(small_board)):
        html = client.get(f"/deals/?pipeline={large}").content.decode()

    assert len(_columns(html)) == 5
    assert html.count('class="deal-card"') == 5 * BOARD_CARDS
    assert len(small_board) <= 10


# --- moving without JavaScript ------------------------------------------------------------------


def test_move_to_an_open_stage_by_the_card_form_goes_back_to_the_board(owner, contact, sales):
    deal = make_deal(owner, contact)

    client = client_for(owner)

    response = _move(client, deal, sales.offer, next="/deals/?owner=me")

    assert response.status_code == 302
    assert response["Location"] == "/deals/?owner=me"
    deal.refresh_from_db()
    assert deal.stage == sales.offer
    assert deal.probability == 50
    page = client.get(response["Location"]).content.decode()
    assert "moved to “Пропозиція”" in page
    assert _cards(page, sales.offer.pk) == [deal.title]


def test_choosing_won_on_a_card_asks_for_the_purchase_first(owner, contact, sales, counts):
    deal = make_deal(owner, contact, title="Ремонт", value="1500")
    before = counts()

    response = _move(client_for(owner), deal, sales.won, next="/deals/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "“Ремонт” is won" in html
    assert 'name="amount" value="1500.00"' in html
    assert 'name="description" value="Ремонт"' in html
    assert f'name="date" value="{datetime.date.today().isoformat()}"' in html
    assert 'value="none"' in html  # won without recording a purchase
    assert 'name="confirm" value="True"' in html
    deal.refresh_from_db()
    assert deal.stage == sales.new
    assert counts() == before


def test_move_page_without_javascript_asks_the_same(owner, contact, sales, reason):
    deal = make_deal(owner, contact)
    client = client_for(owner)

    won = client.get(f"/deals/{deal.pk}/move/?stage={sales.won.pk}").content.decode()
    lost = client.get(f"/deals/{deal.pk}/move/?stage={sales.lost.pk}").content.decode()

    assert "<html" in won
    assert 'name="amount"' in won
    assert "Mark as won" in won
    assert 'name="lost_reason"' in lost
    assert reason.name in lost
    assert 'name="amount"' not in lost
    assert client.get(f"/deals/{deal.pk}/move/?stage=999999").status_code == 404


def test_won_with_a_purchase_records_it_with_the_deal(owner, contact, sales):
    deal = make_deal(owner, contact, title="Ремонт", value="1500")
    client = client_for(owner)

    response = _move(
        client,
        deal,
        sales.won,
        confirm="True",
        outcome="purchase",
        date="2024-03-01",
        amount="1400,50",
        currency="EUR",
        description="Ремонт офісу, 2 поверх",
        discount_percent="5",
        next=f"/deals/{deal.pk}/",
    )

    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    deal.refresh_from_db()
    assert deal.stage == sales.won
    assert deal.closed_at is not None
    purchase = Purchase.objects.get(deal=deal)
    assert (purchase.amount, purchase.currency) == (Decimal("1400.50"), "EUR")
    assert purchase.date == datetime.date(2024, 3, 1)
    assert purchase.description == "Ремонт офісу, 2 поверх"
    assert purchase.discount_percent == Decimal("5.00")
    assert purchase.contact == contact
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "1,400.50 EUR" in page
    assert "is won and its purchase is recorded" in page


def test_won_without_a_purchase_records_none(owner, contact, sales):
    deal = make_deal(owner, contact)

    response = _move(client_for(owner), deal, sales.won, confirm="True", outcome="none")

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == sales.won
    assert not Purchase.objects.filter(deal=deal).exists()


def test_a_bad_purchase_is_named_next_to_its_field_and_nothing_moves(owner, contact, sales, counts):
    deal = make_deal(owner, contact)
    before = counts()

    response = _move(
        client_for(owner),
        deal,
        sales.won,
        confirm="True",
        outcome="purchase",
        date=datetime.date.today().isoformat(),
        amount="-5",
        currency="UAH",
    )

    assert response.status_code == 422
    html = response.content.decode()
    amount_field = html.split('<label for="id_amount"', 1)[1].split("</div>", 1)[0]
    assert "The amount cannot be negative." in amount_field
    deal.refresh_from_db()
    assert deal.stage == sales.new
    assert counts() == before


def test_lost_needs_a_reason_and_nothing_changes_without_it(owner, contact, sales, reason, counts):
    deal = make_deal(owner, contact)
    before = counts()

    response = _move(client_for(owner), deal, sales.lost, confirm="True", lost_reason="")

    assert response.status_code == 422
    html = response.content.decode()
    reason_field = html.split('<label for="id_lost_reason"', 1)[1].split("</div>", 1)[0]
    assert "Choose why the deal was lost." in reason_field
    deal.refresh_from_db()
    assert deal.stage == sales.new
    assert counts() == before


def test_lost_with_a_reason(owner, contact, sales, reason):
    deal = make_deal(owner, contact)

    response = _move(client_for(owner), deal, sales.lost, confirm="True", lost_reason=reason.pk)

    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.stage, deal.lost_reason) == (sales.lost, reason)


def test_a_stage_of_another_pipeline_is_refused(owner, contact, sales, other_stage, counts):
    deal = make_deal(owner, contact)
    before = counts()

    response = _move(client_for(owner), deal, other_stage)

    assert response.status_code == 422
    assert "This stage is not in the deal&#x27;s pipeline." in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage == sales.new
    assert counts() == before


def test_a_stale_move_is_refused_with_a_clear_message(owner, lead, contact, sales, counts):
    deal = make_deal(owner, contact)
    deal_move_stage(deal=deal, stage=sales.offer, actor=lead)  # someone was first
    before = counts()
    client = client_for(owner)

    # the owner still sees the deal in "new": a move to an open stage, the question a lost
    # stage asks, and the answer to the question of a won stage are all refused
    moved = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage": sales.new.pk, "from_stage": sales.new.pk, "next": "/deals/"},
    )
    asked = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage": sales.lost.pk, "from_stage": sales.new.pk, "next": "/deals/"},
    )
    won = client.post(
        f"/deals/{deal.pk}/move/",
        {
            "stage": sales.won.pk,
            "from_stage": sales.new.pk,
            "confirm": "True",
            "outcome": "none",
            "next": "/deals/",
        },
    )

    assert [r.status_code for r in (moved, asked, won)] == [302, 302, 302]
    deal.refresh_from_db()
    assert deal.stage == sales.offer
    assert counts() == before
    page = client.get("/deals/").content.decode()
    assert page.count("Someone else moved this deal to “Пропозиція” a moment ago.") == 3
    assert _cards(page, sales.offer.pk) == [deal.title]


# --- moving from board.js -----------------------------------------------------------------------


def test_a_dragged_move_answers_with_the_updated_columns(owner, contact, sales):
    deal = make_deal(owner, contact, value="200")
    make_deal(owner, contact, title="Інша", value="50")

    response = client_for(owner).post(
        f"/deals/{deal.pk}/move/",
        {"stage": sales.offer.pk, "from_stage": sales.new.pk, "board_query": "owner=me"},
        headers=BOARD_JS,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert _cards(html, sales.offer.pk) == [deal.title]
    assert _cards(html, sales.new.pk) == ["Інша"]
    offer_head = html.split(f'id="column-{sales.offer.pk}"', 1)[1].split("</header>", 1)[0]
    assert "1 deal<" in offer_head
    assert "200.00 UAH" in offer_head
    assert "moved to “Пропозиція”" in html


def test_a_dragged_move_someone_beat_is_a_409_with_the_true_board(owner, lead, contact, sales):
    deal = make_deal(owner, contact)
    deal_move_stage(deal=deal, stage=sales.offer, actor=lead)

    response = client_for(owner).post(
        f"/deals/{deal.pk}/move/",
        {"stage": sales.new.pk, "from_stage": sales.new.pk},
        headers=BOARD_JS,
    )
    # dragging it from "new" (as the owner saw it) to "offer" is refused just the same
    again = client_for(owner).post(
        f"/deals/{deal.pk}/move/",
        {"stage": sales.won.pk, "from_stage": sales.new.pk, "confirm": "True", "outcome": "none"},
        headers=BOARD_JS,
    )

    assert response.status_code == 409
    assert again.status_code == 409
    html = again.content.decode()
    assert "Someone else moved this deal to “Пропозиція” a moment ago." in html
    assert _cards(html, sales.offer.pk) == [deal.title]
    deal.refresh_from_db()
    assert deal.stage == sales.offer


def test_the_dialog_question_and_its_errors_are_marked_for_the_script(owner, contact, sales):
    deal = make_deal(owner, contact)
    client = client_for(owner)

    asked = client.get(f"/deals/{deal.pk}/move/?stage={sales.won.pk}", headers=BOARD_JS)
    refused = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage": sales.won.pk, "from_stage": sales.new.pk, "confirm": "True", "amount": "x"},
        headers=BOARD_JS,
    )

    assert asked.status_code == 200
    assert asked["X-Move-Question"] == "1"
    assert "<html" not in asked.content.decode()
    assert 'id="move-form"' in asked.content.decode()
    assert refused.status_code == 422
    assert refused["X-Move-Question"] == "1"
    assert "Enter a number." in refused.content.decode()


# --- who may move -------------------------------------------------------------------------------


def test_viewer_sees_the_board_without_anything_that_writes(owner, viewer, contact, sales):
    deal = make_deal(owner, contact)
    client = client_for(viewer)

    html = client.get("/deals/").content.decode()

    assert deal.title in html
    assert 'draggable="true"' not in html
    assert "move-form" not in html
    assert "board.js" not in html
    assert "New deal" not in html
    assert _move(client, deal, sales.offer).status_code == 403
    assert client.get(f"/deals/{deal.pk}/move/?stage={sales.won.pk}").status_code == 403
    deal.refresh_from_db()
    assert deal.stage == sales.new


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 302), ("teammate", 404), ("lead", 302), ("outsider", 404), ("admin", 302)],
)
def test_who_may_move_a_deal(request, owner, contact, sales, persona, expected):
    deal = make_deal(owner, contact)

    response = _move(client_for(request.getfixturevalue(persona)), deal, sales.offer)

    assert response.status_code == expected
