"""The discount policy: limits by role and segment, margin floor, approvals, report, access."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from clientela.contacts.models import ContactTag, Lifecycle, Tag
from clientela.core.models import AuditEvent, OutgoingEmail
from clientela.retention.discounts import selectors, services
from clientela.retention.discounts.models import DiscountRequest, RequestStatus
from clientela.sales.services import (
    deal_update,
    pipeline_create,
    purchase_create,
    purchase_update,
    stage_create,
)
from conftest import client_for
from sales.support import api_as, make_deal, make_purchase

TODAY = datetime.date(2025, 3, 3)


@pytest.fixture
def policy(admin):
    return services.policy_save(
        actor=admin,
        data={
            "manager_max_percent": "10",
            "lead_max_percent": "20",
            "admin_max_percent": "",
            "margin_floor_percent": "15",
            "approval_days": 7,
        },
    )


def _buy(actor, contact, **data):
    data.setdefault("amount", "1000.00")
    return purchase_create(
        actor=actor, data={"contact": contact.pk, "date": timezone.localdate(), **data}
    )


def _refused(exc, field):
    return exc.value.message_dict[field][0]


def test_without_a_policy_nothing_is_limited(owner, contact):
    assert _buy(owner, contact, discount_percent="60").discount_percent == Decimal("60")


def test_role_limit_refuses_with_the_field_named(policy, owner, lead, admin, contact):
    assert _buy(owner, contact, discount_percent="10").discount_percent == Decimal("10")
    with pytest.raises(ValidationError) as exc:
        _buy(owner, contact, discount_percent="12")
    assert _refused(exc, "discount_percent") == (
        "12 % is above your limit of 10 % for this client; ask a lead to approve it."
    )
    assert _buy(lead, contact, discount_percent="20").discount_percent == Decimal("20")
    assert _buy(admin, contact, discount_percent="90").discount_percent == Decimal("90")


def test_the_smaller_of_role_and_segment_applies(policy, admin, owner, lead, contact):
    vip = Tag.objects.create(name="VIP-знижка")
    services.segment_rule_create(actor=admin, data={"tag": vip.pk, "max_percent": "15"})
    services.segment_rule_create(
        actor=admin, data={"lifecycle": Lifecycle.LEAD, "max_percent": "0"}
    )
    # the contact is a lead: 0 % whatever the role
    with pytest.raises(ValidationError) as exc:
        _buy(lead, contact, discount_percent="1")
    assert "limit of 0 %" in _refused(exc, "discount_percent")
    contact.lifecycle = Lifecycle.CUSTOMER
    contact.save()
    ContactTag.objects.create(contact=contact, tag=vip)
    # VIP 15 % vs lead 20 %: 15 applies; vs manager 10 %: 10 applies
    with pytest.raises(ValidationError) as exc:
        _buy(lead, contact, discount_percent="16")
    assert "limit of 15 %" in _refused(exc, "discount_percent")
    assert _buy(lead, contact, discount_percent="15").pk
    with pytest.raises(ValidationError) as exc:
        _buy(owner, contact, discount_percent="11")
    assert "limit of 10 %" in _refused(exc, "discount_percent")


def test_margin_floor_applies_when_a_cost_is_recorded(policy, owner, contact):
    assert _buy(owner, contact, amount="1000", cost="850").cost == Decimal("850.00")
    with pytest.raises(ValidationError) as exc:
        _buy(owner, contact, amount="1000", cost="900")
    assert _refused(exc, "cost") == (
        "The margin would be 10 %, below the floor of 15 %; ask a lead to approve it."
    )


def test_deal_discount_is_checked_and_unchanged_fields_are_not(policy, owner, admin, contact):
    pipeline = pipeline_create(actor=admin, name="Продажі")
    stage_create(actor=admin, pipeline=pipeline, name="Новий")
    deal = make_deal(owner, contact, discount_percent="5", cost="100")
    with pytest.raises(ValidationError) as exc:
        deal_update(actor=owner, deal=deal, data={"discount_percent": "11"})
    assert "limit of 10 %" in _refused(exc, "discount_percent")
    assert deal_update(actor=owner, deal=deal, data={"title": "Нова назва"}).title == "Нова назва"


def test_approval_flow_end_to_end(policy, owner, lead, contact):
    owner.email, lead.email = "owner@example.com", "lead@example.com"
    owner.save()
    lead.save()
    purchase = _buy(owner, contact, discount_percent="5")
    # given a refused save
    with pytest.raises(ValidationError):
        purchase_update(actor=owner, purchase=purchase, data={"discount_percent": "12"})
    # when the owner asks and the lead approves
    request = services.request_create(
        actor=owner,
        data={
            "subject": "purchase",
            "purchase": purchase.pk,
            "discount_percent": "12",
            "amount": "1000",
            "reason": "Постійний клієнт",
        },
    )
    assert request.status == RequestStatus.PENDING
    assert request.limit_percent == Decimal("10")
    assert OutgoingEmail.objects.filter(to="lead@example.com").count() == 1
    assert selectors.pending_approvals(lead) == 1
    assert selectors.pending_approvals(owner) == 0
    services.request_approve(actor=lead, request=request, note="Так")
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.valid_until == timezone.localdate() + datetime.timedelta(days=7)
    assert OutgoingEmail.objects.filter(to="owner@example.com").count() == 1
    # then the save passes once
    saved = purchase_update(actor=owner, purchase=purchase, data={"discount_percent": "12"})
    assert saved.discount_percent == Decimal("12")
    request.refresh_from_db()
    assert (request.status, request.purchase_id) == (RequestStatus.USED, purchase.pk)
    # and a second save above the limit is refused
    with pytest.raises(ValidationError):
        purchase_update(actor=owner, purchase=purchase, data={"discount_percent": "11"})
    statuses = [
        event.changes.get("status")
        for event in AuditEvent.objects.filter(object_id=request.pk).order_by("id")
        if event.content_type.model == "discountrequest"
    ]
    assert statuses == [
        [None, "Waiting for a decision"],
        ["Waiting for a decision", "Approved"],
        ["Approved", "Used"],
    ]


def test_an_approval_covers_a_new_purchase_once(policy, owner, lead, contact):
    request = services.request_create(
        actor=owner,
        data={"subject": "purchase", "contact": contact.pk, "discount_percent": "12",
              "amount": "500", "reason": "Опт"},
    )  # fmt: skip
    services.request_approve(actor=lead, request=request)
    first = _buy(owner, contact, amount="500", discount_percent="12")
    request.refresh_from_db()
    assert request.purchase_id == first.pk
    with pytest.raises(ValidationError):
        _buy(owner, contact, amount="500", discount_percent="12")


def test_reject_and_who_may_decide(policy, owner, teammate, lead, outsider, admin, contact):
    data = {"subject": "purchase", "contact": contact.pk, "discount_percent": "12",
            "amount": "500", "reason": "Опт"}  # fmt: skip
    request = services.request_create(actor=owner, data=data)
    with pytest.raises(Http404):  # a teammate manager does not see it
        services.request_approve(actor=teammate, request=request)
    outsider.role = "lead"
    outsider.save()
    with pytest.raises(Http404):  # a lead of another team does not even see it
        services.request_approve(actor=outsider, request=request)
    services.request_reject(actor=lead, request=request, note="Ні")
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    with pytest.raises(ValidationError):
        _buy(owner, contact, amount="500", discount_percent="12")
    # a lead cannot approve their own request; the admin can
    own = services.request_create(actor=lead, data={**data, "discount_percent": "25"})
    with pytest.raises(PermissionDenied):
        services.request_approve(actor=lead, request=own)
    services.request_approve(actor=admin, request=own)
    assert DiscountRequest.objects.get(pk=own.pk).status == RequestStatus.APPROVED


def test_within_the_limit_needs_no_request(policy, owner, contact):
    with pytest.raises(ValidationError) as exc:
        services.request_create(
            actor=owner,
            data={"subject": "purchase", "contact": contact.pk, "discount_percent": "5",
                  "amount": "500", "reason": "?"},
        )  # fmt: skip
    assert "discount_percent" in exc.value.message_dict


def test_report_numbers_by_hand(owner, lead, admin, contact):
    day = timezone.localdate()
    make_purchase(owner, contact, day, amount=Decimal("900.00"), discount_percent="10")
    make_purchase(owner, contact, day, amount=Decimal("800.00"), discount_percent="20")
    make_purchase(owner, contact, day, amount=Decimal("1000.00"), cost="950")
    services.policy_save(
        actor=admin, data={"manager_max_percent": "10", "margin_floor_percent": "10"}
    )
    report = selectors.discount_report(admin, day, day)
    row = report.by_manager[0]
    assert (row.label, row.purchases, row.max_percent) == (str(owner), 2, Decimal("20"))
    assert row.average_percent == Decimal("15.00")
    # 900 × 10 / 90 = 100; 800 × 20 / 80 = 200
    assert dict(row.money) == {"UAH": Decimal("300.00")}
    assert (row.within, row.approved, row.unapproved, row.below_floor) == (1, 0, 1, 1)
    assert report.by_client[0].label == str(contact)


def test_report_costs_the_same_for_few_or_many(
    owner, admin, contact, django_assert_max_num_queries
):
    services.policy_save(actor=admin, data={"manager_max_percent": "50"})
    for n in range(20):
        make_purchase(owner, contact, timezone.localdate(), discount_percent=str(n % 5 + 1))
    with django_assert_max_num_queries(7):
        report = selectors.discount_report(admin)
    assert report.total.purchases == 20


def test_pending_approvals_is_one_query(policy, owner, lead, contact, django_assert_num_queries):
    services.request_create(
        actor=owner,
        data={"subject": "purchase", "contact": contact.pk, "discount_percent": "12",
              "amount": "500", "reason": "Опт"},
    )  # fmt: skip
    with django_assert_num_queries(1):
        assert selectors.pending_approvals(lead) == 1


# --- access matrix ------------------------------------------------------------------------

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]


@pytest.fixture
def filed(policy, owner, contact):
    return services.request_create(
        actor=owner,
        data={"subject": "purchase", "contact": contact.pk, "discount_percent": "12",
              "amount": "500", "reason": "Опт"},
    )  # fmt: skip


#                      owner teammate lead outsider admin viewer
PAGES = [
    ("/discounts/policy/", [403, 403, 403, 403, 200, 403]),
    ("/discounts/requests/", [200, 200, 200, 200, 200, 200]),
    ("/discounts/requests/{pk}/", [200, 404, 200, 404, 200, 200]),
    ("/discounts/report/", [200, 200, 200, 200, 200, 200]),
    ("/discounts/requests/new/?purchase={purchase}", [200, 404, 200, 404, 200, 403]),
]
ACTIONS = [
    ("/discounts/requests/{pk}/approve/", [400, 404, 302, 404, 302, 403]),
    ("/discounts/requests/{pk}/cancel/", [302, 404, 403, 404, 403, 403]),
]


@pytest.mark.parametrize(("path", "codes"), PAGES + ACTIONS)
def test_pages_access_matrix(request, filed, owner, contact, path, codes):
    purchase = make_purchase(owner, contact, timezone.localdate())
    for persona, code in zip(PERSONAS, codes, strict=True):
        user = request.getfixturevalue(persona)
        url = path.format(pk=filed.pk, purchase=purchase.pk)
        client = client_for(user)
        is_action = path.endswith(("/approve/", "/cancel/"))
        response = client.post(url) if is_action else client.get(url)
        if is_action and response.status_code == 400:
            # owner cannot decide own request: refused (403 from the service)
            pass
        assert response.status_code == code or (
            is_action and persona == "owner" and response.status_code == 403
        ), (persona, url, response.status_code)
        filed.refresh_from_db()
        if filed.status != RequestStatus.PENDING:
            DiscountRequest.objects.filter(pk=filed.pk).update(status=RequestStatus.PENDING)


API = [
    ("get", "/discount-requests", [200, 200, 200, 200, 200, 200]),
    ("get", "/discount-requests/{pk}", [200, 404, 200, 404, 200, 200]),
    ("get", "/discounts/report", [200, 200, 200, 200, 200, 200]),
    ("get", "/discounts/policy", [200, 200, 200, 200, 200, 200]),
    ("post", "/discount-requests/{pk}/reject", [403, 404, 200, 404, 200, 403]),
    ("post", "/discount-requests/{pk}/cancel", [200, 404, 403, 404, 403, 403]),
]


@pytest.mark.parametrize(("method", "path", "codes"), API)
def test_api_access_matrix(request, filed, method, path, codes):
    for persona, code in zip(PERSONAS, codes, strict=True):
        api = api_as(request.getfixturevalue(persona))
        url = path.format(pk=filed.pk)
        response = (
            api.get(url) if method == "get" else api.post(url, {} if "reject" in url else None)
        )
        assert response.status_code == code, (persona, url, response.status_code, response.content)
        DiscountRequest.objects.filter(pk=filed.pk).update(status=RequestStatus.PENDING)


def test_api_create_names_the_field(policy, owner, viewer, contact):
    body = {"subject": "purchase", "contact": contact.pk, "discount_percent": "12",
            "amount": "500", "reason": ""}  # fmt: skip
    response = api_as(owner).post("/discount-requests", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    assert api_as(owner).post("/discount-requests", {**body, "reason": "Опт"}).status_code == 201
    assert api_as(viewer).post("/discount-requests", {**body, "reason": "Опт"}).status_code == 403


def test_refused_purchase_form_offers_the_approval_button(policy, owner, contact):
    client = client_for(owner)
    form = {"date": timezone.localdate().isoformat(), "amount": "1000", "currency": "UAH",
            "description": "", "discount_percent": "12", "cost": ""}  # fmt: skip
    response = client.post(f"/purchases/new/?contact={contact.pk}", form)
    assert response.status_code == 200
    assert "ask a lead to approve it" in response.content.decode()
    assert 'formaction="/discounts/requests/new/"' in response.content.decode()
    # the button posts the same form to the request page, prefilled
    page = client.post(
        "/discounts/requests/new/", {**form, "subject": "purchase", "contact": contact.pk,
                                     "from_form": "1"}
    )  # fmt: skip
    assert page.status_code == 200
    assert page.context["form"].initial["discount_percent"] == "12"
    filed = client.post(
        "/discounts/requests/new/",
        {"subject": "purchase", "contact": contact.pk, "discount_percent": "12",
         "amount": "1000", "currency": "UAH", "reason": "Постійний клієнт"},
    )  # fmt: skip
    assert filed.status_code == 302
    assert DiscountRequest.objects.get().requested_by == owner


def test_demo_data_makes_requests_in_several_states(admin, lead, owner, contact):
    from clientela.retention.discounts.demo import seed_discounts

    contact.lifecycle = Lifecycle.CUSTOMER
    contact.save()
    make_purchase(owner, contact, timezone.localdate(), amount=Decimal("1000.00"))
    made = seed_discounts(admin=admin)
    assert made["requests"] == 1
    assert DiscountRequest.objects.get().status == RequestStatus.PENDING
