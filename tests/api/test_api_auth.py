"""Who may call the API: personal tokens, the browser session with CSRF, and nobody else."""

import datetime

import pytest
from api_support import ApiClient, api_as, error_fields, session_api
from django.test import Client
from django.utils import timezone

from clientela.accounts.models import ApiToken
from clientela.accounts.services import api_token_create, api_token_revoke
from clientela.contacts.models import Contact
from clientela.core.models import AuditEvent


def test_valid_token_reads_and_records_last_use(owner, contact):
    token, raw = api_token_create(user=owner, name="crm sync")

    response = ApiClient(raw).get(f"/contacts/{contact.pk}")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_writes_need_no_csrf_and_are_audited_as_api(owner):
    _token, raw = api_token_create(user=owner, name="crm sync")
    client = ApiClient(raw, client=Client(enforce_csrf_checks=True))

    response = client.post("/contacts", {"first_name": "Ірина"})

    assert response.status_code == 201
    event = AuditEvent.objects.get(object_id=response.json()["id"], action="create")
    assert (event.channel, event.actor) == ("api", owner)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer clt_not-a-real-token",
        "Bearer not-even-our-prefix",
        "Bearer ",
        "Token clt_whatever",
        "Basic b3duZXI6cGFzc3dvcmQ=",
    ],
)
def test_wrong_token_is_401_in_one_shape(owner, contact, header):
    response = ApiClient().get(f"/contacts/{contact.pk}", Authorization=header)

    assert response.status_code == 401
    assert error_fields(response) == {}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(owner, contact):
    token, raw = api_token_create(user=owner, name="old")
    api_token_revoke(token=token, actor=owner)

    assert ApiClient(raw).get(f"/contacts/{contact.pk}").status_code == 401


def test_token_of_deactivated_user_is_401(owner, contact):
    _token, raw = api_token_create(user=owner, name="old")
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    assert ApiClient(raw).get("/contacts").status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/contacts"),
        ("get", "/contacts/1"),
        ("post", "/contacts"),
        ("patch", "/contacts/1"),
        ("delete", "/contacts/1"),
        ("post", "/contacts/1/restore"),
        ("post", "/contacts/bulk/tag"),
        ("post", "/contacts/bulk/reassign"),
        ("get", "/companies"),
        ("post", "/companies"),
        ("get", "/tags"),
        ("get", "/search?q=olena"),
        ("get", "/tokens"),
        ("post", "/tokens"),
        ("delete", "/tokens/1"),
    ],
)
def test_nobody_gets_401_everywhere(db, method, path):
    client = ApiClient(client=Client(enforce_csrf_checks=True))
    response = getattr(client, method)(path)

    assert response.status_code == 401
    error_fields(response)


def test_wrong_token_does_not_fall_back_to_the_session(owner, contact):
    client = session_api(owner)

    response = client.get(f"/contacts/{contact.pk}", Authorization="Bearer clt_wrong")

    assert response.status_code == 401


# --- the browser session -----------------------------------------------------------------------


def test_session_reads_without_csrf(owner, contact):
    response = session_api(owner, enforce_csrf=True).get(f"/contacts/{contact.pk}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/contacts", {"first_name": "Ірина"}),
        ("patch", "/contacts/{pk}", {"first_name": "Ірина"}),
        ("delete", "/contacts/{pk}", None),
        ("post", "/contacts/bulk/tag", {"ids": ["{pk}"], "add": ["x"]}),
        ("post", "/tokens", {"name": "script"}),
    ],
)
def test_session_write_without_csrf_token_is_403_and_saves_nothing(
    owner, contact, method, path, body
):
    # given
    client = session_api(owner, enforce_csrf=True)
    if body and body.get("ids"):
        body = {**body, "ids": [contact.pk]}
    before = (Contact.objects.count(), ApiToken.objects.count(), AuditEvent.objects.count())
    # when
    send = getattr(client, method)
    response = (
        send(path.format(pk=contact.pk), body)
        if body is not None
        else send(path.format(pk=contact.pk))
    )
    # then
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    contact.refresh_from_db()
    assert contact.first_name == "Олена"
    assert contact.deleted_at is None
    assert (Contact.objects.count(), ApiToken.objects.count(), AuditEvent.objects.count()) == before


def test_session_write_with_csrf_token_works_and_is_audited_as_api(owner):
    # given: the CSRF cookie a page sets, sent back in the header as the page's script does
    client = session_api(owner, enforce_csrf=True)
    csrf = "k" * 32
    client.client.cookies["csrftoken"] = csrf
    # when
    response = client.post("/contacts", {"first_name": "Ірина"}, **{"X-CSRFToken": csrf})
    # then
    assert response.status_code == 201, response.json()
    assert AuditEvent.objects.get(object_id=response.json()["id"], action="create").channel == "api"


def test_logged_out_session_is_401(owner):
    client = session_api(owner)
    client.client.logout()

    assert client.get("/contacts").status_code == 401


# --- the caller's tokens -----------------------------------------------------------------------


def test_create_token_shows_secret_once_and_it_works(owner):
    api = session_api(owner)

    response = api.post("/tokens", {"name": "  Website form  "})

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Website form"
    assert body["token"].startswith("clt_")
    assert body["prefix"] == body["token"][:12]
    listed = api.get("/tokens").json()
    assert [t["id"] for t in listed] == [body["id"]]
    assert "token" not in listed[0]
    assert body["token"] not in api.get("/tokens").content.decode()
    assert ApiClient(body["token"]).get("/contacts").status_code == 200


def test_token_list_shows_only_own_tokens(owner, admin):
    api_token_create(user=admin, name="admin's")
    mine, _raw = api_token_create(user=owner, name="mine")

    response = session_api(owner).get("/tokens")

    assert [t["id"] for t in response.json()] == [mine.pk]


def test_token_without_name_names_the_field(owner):
    response = session_api(owner).post("/tokens", {"name": "   "})

    assert response.status_code == 422
    assert "name" in error_fields(response)
    assert not ApiToken.objects.exists()


def test_revoke_own_token_stops_it(owner):
    token, raw = api_token_create(user=owner, name="old")
    api = session_api(owner)

    assert api.delete(f"/tokens/{token.pk}").status_code == 204

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(raw).get("/contacts").status_code == 401
    assert api.get("/tokens").json()[0]["revoked_at"] is not None


def test_a_token_can_revoke_itself(owner):
    token, raw = api_token_create(user=owner, name="self")

    assert ApiClient(raw).delete(f"/tokens/{token.pk}").status_code == 204
    assert ApiClient(raw).get("/tokens").status_code == 401


@pytest.mark.parametrize("persona", ["teammate", "admin"])
def test_nobody_revokes_another_users_token(owner, persona, request):
    token, _raw = api_token_create(user=owner, name="mine")

    response = api_as(request.getfixturevalue(persona)).delete(f"/tokens/{token.pk}")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_last_use_is_written_at_most_once_a_minute(owner, django_assert_num_queries):
    token, raw = api_token_create(user=owner, name="busy")
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(seconds=5)
    )
    client = ApiClient(raw)

    with django_assert_num_queries(2):  # the token with its user, the tags
        assert client.get("/tags").status_code == 200
