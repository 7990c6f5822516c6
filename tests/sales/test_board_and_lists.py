"""The board and the lists: what they show, and that their cost does not grow with the rows."""

import datetime
from decimal import Decimal

import pytest

from clientela.sales.selectors import (
    DealFilters,
    board,
    deal_filters_clean,
    deal_list,
    deal_stage_history,
    pipeline_get,
    pipeline_stage_times,
)
from clientela.sales.services import deal_move_stage, stage_create
from conftest import make_contact
from sales.support import api_as, make_deal, make_purchase


def test_board_counts_sums_per_currency_and_bounds_the_cards(owner, contact, sales):
    for i in range(5):
        make_deal(owner, contact, title=f"Угода {i}", value="100.10")
    make_deal(owner, contact, title="Євро", value="7", currency="EUR")
    offer = make_deal(owner, contact, title="Пропозиція")
    deal_move_stage(deal=offer, stage=sales.offer, actor=owner)

    shown = board(owner, pipeline_get(sales.pipeline.pk), cards=3)

    new, offers, won, _lost = shown.columns
    assert [c.stage for c in shown.columns] == [sales.new, sales.offer, sales.won, sales.lost]
    assert (new.count, len(new.cards), new.more) == (6, 3, True)
    assert new.totals == {"EUR": Decimal("7.00"), "UAH": Decimal("500.50")}
    # the latest arrival on top
    assert [d.title for d in new.cards] == ["Євро", "Угода 4", "Угода 3"]
    assert (offers.count, [d.title for d in offers.cards], offers.more) == (
        1,
        ["Пропозиція"],
        False,
    )
    assert offers.next_cursor is None
    assert (won.count, won.cards, won.totals) == (0, [], {})


def test_more_continues_the_column_where_the_board_stopped(owner, contact, sales):
    for i in range(5):
        make_deal(owner, contact, title=f"Угода {i}")
    column = board(owner, pipeline_get(sales.pipeline.pk), cards=2).columns[0]
    client = api_as(owner)

    rest = client.get(
        "/deals", {"stage": sales.new.pk, "sort": "board", "cursor": column.next_cursor}
    ).json()

    assert [d["title"] for d in rest["items"]] == ["Угода 2", "Угода 1", "Угода 0"]


def test_board_filters_by_owner_and_team(owner, teammate, lead, contact, sales):
    make_deal(owner, contact, title="Моя")
    theirs = make_contact(teammate, first_name="Тарас")
    make_deal(teammate, theirs, title="Колеги")
    pipeline = pipeline_get(sales.pipeline.pk)

    everyone = board(lead, pipeline).columns[0]
    mine = board(lead, pipeline, deal_filters_clean(owner, {"owner": "me"})).columns[0]
    team = board(lead, pipeline, deal_filters_clean(lead, {"team": "mine"})).columns[0]

    assert everyone.count == 2
    assert [d.title for d in mine.cards] == ["Моя"]
    assert team.count == 2
    assert board(owner, pipeline).columns[0].count == 1  # a manager sees its own only


@pytest.fixture(params=[3, 30], ids=["3 deals", "30 deals"])
def many(request, owner, admin, sales, contact):
    """`n` deals spread over the stages, with purchases; more stages for more deals."""
    n = request.param
    for i in range(n // 3):
        stage_create(actor=admin, pipeline=sales.pipeline, name=f"Етап {i}")
    for i in range(n):
        deal = make_deal(owner, contact, title=f"Угода {i}", currency=["UAH", "EUR"][i % 2])
        if i % 3 == 1:
            deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
        make_purchase(owner, contact, datetime.date(2025, 1, 1) + datetime.timedelta(days=i))
    return n


def test_board_costs_the_same_for_3_and_30_deals(owner, sales, many, django_assert_num_queries):
    # the pipeline and its stages, the aggregate, the cards
    with django_assert_num_queries(4):
        shown = board(owner, pipeline_get(sales.pipeline.pk))
        for column in shown.columns:
            for card in column.cards:
                assert card.owner.username
                assert card.stage.name
                assert str(card.contact)

    assert sum(c.count for c in shown.columns) == many


def test_deal_list_costs_one_query(owner, sales, many, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = deal_list(owner, DealFilters(pipeline=sales.pipeline.pk), size=100)
        titles = [(d.title, d.stage.name, d.owner.username, str(d.contact)) for d in page.items]

    assert len(titles) == many


# Token check (its user joined) + the page; the board adds the pipeline's stages and the
# aggregate (its pipeline row is the first query).
TOKEN = 1


@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        ("/deals", {}, TOKEN + 1),
        ("/deals", {"status": "open", "owner": "me", "sort": "title"}, TOKEN + 1),
        ("/deals", {"q": "угода"}, TOKEN + 1),
        ("/purchases", {}, TOKEN + 1),
        ("/pipelines/{pipeline}/board", {}, TOKEN + 4),
        ("/pipelines", {}, TOKEN + 2),
    ],
)
def test_api_lists_do_not_grow_with_rows(
    owner, sales, many, django_assert_num_queries, path, params, queries
):
    client = api_as(owner)
    client.get("/pipelines")  # the first call of a token records its use
    url = path.replace("{pipeline}", str(sales.pipeline.pk))

    with django_assert_num_queries(queries):
        response = client.get(url, params)

    assert response.status_code == 200, response.content


def test_time_in_stage(owner, contact, sales, reason):
    deal = make_deal(owner, contact)
    deal = deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    deal = deal_move_stage(deal=deal, stage=sales.lost, actor=owner, lost_reason=reason)
    changes = list(deal.stage_changes.order_by("at", "id"))
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC)
    for hours, change in zip([0, 24, 72], changes, strict=True):
        change.at = start + datetime.timedelta(hours=hours)
        change.save()

    spans = deal_stage_history(deal, now=start + datetime.timedelta(hours=100))
    times = pipeline_stage_times(owner, pipeline_get(sales.pipeline.pk))

    assert [(s.stage, s.duration) for s in spans] == [
        (sales.new, datetime.timedelta(hours=24)),
        (sales.offer, datetime.timedelta(hours=48)),
        (sales.lost, datetime.timedelta(hours=28)),
    ]
    assert spans[-1].left_at is None
    assert times[sales.new.pk].average == datetime.timedelta(hours=24)
    assert times[sales.offer.pk].deals == 1
    assert times[sales.lost.pk].average is None  # still there: not a finished stay


@pytest.mark.parametrize(("sort", "reverse"), [("-value", True), ("value", False)])
def test_deals_page_through_by_value_with_exact_money(owner, contact, sales, sort, reverse):
    values = ["1500.00", "99.99", "100000.50", "1500.00", "0.01", "250.10", "99.98"]
    for n, value in enumerate(values):
        make_deal(owner, contact, title=f"Угода {n}", value=Decimal(value))
    client = api_as(owner)

    seen: list[tuple[str, int]] = []
    cursor = None
    while True:
        params = {"sort": sort, "limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/deals", params).json()
        seen += [(item["value"], item["id"]) for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break

    expected = sorted(seen, key=lambda pair: (Decimal(pair[0]), pair[1]), reverse=reverse)
    assert seen == expected
    assert len(seen) == len(values)
