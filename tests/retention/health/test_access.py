"""Who may open which health page and endpoint, and what the lists cost in queries."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clientela.retention.health.models import (
    ClientHealth,
    FitModel,
    HealthFit,
    HealthStatus,
    Playbook,
)
from clientela.retention.health.services_playbooks import playbook_default_ensure
from conftest import client_for, make_contact

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]


def _at_risk(contact: Any, score: int = 10, stake: str = "100.00") -> ClientHealth:
    """A stored health row as the nightly job leaves it (the job itself: test_health.py)."""
    HealthFit.objects.get_or_create(
        model=FitModel.BGNBD,
        currency="",
        defaults={
            "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
            "n": 100,
            "repeat_buyers": 40,
            "converged": True,
            "enough_history": True,
            "calibration_end": timezone.localdate(),
            "fitted_at": timezone.now(),
        },
    )
    return ClientHealth.objects.create(
        contact=contact,
        status=HealthStatus.SCORED,
        purchases=3,
        p_alive=0.2,
        expected_purchases=0.1,
        currency="UAH",
        expected_value="50.00",
        value_at_stake=stake,
        score=score,
        level="at_risk",
        reasons=[{"code": "rhythm", "days": 200, "usual": 30}],
        computed_at=timezone.now(),
        last_purchase=timezone.localdate(),
    )


@pytest.mark.parametrize(
    ("persona", "detail", "listed"),
    [
        ("owner", 200, 1),
        ("teammate", 404, 0),  # a manager sees their own clients
        ("lead", 200, 1),
        ("outsider", 404, 0),
        ("admin", 200, 1),
        ("viewer", 200, 1),
    ],
)
def test_api_access(persona: str, detail: int, listed: int, request: Any, contact: Any) -> None:
    _at_risk(contact)
    api = client_for(request.getfixturevalue(persona))
    assert api.get(f"/api/v1/health/contacts/{contact.pk}").status_code == detail
    answer = api.get("/api/v1/health/at-risk")
    assert answer.status_code == 200
    assert answer.json()["count"] == listed
    assert Client().get(f"/api/v1/health/contacts/{contact.pk}").status_code == 401
    assert Client().get("/api/v1/health/at-risk").status_code == 401


@pytest.mark.parametrize(
    ("persona", "admin_page"),
    [
        ("owner", 403),
        ("teammate", 403),
        ("lead", 403),
        ("outsider", 403),
        ("admin", 200),
        ("viewer", 403),
    ],
)
def test_pages_access(persona: str, admin_page: int, request: Any, contact: Any) -> None:
    _at_risk(contact)
    playbook = playbook_default_ensure()
    user = request.getfixturevalue(persona)
    web = client_for(user)
    listed = web.get(reverse("health:at_risk"))
    assert listed.status_code == 200
    assert (str(contact) in listed.content.decode()) == (
        persona in {"owner", "lead", "admin", "viewer"}
    )
    assert web.get(reverse("health:settings")).status_code == admin_page
    assert web.get(reverse("health:playbook_new")).status_code == admin_page
    assert web.get(reverse("health:playbook_edit", args=[playbook.pk])).status_code == admin_page
    expected_post = 302 if admin_page == 200 else 403
    assert web.post(reverse("health:recompute")).status_code == expected_post
    created = web.post(
        reverse("health:playbook_new"),
        {
            "name": "Leads",
            "lifecycle": "lead",
            "position": 0,
            "active": "on",
            "kind_0": "call",
            "title_0": "Call",
            "due_0": 1,
        },
    )
    assert created.status_code == expected_post
    assert Playbook.objects.filter(name="Leads").exists() == (admin_page == 200)
    deleted = web.post(reverse("health:playbook_delete", args=[playbook.pk]))
    assert deleted.status_code == expected_post
    for name in ("health:at_risk", "health:settings"):
        assert Client().get(reverse(name)).status_code == 302  # to the sign-in page


def test_bad_playbook_form_names_the_field(admin: Any) -> None:
    answer = client_for(admin).post(
        reverse("health:playbook_new"), {"name": "", "position": 0, "kind_0": "call", "title_0": ""}
    )
    assert answer.status_code == 400
    assert not Playbook.objects.exists()


@pytest.mark.parametrize("rows", [2, 20])
def test_at_risk_page_and_api_cost_bounded_queries(
    rows: int, owner: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(rows):
        _at_risk(make_contact(owner, first_name=f"C{i}"), stake=f"{i + 1}.00")
    web = client_for(owner)
    with django_assert_max_num_queries(16):
        page = web.get(reverse("health:at_risk"))
    assert page.content.decode().count('class="at-risk-row"') == rows
    with django_assert_max_num_queries(10):
        answer = web.get("/api/v1/health/at-risk").json()
    stakes = [item["value_at_stake"] for item in answer["items"]]
    assert [float(s) for s in stakes] == sorted((float(s) for s in stakes), reverse=True)


def test_contact_panel_is_shown_with_bounded_queries(owner: Any, contact: Any) -> None:
    _at_risk(contact)
    page = client_for(owner).get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert 'id="health"' in page
    assert "no purchase for 200 days, usually every 30" in page
