"""The history: who changed what, when, through what, old → new per field (core.audit)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.channels import format_phone
from clientela.contacts.models import Company, Contact
from clientela.contacts.services import (
    company_create,
    company_delete,
    company_restore,
    company_update,
    contact_create,
    contact_delete,
    contact_restore,
    contact_update,
    contacts_bulk_reassign,
    contacts_bulk_tag,
    custom_field_define,
)
from clientela.core.audit import audit_diff, audit_history, audit_record
from clientela.core.channel import CHANNELS, audit_channel, current_channel
from clientela.core.models import AuditEvent
from conftest import make_company, make_contact


def _events(obj: Contact | Company) -> list[AuditEvent]:
    return list(audit_history(obj))


def _last(obj: Contact | Company) -> AuditEvent:
    return _events(obj)[0]


# --- audit_diff and channels ------------------------------------------------------------------


def test_diff_lists_only_changed_fields_sorted() -> None:
    before = {"first_name": "Олена", "job_title": None, "tags": "VIP", "notes": "x"}
    after = {"first_name": "Інна", "job_title": "CEO", "tags": "VIP", "phones": "050"}

    assert audit_diff(before, after) == {
        "first_name": ["Олена", "Інна"],
        "job_title": [None, "CEO"],
        "notes": ["x", None],
        "phones": [None, "050"],
    }
    assert list(audit_diff(before, after)) == ["first_name", "job_title", "notes", "phones"]


def test_diff_of_equal_snapshots_is_empty() -> None:
    assert audit_diff({"a": 1, "b": None}, {"a": 1}) == {}


def test_channel_is_system_unless_an_edge_says_otherwise() -> None:
    assert current_channel() == "system"
    with audit_channel("api"):
        assert current_channel() == "api"
        with audit_channel("cli"):
            assert current_channel() == "cli"
        assert current_channel() == "api"
    assert current_channel() == "system"


def test_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError, match="telegram"), audit_channel("telegram"):
        pass
    assert current_channel() == "system"


def test_channel_is_reset_after_an_error() -> None:
    with pytest.raises(RuntimeError), audit_channel("web"):
        raise RuntimeError("boom")
    assert current_channel() == "system"


# --- create -----------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_create_records_actor_channel_and_every_value(owner: User, channel: str) -> None:
    # given
    started = timezone.now()

    # when
    with audit_channel(channel):
        contact = contact_create(
            actor=owner,
            data={
                "first_name": "Олена",
                "last_name": "Шевченко",
                "phones": ["067 123 45 67"],
                "emails": ["olena@example.com"],
                "tags": ["VIP"],
            },
        )

    # then
    [event] = _events(contact)
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == owner
    assert event.channel == channel
    assert event.at >= started
    assert event.content_type == ContentType.objects.get_for_model(Contact)
    assert event.object_id == contact.pk
    assert event.object_repr == "Шевченко Олена"
    assert event.changes["first_name"] == [None, "Олена"]
    assert event.changes["last_name"] == [None, "Шевченко"]
    assert event.changes["phones"] == [None, format_phone("+380671234567")]
    assert event.changes["emails"] == [None, "olena@example.com"]
    assert event.changes["tags"] == [None, "VIP"]
    assert event.changes["owner"] == [None, str(owner)]
    assert event.changes["lifecycle"] == [None, "lead"]
    assert "middle_name" not in event.changes  # nothing → nothing is not a change


def test_refused_create_records_nothing(owner: User) -> None:
    before = AuditEvent.objects.count()

    with pytest.raises(Exception, match="phone"):
        contact_create(actor=owner, data={"first_name": "Олена", "phones": ["not a phone"]})

    assert AuditEvent.objects.count() == before


def test_company_create_is_recorded(owner: User) -> None:
    with audit_channel("import"):
        company = company_create(actor=owner, data={"name": "ТОВ Ромашка", "legal_id": "123"})

    [event] = _events(company)
    assert (event.action, event.channel, event.actor) == ("create", "import", owner)
    assert event.changes["name"] == [None, "ТОВ Ромашка"]
    assert event.changes["legal_id"] == [None, "123"]


# --- update -----------------------------------------------------------------------------------


def test_update_records_old_and_new_of_each_changed_field(owner: User, contact: Contact) -> None:
    with audit_channel("web"):
        contact_update(
            actor=owner,
            contact=contact,
            data={"first_name": "Інна", "job_title": "CEO", "birth_day": 1, "birth_month": 5},
        )

    event = _last(contact)
    assert (event.action, event.channel, event.actor) == ("update", "web", owner)
    assert event.changes == {
        "first_name": ["Олена", "Інна"],
        "job_title": [None, "CEO"],
        "birth_day": [None, 1],
        "birth_month": [None, 5],
    }
    assert event.object_repr == "Шевченко Інна Петрівна"


def test_update_records_phones_emails_and_tags(owner: User, contact: Contact) -> None:
    contact_update(
        actor=owner,
        contact=contact,
        data={
            "phones": ["050 111 22 33", "067 123 45 67"],
            "emails": [],
            "tags": ["VIP", "Київ"],
        },
    )

    changes = _last(contact).changes
    old_phone, new_phones = (
        format_phone("+380671234567"),
        [
            format_phone("+380501112233"),
            format_phone("+380671234567"),
        ],
    )
    assert changes["phones"] == [old_phone, ", ".join(new_phones)]
    assert changes["emails"] == ["olena.shevchenko@example.com", None]
    assert changes["tags"] == ["VIP", "VIP, Київ"]


def test_update_records_owner_and_company(
    lead: User, teammate: User, owner: User, contact: Contact
) -> None:
    company = make_company(owner, name="ТОВ Ромашка")

    with audit_channel("api"):
        contact_update(
            actor=lead, contact=contact, data={"owner": teammate.pk, "company": company.pk}
        )

    event = _last(contact)
    assert (event.actor, event.channel) == (lead, "api")
    assert event.changes == {
        "owner": [str(owner), str(teammate)],
        "company": [None, "ТОВ Ромашка"],
    }


def test_update_records_custom_field_changes(owner: User, admin: User) -> None:
    custom_field_define(
        actor=admin,
        data={"entity": "contact", "key": "budget", "label": "Budget", "field_type": "number"},
    )
    custom_field_define(
        actor=admin,
        data={
            "entity": "contact",
            "key": "size",
            "label": "Size",
            "field_type": "choice",
            "choices": ["S", "M"],
        },
    )
    contact = make_contact(owner, custom={"budget": "100"})

    contact_update(actor=owner, contact=contact, data={"custom": {"size": "M"}})
    assert _last(contact).changes == {"custom.size": [None, "M"]}

    contact_update(actor=owner, contact=contact, data={"custom": {"budget": ""}})
    assert _last(contact).changes == {"custom.budget": ["100", None]}


def test_consent_change_is_recorded_with_its_date(owner: User, contact: Contact) -> None:
    when = datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.UTC)

    contact_update(
        actor=owner, contact=contact, data={"marketing_consent": True, "consent_at": when}
    )

    assert _last(contact).changes == {
        "marketing_consent": [False, True],
        "consent_at": [None, when.isoformat()],
    }


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="nothing"),
        pytest.param({"first_name": "Олена", "middle_name": "Петрівна"}, id="same-names"),
        pytest.param({"first_name": "  Олена  "}, id="same-name-with-spaces"),
        pytest.param({"phones": ["+380671234567"]}, id="same-phone-other-format"),
        pytest.param({"emails": ["OLENA.SHEVCHENKO@example.com"]}, id="same-email-other-case"),
        pytest.param({"tags": ["vip"]}, id="same-tag-other-case"),
        pytest.param({"job_title": ""}, id="empty-stays-empty"),
    ],
)
def test_an_update_that_changes_nothing_records_nothing(
    owner: User, contact: Contact, data: dict
) -> None:
    before = AuditEvent.objects.count()

    contact_update(actor=owner, contact=contact, data=data)

    assert AuditEvent.objects.count() == before


def test_company_update_is_recorded(owner: User, company: Company) -> None:
    with audit_channel("cli"):
        company_update(actor=owner, company=company, data={"industry": "Агро"})

    event = _last(company)
    assert (event.action, event.channel, event.changes) == (
        "update",
        "cli",
        {"industry": [None, "Агро"]},
    )


def test_bulk_changes_are_recorded_per_record(lead: User, owner: User, teammate: User) -> None:
    first, second = make_contact(owner), make_contact(owner)

    with audit_channel("web"):
        contacts_bulk_tag(actor=lead, contact_ids=[first.pk, second.pk], add=["hot"])
        contacts_bulk_reassign(actor=lead, contact_ids=[first.pk], owner=teammate)

    assert [(e.action, e.actor, e.changes) for e in _events(first)[:2]] == [
        ("update", lead, {"owner": [str(owner), str(teammate)]}),
        ("update", lead, {"tags": [None, "hot"]}),
    ]
    assert _last(second).changes == {"tags": [None, "hot"]}


# --- delete and restore -----------------------------------------------------------------------


def test_delete_and_restore_are_recorded(owner: User, admin: User, contact: Contact) -> None:
    with audit_channel("web"):
        contact_delete(actor=owner, contact=contact)
    with audit_channel("api"):
        contact_restore(actor=admin, contact=Contact.all_objects.get(pk=contact.pk))

    restore, delete, create = _events(contact)
    assert (restore.action, restore.actor, restore.channel) == ("restore", admin, "api")
    assert (delete.action, delete.actor, delete.channel) == ("delete", owner, "web")
    assert create.action == "create"
    assert restore.object_repr == delete.object_repr == "Шевченко Олена Петрівна"


def test_deleting_twice_records_once(owner: User, contact: Contact) -> None:
    contact_delete(actor=owner, contact=contact)
    trashed = Contact.all_objects.get(pk=contact.pk)

    contact_delete(actor=owner, contact=trashed)

    assert [e.action for e in _events(contact)] == ["delete", "create"]


def test_restoring_a_live_record_records_nothing(owner: User, contact: Contact) -> None:
    contact_restore(actor=owner, contact=contact)

    assert [e.action for e in _events(contact)] == ["create"]


def test_company_delete_and_restore_are_recorded(owner: User, company: Company) -> None:
    company_delete(actor=owner, company=company)
    company_restore(actor=owner, company=Company.all_objects.get(pk=company.pk))

    assert [e.action for e in _events(company)] == ["restore", "delete", "create"]


# --- history ----------------------------------------------------------------------------------


def test_history_is_newest_first_and_only_of_its_record(owner: User) -> None:
    first = make_contact(owner)
    second = make_contact(owner)
    contact_update(actor=owner, contact=first, data={"job_title": "a"})
    contact_update(actor=owner, contact=first, data={"job_title": "b"})

    history = _events(first)

    assert [e.changes.get("job_title") for e in history] == [["a", "b"], [None, "a"], None]
    assert all(e.object_id == first.pk for e in history)
    assert [e.action for e in _events(second)] == ["create"]


def test_history_of_a_company_does_not_show_a_contact_with_the_same_id(owner: User) -> None:
    contact = make_contact(owner)
    company = make_company(owner)
    AuditEvent.objects.filter(object_id=company.pk).update(object_id=contact.pk)

    assert [e.content_type.model for e in audit_history(contact)] == ["contact"]


def test_record_without_a_saved_actor_stores_no_actor(contact: Contact) -> None:
    event = audit_record(actor=None, action="update", obj=contact, changes={"x": [1, 2]})

    assert event.actor is None
    assert event.channel == "system"
    assert event.changes == {"x": [1, 2]}
