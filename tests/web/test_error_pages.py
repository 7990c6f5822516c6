"""Error pages are Clientela's own, in the reader's language, with a way back."""

from conftest import client_for, make_contact


def test_not_found_page_is_translated_and_leads_back(owner, outsider, settings):
    contact = make_contact(owner)
    client = client_for(outsider)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"

    response = client.get(f"/contacts/{contact.pk}/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Не знайдено" in page
    assert 'href="/"' in page


def test_forbidden_page_is_translated(viewer, settings):
    client = client_for(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    response = client.get("/contacts/new/")

    assert response.status_code == 403
    assert "Не разрешено" in response.content.decode()
