"""Writing contacts through the services: what is stored, what is refused, and who may."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts import services
from clientela.contacts.models import Channel, Contact, ContactSearchTerm, Tag
from clientela.contacts.services import (
    contact_create,
    contact_delete,
    contact_restore,
    contact_update,
    contacts_bulk_reassign,
    contacts_bulk_tag,
)
from clientela.core.errors import EditConflict
from clientela.core.models import AuditEvent
from conftest import make_company, make_contact

PHONE_E164 = "+380671234567"


def _phones(contact: Contact) -> list[str]:
    return list(
        Channel.objects.filter(contact=contact, kind=Channel.Kind.PHONE)
        .order_by("position")
        .values_list("value", flat=True)
    )


def _emails(contact: Contact) -> list[str]:
    return list(
        Channel.objects.filter(contact=contact, kind=Channel.Kind.EMAIL)
        .order_by("position")
        .values_list("value", flat=True)
    )


def _tags(contact: Contact) -> list[str]:
    return sorted(contact.tags.values_list("name", flat=True))


# --- create -----------------------------------------------------------------------------------


def test_create_stores_fields_channels_tags_and_search_terms(owner: User) -> None:
    contact = contact_create(
        actor=owner,
        data={
            "first_name": "  Олена ",
            "middle_name": "Петрівна",
            "last_name": "Шевченко",
            "birth_day": 12,
            "birth_month": 3,
            "birth_year": 1985,
            "language": "uk",
            "job_title": "Директорка",
            "lifecycle": "customer",
            "phones": ["067 123 45 67", "044 123 45 67"],
            "emails": ["Olena@Example.COM"],
            "tags": ["VIP", "Київ"],
        },
    )

    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.first_name, stored.middle_name, stored.last_name) == (
        "Олена",
        "Петрівна",
        "Шевченко",
    )
    assert (stored.birth_day, stored.birth_month, stored.birth_year) == (12, 3, 1985)
    assert stored.lifecycle == "customer"
    assert stored.owner == owner
    assert stored.sort_name == "шевченко олена петрівна"
    assert _phones(stored) == [PHONE_E164, "+380441234567"]
    assert stored.primary_phone == PHONE_E164
    assert _emails(stored) == ["olena@example.com"]
    assert stored.primary_email == "olena@example.com"
    assert _tags(stored) == ["VIP", "Київ"]
    terms = set(ContactSearchTerm.objects.filter(contact=stored).values_list("term", flat=True))
    assert {"olena", "sevcenko", "petrivna", "380671234567", "0671234567"} <= terms


def test_new_contact_is_owned_by_its_creator_by_default(teammate: User) -> None:
    contact = make_contact(teammate)

    assert contact.owner == teammate


@pytest.mark.parametrize(
    "typed",
    ["067 123 45 67", "+380671234567", "(067)123-4567", "0671234567", "+38 (067) 123-45-67"],
)
def test_phone_in_any_usual_format_is_stored_as_e164(owner: User, typed: str) -> None:
    contact = make_contact(owner, phones=[typed])

    assert _phones(contact) == [PHONE_E164]


def test_foreign_number_keeps_its_country(owner: User) -> None:
    contact = make_contact(owner, phones=["+1 650-253-0000"])

    assert _phones(contact) == ["+16502530000"]


def test_the_same_number_typed_twice_is_stored_once(owner: User) -> None:
    contact = make_contact(owner, phones=["067 123 45 67", "+380671234567", "  "])

    assert _phones(contact) == [PHONE_E164]


def test_email_is_stored_lower_case_and_trimmed(owner: User) -> None:
    contact = make_contact(owner, emails=["  Olena.Shevchenko@Example.COM "])

    assert _emails(contact) == ["olena.shevchenko@example.com"]


def test_29_february_without_a_year_is_a_birthday(owner: User) -> None:
    contact = make_contact(owner, birth_day=29, birth_month=2)

    contact.refresh_from_db()
    assert (contact.birth_day, contact.birth_month, contact.birth_year) == (29, 2, None)


def test_29_february_of_a_leap_year_is_a_birthday(owner: User) -> None:
    contact = make_contact(owner, birth_day=29, birth_month=2, birth_year=1996)

    assert contact.birth_year == 1996


def test_birth_date_given_as_numeric_strings_is_stored_as_numbers(owner: User) -> None:
    contact = make_contact(owner, birth_day="7", birth_month="11", birth_year="1990")

    contact.refresh_from_db()
    assert (contact.birth_day, contact.birth_month, contact.birth_year) == (7, 11, 1990)


def _next_year() -> int:
    return timezone.localdate().year + 1


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


BAD_INPUT: list[Any] = [
    pytest.param({"phones": ["12"]}, "phones", id="too-short-phone"),
    pytest.param({"phones": ["067 123 45 67", "not a phone"]}, "phones", id="letters-phone"),
    pytest.param({"phones": ["+380 12 345"]}, "phones", id="invalid-ukrainian-number"),
    pytest.param({"emails": ["olena@"]}, "emails", id="email-without-domain"),
    pytest.param({"emails": ["not-an-email"]}, "emails", id="email-without-at"),
    pytest.param({"emails": ["a@b@example.com"]}, "emails", id="email-two-ats"),
    pytest.param({"birth_day": 30, "birth_month": 2}, "birth_day", id="30-february"),
    pytest.param({"birth_day": 31, "birth_month": 4}, "birth_day", id="31-april"),
    pytest.param({"birth_day": 32, "birth_month": 1}, "birth_day", id="day-32"),
    pytest.param({"birth_day": 1, "birth_month": 13}, "birth_day", id="month-13"),
    pytest.param({"birth_day": 0, "birth_month": 1}, "birth_day", id="day-0"),
    pytest.param(
        {"birth_day": 29, "birth_month": 2, "birth_year": 2023}, "birth_day", id="29-feb-2023"
    ),
    pytest.param({"birth_day": 5}, "birth_day", id="day-without-month"),
    pytest.param({"birth_month": 5}, "birth_day", id="month-without-day"),
    pytest.param({"birth_year": 1980}, "birth_year", id="year-without-day"),
    pytest.param(
        {"birth_day": 1, "birth_month": 1, "birth_year": 1850}, "birth_year", id="year-1850"
    ),
    pytest.param(
        {"birth_day": 1, "birth_month": 1, "birth_year": _next_year()},
        "birth_year",
        id="next-year",
    ),
    pytest.param(
        {
            "birth_day": _tomorrow().day,
            "birth_month": _tomorrow().month,
            "birth_year": _tomorrow().year,
        },
        "birth_year",
        id="born-tomorrow",
    ),
    pytest.param(
        {"birth_day": 1, "birth_month": 1, "birth_year": "nineteen"}, "birth_year", id="word-year"
    ),
    pytest.param({"birth_day": "1.5", "birth_month": 1}, "birth_day", id="fraction-day"),
    pytest.param({"first_name": "   "}, "first_name", id="blank-first-name"),
    pytest.param({"language": "de"}, "language", id="unknown-language"),
    pytest.param({"lifecycle": "vip"}, "lifecycle", id="unknown-lifecycle"),
    pytest.param({"first_name": "x" * 101}, "first_name", id="first-name-too-long"),
    pytest.param({"company": "not-an-id"}, "company", id="company-not-an-id"),
    pytest.param({"company": 999_999}, "company", id="company-missing"),
    pytest.param({"owner": "not-an-id"}, "owner", id="owner-not-an-id"),
    pytest.param({"owner": 999_999}, "owner", id="owner-missing"),
]


@pytest.mark.parametrize(("data", "field"), BAD_INPUT)
def test_bad_input_names_the_field_and_saves_nothing(
    owner: User, counts: Any, data: dict[str, Any], field: str
) -> None:
    # given
    before = counts()

    # when
    with pytest.raises(ValidationError) as caught:
        contact_create(
            actor=owner,
            data={"first_name": "Олена", "phones": ["050 111 22 33"], "tags": ["new"], **data},
        )

    # then
    assert field in caught.value.message_dict
    assert counts() == before


@pytest.mark.parametrize(("data", "field"), BAD_INPUT)
def test_bad_input_on_update_names_the_field_and_changes_nothing(
    contact: Contact, owner: User, counts: Any, data: dict[str, Any], field: str
) -> None:
    # given
    before = counts()
    updated_at = Contact.objects.get(pk=contact.pk).updated_at

    # when
    with pytest.raises(ValidationError) as caught:
        contact_update(actor=owner, contact=contact, data={"tags": ["other"], **data})

    # then
    assert field in caught.value.message_dict
    assert counts() == before
    stored = Contact.objects.get(pk=contact.pk)
    assert stored.updated_at == updated_at
    assert _phones(stored) == [PHONE_E164]
    assert _tags(stored) == ["VIP"]


def test_every_bad_field_is_named_at_once(owner: User) -> None:
    with pytest.raises(ValidationError) as caught:
        contact_create(
            actor=owner,
            data={
                "first_name": "",
                "phones": ["12"],
                "emails": ["nope"],
                "birth_day": 31,
                "birth_month": 2,
            },
        )

    assert {"first_name", "phones", "emails", "birth_day"} <= set(caught.value.message_dict)


def test_company_the_actor_cannot_see_cannot_be_linked(
    owner: User, outsider: User, counts: Any
) -> None:
    hidden = make_company(outsider, name="Чужа фірма")
    before = counts()

    with pytest.raises(ValidationError) as caught:
        contact_create(actor=owner, data={"first_name": "Олена", "company": hidden.pk})

    assert "company" in caught.value.message_dict
    assert counts() == before


def test_contact_joins_a_visible_company_with_a_role(owner: User) -> None:
    company = make_company(owner)

    contact = make_contact(owner, company=company.pk, job_title="Бухгалтерка")

    assert contact.company == company
    assert list(company.contacts.values_list("job_title", flat=True)) == ["Бухгалтерка"]


# --- owners -----------------------------------------------------------------------------------


def test_manager_cannot_give_a_contact_to_a_teammate(
    owner: User, teammate: User, counts: Any
) -> None:
    before = counts()

    with pytest.raises(ValidationError) as caught:
        contact_create(actor=owner, data={"first_name": "Олена", "owner": teammate.pk})

    assert "owner" in caught.value.message_dict
    assert counts() == before


def test_lead_gives_a_contact_to_a_team_member(lead: User, teammate: User) -> None:
    contact = contact_create(actor=lead, data={"first_name": "Олена", "owner": teammate.pk})

    assert contact.owner == teammate


def test_lead_cannot_give_a_contact_outside_the_team(lead: User, outsider: User) -> None:
    with pytest.raises(ValidationError) as caught:
        contact_create(actor=lead, data={"first_name": "Олена", "owner": outsider.pk})

    assert "owner" in caught.value.message_dict


def test_admin_gives_a_contact_to_anyone(admin: User, outsider: User) -> None:
    contact = contact_create(actor=admin, data={"first_name": "Олена", "owner": outsider.pk})

    assert contact.owner == outsider


def test_nobody_gives_a_contact_to_an_inactive_user(admin: User, outsider: User) -> None:
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])

    with pytest.raises(ValidationError) as caught:
        contact_create(actor=admin, data={"first_name": "Олена", "owner": outsider.pk})

    assert "owner" in caught.value.message_dict


# --- viewers ----------------------------------------------------------------------------------


def test_viewer_cannot_create(viewer: User, counts: Any) -> None:
    before = counts()

    with pytest.raises(PermissionDenied):
        contact_create(actor=viewer, data={"first_name": "Олена"})

    assert counts() == before


def test_viewer_cannot_update_a_contact_it_sees(viewer: User, contact: Contact) -> None:
    with pytest.raises(PermissionDenied):
        contact_update(actor=viewer, contact=contact, data={"first_name": "Інна"})

    assert Contact.objects.get(pk=contact.pk).first_name == "Олена"


def test_viewer_cannot_delete(viewer: User, contact: Contact) -> None:
    with pytest.raises(PermissionDenied):
        contact_delete(actor=viewer, contact=contact)

    assert Contact.objects.filter(pk=contact.pk).exists()


def test_inactive_user_cannot_write(owner: User, contact: Contact) -> None:
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    with pytest.raises(PermissionDenied):
        contact_update(actor=owner, contact=contact, data={"first_name": "Інна"})


# --- update -----------------------------------------------------------------------------------


def test_update_changes_only_the_fields_given(owner: User, contact: Contact) -> None:
    contact_update(actor=owner, contact=contact, data={"job_title": "CEO"})

    stored = Contact.objects.get(pk=contact.pk)
    assert stored.job_title == "CEO"
    assert stored.first_name == "Олена"
    assert _phones(stored) == [PHONE_E164]
    assert _emails(stored) == ["olena.shevchenko@example.com"]
    assert _tags(stored) == ["VIP"]


def test_update_replaces_phones_and_primary_phone(owner: User, contact: Contact) -> None:
    contact_update(actor=owner, contact=contact, data={"phones": ["050 111 22 33"]})

    stored = Contact.objects.get(pk=contact.pk)
    assert _phones(stored) == ["+380501112233"]
    assert stored.primary_phone == "+380501112233"


def test_update_with_no_phones_clears_them(owner: User, contact: Contact) -> None:
    contact_update(actor=owner, contact=contact, data={"phones": []})

    stored = Contact.objects.get(pk=contact.pk)
    assert _phones(stored) == []
    assert stored.primary_phone == ""


def test_rename_reindexes_the_contact(owner: User, contact: Contact) -> None:
    contact_update(actor=owner, contact=contact, data={"last_name": "Коваленко"})

    terms = set(ContactSearchTerm.objects.filter(contact=contact).values_list("term", flat=True))
    assert "kovalenko" in terms
    assert "sevcenko" not in terms


def test_lead_edits_a_team_members_contact(lead: User, contact: Contact) -> None:
    contact_update(actor=lead, contact=contact, data={"job_title": "CFO"})

    assert Contact.objects.get(pk=contact.pk).job_title == "CFO"


@pytest.mark.parametrize("persona", ["teammate", "outsider"])
def test_manager_cannot_update_a_contact_it_cannot_see(
    request: pytest.FixtureRequest, contact: Contact, counts: Any, persona: str
) -> None:
    actor = request.getfixturevalue(persona)
    before = counts()

    with pytest.raises(Http404):
        contact_update(actor=actor, contact=contact, data={"first_name": "Інна"})

    assert Contact.objects.get(pk=contact.pk).first_name == "Олена"
    assert counts() == before


def test_stale_expected_updated_at_is_an_edit_conflict(owner: User, contact: Contact) -> None:
    # given: the user loaded the record, then someone else saved it
    loaded_at = contact.updated_at
    contact_update(actor=owner, contact=contact, data={"job_title": "first"})

    # when the first user saves what it loaded
    with pytest.raises(EditConflict):
        contact_update(
            actor=owner,
            contact=contact,
            data={"job_title": "second"},
            expected_updated_at=loaded_at,
        )

    # then the other save stands
    assert Contact.objects.get(pk=contact.pk).job_title == "first"


def test_current_expected_updated_at_saves(owner: User, contact: Contact) -> None:
    fresh = Contact.objects.get(pk=contact.pk)

    saved = contact_update(
        actor=owner, contact=fresh, data={"job_title": "CEO"}, expected_updated_at=fresh.updated_at
    )

    assert saved.job_title == "CEO"
    assert saved.updated_at > fresh.updated_at


def test_returned_contact_carries_the_saved_updated_at(owner: User, contact: Contact) -> None:
    saved = contact_update(actor=owner, contact=contact, data={"job_title": "CEO"})

    assert Contact.objects.get(pk=contact.pk).updated_at == saved.updated_at


# --- consent ----------------------------------------------------------------------------------


def test_consent_given_records_when(owner: User) -> None:
    before = timezone.now()

    contact = make_contact(owner, marketing_consent=True)

    assert contact.marketing_consent is True
    assert contact.consent_at is not None
    assert contact.consent_at >= before


def test_consent_date_can_be_given(owner: User) -> None:
    when = datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.UTC)

    contact = make_contact(owner, marketing_consent=True, consent_at=when)

    assert contact.consent_at == when


def test_consent_kept_keeps_its_date(owner: User) -> None:
    contact = make_contact(owner, marketing_consent=True)
    given_at = contact.consent_at

    saved = contact_update(actor=owner, contact=contact, data={"marketing_consent": True})

    assert saved.consent_at == given_at


def test_consent_withdrawn_clears_its_date(owner: User) -> None:
    contact = make_contact(owner, marketing_consent=True)

    saved = contact_update(actor=owner, contact=contact, data={"marketing_consent": False})

    stored = Contact.objects.get(pk=saved.pk)
    assert stored.marketing_consent is False
    assert stored.consent_at is None


def test_no_consent_has_no_date(owner: User) -> None:
    contact = make_contact(owner, marketing_consent=False)

    assert contact.consent_at is None


# --- trash ------------------------------------------------------------------------------------


def test_delete_moves_to_the_trash_and_keeps_everything(owner: User, contact: Contact) -> None:
    contact_delete(actor=owner, contact=contact)

    assert not Contact.objects.filter(pk=contact.pk).exists()
    trashed = Contact.all_objects.get(pk=contact.pk)
    assert trashed.deleted_at is not None
    assert trashed.deleted_by == owner
    assert _phones(trashed) == [PHONE_E164]
    assert _tags(trashed) == ["VIP"]


@pytest.mark.parametrize("persona", ["teammate", "outsider"])
def test_manager_cannot_delete_a_contact_it_cannot_see(
    request: pytest.FixtureRequest, contact: Contact, persona: str
) -> None:
    with pytest.raises(Http404):
        contact_delete(actor=request.getfixturevalue(persona), contact=contact)

    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("persona", ["owner", "admin"])
def test_owner_or_admin_restores(
    request: pytest.FixtureRequest, owner: User, contact: Contact, persona: str
) -> None:
    contact_delete(actor=owner, contact=contact)
    trashed = Contact.all_objects.get(pk=contact.pk)

    contact_restore(actor=request.getfixturevalue(persona), contact=trashed)

    restored = Contact.objects.get(pk=contact.pk)
    assert restored.deleted_at is None
    assert restored.deleted_by is None


@pytest.mark.parametrize("persona", ["teammate", "lead", "outsider", "viewer"])
def test_only_owner_or_admin_restores(
    request: pytest.FixtureRequest, owner: User, contact: Contact, persona: str
) -> None:
    contact_delete(actor=owner, contact=contact)
    trashed = Contact.all_objects.get(pk=contact.pk)

    with pytest.raises(PermissionDenied):
        contact_restore(actor=request.getfixturevalue(persona), contact=trashed)

    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_owner_who_became_a_viewer_cannot_restore(owner: User, contact: Contact) -> None:
    contact_delete(actor=owner, contact=contact)
    owner.role = "viewer"
    owner.save(update_fields=["role"])

    with pytest.raises(PermissionDenied):
        contact_restore(actor=owner, contact=Contact.all_objects.get(pk=contact.pk))


def test_trashed_contact_cannot_be_edited_until_restored(owner: User, contact: Contact) -> None:
    contact_delete(actor=owner, contact=contact)

    with pytest.raises(Http404):
        contact_update(actor=owner, contact=contact, data={"first_name": "Інна"})

    assert Contact.all_objects.get(pk=contact.pk).first_name == "Олена"


# --- bulk -------------------------------------------------------------------------------------


def test_bulk_tag_touches_only_visible_contacts(owner: User, outsider: User) -> None:
    # given
    mine = make_contact(owner, tags=["old"])
    other = make_contact(outsider, tags=["old"])

    # when
    changed = contacts_bulk_tag(
        actor=owner, contact_ids=[mine.pk, other.pk], add=["hot"], remove=["old"]
    )

    # then
    assert changed == 1
    assert _tags(mine) == ["hot"]
    assert _tags(other) == ["old"]


def test_bulk_tag_reuses_a_tag_in_any_letter_case(owner: User) -> None:
    first = make_contact(owner, tags=["VIP", "Важливий"])
    second = make_contact(owner)

    contacts_bulk_tag(actor=owner, contact_ids=[second.pk], add=["vip", "ВАЖЛИВИЙ"])

    assert _tags(second) == ["VIP", "Важливий"]
    assert Tag.objects.count() == 2
    assert _tags(first) == ["VIP", "Важливий"]


def test_bulk_tag_removal_ignores_letter_case(owner: User) -> None:
    contact = make_contact(owner, tags=["Важливий", "VIP"])

    contacts_bulk_tag(actor=owner, contact_ids=[contact.pk], remove=["важливий", "vip"])

    assert _tags(contact) == []


def test_viewer_cannot_bulk_tag(viewer: User, contact: Contact) -> None:
    with pytest.raises(PermissionDenied):
        contacts_bulk_tag(actor=viewer, contact_ids=[contact.pk], add=["x"])

    assert _tags(contact) == ["VIP"]


def test_bulk_reassign_by_a_lead_moves_only_visible_contacts(
    lead: User, owner: User, teammate: User, outsider: User
) -> None:
    # given
    team_contact = make_contact(owner)
    foreign_contact = make_contact(outsider)

    # when
    changed = contacts_bulk_reassign(
        actor=lead, contact_ids=[team_contact.pk, foreign_contact.pk], owner=teammate
    )

    # then
    assert changed == 1
    assert Contact.objects.get(pk=team_contact.pk).owner == teammate
    assert Contact.objects.get(pk=foreign_contact.pk).owner == outsider


def test_bulk_reassign_to_an_unassignable_user_changes_nothing(
    lead: User, owner: User, outsider: User, counts: Any
) -> None:
    first = make_contact(owner)
    second = make_contact(owner)
    before = counts()

    with pytest.raises(ValidationError) as caught:
        contacts_bulk_reassign(actor=lead, contact_ids=[first.pk, second.pk], owner=outsider)

    assert "owner" in caught.value.message_dict
    assert set(Contact.objects.values_list("owner_id", flat=True)) == {owner.pk}
    assert counts() == before


def test_manager_cannot_bulk_reassign_to_a_teammate(owner: User, teammate: User) -> None:
    contact = make_contact(owner)

    with pytest.raises(ValidationError):
        contacts_bulk_reassign(actor=owner, contact_ids=[contact.pk], owner=teammate)

    assert Contact.objects.get(pk=contact.pk).owner == owner


def test_viewer_cannot_bulk_reassign(viewer: User, owner: User, contact: Contact) -> None:
    with pytest.raises(PermissionDenied):
        contacts_bulk_reassign(actor=viewer, contact_ids=[contact.pk], owner=owner)


def test_a_tag_created_by_someone_else_meanwhile_is_reused(
    owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the tag appears between our lookup and our insert (another user's save)
    Tag.objects.create(name="VIP")
    lookups: list[str] = []

    def missed_once(name: str) -> Tag | None:
        lookups.append(name)
        return None if len(lookups) == 1 else Tag.objects.filter(name=name).first()

    monkeypatch.setattr(services._records, "tag_named", missed_once)

    # when
    contact = make_contact(owner, tags=["VIP"])

    # then
    assert _tags(contact) == ["VIP"]
    assert Tag.objects.count() == 1


def test_a_deactivated_admin_cannot_restore(owner: User, admin: User, contact: Contact) -> None:
    contact_delete(actor=owner, contact=contact)
    admin.is_active = False
    admin.save(update_fields=["is_active"])

    with pytest.raises(PermissionDenied):
        contact_restore(actor=admin, contact=Contact.all_objects.get(pk=contact.pk))

    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_saving_without_changes_keeps_the_version_so_nobody_gets_a_false_conflict(
    owner: User, lead: User, contact: Contact
) -> None:
    # given two people opened the same contact
    seen = Contact.objects.get(pk=contact.pk).updated_at
    events = AuditEvent.objects.count()

    # when the first saves it unchanged
    same = contact_update(
        actor=owner,
        contact=contact,
        data={"first_name": contact.first_name},
        expected_updated_at=seen,
    )

    # then nothing is recorded, the version stays, and the second can still save a change
    assert same.updated_at == seen
    assert Contact.objects.get(pk=contact.pk).updated_at == seen
    assert AuditEvent.objects.count() == events
    changed = contact_update(
        actor=lead, contact=contact, data={"job_title": "CEO"}, expected_updated_at=seen
    )
    assert changed.job_title == "CEO"
    assert changed.updated_at > seen
