"""A person's path through Clientela in a real browser.

Log in, switch the language, create a contact with a phone typed the local way, find it by the
Latin spelling of its Cyrillic name, edit it, and read its history. Selectors use addresses, names
and ids rather than words, so the test holds in every interface language.
"""

import re
from typing import Any

import pytest

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from conftest import PASSWORD, make_company, make_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sample_book(owner: User) -> None:
    """A few more records, so the list has something to show."""
    firm = make_company(owner, name="ТОВ Ромашка", industry="Агро", phones=["044 123 45 67"])
    people = [
        ("Андрій", "Іванович", "Коваленко", "customer", "050 111 22 33"),
        ("Marta", "", "Nowak", "prospect", "+48 601 234 567"),
        ("Ірина", "Олегівна", "Бондаренко", "lead", "067 765 43 21"),
        ("Сергей", "Петрович", "Смирнов", "customer", "093 222 33 44"),
    ]
    for first, middle, last, stage, phone in people:
        make_contact(
            owner,
            first_name=first,
            middle_name=middle,
            last_name=last,
            lifecycle=stage,
            phones=[phone],
            company=firm.pk,
        )


def test_create_find_edit_and_read_history(
    live_server: Any, browser_page: Any, owner: User, screenshot: Any
):
    page = browser_page
    base = live_server.url
    _sample_book(owner)

    # log in
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", owner.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")

    # switch the language to Ukrainian, and it sticks to the user
    page.click("form.langswitch button[value=uk]")
    page.wait_for_selector("html[lang=uk]")
    owner.refresh_from_db()
    assert owner.language == "uk"

    # create a contact with a local phone number
    page.goto(f"{base}/contacts/new/")
    page.fill("#id_last_name", "Шевченко")
    page.fill("#id_first_name", "Олена")
    page.fill("#id_phones", "067 123 45 67")
    page.click("form.record-form button.primary")
    page.wait_for_url(re.compile(r".*/contacts/\d+/$"))
    contact = Contact.objects.get(last_name="Шевченко")
    assert page.inner_text("h1") == "Шевченко Олена"
    assert page.locator('a[href="tel:+380671234567"]').count() == 1
    assert contact.primary_phone == "+380671234567"

    # find it by the Latin spelling: live results under the box, then the full page
    page.fill("form.search input[name=q]", "Shevchenko")
    page.wait_for_selector(f'#live-results a[href="/contacts/{contact.pk}/"]')
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=Shevchenko$"))
    page.click(f'main a[href="/contacts/{contact.pk}/"]')
    page.wait_for_url(f"{base}/contacts/{contact.pk}/")

    # edit it
    page.click(f'a[href="/contacts/{contact.pk}/edit/"]')
    page.fill("#id_middle_name", "Петрівна")
    page.fill("#id_emails", "olena@example.com")
    page.click("form.record-form button.primary")
    page.wait_for_url(f"{base}/contacts/{contact.pk}/")
    assert page.inner_text("h1") == "Шевченко Олена Петрівна"
    assert page.locator('a[href="mailto:olena@example.com"]').count() == 1
    screenshot(page, "contact-detail.png")

    # read its history: the edit, through the web, old -> new
    page.click(f'a[href="/contacts/{contact.pk}/history/"]')
    page.wait_for_url(f"{base}/contacts/{contact.pk}/history/")
    events = page.locator("ol.history > li")
    assert events.count() == 2
    latest = events.nth(0)
    assert "Петрівна" in latest.locator("ins").all_inner_texts()
    assert "olena@example.com" in latest.locator("ins").all_inner_texts()
    assert str(owner) in latest.inner_text()

    # the list, for the documentation
    page.goto(f"{base}/contacts/")
    assert page.locator(f'a[href="/contacts/{contact.pk}/"]').count() == 1
    screenshot(page, "contacts-list.png")
