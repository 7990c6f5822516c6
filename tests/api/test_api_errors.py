"""Bad input: every error names its field, has one shape, and nothing is saved."""

import pytest
from api_support import api_as, error_fields

from clientela.accounts.services import user_create
from clientela.contacts import services
from clientela.contacts.models import Contact
from clientela.contacts.services import custom_field_define
from conftest import make_contact


@pytest.fixture
def size_field(admin):
    return custom_field_define(
        actor=admin,
        data={
            "entity": "contact",
            "key": "size",
            "label": "Size",
            "field_type": "choice",
            "choices": ["S", "M"],
        },
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phones": ["12"]}, "phones"),
        ({"phones": ["067 123 45 67", "not a phone"]}, "phones"),
        ({"emails": ["olena@"]}, "emails"),
        ({"birth_day": 31, "birth_month": 2}, "birth_day"),
        ({"birth_day": 5}, "birth_day"),
        ({"birth_day": 5, "birth_month": 5, "birth_year": 1800}, "birth_year"),
        ({"birth_month": 13, "birth_day": 1}, "birth_month"),
        ({"birth_day": "soon", "birth_month": 1}, "birth_day"),
        ({"lifecycle": "friend"}, "lifecycle"),
        ({"language": "de"}, "language"),
        ({"custom": {"size": "XXL"}}, "custom.size"),
        ({"custom": {"colour": "red"}}, "custom.colour"),
        ({"custom": {"size": ["S"]}}, "custom.size"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": None}, "first_name"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"tags": None}, "tags"),
        ({"phones": "067 123 45 67"}, "phones"),
        ({"company": 999999}, "company"),
        ({"company": "acme"}, "company"),
        ({"owner": 999999}, "owner"),
        ({"owner": None}, "owner"),
        ({"marketing_consent": "maybe"}, "marketing_consent"),
        ({"notes": "nul\x00byte"}, "notes"),
    ],
)
def test_bad_value_on_create_names_field_and_saves_nothing(owner, size_field, body, field):
    # given
    payload = {"first_name": "Олена", "emails": ["fresh@example.com"], **body}
    # when
    response = api_as(owner).post("/contacts", payload)
    # then
    assert response.status_code == 422, response.json()
    assert field in error_fields(response)
    assert not Contact.all_objects.exists()


def test_several_bad_values_are_all_named(owner):
    response = api_as(owner).post(
        "/contacts",
        {
            "first_name": "A",
            "phones": ["nope"],
            "emails": ["bad@"],
            "birth_day": 40,
            "birth_month": 1,
        },
    )

    assert response.status_code == 422
    # pydantic refuses the out-of-range day before the services are asked
    assert "birth_day" in error_fields(response)


def test_service_errors_for_several_fields_come_together(owner):
    response = api_as(owner).post(
        "/contacts", {"first_name": "A", "phones": ["nope"], "emails": ["bad@"]}
    )

    assert response.status_code == 422
    assert {"phones", "emails"} <= set(error_fields(response))


def test_bad_value_on_patch_names_field_and_changes_nothing(owner, contact):
    response = api_as(owner).patch(
        f"/contacts/{contact.pk}", {"job_title": "CEO", "emails": ["still@bad@example.com"]}
    )

    assert response.status_code == 422
    assert "emails" in error_fields(response)
    contact.refresh_from_db()
    assert contact.job_title == ""
    assert contact.primary_email == "olena.shevchenko@example.com"


def test_missing_required_name_is_named(owner):
    response = api_as(owner).post("/contacts", {"last_name": "Коваль"})

    assert response.status_code == 422
    assert "first_name" in error_fields(response)


def test_body_that_is_not_json_is_a_400(owner):
    response = api_as(owner).post("/contacts", "{not json")

    assert response.status_code == 400
    assert error_fields(response) == {}


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', ""])
def test_body_that_is_not_an_object_is_refused(owner, body):
    response = api_as(owner).post("/contacts", body)

    assert response.status_code == 422
    error_fields(response)
    assert not Contact.objects.exists()


# --- duplicates --------------------------------------------------------------------------------


def test_duplicate_email_of_visible_contact_answers_409_with_its_id(owner, contact):
    response = api_as(owner).post(
        "/contacts", {"first_name": "Інна", "emails": ["OLENA.SHEVCHENKO@example.com"]}
    )

    assert response.status_code == 409
    body = response.json()
    assert body["duplicates"] == [
        {"field": "emails", "value": "olena.shevchenko@example.com", "id": contact.pk}
    ]
    assert body["errors"][0]["field"] == "emails"
    assert Contact.objects.count() == 1


def test_duplicate_phone_of_invisible_contact_answers_409_without_id(outsider, contact):
    response = api_as(outsider).post(
        "/contacts", {"first_name": "Інна", "phones": ["+380 67 123 4567"]}
    )

    assert response.status_code == 409
    assert response.json()["duplicates"] == [
        {"field": "phones", "value": "+380671234567", "id": None}
    ]
    assert Contact.objects.count() == 1


def test_duplicate_in_trash_does_not_block(owner, contact):
    api = api_as(owner)
    api.delete(f"/contacts/{contact.pk}")

    response = api.post("/contacts", {"first_name": "Інна", "phones": ["067 123 45 67"]})

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("path", "body"),
    [("/contacts?allow_duplicate=true", {}), ("/contacts", {"allow_duplicate": True})],
)
def test_allow_duplicate_saves_anyway(owner, contact, path, body):
    response = api_as(owner).post(path, {"first_name": "Інна", "phones": ["067 123 45 67"], **body})

    assert response.status_code == 201, response.json()
    assert Contact.objects.filter(primary_phone="+380671234567").count() == 2


# --- bad filters and query values: a clear 400 ----------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lifecycle": "friend"}, "lifecycle"),
        ({"sort": "email"}, "sort"),
        ({"owner": "boss"}, "owner"),
        ({"owner": "99999999999999999999999"}, "owner"),
        ({"company": "acme"}, "company"),
        ({"company": "99999999999999999999999"}, "company"),
        ({"tag": "no-such-tag"}, "tag"),
        ({"tag": "99999999999999999999999"}, "tag"),
        ({"cursor": "garbage"}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_list_filter_is_a_400_naming_it(owner, contact, params, field):
    response = api_as(owner).get("/contacts", params)

    assert response.status_code == 400, response.content
    assert field in error_fields(response)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "x"}, "sort"),
        ({"cursor": "x"}, "cursor"),
        ({"limit": "-1"}, "limit"),
        ({"tag": "nope"}, "tag"),
    ],
)
def test_bad_company_filter_is_a_400(owner, params, field):
    response = api_as(owner).get("/companies", params)

    assert response.status_code == 400
    assert field in error_fields(response)


def test_cursor_from_another_sort_is_refused(owner):
    for i in range(3):
        make_contact(owner, first_name=f"C{i}")
    api = api_as(owner)
    cursor = api.get("/contacts", {"limit": 1, "sort": "name"}).json()["next_cursor"]

    response = api.get("/contacts", {"limit": 1, "sort": "-created", "cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in error_fields(response)


def test_search_without_query_is_a_400(owner):
    response = api_as(owner).get("/search")

    assert response.status_code == 400
    assert "q" in error_fields(response)


@pytest.mark.parametrize(
    "path", ["/contacts/abc", "/contacts/0", "/contacts/99999999999999999999999", "/companies/-4"]
)
def test_id_that_names_no_record_is_a_404(owner, path):
    response = api_as(owner).get(path)

    assert response.status_code == 404
    assert error_fields(response) == {}


def test_bulk_with_bad_ids_names_the_field(owner):
    response = api_as(owner).post("/contacts/bulk/tag", {"ids": ["one"], "add": ["x"]})

    assert response.status_code == 422
    assert "ids" in error_fields(response)


def test_messages_follow_the_token_users_language(team_a):
    ukrainian = user_create(username="ua", password=None, team=team_a, language="uk")
    english = user_create(username="en", password=None, team=team_a, language="en")

    ua = error_fields(api_as(ukrainian).get("/contacts", {"lifecycle": "x"}))["lifecycle"]
    en = error_fields(api_as(english).get("/contacts", {"lifecycle": "x"}))["lifecycle"]

    assert en == ["Use one of: lead, prospect, customer, former."]
    assert isinstance(ua[0], str)


def test_misspelt_field_is_named_not_ignored(owner, contact):
    response = api_as(owner).patch(f"/contacts/{contact.pk}", {"job_titel": "CEO"})

    assert response.status_code == 422
    assert "job_titel" in error_fields(response)


def test_explicit_null_owner_on_patch_is_refused(owner, contact):
    response = api_as(owner).patch(f"/contacts/{contact.pk}", {"owner": None})

    assert response.status_code == 422
    assert "owner" in error_fields(response)


def test_wrong_method_is_a_json_405(owner):
    response = api_as(owner).client.put("/api/v1/contacts", headers=api_as(owner).headers)

    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    error_fields(response)


@pytest.mark.parametrize("path", ["/nope", "/contacts/1/nope", "/contacts/"])
def test_unknown_path_is_a_json_404(owner, path):
    response = api_as(owner).get(path)

    assert response.status_code == 404
    assert error_fields(response) == {}


def test_body_over_the_size_limit_is_a_413(owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = api_as(owner).post("/contacts", {"first_name": "A", "notes": "x" * 2000})

    assert response.status_code == 413
    error_fields(response)
    assert not Contact.objects.exists()


def test_unexpected_failure_is_a_json_500_and_saves_nothing(owner, monkeypatch, caplog):
    # given: a create that saves, then fails while the answer is being built
    real_create = services.contact_create

    def create_then_fail(**kwargs):
        real_create(**kwargs)
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "contact_create", create_then_fail)

    response = api_as(owner).post("/contacts", {"first_name": "Ірина"})

    assert response.status_code == 500
    error_fields(response)
    assert "boom" not in response.content.decode()
    assert "boom" in caplog.text
    assert not Contact.objects.exists()


def test_messages_are_readable_utf8(owner):
    response = api_as(owner).get("/contacts", {"tag": "Київ"}, **{"Accept-Language": "en"})

    assert response.status_code == 400
    assert "Київ" in response.content.decode("utf-8")
