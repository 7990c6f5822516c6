"""The deals board in a real browser: drag a card, win a deal with its purchase, move by keyboard.

Selectors use ids and addresses rather than words, so the test holds in every language.
"""

from typing import Any

import pytest

from clientela.accounts.models import User
from clientela.sales.models import Deal, Purchase, Stage
from clientela.sales.selectors import BOARD_CARDS
from clientela.sales.services import (
    deal_create,
    deal_move_stage,
    lost_reason_create,
    pipeline_create,
    stage_create,
)
from conftest import PASSWORD, make_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pipeline(admin: User) -> dict[str, Stage]:
    pipeline = pipeline_create(actor=admin, name="Продажі")
    lost_reason_create(actor=admin, name="Дорого")
    return {
        "new": stage_create(actor=admin, pipeline=pipeline, name="Новий", probability=10),
        "offer": stage_create(actor=admin, pipeline=pipeline, name="Пропозиція", probability=50),
        "won": stage_create(actor=admin, pipeline=pipeline, name="Виграно", kind="won"),
        "lost": stage_create(actor=admin, pipeline=pipeline, name="Програно", kind="lost"),
    }


def _deal(owner: User, title: str, value: str = "1500") -> Deal:
    contact = make_contact(owner, first_name=title.split()[0])
    return deal_create(actor=owner, data={"contact": contact.pk, "title": title, "value": value})


def _log_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def _settled(page: Any, deal: Deal, stage: Stage) -> None:
    """Wait until the server's board shows `deal` in `stage` (not the card moved in advance)."""
    page.wait_for_selector(f"#column-{stage.pk} #deal-{deal.pk}:not(.pending)")


def test_drag_a_card_to_another_column_and_it_stays_there(
    live_server: Any, browser_page: Any, owner: User, admin: User, screenshot: Any
):
    page = browser_page
    base = live_server.url
    stages = _pipeline(admin)
    deal = _deal(owner, "Олена кава", value="1200")
    _deal(owner, "Андрій чай", value="300")
    _log_in(page, base, owner)
    page.goto(f"{base}/deals/")
    screenshot(page, "deals-board.png")

    page.drag_and_drop(f"#deal-{deal.pk}", f"#column-{stages['offer'].pk}")
    _settled(page, deal, stages["offer"])

    deal.refresh_from_db()
    assert deal.stage == stages["offer"]
    # both column heads follow: one deal left in "new", one arrived in "offer" with its sum
    assert page.get_attribute(f"#column-{stages['new'].pk} .column-count", "data-count") == "1"
    assert page.get_attribute(f"#column-{stages['offer'].pk} .column-count", "data-count") == "1"
    assert "1,200.00 UAH" in page.inner_text(f"#column-{stages['offer'].pk} .column-totals")
    page.reload()
    assert page.locator(f"#column-{stages['offer'].pk} #deal-{deal.pk}").count() == 1


def test_drag_to_won_asks_for_the_purchase_and_records_it(
    live_server: Any, browser_page: Any, owner: User, admin: User, screenshot: Any
):
    page = browser_page
    base = live_server.url
    stages = _pipeline(admin)
    deal = _deal(owner, "Олена кава", value="1500")
    lost = _deal(owner, "Андрій чай")
    _log_in(page, base, owner)
    page.goto(f"{base}/deals/")

    # a lost column asks why; cancelling leaves the deal where it was
    page.drag_and_drop(f"#deal-{lost.pk}", f"#column-{stages['lost'].pk}")
    page.wait_for_selector("#move-dialog[open] #id_lost_reason")
    page.click("#move-dialog [data-cancel]")
    page.wait_for_selector("#move-dialog:not([open])", state="attached")
    assert page.locator(f"#column-{stages['new'].pk} #deal-{lost.pk}").count() == 1
    lost.refresh_from_db()
    assert lost.stage == stages["new"]

    # the won column asks what was bought, with the deal's value and title filled in
    page.drag_and_drop(f"#deal-{deal.pk}", f"#column-{stages['won'].pk}")
    page.wait_for_selector("#move-dialog[open] #id_amount")
    assert page.input_value("#id_amount") == "1500.00"
    assert page.input_value("#id_description") == "Олена кава"
    screenshot(page, "deal-won-dialog.png")
    page.fill("#id_amount", "-1")
    page.click("#move-dialog button.primary")
    page.wait_for_selector("#move-dialog[open] .field.invalid #id_amount")
    page.fill("#id_amount", "1234.50")
    page.fill("#id_description", "Кава, 10 кг")
    page.click("#move-dialog button.primary")
    _settled(page, deal, stages["won"])
    page.wait_for_selector("#move-dialog:not([open])", state="attached")

    purchase = Purchase.objects.get(deal=deal)
    assert (str(purchase.amount), purchase.description) == ("1234.50", "Кава, 10 кг")
    page.goto(f"{base}/deals/{deal.pk}/")
    assert "1,234.50 UAH" in page.inner_text(".deal-purchases")


def test_move_a_card_by_keyboard_only(
    live_server: Any, browser_page: Any, owner: User, admin: User
):
    page = browser_page
    base = live_server.url
    stages = _pipeline(admin)
    deal = _deal(owner, "Олена кава")
    _log_in(page, base, owner)
    page.goto(f"{base}/deals/")

    page.focus(f"#deal-{deal.pk} a.deal-title")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"move-{deal.pk}"
    page.keyboard.press("ArrowDown")  # the next stage: "offer"
    page.keyboard.press("Enter")
    _settled(page, deal, stages["offer"])

    # the keyboard stays on the moved card
    assert page.evaluate("document.activeElement.id") == f"move-{deal.pk}"
    page.reload()
    assert page.locator(f"#column-{stages['offer'].pk} #deal-{deal.pk}").count() == 1
    deal.refresh_from_db()
    assert deal.stage == stages["offer"]


def test_a_card_someone_else_moved_shows_where_it_really_is(
    live_server: Any, browser_page: Any, owner: User, admin: User
):
    page = browser_page
    base = live_server.url
    stages = _pipeline(admin)
    deal = _deal(owner, "Олена кава")
    _log_in(page, base, owner)
    page.goto(f"{base}/deals/")
    deal_move_stage(deal=deal, stage=stages["won"], actor=admin)  # meanwhile, elsewhere

    page.drag_and_drop(f"#deal-{deal.pk}", f"#column-{stages['offer'].pk}")

    _settled(page, deal, stages["won"])
    assert page.locator("#board-messages .message.error").count() == 1
    deal.refresh_from_db()
    assert deal.stage == stages["won"]


def test_more_shows_the_rest_of_a_column_in_place(
    live_server: Any, browser_page: Any, owner: User, admin: User
):
    page = browser_page
    base = live_server.url
    stages = _pipeline(admin)
    contact = make_contact(owner)
    deals = [
        deal_create(actor=owner, data={"contact": contact.pk, "title": f"Угода {i:02d}"})
        for i in range(BOARD_CARDS + 2)
    ]
    _log_in(page, base, owner)
    page.goto(f"{base}/deals/")
    column = f"#column-{stages['new'].pk}"
    assert page.locator(f"{column} .deal-card").count() == BOARD_CARDS

    page.click(f"{column} li.more a")

    page.wait_for_selector(f"{column} #deal-{deals[0].pk}")
    assert page.url == f"{base}/deals/"  # no page load
    assert page.locator(f"{column} .deal-card").count() == BOARD_CARDS + 2
    assert page.locator(f"{column} li.more").count() == 0
    # a card that came with "more" moves like the others
    page.drag_and_drop(f"#deal-{deals[0].pk}", f"#column-{stages['offer'].pk}")
    _settled(page, deals[0], stages["offer"])
