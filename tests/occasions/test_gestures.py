"""Gesture services and selectors: recording, validation, access and the report's sums."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.contacts.services import contact_update
from clientela.core.models import AuditEvent
from clientela.occasions.models import Gesture
from clientela.occasions.selectors_gestures import (
    client_gestures,
    gesture_filters_clean,
    gesture_get,
    gesture_list,
    gesture_report,
)
from clientela.occasions.services_gestures import gesture_create, gesture_delete, gesture_update
from conftest import make_company, make_contact
from occasions.agenda_support import make_occasion

YEAR_START = datetime.date(2026, 1, 1)
YEAR_END = datetime.date(2026, 12, 31)


def record(actor: User, client: Any, **data: Any) -> Gesture:
    field = "contact" if isinstance(client, Contact) else "company"
    data.setdefault("kind", "flowers")
    data.setdefault("date", "2026-03-08")
    return gesture_create(actor=actor, data={field: client.pk, **data})


def test_gesture_copies_the_clients_owner_and_is_audited(
    owner: User, teammate: User, contact: Contact
) -> None:
    # given a contact of `owner`, a teammate who sees it records flowers for it
    teammate.scope = "team"
    teammate.save()
    gesture = record(teammate, contact, cost="450,50", currency="uah", notes="Тюльпани")

    # then the gesture is the client's (owner, team) and done by the teammate
    assert gesture.owner_id == owner.pk
    assert gesture.team_id == owner.team_id
    assert gesture.user_id == teammate.pk
    assert gesture.cost == Decimal("450.50")
    assert gesture.currency == "UAH"
    assert gesture.status == Gesture.Status.DONE
    event = AuditEvent.objects.get(
        action="create", object_id=gesture.pk, content_type__model="gesture"
    )
    assert event.changes["cost"] == [None, "450.50"]


def test_bad_cost_and_currency_are_both_named_and_nothing_saved(
    owner: User, contact: Contact
) -> None:
    with pytest.raises(ValidationError) as caught:
        record(owner, contact, cost="-5", currency="XYZ", kind="balloon", status="maybe")
    assert set(caught.value.message_dict) == {"cost", "currency", "kind", "status"}
    assert not Gesture.objects.exists()
    assert not AuditEvent.objects.filter(action="create", content_type__model="gesture").exists()


def test_cost_with_three_decimals_or_text_is_refused(owner: User, contact: Contact) -> None:
    for bad in ("1.005", "a lot"):
        with pytest.raises(ValidationError) as caught:
            record(owner, contact, cost=bad)
        assert list(caught.value.message_dict) == ["cost"]
    assert not Gesture.objects.exists()


def test_no_client_is_refused(owner: User) -> None:
    with pytest.raises(ValidationError) as caught:
        gesture_create(actor=owner, data={"kind": "gift"})
    assert "contact" in caught.value.message_dict


def test_occasion_gives_the_client_and_its_kind(owner: User, contact: Contact) -> None:
    birthday = make_occasion(contact, month=5, day=17)
    gesture = gesture_create(actor=owner, data={"occasion": birthday.pk, "kind": "postcard"})
    assert gesture.contact_id == contact.pk
    assert gesture.occasion_id == birthday.pk
    assert gesture.occasion_kind == "birthday"


def test_occasion_of_another_client_is_refused(owner: User, contact: Contact) -> None:
    other = make_contact(owner, first_name="Ігор", last_name="Коваль")
    birthday = make_occasion(other, month=5, day=17)
    with pytest.raises(ValidationError) as caught:
        record(owner, contact, occasion=birthday.pk)
    assert list(caught.value.message_dict) == ["occasion"]


def test_outsider_cannot_record_for_a_client_it_does_not_see(
    outsider: User, contact: Contact
) -> None:
    with pytest.raises(ValidationError) as caught:
        record(outsider, contact)
    assert list(caught.value.message_dict) == ["contact"]
    birthday = make_occasion(contact, month=5, day=17)
    with pytest.raises(ValidationError) as caught:
        gesture_create(actor=outsider, data={"occasion": birthday.pk, "kind": "gift"})
    assert "occasion" in caught.value.message_dict


def test_viewer_cannot_record(viewer: User, contact: Contact) -> None:
    with pytest.raises(PermissionDenied):
        record(viewer, contact)


def test_planned_gesture_has_no_response(owner: User, contact: Contact) -> None:
    with pytest.raises(ValidationError) as caught:
        record(owner, contact, status="planned", response="thanked")
    assert list(caught.value.message_dict) == ["response"]


def test_update_records_the_response_and_audits_it(owner: User, contact: Contact) -> None:
    gesture = record(owner, contact, status="planned", cost="100")
    changed = gesture_update(
        actor=owner, gesture=gesture, data={"status": "done", "response": "bought"}
    )
    assert changed.response == "bought"
    event = AuditEvent.objects.get(
        action="update", object_id=gesture.pk, content_type__model="gesture"
    )
    assert event.changes["response"] == [None, "bought"]
    assert event.changes["status"] == ["planned", "done"]


def test_update_keeps_a_doer_the_actor_could_not_choose(
    owner: User, lead: User, contact: Contact
) -> None:
    gesture = record(lead, contact)  # the lead did it; the owner (a manager) sees only itself
    changed = gesture_update(
        actor=owner, gesture=gesture, data={"user": lead.pk, "response": "pleased"}
    )
    assert (changed.user_id, changed.response) == (lead.pk, "pleased")
    with pytest.raises(ValidationError) as caught:
        gesture_update(actor=owner, gesture=gesture, data={"user": contact.pk + 999})
    assert list(caught.value.message_dict) == ["user"]


def test_update_with_bad_cost_changes_nothing(owner: User, contact: Contact) -> None:
    gesture = record(owner, contact, cost="100")
    with pytest.raises(ValidationError):
        gesture_update(actor=owner, gesture=gesture, data={"cost": "-1", "notes": "x"})
    gesture.refresh_from_db()
    assert gesture.cost == Decimal("100.00")
    assert gesture.notes == ""


def test_outsider_cannot_update_or_delete(owner: User, outsider: User, contact: Contact) -> None:
    gesture = record(owner, contact)
    with pytest.raises(Http404):
        gesture_update(actor=outsider, gesture=gesture, data={"notes": "mine now"})
    with pytest.raises(Http404):
        gesture_delete(actor=outsider, gesture=gesture)
    assert Gesture.objects.filter(pk=gesture.pk).exists()


def test_delete_removes_it_and_the_audit_keeps_it(owner: User, contact: Contact) -> None:
    gesture = record(owner, contact, cost="10")
    pk = gesture.pk
    gesture_delete(actor=owner, gesture=gesture)
    assert not Gesture.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="delete", object_id=pk, content_type__model="gesture")
    assert event.changes["cost"] == ["10.00", None]


def test_gesture_follows_its_client_to_a_new_owner(
    owner: User, outsider: User, admin: User, contact: Contact
) -> None:
    gesture = record(owner, contact)
    contact_update(actor=admin, contact=contact, data={"owner": outsider.pk})
    gesture.refresh_from_db()
    assert gesture.owner_id == outsider.pk
    assert gesture_get(outsider, gesture.pk).pk == gesture.pk
    with pytest.raises(Http404):
        gesture_get(owner, gesture.pk)


def test_visibility_for_the_six_personas(
    owner: User,
    teammate: User,
    lead: User,
    outsider: User,
    admin: User,
    viewer: User,
    contact: Contact,
) -> None:
    gesture = record(owner, contact)
    for user, sees in (
        (owner, True),
        (teammate, False),  # a manager sees only its own clients
        (lead, True),
        (viewer, True),
        (admin, True),
        (outsider, False),
    ):
        found = [g.pk for g in gesture_list(user, gesture_filters_clean(user, {})).items]
        assert (gesture.pk in found) is sees, user.username
        if not sees:
            with pytest.raises(Http404):
                gesture_get(user, gesture.pk)


def test_list_filters_by_kind_client_and_period(owner: User, contact: Contact) -> None:
    company = make_company(owner)
    flowers = record(owner, contact, kind="flowers", date="2026-03-08")
    card = record(owner, company, kind="postcard", date="2026-12-30")

    def found(**params: Any) -> list[int]:
        filters = gesture_filters_clean(owner, params)
        return [g.pk for g in gesture_list(owner, filters).items]

    assert found() == [card.pk, flowers.pk]
    assert found(kind="postcard") == [card.pk]
    assert found(contact=str(contact.pk)) == [flowers.pk]
    assert found(company=str(company.pk)) == [card.pk]
    assert found(date_from="2026-12-01") == [card.pk]
    assert found(owner="me") == [card.pk, flowers.pk]
    with pytest.raises(ValidationError) as caught:
        gesture_filters_clean(owner, {"kind": "balloon", "date_from": "soon"})
    assert set(caught.value.message_dict) <= {"kind", "date_from"}


def test_client_panel_totals_per_currency_count_done_only(owner: User, contact: Contact) -> None:
    record(owner, contact, cost="100.10", currency="UAH")
    record(owner, contact, cost="200", currency="UAH")
    record(owner, contact, cost="15", currency="EUR")
    record(owner, contact, cost="999", currency="UAH", status="cancelled")
    record(owner, contact, cost="50", currency="USD", status="planned")
    found = client_gestures(owner, contact=contact)
    assert found.count == 5
    assert found.spent == {"EUR": Decimal("15.00"), "UAH": Decimal("300.10")}
    assert len(found.recent) == 5


# --- the report ---------------------------------------------------------------------------


def test_report_sums_per_currency_by_kind_manager_and_client(
    owner: User, teammate: User, lead: User, contact: Contact
) -> None:
    company = make_company(owner)
    record(owner, contact, kind="flowers", cost="500", currency="UAH", response="thanked")
    record(owner, contact, kind="flowers", cost="20.50", currency="EUR", response="negative")
    record(owner, company, kind="flowers", cost="300", currency="UAH")
    record(owner, contact, kind="postcard", cost="40", currency="UAH", response="bought")
    record(owner, contact, kind="gift", cost="1000", currency="UAH", status="cancelled")
    record(owner, contact, kind="gift", cost="700", currency="UAH", status="planned")
    record(lead, contact, kind="voucher", cost="0", currency="UAH", response="pleased")
    record(owner, contact, kind="flowers", cost="999", date="2025-12-31")  # last year

    report = gesture_report(lead, date_from=YEAR_START, date_to=YEAR_END)

    kinds = {row.kind: row for row in report.by_kind}
    assert set(kinds) == {"flowers", "postcard", "gift", "voucher"}
    assert kinds["flowers"].done == 3
    assert kinds["flowers"].spent == {"EUR": Decimal("20.50"), "UAH": Decimal("800.00")}
    assert kinds["flowers"].positive == 1
    assert kinds["flowers"].response_rate == Decimal("33.3")
    assert kinds["postcard"].response_rate == Decimal("100.0")
    assert kinds["gift"].done == 0
    assert kinds["gift"].planned == 1
    assert kinds["gift"].cancelled == 1
    assert kinds["gift"].spent == {}
    assert kinds["gift"].response_rate is None
    assert kinds["voucher"].spent == {}  # free: counted, costs nothing

    assert report.spent == {"EUR": Decimal("20.50"), "UAH": Decimal("840.00")}
    assert report.done == 5

    managers = {row.user_id: row for row in report.by_manager}
    assert managers[owner.pk].done == 4
    assert managers[owner.pk].spent == {"EUR": Decimal("20.50"), "UAH": Decimal("840.00")}
    assert managers[lead.pk].done == 1
    assert managers[lead.pk].spent == {}

    clients = [
        (row.contact_id, row.company_id, row.currency, row.spent) for row in report.top_clients
    ]
    assert clients[0] == (contact.pk, None, "UAH", Decimal("540.00"))
    assert clients[1] == (None, company.pk, "UAH", Decimal("300.00"))
    assert (contact.pk, None, "EUR", Decimal("20.50")) in clients


def test_report_is_limited_to_what_the_user_sees(
    owner: User, teammate: User, outsider: User, admin: User, contact: Contact
) -> None:
    record(owner, contact, cost="100")
    theirs = make_contact(outsider, first_name="Борис", last_name="Лисенко")
    record(outsider, theirs, cost="7", currency="EUR")

    def spent(user: User) -> dict[str, Decimal]:
        return gesture_report(user, date_from=YEAR_START, date_to=YEAR_END).spent

    assert spent(owner) == {"UAH": Decimal("100.00")}
    assert spent(teammate) == {}
    assert spent(outsider) == {"EUR": Decimal("7.00")}
    assert spent(admin) == {"EUR": Decimal("7.00"), "UAH": Decimal("100.00")}


@pytest.mark.parametrize("gestures", [3, 60])
def test_report_costs_the_same_queries_for_3_and_60_gestures(
    owner: User,
    contact: Contact,
    gestures: int,
    django_assert_num_queries: Any,
) -> None:
    kinds = ["flowers", "postcard", "gift", "call"]
    for n in range(gestures):
        client = contact if n % 2 else make_contact(owner, first_name=f"Client{n}")
        record(owner, client, kind=kinds[n % 4], cost=str(n), currency=["UAH", "EUR"][n % 2])
    with django_assert_num_queries(3):
        report = gesture_report(owner, date_from=YEAR_START, date_to=YEAR_END)
    assert report.done == gestures
    assert len(report.top_clients) <= 20
