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


def _login_from(username: str, password: str, forwarded: str = ""):  # type: ignore[no-untyped-def]
    headers = {"REMOTE_ADDR": "10.0.0.1"}  # the proxy
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**headers).post("/accounts/login/", {"username": username, "password": password})


def test_behind_a_proxy_the_lockout_counts_per_client_address(owner, settings):
    settings.CLIENTELA_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_from("owner", "wrong", forwarded="203.0.113.7")

    # The guesser is locked out; the user at another address is not.
    assert _login_from("owner", PASSWORD, forwarded="203.0.113.7").status_code == 429
    assert _login_from("owner", PASSWORD, forwarded="198.51.100.2").status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lockout(owner, settings):
    settings.CLIENTELA_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client writes a new address each time; the proxy appends the real one.
        _login_from("owner", "wrong", forwarded=f"192.0.2.{n}, 203.0.113.7")

    assert _login_from("owner", PASSWORD, forwarded="203.0.113.7").status_code == 429


def test_without_a_proxy_setting_the_forwarded_header_is_ignored(owner, settings):
    settings.CLIENTELA_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login_from("owner", "wrong", forwarded=f"192.0.2.{n}")

    assert _login_from("owner", PASSWORD, forwarded="192.0.2.99").status_code == 429
