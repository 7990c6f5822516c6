"""Logging a call from a contact's page and ticking off tasks on My day, in a real browser.

Selectors use addresses, names and ids rather than words, so the test holds in every language.
"""

from typing import Any

import pytest

from activities.support import days_from_today, make_task
from browser.conftest import browser_page, chromium  # noqa: F401
from clientela.accounts.models import User
from clientela.activities.models import Activity, Task
from clientela.contacts.models import Contact
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_log_a_call_in_the_dialog_over_the_contact_page(
    live_server: Any,
    browser_page: Any,  # noqa: F811
    owner: User,
    contact: Contact,
):
    page = browser_page
    base = live_server.url
    _log_in(page, base, owner)
    page.goto(f"{base}/contacts/{contact.pk}/")

    # The action opens the form over the page, not a page of its own.
    page.click(f'a[href="/activities/call/new/?contact={contact.pk}"]')
    dialog = page.locator("dialog#activity-dialog")
    dialog.wait_for(state="visible")
    assert page.url == f"{base}/contacts/{contact.pk}/"

    # A mistake is shown in the dialog, next to its input.
    dialog.locator("#id_duration").fill("-3")
    dialog.locator("button[type=submit].primary").click()
    dialog.locator("#id_duration_error").wait_for()
    assert not Activity.objects.exists()

    # Corrected, the call is saved and the contact's page comes back.
    dialog.locator("#id_duration").fill("4")
    dialog.locator("#id_mood_3").check()
    dialog.locator("#id_draining_1").check()
    dialog.locator("#id_follow_up_title").fill("Надіслати пропозицію")
    dialog.locator("#id_follow_up_date").fill(days_from_today(2).isoformat())
    dialog.locator("button[type=submit].primary").click()
    page.wait_for_selector(".message.success")
    assert page.url == f"{base}/contacts/{contact.pk}/"
    call = Activity.objects.get()
    assert call.duration is not None
    assert call.duration.total_seconds() == 240
    assert call.mood == 4
    assert call.draining == 2
    assert Task.objects.get().contact == contact


def test_done_on_my_day_moves_the_task_without_a_reload(
    live_server: Any,
    browser_page: Any,  # noqa: F811
    owner: User,
):
    page = browser_page
    base = live_server.url
    late = make_task(owner, title="Прострочене", due_date=days_from_today(-2))
    make_task(owner, title="Інше")
    _log_in(page, base, owner)
    page.goto(f"{base}/my-day/")
    page.evaluate("window.notReloaded = true")

    page.click(f"#task-{late.pk} button.done-button")
    page.wait_for_selector(f"#done-today #task-{late.pk}")
    assert page.evaluate("window.notReloaded") is True
    assert page.locator(f"#task-{late.pk}").count() == 1
    late.refresh_from_db()
    assert late.done_at is not None
