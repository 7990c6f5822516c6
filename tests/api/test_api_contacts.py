"""Contacts over the API: create, read, change, trash, restore, bulk changes, filters, pages."""

import datetime

import pytest
from api_support import api_as, error_fields

from clientela.contacts.models import Contact, Lifecycle
from clientela.core.models import AuditEvent
from conftest import make_company, make_contact


def test_create_contact_normalises_phone_and_answers_full_record(owner, company):
    # given
    api = api_as(owner)
    # when
    response = api.post(
        "/contacts",
        {
            "first_name": "Олена",
            "middle_name": "Петрівна",
            "last_name": "Коваль",
            "phones": ["(067) 765-43-21"],
            "emails": ["Olena.Koval@Example.com"],
            "tags": ["VIP", "Київ"],
            "company": company.pk,
            "job_title": "Директорка",
            "lifecycle": "customer",
            "birth_day": 29,
            "birth_month": 2,
        },
    )
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phones"] == ["+380677654321"]
    assert body["emails"] == ["olena.koval@example.com"]
    assert sorted(body["tags"]) == ["VIP", "Київ"]
    assert body["owner"] == {"id": owner.pk, "name": str(owner)}
    assert body["company"] == {"id": company.pk, "name": company.name}
    assert body["full_name"] == "Коваль Олена Петрівна"
    assert (body["birth_day"], body["birth_month"], body["birth_year"]) == (29, 2, None)
    assert body["lifecycle"] == "customer"
    assert body["custom"] == {}
    assert Contact.objects.get(pk=body["id"]).owner == owner


def test_get_contact_shows_channels_tags_and_timestamps(owner, contact):
    response = api_as(owner).get(f"/contacts/{contact.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == contact.pk
    assert body["phones"] == ["+380671234567"]
    assert body["emails"] == ["olena.shevchenko@example.com"]
    assert body["tags"] == ["VIP"]
    assert datetime.datetime.fromisoformat(body["updated_at"]) == contact.updated_at


def test_patch_changes_only_the_fields_sent(owner, contact):
    response = api_as(owner).patch(f"/contacts/{contact.pk}", {"job_title": "CEO"})

    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert contact.job_title == "CEO"
    assert contact.middle_name == "Петрівна"
    assert response.json()["phones"] == ["+380671234567"]
    assert response.json()["tags"] == ["VIP"]


def test_patch_can_clear_a_list_and_a_nullable_field(owner):
    contact = make_contact(
        owner, phones=["067 123 45 67"], birth_day=1, birth_month=5, birth_year=1990
    )
    response = api_as(owner).patch(
        f"/contacts/{contact.pk}",
        {"phones": [], "birth_day": None, "birth_month": None, "birth_year": None},
    )

    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert contact.primary_phone == ""
    assert contact.birth_day is None


def test_patch_with_current_updated_at_saves(owner, contact):
    api = api_as(owner)
    updated_at = api.get(f"/contacts/{contact.pk}").json()["updated_at"]

    response = api.patch(
        f"/contacts/{contact.pk}", {"notes": "hi", "expected_updated_at": updated_at}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["notes"] == "hi"


def test_patch_with_stale_updated_at_is_a_conflict_and_saves_nothing(owner, contact):
    api = api_as(owner)
    stale = api.get(f"/contacts/{contact.pk}").json()["updated_at"]
    assert api.patch(f"/contacts/{contact.pk}", {"notes": "first"}).status_code == 200

    response = api.patch(
        f"/contacts/{contact.pk}", {"notes": "second", "expected_updated_at": stale}
    )

    assert response.status_code == 409
    assert "expected_updated_at" in error_fields(response)
    contact.refresh_from_db()
    assert contact.notes == "first"


def test_delete_moves_to_trash_and_restore_brings_back(owner, contact):
    api = api_as(owner)

    assert api.delete(f"/contacts/{contact.pk}").status_code == 204
    assert api.get(f"/contacts/{contact.pk}").status_code == 404
    assert Contact.all_objects.get(pk=contact.pk).deleted_at is not None

    response = api.post(f"/contacts/{contact.pk}/restore")
    assert response.status_code == 200
    assert response.json()["id"] == contact.pk
    assert api.get(f"/contacts/{contact.pk}").status_code == 200


def test_restore_of_a_live_contact_is_not_found(owner, contact):
    assert api_as(owner).post(f"/contacts/{contact.pk}/restore").status_code == 404


def test_changes_through_api_are_audited_as_api(owner, contact):
    api_as(owner).patch(f"/contacts/{contact.pk}", {"job_title": "CEO"})

    event = AuditEvent.objects.filter(object_id=contact.pk, action="update").get()
    assert event.channel == "api"
    assert event.actor == owner
    assert event.changes["job_title"] == [None, "CEO"]


def test_bulk_tag_adds_and_removes_on_visible_contacts_only(owner, outsider):
    mine = [make_contact(owner, tags=["old"]) for _ in range(2)]
    theirs = make_contact(outsider, tags=["old"])

    response = api_as(owner).post(
        "/contacts/bulk/tag",
        {"ids": [c.pk for c in [*mine, theirs]], "add": ["new"], "remove": ["old"]},
    )

    assert response.status_code == 200
    assert response.json() == {"count": 2}
    for contact in mine:
        assert sorted(contact.tags.values_list("name", flat=True)) == ["new"]
    assert list(theirs.tags.values_list("name", flat=True)) == ["old"]


def test_bulk_reassign_hands_contacts_to_a_teammate(lead, owner, teammate):
    contacts = [make_contact(owner) for _ in range(3)]

    response = api_as(lead).post(
        "/contacts/bulk/reassign", {"ids": [c.pk for c in contacts], "owner": teammate.pk}
    )

    assert response.status_code == 200
    assert response.json() == {"count": 3}
    assert set(Contact.objects.filter(owner=teammate).values_list("pk", flat=True)) == {
        c.pk for c in contacts
    }


def test_bulk_reassign_to_someone_out_of_reach_names_owner(owner, outsider, contact):
    response = api_as(owner).post(
        "/contacts/bulk/reassign", {"ids": [contact.pk], "owner": outsider.pk}
    )

    assert response.status_code == 422
    assert "owner" in error_fields(response)
    contact.refresh_from_db()
    assert contact.owner == owner


# --- filters -----------------------------------------------------------------------------------


@pytest.fixture
def roster(owner, lead):
    """Contacts of two owners in one team, with tags, stages and a company."""
    firm = make_company(owner, name="Acme")
    return {
        "anna": make_contact(
            owner,
            first_name="Anna",
            last_name="Bondar",
            tags=["vip"],
            lifecycle="customer",
            company=firm.pk,
        ),
        "boris": make_contact(owner, first_name="Boris", last_name="Antonov", lifecycle="prospect"),
        "carl": make_contact(
            lead, first_name="Carl", last_name="Czerny", tags=["vip"], lifecycle="lead"
        ),
        "firm": firm,
    }


def _ids(response):
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def test_filter_by_owner_id_and_me(lead, owner, roster):
    api = api_as(lead)
    assert set(_ids(api.get("/contacts", {"owner": owner.pk}))) == {
        roster["anna"].pk,
        roster["boris"].pk,
    }
    assert _ids(api.get("/contacts", {"owner": "me"})) == [roster["carl"].pk]


def test_filter_by_tag_id_or_name(lead, roster):
    api = api_as(lead)
    tag = roster["anna"].tags.get()
    expected = {roster["anna"].pk, roster["carl"].pk}
    assert set(_ids(api.get("/contacts", {"tag": "VIP"}))) == expected
    assert set(_ids(api.get("/contacts", {"tag": tag.pk}))) == expected


def test_filter_by_lifecycle_and_company(lead, roster):
    api = api_as(lead)
    assert _ids(api.get("/contacts", {"lifecycle": Lifecycle.PROSPECT})) == [roster["boris"].pk]
    assert _ids(api.get("/contacts", {"company": roster["firm"].pk})) == [roster["anna"].pk]


def test_filter_by_search_text_across_scripts(lead, roster):
    taras = make_contact(lead, first_name="Тарас", last_name="Шевчук")
    api = api_as(lead)
    assert _ids(api.get("/contacts", {"q": "shevchuk"})) == [taras.pk]
    assert _ids(api.get("/contacts", {"q": "Антонов"})) == [roster["boris"].pk]


def test_sort_by_name_both_ways_and_by_created(lead, roster):
    api = api_as(lead)
    by_name = _ids(api.get("/contacts", {"sort": "name"}))
    assert by_name == [roster["boris"].pk, roster["anna"].pk, roster["carl"].pk]  # by last name
    assert _ids(api.get("/contacts", {"sort": "-name"})) == by_name[::-1]
    created = [roster["anna"].pk, roster["boris"].pk, roster["carl"].pk]
    assert _ids(api.get("/contacts", {"sort": "created"})) == created
    assert _ids(api.get("/contacts", {"sort": "-created"})) == created[::-1]


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["name", "-name", "created", "-created", "-updated"])
def test_walking_all_pages_forward_and_back_sees_each_contact_once(owner, sort):
    # given: 23 contacts, some with equal names so the id breaks the ties
    made = {make_contact(owner, first_name=f"N{i % 5}").pk for i in range(23)}
    api = api_as(owner)
    # when: following next_cursor from the first page
    seen, pages, cursor = [], [], None
    while True:
        params = {"limit": 5, "sort": sort} | ({"cursor": cursor} if cursor else {})
        response = api.get("/contacts", params)
        assert response.status_code == 200
        page = response.json()
        pages.append(page)
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # then
    assert len(seen) == len(made) == len(set(seen))
    assert set(seen) == made
    assert [len(p["items"]) for p in pages] == [5, 5, 5, 5, 3]
    assert pages[0]["previous_cursor"] is None
    # and walking back from the last page gives the same pages in reverse
    back, cursor = [], pages[-1]["previous_cursor"]
    while cursor:
        page = api.get("/contacts", {"limit": 5, "sort": sort, "cursor": cursor}).json()
        back = [item["id"] for item in page["items"]] + back
        cursor = page["previous_cursor"]
    assert back + [item["id"] for item in pages[-1]["items"]] == seen


def test_limit_defaults_to_fifty(owner):
    for i in range(51):
        make_contact(owner, first_name=f"P{i}")

    page = api_as(owner).get("/contacts").json()

    assert len(page["items"]) == 50
    assert page["next_cursor"]
