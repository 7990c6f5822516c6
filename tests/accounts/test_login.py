"""Logging in and out at Django's standard addresses, and the lockout after repeated failures."""

from django.test import Client

from conftest import PASSWORD


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_with_the_right_password_opens_the_dashboard(owner):
    client = Client()

    response = _login(client, "owner", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_shows_the_form_again(owner):
    response = _login(Client(), "owner", "wrong")

    assert response.status_code == 200
    assert response.context["form"].errors


def test_pages_ask_for_login_first(db):
    response = Client().get("/contacts/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/contacts/")


def test_logout_ends_the_session(owner):
    client = Client()
    _login(client, "owner", PASSWORD)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert client.get("/contacts/").status_code == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(owner, settings):
    settings.LANGUAGE_CODE = "en"
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "owner", "wrong")

    response = _login(client, "owner", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert client.get("/").status_code == 302  # not logged in


def test_failures_for_one_user_do_not_lock_another(owner, teammate, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "owner", "wrong")

    assert _login(client, "teammate", PASSWORD).status_code == 302
