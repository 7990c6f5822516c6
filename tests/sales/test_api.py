"""The sales API: every endpoint for every persona, the error shape, conflicts and money."""

import datetime
import json
from typing import Any

import pytest

from clientela.sales.services import (
    deal_delete,
    deal_move_stage,
    purchase_delete,
    stage_set_active,
)
from conftest import make_contact
from sales.support import api_as, error_fields, make_deal, make_purchase

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]

#        owner teammate lead outsider admin viewer
ALL_OK = [200, 200, 200, 200, 200, 200]
READ_ONE = [200, 404, 200, 404, 200, 200]
CREATE = [201, 422, 201, 422, 201, 403]  # the client must be visible to the creator
CHANGE = [200, 404, 200, 404, 200, 403]
DELETE = [204, 404, 204, 404, 204, 403]
RESTORE = [200, 404, 404, 404, 200, 404]

MATRIX: list[tuple[str, str, Any, list[int]]] = [
    ("get", "/pipelines", None, ALL_OK),
    ("get", "/pipelines/{pipeline}/board", None, ALL_OK),
    ("get", "/lost-reasons", None, ALL_OK),
    ("get", "/deals", None, ALL_OK),
    ("get", "/deals/{deal}", None, READ_ONE),
    ("get", "/deals/{deal}/stages", None, READ_ONE),
    ("post", "/deals", {"title": "Нова", "contact": "{contact}"}, CREATE),
    ("patch", "/deals/{deal}", {"source": "виставка"}, CHANGE),
    ("post", "/deals/{deal}/move", {"stage": "{offer}"}, CHANGE),
    ("delete", "/deals/{deal}", None, DELETE),
    ("post", "/deals/{trashed_deal}/restore", None, RESTORE),
    ("get", "/purchases", None, ALL_OK),
    ("get", "/purchases/{purchase}", None, READ_ONE),
    ("get", "/purchases/rhythm?contact={contact}", None, READ_ONE),
    (
        "post",
        "/purchases",
        {"contact": "{contact}", "date": "2026-01-10", "amount": "10.00"},
        CREATE,
    ),
    ("patch", "/purchases/{purchase}", {"description": "Плитка"}, CHANGE),
    ("delete", "/purchases/{purchase}", None, DELETE),
    ("post", "/purchases/{trashed_purchase}/restore", None, RESTORE),
]


@pytest.fixture
def places(owner, contact, sales):
    deal = make_deal(owner, contact)
    trashed_deal = make_deal(owner, contact, title="Стара")
    deal_delete(actor=owner, deal=trashed_deal)
    purchase = make_purchase(owner, contact, datetime.date(2026, 1, 5))
    trashed_purchase = make_purchase(owner, contact, datetime.date(2026, 1, 6))
    purchase_delete(actor=owner, purchase=trashed_purchase)
    return {
        "pipeline": sales.pipeline.pk,
        "offer": sales.offer.pk,
        "contact": contact.pk,
        "deal": deal.pk,
        "trashed_deal": trashed_deal.pk,
        "purchase": purchase.pk,
        "trashed_purchase": trashed_purchase.pk,
    }


def _fill(template: Any, values: dict[str, int]) -> Any:
    text = json.dumps(template)
    for name, value in values.items():
        text = text.replace(f'"{{{name}}}"', str(value)).replace(f"{{{name}}}", str(value))
    return json.loads(text)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX]
)
def test_access(request, places, persona, method, path, body, expected):
    client = api_as(request.getfixturevalue(persona))

    send = getattr(client, method)
    url = _fill(path, places)
    response = send(url) if body is None else send(url, _fill(body, places))

    assert response.status_code == expected[PERSONAS.index(persona)], response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_board_show_only_what_the_persona_sees(request, places, persona):
    client = api_as(request.getfixturevalue(persona))
    sees = persona in ("owner", "lead", "admin", "viewer")

    deals = [d["id"] for d in client.get("/deals").json()["items"]]
    purchases = [p["id"] for p in client.get("/purchases").json()["items"]]
    columns = client.get(f"/pipelines/{places['pipeline']}/board").json()["columns"]

    assert (places["deal"] in deals) is sees
    assert places["trashed_deal"] not in deals
    assert (places["purchase"] in purchases) is sees
    assert columns[0]["count"] == int(sees)
    assert (places["deal"] in [c["id"] for c in columns[0]["cards"]]) is sees


def test_deal_round_trip_keeps_money_exact(owner, contact, sales):
    client = api_as(owner)

    created = client.post(
        "/deals",
        {"title": "Плитка", "contact": contact.pk, "value": "1234567.89", "currency": "EUR"},
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["value"], body["currency"]) == ("1234567.89", "EUR")
    assert body["stage"]["id"] == sales.new.pk
    assert body["contact"] == {"id": contact.pk, "name": contact.full_name}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": "-1"}, "value"),
        ({"currency": "ABC"}, "currency"),
        ({"value": "ten"}, "value"),
        ({"colour": "red"}, "colour"),
        ({"contact": None}, "contact"),
    ],
)
def test_bad_deal_answers_422_naming_the_field(owner, contact, sales, counts, body, field):
    before = counts()

    response = api_as(owner).post("/deals", {"title": "x", "contact": contact.pk, **body})

    assert response.status_code == 422
    assert field in error_fields(response)
    assert counts() == before


def test_move_to_another_pipeline_answers_422_on_stage(owner, contact, other_stage):
    deal = make_deal(owner, contact)

    response = api_as(owner).post(f"/deals/{deal.pk}/move", {"stage": other_stage.pk})

    assert response.status_code == 422
    assert list(error_fields(response)) == ["stage"]


def test_lost_without_reason_answers_422(owner, contact, sales):
    deal = make_deal(owner, contact)

    response = api_as(owner).post(f"/deals/{deal.pk}/move", {"stage": sales.lost.pk})

    assert response.status_code == 422
    assert list(error_fields(response)) == ["lost_reason"]


def test_second_mover_answers_409(owner, lead, contact, sales, counts):
    deal = make_deal(owner, contact)
    deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    before = counts()

    response = api_as(lead).post(
        f"/deals/{deal.pk}/move", {"stage": sales.won.pk, "expected_stage": sales.new.pk}
    )

    assert response.status_code == 409
    assert list(error_fields(response)) == ["expected_stage"]
    assert counts() == before


def test_won_with_purchase_over_the_api(owner, contact, sales):
    deal = make_deal(owner, contact, value="300")
    client = api_as(owner)

    response = client.post(
        f"/deals/{deal.pk}/move",
        {
            "stage": sales.won.pk,
            "expected_stage": sales.new.pk,
            "purchase": {"amount": "280.00", "discount_percent": "6.67", "description": "Фарба"},
        },
    )
    purchases = client.get("/purchases", {"deal": deal.pk}).json()["items"]
    bad = client.post(
        f"/deals/{make_deal(owner, contact).pk}/move",
        {"stage": sales.won.pk, "purchase": {"currency": "ZZZ"}},
    )

    assert response.status_code == 200, response.content
    assert response.json()["closed_at"] is not None
    assert [(p["amount"], p["discount_percent"]) for p in purchases] == [("280.00", "6.67")]
    assert bad.status_code == 422
    assert list(error_fields(bad)) == ["purchase.currency"]


def test_bad_purchase_answers_422(owner, contact, counts):
    before = counts()

    response = api_as(owner).post(
        "/purchases", {"contact": contact.pk, "date": "2026-01-01", "amount": "-3"}
    )

    assert response.status_code == 422
    assert list(error_fields(response)) == ["amount"]
    assert counts() == before


def test_rhythm_over_the_api(owner, contact, company):
    for day in (1, 11, 21):
        make_purchase(owner, contact, datetime.date(2025, 3, day), amount="10")
    client = api_as(owner)

    body = client.get("/purchases/rhythm", {"contact": contact.pk}).json()
    neither = client.get("/purchases/rhythm")

    assert (body["count"], body["totals"], body["average_interval_days"]) == (
        3,
        {"UAH": "30.00"},
        "10.0",
    )
    assert body["overdue"] is True
    assert neither.status_code == 400


def test_deal_list_filters_are_checked(owner, sales):
    client = api_as(owner)

    assert client.get("/deals", {"status": "maybe"}).status_code == 400
    assert client.get("/deals", {"sort": "price"}).status_code == 400
    assert client.get("/deals", {"stage": "x"}).status_code == 400
    assert client.get("/deals", {"cursor": "nonsense"}).status_code == 400


def test_stage_history_over_the_api(owner, contact, sales):
    deal = make_deal(owner, contact)
    deal_move_stage(deal=deal, stage=sales.offer, actor=owner)

    spans = api_as(owner).get(f"/deals/{deal.pk}/stages").json()

    assert [s["stage"]["id"] for s in spans] == [sales.new.pk, sales.offer.pk]
    assert spans[0]["left_at"] is not None
    assert spans[1]["left_at"] is None
    assert spans[1]["actor"]["id"] == owner.pk


def test_unknown_deal_is_404_in_the_one_shape(owner, sales):
    response = api_as(owner).get("/deals/999999")

    assert response.status_code == 404
    assert error_fields(response) == {}


def test_teammate_cannot_use_the_owners_contact(teammate, owner, sales):
    theirs = make_contact(owner, first_name="Чужа")

    response = api_as(teammate).post("/deals", {"title": "x", "contact": theirs.pk})

    assert response.status_code == 422
    assert list(error_fields(response)) == ["contact"]


def test_pipelines_say_which_stages_are_retired(owner, admin, sales):
    # given a stage no longer in use
    stage_set_active(actor=admin, stage=sales.offer, active=False)

    # when
    pipelines = api_as(owner).get("/pipelines").json()

    # then
    (pipeline,) = pipelines
    assert pipeline["active"] is True
    assert {s["name"]: s["active"] for s in pipeline["stages"]} == {
        sales.new.name: True,
        sales.offer.name: False,
        sales.won.name: True,
        sales.lost.name: True,
    }
