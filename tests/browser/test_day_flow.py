"""A manager's day in a real browser, end to end: a new deal for a client, dragged across the
board to won with its purchase, the follow-up task waiting on My day, a call logged from the
client's page, and all of it on the client's timeline.

Selectors use ids and addresses rather than words, so the test holds in every language.
"""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from clientela.accounts.models import User
from clientela.activities.models import Activity, ActivityKind, Task, TaskOrigin
from clientela.sales.models import Deal, Purchase
from clientela.sales.services import lost_reason_create, pipeline_create, stage_create
from conftest import PASSWORD, make_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_deal_won_on_the_board_leads_to_a_follow_up_and_a_call_on_the_timeline(
    live_server: Any, browser_page: Any, owner: User, admin: User, screenshot: Any
):
    page = browser_page
    base = live_server.url
    pipeline = pipeline_create(actor=admin, name="Продажі")
    first = stage_create(actor=admin, pipeline=pipeline, name="Новий", probability=10)
    stage_create(actor=admin, pipeline=pipeline, name="Пропозиція", probability=50)
    won = stage_create(actor=admin, pipeline=pipeline, name="Виграно", kind="won")
    stage_create(actor=admin, pipeline=pipeline, name="Програно", kind="lost")
    lost_reason_create(actor=admin, name="Дорого")
    client = make_contact(owner, first_name="Олена", last_name="Шевченко")
    _log_in(page, base, owner)

    # 1. a new deal, started from the client's page
    page.goto(f"{base}/contacts/{client.pk}/")
    page.click(f'a[href="/deals/new/?contact={client.pk}"]')
    page.fill("#id_title", "Кавоварка для офісу")
    page.fill("#id_value", "18000")
    page.click("form.deal-form button[type=submit].primary")
    page.wait_for_url(f"{base}/deals/*/")
    deal = Deal.objects.get(title="Кавоварка для офісу")
    assert (deal.contact_id, deal.stage_id) == (client.pk, first.pk)

    # 2. dragged across the board to won; the purchase is asked for and recorded
    page.goto(f"{base}/deals/")
    page.drag_and_drop(f"#deal-{deal.pk}", f"#column-{won.pk}")
    page.wait_for_selector("#move-dialog[open] #id_amount")
    page.fill("#id_description", "Кавоварка і 5 кг кави")
    page.click("#move-dialog button.primary")
    page.wait_for_selector(f"#column-{won.pk} #deal-{deal.pk}:not(.pending)")
    purchase = Purchase.objects.get(deal=deal)
    assert (purchase.contact_id, str(purchase.amount)) == (client.pk, "18000.00")

    # 3. the follow-up task waits on My day, a week ahead
    follow_up = Task.objects.get(origin=TaskOrigin.FOLLOW_UP, deal=deal)
    assert follow_up.owner == owner
    assert follow_up.due_date == timezone.localdate() + datetime.timedelta(days=7)
    page.goto(f"{base}/my-day/")
    page.wait_for_selector(f"#task-{follow_up.pk}")
    assert page.locator(f'#task-{follow_up.pk} a[href="/deals/{deal.pk}/"]').count() == 1
    screenshot(page, "my-day.png")

    # 4. a call logged from the client's page, in the dialog
    page.goto(f"{base}/contacts/{client.pk}/")
    page.click(f'a[href="/activities/call/new/?contact={client.pk}"]')
    dialog = page.locator("dialog#activity-dialog")
    dialog.wait_for(state="visible")
    dialog.locator("#id_duration").fill("12")
    dialog.locator("#id_mood_4").check()  # pleased
    dialog.locator("#id_draining_1").check()  # light
    dialog.locator("#id_body").fill("Подякувала за швидку доставку")
    dialog.locator("button[type=submit].primary").click()
    page.wait_for_selector(".message.success")
    call = Activity.objects.get(kind=ActivityKind.CALL)
    assert (call.contact_id, call.user_id, call.draining) == (client.pk, owner.pk, 2)

    # 5. the client's timeline tells the story: the call, the purchase, the win, the follow-up
    timeline = page.locator("#timeline")
    timeline.wait_for()
    assert timeline.locator(".tl-call").count() == 1
    assert "Подякувала за швидку доставку" in timeline.locator(".tl-call").inner_text()
    assert timeline.locator(".tl-purchase").count() == 1
    assert "Кавоварка і 5 кг кави" in timeline.locator(".tl-purchase").inner_text()
    assert timeline.locator(".tl-stage").count() == 1
    # and the follow-up, with the task's own title
    assert follow_up.title in timeline.locator(".tl-task").inner_text()
    screenshot(page, "contact-timeline.png")
