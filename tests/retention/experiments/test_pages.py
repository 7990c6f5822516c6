"""Experiment pages for every persona, the results page's numbers for a hand-built case, its
query count for 2 vs 20 clients per arm, and the create → start → finish flow by form.

The experiments are the lead's (team Kyiv) over `owner`'s clients: `owner` sees the running
one (it touches their clients), `teammate` and `outsider` do not, `viewer` reads the team's.
"""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clientela.retention.experiments.models import Assignment, Experiment
from clientela.retention.experiments.services import experiment_start
from conftest import client_for
from retention.experiments.support import date_back, make_clients, make_experiment
from sales.support import make_purchase

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]


@pytest.fixture
def places(lead, owner) -> dict[str, int]:
    make_clients(owner, 4)
    running = make_experiment(lead, name="Running", seed=1)
    experiment_start(actor=lead, experiment=running)
    draft = make_experiment(lead, name="Draft")
    return {"running": running.pk, "draft": draft.pk}


#        owner teammate lead outsider admin viewer
MATRIX: list[tuple[str, str, list[int]]] = [
    ("get", "/experiments/", [200, 200, 200, 200, 200, 200]),
    ("get", "/experiments/new/", [403, 403, 200, 403, 200, 403]),
    ("post", "/experiments/new/", [403, 403, 200, 403, 200, 403]),
    ("get", "/experiments/{running}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/experiments/{draft}/", [404, 404, 200, 404, 200, 200]),
    ("get", "/experiments/{draft}/edit/", [404, 404, 200, 404, 200, 403]),
    ("post", "/experiments/{draft}/edit/", [404, 404, 200, 404, 200, 403]),
    ("get", "/experiments/{running}/edit/", [403, 404, 302, 404, 302, 403]),
    ("get", "/experiments/{draft}/start/", [404, 404, 200, 404, 200, 403]),
    ("post", "/experiments/{draft}/start/", [404, 404, 302, 404, 302, 403]),
    ("get", "/experiments/{running}/start/", [403, 404, 200, 404, 200, 403]),
    ("post", "/experiments/{running}/finish/", [403, 404, 302, 404, 302, 403]),
    ("get", "/experiments/{running}/finish/", [405, 405, 405, 405, 405, 405]),
    ("get", "/experiments/999999/", [404, 404, 404, 404, 404, 404]),
]


@pytest.mark.parametrize(
    ("method", "url", "persona", "expected"),
    [
        pytest.param(m, u, p, e[i], id=f"{p}-{m}-{u}")
        for m, u, e in MATRIX
        for i, p in enumerate(PERSONAS)
    ],
)
def test_access(request, places, method: str, url: str, persona: str, expected: int) -> None:
    client = client_for(request.getfixturevalue(persona))
    path = url.format(**places)
    response = client.post(path) if method == "post" else client.get(path)
    assert response.status_code == expected


def test_anonymous_is_sent_to_sign_in(places) -> None:
    response = Client().get("/experiments/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Postcard vs 1 % vs nothing",
        "hypothesis": "A postcard keeps more clients.",
        "tag": "",
        "owner": "",
        "lifecycle": "",
        "q": "",
        "window_days": "30",
        "stratify_by_owner": "on",
        "seed": "2024",
        "arms-TOTAL_FORMS": "6",
        "arms-INITIAL_FORMS": "0",
        "arms-MIN_NUM_FORMS": "0",
        "arms-MAX_NUM_FORMS": "6",
    }
    rows = [
        {
            "name": "Postcard",
            "gesture_kind": "postcard",
            "creates_task": "on",
            "cost": "40",
            "currency": "UAH",
        },
        {"name": "Discount 1 %", "gesture_kind": "voucher", "cost": "25", "currency": "UAH"},
        {"name": "Nothing", "is_control": "on", "cost": "0", "currency": "UAH"},
    ]
    for index in range(6):
        row = rows[index] if index < len(rows) else {"currency": "UAH"}
        for key, value in row.items():
            data[f"arms-{index}-{key}"] = value
    data.update(overrides)
    return data


def test_create_start_and_finish_by_form(lead, owner) -> None:
    make_clients(owner, 6)
    client = client_for(lead)
    response = client.post("/experiments/new/", _form())
    assert response.status_code == 302
    experiment = Experiment.objects.get()
    assert experiment.seed == 2024
    assert list(experiment.arms.values_list("name", "is_control")) == [
        ("Postcard", False),
        ("Discount 1 %", False),
        ("Nothing", True),
    ]
    page = client.get(f"/experiments/{experiment.pk}/start/")
    assert "6 clients are eligible now." in page.content.decode()
    response = client.post(f"/experiments/{experiment.pk}/start/")
    assert response.status_code == 302
    assert Assignment.objects.filter(experiment=experiment).count() == 6
    detail = client.get(f"/experiments/{experiment.pk}/").content.decode()
    assert "2024" in detail
    assert "6 clients are still in the window" in detail
    client.post(f"/experiments/{experiment.pk}/finish/")
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.FINISHED


def test_form_errors_are_shown_next_to_the_row(lead) -> None:
    response = client_for(lead).post(
        "/experiments/new/", _form(**{"arms-1-is_control": "on", "arms-1-currency": "XYZ"})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Only one arm can be the control." in body
    assert not Experiment.objects.exists()


def test_start_page_says_why_it_cannot_start(lead, owner) -> None:
    make_clients(owner, 2)
    experiment = make_experiment(lead, arms=[{"name": "Only one", "is_control": True}])
    response = client_for(lead).post(f"/experiments/{experiment.pk}/start/")
    assert response.status_code == 400
    assert "at least two arms" in response.content.decode()


def _hand_built(
    lead, owner, per_arm: int, treated: int, control: int, tag: str = "experiment"
) -> Experiment:
    make_clients(owner, 2 * per_arm, tag=tag)
    experiment = make_experiment(
        lead, name=f"Postcard vs nothing ({tag})", seed=3, window_days=30, filters={"tag": tag}
    )
    experiment = experiment_start(actor=lead, experiment=experiment)
    day = date_back(experiment, 45)
    by_arm: dict[bool, list] = {True: [], False: []}
    for a in Assignment.objects.filter(experiment=experiment).select_related("arm", "contact"):
        by_arm[a.arm.is_control].append(a.contact)
    for contact in by_arm[False][:treated] + by_arm[True][:control]:
        make_purchase(owner, contact, day + datetime.timedelta(days=12))
    return experiment


def test_results_page_numbers_for_a_hand_built_case(lead, owner) -> None:
    experiment = _hand_built(lead, owner, per_arm=10, treated=6, control=2)
    body = client_for(lead).get(f"/experiments/{experiment.pk}/").content.decode()
    # Postcard 6/10, Wilson 31.3–83.2 %; no gesture 2/10, Wilson 5.7–51.0 %.
    assert '60.0 % <span class="muted">(31.3–83.2 %)</span>' in body
    assert '20.0 % <span class="muted">(5.7–51.0 %)</span>' in body
    assert "400.00 UAH" in body  # 10 × 40
    assert "66.67 UAH" in body  # per retained client: 400 / 6
    assert "100.00 UAH" in body  # per extra retained client: 40 / (0.6 − 0.2)
    assert "40.0 pp" in body  # the difference; Newcombe interval below
    assert "(-2.3 … 67.3)" in body  # Newcombe's hybrid score interval, in points
    assert "0.170" in body  # Fisher's exact p for [[6, 4], [2, 8]]
    assert "Fisher&#x27;s exact test" in body or "Fisher's exact test" in body
    assert "Not enough data yet: about" in body


@pytest.mark.parametrize("per_arm", [2, 20])
def test_results_page_queries_do_not_grow_with_clients(lead, owner, per_arm: int) -> None:
    experiment = _hand_built(lead, owner, per_arm=per_arm, treated=1, control=1)
    client = client_for(lead)
    client.get(f"/experiments/{experiment.pk}/")  # warm the content-type and session caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/experiments/{experiment.pk}/")
    assert response.status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_results_page_same_queries_for_2_and_20_clients_per_arm(lead, owner) -> None:
    counts = []
    for per_arm in (2, 20):
        experiment = _hand_built(
            lead, owner, per_arm=per_arm, treated=1, control=1, tag=f"size{per_arm}"
        )
        client = client_for(lead)
        client.get(f"/experiments/{experiment.pk}/")
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/experiments/{experiment.pk}/")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_list_queries_are_bounded(lead, owner) -> None:
    make_clients(owner, 2)
    counts = []
    for total in (2, 20):
        while Experiment.objects.count() < total:
            make_experiment(lead, name=f"E{Experiment.objects.count()}")
        client = client_for(lead)
        client.get("/experiments/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/experiments/")
        assert response.content.decode().count("experiment-row") == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
