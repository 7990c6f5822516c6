"""Complaint pages: overdue highlighted, the panel and the action on client pages, bounded
query counts, the timeline entries, the summary selectors."""

import pytest
from django.utils import timezone

from clientela.retention.complaints import selectors, services
from conftest import client_for, make_contact
from retention.complaints.conftest import hours_ago, make_complaint
from sales.support import make_purchase

pytestmark = pytest.mark.django_db


def test_overdue_complaint_is_highlighted_in_the_list_and_on_its_page(owner, contact):
    late = make_complaint(owner, contact, severity="critical", received_at=hours_ago(7))
    client = client_for(owner)

    listing = client.get("/complaints/").content.decode()
    detail = client.get(f"/complaints/{late.pk}/").content.decode()

    assert "overdue by 3 h" in listing
    assert 'class="complaint-row overdue"' in listing
    assert "Overdue by 3 h" in detail


def test_contact_page_shows_the_panel_and_the_action(owner, contact):
    make_complaint(owner, contact, description="Зламаний стілець")
    page = client_for(owner).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Зламаний стілець" in page
    assert f"/complaints/new/?contact={contact.pk}" in page


def test_a_purchase_page_offers_a_complaint_about_it(owner, contact, viewer):
    purchase = make_purchase(owner, contact, timezone.localdate())
    page = client_for(owner).get(f"/purchases/{purchase.pk}/").content.decode()
    assert f"/complaints/new/?purchase={purchase.pk}" in page
    # a reader who may not write is not offered it
    page = client_for(viewer).get(f"/purchases/{purchase.pk}/").content.decode()
    assert "/complaints/new/" not in page


def test_create_page_records_a_complaint(owner, contact):
    response = client_for(owner).post(
        f"/complaints/new/?contact={contact.pk}",
        {
            "channel": "phone",
            "category": "product",
            "severity": "high",
            "description": "Брак",
            "owner": str(owner.pk),
        },
    )
    assert response.status_code == 302
    complaint = selectors.complaint_get(owner, response["Location"].split("/")[-2])
    assert complaint.severity == "high"
    assert complaint.contact_id == contact.pk


@pytest.mark.parametrize("rows", [2, 20])
def test_list_costs_the_same_for_2_and_20_rows(owner, contact, rows, django_assert_max_num_queries):
    for n in range(rows):
        person = make_contact(owner, first_name=f"Клієнт{n}")
        make_complaint(owner, person)
    client = client_for(owner)
    with django_assert_max_num_queries(8):
        response = client.get("/complaints/")
    assert response.content.decode().count("complaint-row") == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_panel_costs_two_queries(owner, contact, rows, rf, django_assert_num_queries):
    from clientela.retention.complaints.views.extensions import client_complaints_panel

    for _ in range(rows):
        make_complaint(owner, contact)
    request = rf.get("/")
    request.user = owner
    with django_assert_num_queries(2):
        data = client_complaints_panel(request, contact)
        names = [str(c.owner) for c in data["complaints"]]
    assert data["open_count"] == rows
    assert len(names) == min(rows, 5)


def test_open_complaint_counts_in_one_query(owner, contact, django_assert_num_queries):
    other = make_contact(owner, first_name="Петро")
    make_complaint(owner, contact, severity="critical", received_at=hours_ago(5))
    make_complaint(owner, contact)
    done = make_complaint(owner, other)
    services.complaint_start(actor=owner, complaint=done)
    services.complaint_resolve(actor=owner, complaint=done, resolution="Так")

    with django_assert_num_queries(1):
        counts = selectors.open_complaint_counts([contact.pk, other.pk])

    assert counts == {contact.pk: (2, 1)}


def test_summary_counts_what_the_user_sees(owner, outsider, contact, django_assert_max_num_queries):
    make_complaint(owner, contact, severity="critical", received_at=hours_ago(5))
    make_complaint(owner, contact)
    with django_assert_max_num_queries(2):
        summary = selectors.complaint_summary(owner)
    assert summary["open"] == 2
    assert summary["overdue"] == 1
    today = timezone.localdate()
    expected_new = 1 + (timezone.localtime(hours_ago(5)).date() == today)
    assert summary["new_today"] == expected_new
    assert selectors.complaint_summary(outsider) == {"open": 0, "overdue": 0, "new_today": 0}


def test_timeline_tells_received_and_resolved(owner, outsider, contact):
    from clientela.activities.timeline import timeline

    complaint = make_complaint(owner, contact, description="Кур'єр нагрубив")
    services.complaint_start(actor=owner, complaint=complaint)
    services.complaint_resolve(actor=owner, complaint=complaint, resolution="Вибачились")

    kinds = [e.kind for e in timeline(owner, contact=contact).entries]
    assert "complaint" in kinds
    assert "complaint_resolved" in kinds
    only = timeline(owner, contact=contact, kinds=["complaint_resolved"]).entries
    assert [e.kind for e in only] == ["complaint_resolved"]
    page = client_for(owner).get(f"/contacts/{contact.pk}/").content.decode()
    assert "Кур&#x27;єр нагрубив" in page or "Кур'єр нагрубив" in page


def test_resolve_and_reopen_pages_take_their_text(owner, contact):
    complaint = make_complaint(owner, contact)
    client = client_for(owner)
    url = f"/complaints/{complaint.pk}"

    # a new complaint cannot be resolved yet: back to its page, nothing changed
    refused = client.post(f"{url}/resolve/", {"resolution": "Замінили"}, follow=True)
    assert refused.redirect_chain == [(f"{url}/", 302)]
    complaint.refresh_from_db()
    assert complaint.status == "new"

    services.complaint_start(actor=owner, complaint=complaint)
    empty = client.post(f"{url}/resolve/", {"resolution": "  "})
    assert empty.status_code == 200
    assert empty.context["resolve_form"].errors
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"

    assert client.post(f"{url}/resolve/", {"resolution": "Замінили"}).status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolution) == ("resolved", "Замінили")

    assert client.post(f"{url}/reopen/", {"reason": ""}).status_code == 200
    assert client.post(f"{url}/reopen/", {"reason": "Знову зламалось"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
