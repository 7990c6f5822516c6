"""Time in stage: the report page and the API, for the deals each reader may see."""

import datetime

import pytest

from clientela.sales.services import deal_move_stage
from conftest import client_for, make_contact
from sales.support import api_as, make_deal

START = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)


def _deal_with_stays(owner, sales, reason, hours_in_new, hours_in_offer):
    deal = make_deal(owner, make_contact(owner))
    deal = deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    deal = deal_move_stage(deal=deal, stage=sales.lost, actor=owner, lost_reason=reason)
    moments = [0, hours_in_new, hours_in_new + hours_in_offer]
    for hours, change in zip(moments, deal.stage_changes.order_by("at", "id"), strict=True):
        change.at = START + datetime.timedelta(hours=hours)
        change.save()
    return deal


@pytest.fixture
def stays(owner, outsider, sales, reason):
    _deal_with_stays(owner, sales, reason, hours_in_new=24, hours_in_offer=72)
    _deal_with_stays(owner, sales, reason, hours_in_new=72, hours_in_offer=24)
    # someone else's deal, with a very different pace, that the owner may not see
    _deal_with_stays(outsider, sales, reason, hours_in_new=1000, hours_in_offer=1000)


def test_api_gives_the_average_of_finished_stays_per_stage(owner, sales, stays):
    answer = api_as(owner).get(f"/pipelines/{sales.pipeline.pk}/stage-times").json()

    by_stage = {row["stage"]: row for row in answer}
    assert by_stage[sales.new.pk]["deals"] == 2
    assert by_stage[sales.new.pk]["average_seconds"] == 48 * 3600
    assert by_stage[sales.offer.pk]["average_seconds"] == 48 * 3600
    # the deals are still in "lost": no finished stay there
    assert by_stage[sales.lost.pk] | {"name": None} == {
        "stage": sales.lost.pk,
        "name": None,
        "deals": 0,
        "average_seconds": None,
    }


def test_api_answers_404_for_an_unknown_pipeline(owner, sales):
    assert api_as(owner).get("/pipelines/999999/stage-times").status_code == 404


def test_page_shows_open_stages_in_days_for_what_the_reader_sees(owner, sales, stays, settings):
    settings.LANGUAGE_CODE = "en"
    response = client_for(owner).get(f"/deals/stage-times/?pipeline={sales.pipeline.pk}")

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(stage, deals, spent) for stage, deals, spent in rows] == [
        (sales.new, 2, "2 days"),
        (sales.offer, 2, "2 days"),
    ]
    assert "41 days" not in response.content.decode()  # the outsider's deal is not counted


def test_page_is_linked_from_the_board_and_refuses_an_unknown_pipeline(owner, sales):
    client = client_for(owner)
    board = client.get("/deals/").content.decode()
    assert f"/deals/stage-times/?pipeline={sales.pipeline.pk}" in board
    assert client.get("/deals/stage-times/?pipeline=999999").status_code == 404
