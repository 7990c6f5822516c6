"""The search page and its live results; account settings, API tokens and the page language."""

import re

from clientela.accounts.models import ApiToken
from clientela.accounts.services import api_token_authenticate, api_token_create
from conftest import client_for, make_company, make_contact

# --- search --------------------------------------------------------------------------------------


def test_search_finds_contacts_and_companies_in_any_script(owner, contact, company):
    client = client_for(owner)
    html = client.get("/search/", {"q": "Shevchenko"}).content.decode()
    assert f'href="/contacts/{contact.pk}/"' in html
    html = client.get("/search/", {"q": "romashka"}).content.decode()
    assert f'href="/companies/{company.pk}/"' in html
    html = client.get("/search/", {"q": "(067)123-4567"}).content.decode()
    assert f'href="/contacts/{contact.pk}/"' in html


def test_search_keeps_the_query_in_the_box(owner, contact):
    html = client_for(owner).get("/search/", {"q": "Олена"}).content.decode()
    assert 'name="q" value="Олена"' in html


def test_search_too_short_and_nothing_found(owner, contact):
    client = client_for(owner)
    assert "at least 2 characters" in client.get("/search/", {"q": "o"}).content.decode()
    assert "Nothing found for “Zzyzx”." in client.get("/search/", {"q": "Zzyzx"}).content.decode()


def test_live_results_are_a_fragment(owner, contact):
    response = client_for(owner).get("/search/", {"q": "olena"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert f'href="/contacts/{contact.pk}/"' in html
    assert 'href="/search/?q=olena"' in html


def test_live_results_are_empty_for_a_short_query(owner, contact):
    response = client_for(owner).get("/search/", {"q": "o"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().strip() == ""


def test_search_box_is_wired_for_live_results(owner):
    html = client_for(owner).get("/contacts/").content.decode()
    assert 'hx-get="/search/"' in html
    assert 'hx-target="#live-results"' in html


def test_search_respects_visibility(outsider, lead, contact):
    make_company(outsider, name="ТОВ Ромашка Львів")
    assert (
        f"/contacts/{contact.pk}/"
        in client_for(lead).get("/search/", {"q": "olena"}).content.decode()
    )
    html = client_for(outsider).get("/search/", {"q": "olena"}).content.decode()
    assert f"/contacts/{contact.pk}/" not in html


# --- settings ------------------------------------------------------------------------------------


def test_preferences_are_saved_and_change_the_page_language(owner):
    client = client_for(owner)
    response = client.post("/settings/", {"language": "uk", "time_zone": "Europe/Warsaw"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.language == "uk"
    assert owner.time_zone == "Europe/Warsaw"
    assert response.cookies["django_language"].value == "uk"
    html = client.get("/settings/").content.decode()
    assert '<html lang="uk">' in html
    assert re.search(r'<option value="Europe/Warsaw" selected>', html)


def test_bad_preferences_are_refused(owner):
    response = client_for(owner).post("/settings/", {"language": "xx", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_language_error"' in html
    assert 'id="id_time_zone_error"' in html
    owner.refresh_from_db()
    assert owner.language == ""


def test_language_switcher_changes_the_page_language(owner):
    client = client_for(owner)
    assert '<html lang="en">' in client.get("/contacts/").content.decode()
    response = client.post("/language/", {"language": "ru", "next": "/contacts/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "ru"
    assert '<html lang="ru">' in client.get("/contacts/").content.decode()
    client.post("/language/", {"language": "uk", "next": "/contacts/"})
    assert '<html lang="uk">' in client.get("/contacts/").content.decode()


def test_language_switcher_works_before_login(db):
    from django.test import Client

    client = Client()
    client.post("/language/", {"language": "ru", "next": "/accounts/login/"})
    assert '<html lang="ru">' in client.get("/accounts/login/").content.decode()


def test_token_secret_is_shown_once_and_works(owner):
    client = client_for(owner)
    response = client.post("/settings/tokens/", {"name": "Бухгалтерія"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'<code class="token-secret">([^<]+)</code>', html).group(1)
    assert api_token_authenticate(secret) == owner
    again = client.get("/settings/").content.decode()
    assert "Бухгалтерія" in again
    assert secret not in again


def test_token_needs_a_name(owner):
    response = client_for(owner).post("/settings/tokens/", {"name": "  "})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_revoke(owner):
    token, secret = api_token_create(user=owner, name="CI")
    client = client_for(owner)
    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert api_token_authenticate(secret) is None
    assert "revoked" in client.get("/settings/").content.decode()


def test_nobody_else_can_see_or_revoke_my_token(owner, admin, outsider):
    token, secret = api_token_create(user=owner, name="Мій")
    assert "Мій" not in client_for(outsider).get("/settings/").content.decode()
    assert client_for(outsider).post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert client_for(admin).post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert api_token_authenticate(secret) == owner


def test_token_revoke_is_post_only(owner):
    token, _secret = api_token_create(user=owner, name="CI")
    assert client_for(owner).get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405


def test_user_time_zone_is_used_for_dates(owner):
    contact = make_contact(owner)
    client = client_for(owner)
    client.post("/settings/", {"language": "en", "time_zone": "America/New_York"})
    html = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert re.search(r'datetime="[^"]+-0[45]:00"', html)
