"""The experiments API for every persona, its one error shape, and results over JSON."""

import json
from typing import Any

import pytest

from clientela.retention.experiments.models import Experiment
from clientela.retention.experiments.services import experiment_start
from retention.experiments.support import make_clients, make_experiment
from sales.support import api_as, error_fields

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]

BODY = {
    "name": "Postcard vs nothing",
    "filters": {"tag": "experiment"},
    "window_days": 30,
    "arms": [
        {"name": "Postcard", "gesture_kind": "postcard", "creates_task": True, "cost": "40"},
        {"name": "No gesture", "is_control": True},
    ],
}

#        owner teammate lead outsider admin viewer
MATRIX: list[tuple[str, str, Any, list[int]]] = [
    ("get", "/experiments", None, [200, 200, 200, 200, 200, 200]),
    ("get", "/experiments/{running}", None, [200, 404, 200, 404, 200, 200]),
    ("get", "/experiments/{draft}", None, [404, 404, 200, 404, 200, 200]),
    ("post", "/experiments", BODY, [403, 403, 201, 403, 201, 403]),
    ("post", "/experiments/{draft}/start", None, [404, 404, 200, 404, 200, 403]),
    ("post", "/experiments/{running}/finish", None, [403, 404, 200, 404, 200, 403]),
]


@pytest.fixture
def places(lead, owner) -> dict[str, int]:
    make_clients(owner, 4)
    running = make_experiment(lead, name="Running", seed=1)
    experiment_start(actor=lead, experiment=running)
    draft = make_experiment(lead, name="Draft")
    return {"running": running.pk, "draft": draft.pk}


@pytest.mark.parametrize(
    ("method", "url", "body", "persona", "expected"),
    [
        pytest.param(m, u, b, p, e[i], id=f"{p}-{m}-{u}")
        for m, u, b, e in MATRIX
        for i, p in enumerate(PERSONAS)
    ],
)
def test_access(request, places, method, url, body, persona, expected) -> None:
    api = api_as(request.getfixturevalue(persona))
    path = url.format(**places)
    response = api.get(path) if method == "get" else api.post(path, body)
    assert response.status_code == expected, response.content


def test_create_start_and_read_results(lead, owner) -> None:
    make_clients(owner, 6)
    api = api_as(lead)
    created = api.post("/experiments", {**BODY, "seed": 77})
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft"
    assert body["results"] is None
    assert body["seed"] == 77
    started = api.post(f"/experiments/{body['id']}/start")
    assert started.status_code == 200
    results = started.json()["results"]
    assert results["assigned"] == 6
    assert results["pending"] == 6
    assert [a["assigned"] for a in results["arms"]] == [3, 3]
    listed = api.get("/experiments").json()
    assert [(e["name"], e["status"], e["clients"]) for e in listed] == [
        ("Postcard vs nothing", "running", 6)
    ]


def test_refusals_use_the_one_error_shape(lead, owner) -> None:
    api = api_as(lead)
    one_arm = api.post("/experiments", {**BODY, "arms": [{"name": "Only", "is_control": True}]})
    assert one_arm.status_code == 422  # no client tagged "experiment" yet
    assert "filters.tag" in error_fields(one_arm)
    make_clients(owner, 2)
    draft = api.post("/experiments", {**BODY, "arms": [{"name": "Only", "is_control": True}]})
    refused = api.post(f"/experiments/{draft.json()['id']}/start")
    assert refused.status_code == 422
    assert "at least two arms" in error_fields(refused)["arms"][0]
    bad = api.post("/experiments", {**BODY, "colour": "red"})
    assert bad.status_code == 422
    rows = api.post(
        "/experiments",
        {**BODY, "arms": [BODY["arms"][0], {"name": "X", "is_control": True, "cost": "-5"}]},
    )
    assert rows.status_code == 422
    assert "arms.1.cost" in error_fields(rows)
    assert Experiment.objects.count() == 1
    assert json.loads(refused.content)["detail"]
