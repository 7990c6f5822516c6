"""Handing a manager's book over: who gets what, what stays history, who may do it, and that a
failure halfway leaves everything where it was."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection

from activities.support import make_call, make_task
from clientela.accounts.models import Role, User
from clientela.activities.handover import (
    Book,
    handover,
    handover_book,
    handover_book_counts,
    handover_spread,
)
from clientela.activities.models import Activity, Task
from clientela.activities.services import task_complete
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_history
from clientela.core.models import AuditEvent
from clientela.sales.models import Deal, Purchase
from conftest import UserFactory, make_company, make_contact
from sales.conftest import Stages
from sales.support import make_deal, make_purchase

NOTE = "Клієнт любить дзвінки після обіду; знижку обіцяли до кінця місяця."
LAST_WEEK = datetime.date.today() - datetime.timedelta(days=7)


@dataclass
class OwnersBook:
    anna: Contact  # of the firm
    borys: Contact
    vira: Contact
    firm: Company
    shop: Company
    deal_anna: Deal
    deal_firm: Deal
    deal_borys: Deal
    won: Deal
    lost: Deal
    task_anna: Task
    task_firm: Task
    task_deal: Task
    task_alone: Task
    task_done: Task
    purchase_anna: Purchase
    purchase_firm: Purchase
    call_anna: Activity


@pytest.fixture
def petro(team_a: Any) -> User:
    return UserFactory(username="petro", first_name="Petro", last_name="Koval", team=team_a)


@pytest.fixture
def book(owner: User, sales: Stages, reason: Any) -> OwnersBook:
    firm = make_company(owner, name="ТОВ Фірма")
    anna = make_contact(owner, first_name="Анна", last_name="Андрієнко", company=firm.pk)
    borys = make_contact(owner, first_name="Борис", last_name="Бондар")
    vira = make_contact(owner, first_name="Віра", last_name="Вовк")
    shop = make_company(owner, name="Крамниця")
    deal_borys = make_deal(owner, borys, title="Борису")
    won = make_deal(owner, anna, title="Виграна", stage=sales.won.pk)
    lost = make_deal(owner, vira, title="Програна", stage=sales.lost.pk, lost_reason=reason.pk)
    done = make_task(owner, contact=anna, title="Зроблена")
    task_complete(actor=owner, task=done)
    return OwnersBook(
        anna=anna,
        borys=borys,
        vira=vira,
        firm=firm,
        shop=shop,
        deal_anna=make_deal(owner, anna, title="Анні"),
        deal_firm=make_deal(owner, firm, title="Фірмі"),
        deal_borys=deal_borys,
        won=won,
        lost=lost,
        task_anna=make_task(owner, contact=anna, title="Анні"),
        task_firm=make_task(owner, company=firm, title="Фірмі"),
        task_deal=make_task(owner, deal=deal_borys, title="Про угоду"),
        task_alone=make_task(owner, title="Сама"),
        task_done=done,
        purchase_anna=make_purchase(owner, anna, LAST_WEEK),
        purchase_firm=make_purchase(owner, firm, LAST_WEEK),
        call_anna=make_call(owner, anna, draining=4),
    )


def fresh(record: Any) -> Any:
    return type(record).all_objects.get(pk=record.pk)


def owner_of(record: Any) -> str:
    return fresh(record).owner.username


def moved_rows() -> dict[str, list[tuple[int, int]]]:
    """Every owner and team of the records a handover may touch, to compare before and after."""
    return {
        model.__name__: list(model.all_objects.order_by("pk").values_list("owner_id", "team_id"))
        for model in (Contact, Company, Deal, Task, Purchase, Activity)
    }


def test_the_book_goes_to_the_colleagues_chosen(lead, owner, teammate, petro, book):
    # given: Anna and the firm to the teammate, everything else to Petro
    assignments = {("contact", book.anna.pk): teammate, ("company", book.firm.pk): teammate}

    # when
    result = handover(
        actor=lead, from_user=owner, assignments=assignments, default_to=petro, note=NOTE
    )

    # then: the clients
    assert owner_of(book.anna) == owner_of(book.firm) == "teammate"
    assert owner_of(book.borys) == owner_of(book.vira) == owner_of(book.shop) == "petro"
    # open deals follow their client (the contact first, else the company)
    assert owner_of(book.deal_anna) == owner_of(book.deal_firm) == "teammate"
    assert owner_of(book.deal_borys) == "petro"
    # open tasks follow the client they are about; one about nobody goes to the default
    assert owner_of(book.task_anna) == owner_of(book.task_firm) == "teammate"
    assert owner_of(book.task_deal) == owner_of(book.task_alone) == "petro"
    # purchases and activities follow their client
    assert owner_of(book.purchase_anna) == owner_of(book.purchase_firm) == "teammate"
    call = fresh(book.call_anna)
    assert (call.owner, call.user) == (teammate, owner)  # who made the call stays
    assert (result.contacts, result.companies, result.deals, result.tasks) == (3, 2, 3, 4)
    shares = {
        s.user.username: (s.contacts, s.companies, s.deals, s.tasks) for s in result.colleagues
    }
    assert shares == {"teammate": (1, 1, 2, 2), "petro": (2, 1, 1, 2)}


def test_history_stays_with_its_owner(lead, owner, petro, book):
    handover(actor=lead, from_user=owner, assignments={}, default_to=petro, note=NOTE)

    assert owner_of(book.won) == owner_of(book.lost) == "owner"
    assert owner_of(book.task_done) == "owner"
    assert fresh(book.task_done).done_at is not None
    assert fresh(book.call_anna).user == owner
    assert fresh(book.purchase_anna).amount == book.purchase_anna.amount
    assert handover_book_counts(lead, owner).empty


def test_each_client_gets_the_note_on_its_timeline(lead, owner, teammate, petro, book):
    handover(
        actor=lead,
        from_user=owner,
        assignments={("contact", book.borys.pk): teammate},
        default_to=petro,
        note=NOTE,
    )

    notes = Activity.objects.filter(kind="note")
    assert notes.count() == 5
    borys = notes.get(contact=book.borys)
    assert borys.subject == f"Handover from {owner} to {teammate}"
    assert (borys.body, borys.user, borys.owner) == (NOTE, lead, teammate)
    shop = notes.get(company=book.shop, contact__isnull=True)
    assert (shop.subject, shop.owner) == (f"Handover from {owner} to {petro}", petro)


def test_each_moved_record_tells_of_its_transfer_once(lead, owner, petro, book):
    handover(actor=lead, from_user=owner, assignments={}, default_to=petro, note=NOTE)

    moved = [
        book.anna, book.borys, book.vira, book.firm, book.shop,
        book.deal_anna, book.deal_firm, book.deal_borys,
        book.task_anna, book.task_firm, book.task_deal, book.task_alone,
    ]  # fmt: skip
    for record in moved:
        transfer = audit_history(fresh(record)).get(action="transfer")
        assert transfer.actor == lead
        assert transfer.changes == {"owner": [str(owner), str(petro)]}
        # told once: the owner change is the transfer, not an update beside it
        changes = [e.changes for e in audit_history(fresh(record)).filter(action="update")]
        assert not [c for c in changes if "owner" in c], record
    assert AuditEvent.objects.filter(action="transfer").count() == len(moved)
    for record in (book.won, book.lost, book.task_done):
        assert not audit_history(fresh(record)).filter(action="transfer").exists()


def test_only_the_clients_chosen_move(lead, owner, teammate, petro, book):
    result = handover(
        actor=lead,
        from_user=owner,
        assignments={},
        default_to=teammate,
        note=NOTE,
        only_clients=[("contact", book.borys.pk)],
    )

    assert (
        owner_of(book.borys) == owner_of(book.deal_borys) == owner_of(book.task_deal) == "teammate"
    )
    assert owner_of(book.anna) == owner_of(book.deal_anna) == owner_of(book.task_alone) == "owner"
    assert (result.contacts, result.companies, result.deals, result.tasks) == (1, 0, 1, 1)
    assert Activity.objects.filter(kind="note").count() == 1


def test_an_administrator_hands_over_anyones_book(admin, outsider, team_b, book):
    colleague = UserFactory(username="colleague", team=team_b)
    stranger_client = make_contact(outsider)

    result = handover(
        actor=admin, from_user=outsider, assignments={}, default_to=colleague, note=NOTE
    )

    assert owner_of(stranger_client) == "colleague"
    assert result.contacts == 1
    assert owner_of(book.anna) == "owner"  # someone else's book stays


@pytest.mark.parametrize("actor_name", ["owner", "teammate", "viewer"])
def test_managers_and_viewers_cannot_hand_over_a_book(request, actor_name, owner, petro, book):
    actor = request.getfixturevalue(actor_name)
    before = moved_rows()
    with pytest.raises(PermissionDenied):
        handover(actor=actor, from_user=owner, assignments={}, default_to=petro, note=NOTE)
    assert moved_rows() == before


def test_a_lead_cannot_hand_over_another_teams_book(lead, outsider, team_b, petro):
    make_contact(outsider)
    with pytest.raises(PermissionDenied):
        handover(actor=lead, from_user=outsider, assignments={}, default_to=petro, note=NOTE)


def test_a_lead_cannot_hand_over_another_lead(lead, team_a, petro):
    other_lead = UserFactory(username="lead2", role=Role.LEAD, team=team_a)
    with pytest.raises(PermissionDenied):
        handover(actor=lead, from_user=other_lead, assignments={}, default_to=petro, note=NOTE)


def test_every_bad_choice_is_named_and_nothing_moves(lead, owner, outsider, viewer, book):
    before = moved_rows()
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        handover(
            actor=lead,
            from_user=owner,
            assignments={("contact", book.anna.pk): viewer, ("company", 10**9): lead},
            default_to=outsider,
            note="  ",
        )
    errors = caught.value.message_dict
    assert set(errors) == {"default_to", "assignments", "note"}
    assert "You cannot give records to" in errors["default_to"][0]
    assert any(
        str(book.anna) in m and "cannot take clients over" in m for m in errors["assignments"]
    )
    assert any("no longer in the book" in m for m in errors["assignments"])
    assert moved_rows() == before
    assert AuditEvent.objects.count() == audits


def test_the_book_cannot_go_back_to_its_owner_or_to_someone_who_left(lead, owner, petro, book):
    petro.is_active = False
    petro.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as caught:
        handover(
            actor=lead,
            from_user=owner,
            assignments={("contact", book.anna.pk): owner},
            default_to=petro,
            note=NOTE,
        )
    errors = caught.value.message_dict
    assert "cannot take clients over" in errors["default_to"][0]
    assert "cannot be handed over to the manager it belongs to" in errors["assignments"][0]


def test_a_record_refused_late_leaves_nothing_moved(lead, owner, petro, book):
    # given: a task, moved after every client, that no longer passes its own checks
    broken = make_task(owner, contact=book.vira, title="Яковенко")
    Task.objects.filter(pk=broken.pk).update(title="")
    before = moved_rows()
    audits = AuditEvent.objects.count()

    # when
    with pytest.raises(ValidationError) as caught:
        handover(actor=lead, from_user=owner, assignments={}, default_to=petro, note=NOTE)

    # then: the clients and records before it were moved, and are back with their owner
    assert caught.value.message_dict["assignments"]
    assert moved_rows() == before
    assert AuditEvent.objects.count() == audits
    assert not Activity.objects.filter(kind="note").exists()


def test_a_client_with_an_old_flaw_is_handed_over_all_the_same(lead, owner, petro, book):
    """Only the owner changes: a field that would not pass today's checks (a contact saved
    without a first name before the rule) does not hold the whole book back."""
    flawed = make_contact(owner, first_name="Яків", last_name="Яковенко")
    Contact.objects.filter(pk=flawed.pk).update(first_name="")

    handover(actor=lead, from_user=owner, assignments={}, default_to=petro, note=NOTE)

    assert owner_of(flawed) == "petro"
    event = audit_history(flawed).filter(action="transfer").get()
    assert event.changes == {"owner": [str(owner), str(petro)]}


def test_a_database_failure_halfway_leaves_nothing_moved(lead, owner, petro, book):
    before = moved_rows()
    audits = AuditEvent.objects.count()
    table = Task._meta.db_table

    def refuse_task_updates(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("UPDATE") and table in sql:
            raise IntegrityError("tasks refused for the test")
        return execute(sql, params, many, context)

    # Contacts, companies and deals are moved before the first task is.
    with connection.execute_wrapper(refuse_task_updates), pytest.raises(IntegrityError):
        handover(actor=lead, from_user=owner, assignments={}, default_to=petro, note=NOTE)

    assert moved_rows() == before
    assert AuditEvent.objects.count() == audits


def test_the_book_is_what_the_manager_works_on(lead, owner, teammate, book):
    make_contact(teammate)
    trashed = make_contact(owner, first_name="Видалений")
    Contact.all_objects.filter(pk=trashed.pk).update(deleted_at=trashed.created_at)

    counts = handover_book_counts(lead, owner)

    assert (counts.contacts, counts.companies, counts.deals, counts.tasks) == (3, 2, 3, 4)
    assert handover_book_counts(teammate, owner).empty  # a manager sees none of it


def _keys(clients: list[Any]) -> set[tuple[str, int]]:
    return {("contact" if isinstance(c, Contact) else "company", c.pk) for c in clients}


def test_spreading_evenly_keeps_a_firm_with_its_people(lead, owner, teammate, petro, book):
    more = [make_contact(owner, first_name=f"Клієнт {n}") for n in range(3)]
    whole = handover_book(lead, owner)

    shares = handover_spread(whole, [teammate, petro])

    assert len(shares) == 8
    counts = {u.username: list(shares.values()).count(u) for u in (teammate, petro)}
    assert counts == {"teammate": 4, "petro": 4}
    assert shares[("company", book.firm.pk)] == shares[("contact", book.anna.pk)]
    assert _keys([*whole.contacts, *whole.companies]) == set(shares)
    assert len(more) == 3


def test_spreading_over_nobody_gives_nothing(lead, owner, book):
    assert handover_spread(Book([], [], [], []), []) == {}
    assert handover_spread(handover_book(lead, owner), []) == {}
