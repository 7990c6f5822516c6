"""The workload pages, the dashboard block and the handover pages, through the test client."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.support import make_call, make_task
from clientela.accounts.models import Role, Team, User
from clientela.accounts.zones import user_today
from clientela.activities.models import Activity, Task
from clientela.contacts.models import Contact
from clientela.core.audit import audit_history
from clientela.insights import views
from clientela.insights.workload import next_working_day
from conftest import UserFactory, client_for, make_company, make_contact
from sales.conftest import Stages
from sales.support import make_deal

NOTE = "Дзвонити після обіду."


def heavy_day(user: User, client: Contact) -> None:
    """Two and a half hours of talk today."""
    for _ in range(3):
        make_call(user, client, started_at=timezone.now(), duration=50 * 60, draining=2)


# --- my load -------------------------------------------------------------------------------------


def test_my_load_shows_today_and_the_last_days(owner, contact):
    make_call(owner, contact, started_at=timezone.now(), duration=600, draining=5)

    page = client_for(owner).get("/workload/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "My load today" in text
    assert "10 min" in text
    assert "The last 7 days" in text
    assert text.split("The last 7 days")[1].count("<tr") == 8  # the head and seven days
    assert "A heavy day." not in text
    assert "/workload/team/" not in text  # a manager has no team view


def test_a_heavy_day_warns_and_offers_the_tasks_that_could_wait(owner, contact, company):
    heavy_day(owner, contact)
    today = user_today(owner)
    movable = make_task(owner, contact=contact, due_date=today, title="Надіслати каталог")
    make_task(owner, contact=contact, due_date=today, urgent=True, title="Терміново")
    make_task(owner, due_date=today, title="Без клієнта")

    text = client_for(owner).get("/workload/").content.decode()

    assert "A heavy day." in text
    assert "2 h 30 min of talk today, more than 2 h" in text
    assert "Non-urgent calls you could move" in text
    assert "Надіслати каталог" in text
    assert f"/workload/tasks/{movable.pk}/move/" in text
    assert "Терміново" not in text
    assert "Без клієнта" not in text
    assert "Move all to tomorrow" in text


def test_move_to_tomorrow_skips_the_weekend(owner, contact):
    task = make_task(owner, contact=contact, due_date=user_today(owner))

    response = client_for(owner).post(f"/workload/tasks/{task.pk}/move/")

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due_date == next_working_day(user_today(owner))
    assert task.due_date.weekday() < 5
    assert audit_history(task).first().changes["due_date"][1] == task.due_date.isoformat()


def test_only_a_task_that_could_wait_can_be_moved(owner, teammate, contact):
    today = user_today(owner)
    urgent = make_task(owner, contact=contact, due_date=today, urgent=True)
    alone = make_task(owner, due_date=today)
    theirs = make_task(teammate, contact=make_contact(teammate), due_date=today)
    client = client_for(owner)
    for task in (urgent, alone, theirs):
        assert client.post(f"/workload/tasks/{task.pk}/move/").status_code == 404
        task.refresh_from_db()
        assert task.due_date == today
    assert client.get(f"/workload/tasks/{urgent.pk}/move/").status_code == 405


def test_move_all_moves_the_tasks_shown(owner, contact, company):
    today = user_today(owner)
    first = make_task(owner, contact=contact, due_date=today)
    second = make_task(owner, company=company, due_date=today)
    urgent = make_task(owner, contact=contact, due_date=today, urgent=True)

    response = client_for(owner).post(
        "/workload/tasks/move/", {"task": [first.pk, second.pk, urgent.pk]}, follow=True
    )

    assert "2 tasks moved to" in response.content.decode()
    due = dict(Task.objects.values_list("pk", "due_date"))
    tomorrow = next_working_day(today)
    assert (due[first.pk], due[second.pk], due[urgent.pk]) == (tomorrow, tomorrow, today)


def test_viewers_have_no_load(viewer):
    client = client_for(viewer)
    assert client.get("/workload/").status_code == 403
    assert client.get("/workload/team/").status_code == 403
    assert "Today's load" not in client.get("/").content.decode()


def test_the_workload_needs_a_login(db):
    from django.test import Client

    assert Client().get("/workload/").status_code == 302


# --- the dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_todays_load_and_the_warning(owner, contact):
    page = client_for(owner).get("/")
    text = page.content.decode()
    assert "Today's load" in text
    assert 'href="/workload/"' in text
    assert "A heavy day." not in text

    heavy_day(owner, contact)
    text = client_for(owner).get("/").content.decode()
    assert "A heavy day." in text
    assert "2 h 30 min of talk today" in text


# --- the team's weeks ----------------------------------------------------------------------------


def test_a_manager_cannot_see_the_team_view(owner):
    assert client_for(owner).get("/workload/team/").status_code == 403


def test_a_lead_sees_its_own_team_only(lead, owner, teammate, outsider, team_b, contact):
    make_call(owner, contact, draining=5)

    client = client_for(lead)
    page = client.get("/workload/team/")

    assert page.status_code == 200
    text = page.content.decode()
    assert str(owner) in text
    assert str(teammate) in text
    assert str(outsider) not in text
    assert client.get(f"/workload/team/?team={team_b.pk}").status_code == 404
    assert f'href="/handover/?contact={contact.pk}"' in text
    assert 'href="/handover/"' in text


def test_an_administrator_chooses_the_team(admin, owner, outsider, team_b):
    client = client_for(admin)
    text = client.get(f"/workload/team/?team={team_b.pk}").content.decode()
    assert str(outsider) in text
    assert str(owner) not in text
    assert 'name="team"' in text


@pytest.mark.parametrize(("weeks", "rows"), [("2", 2), ("", 8)])
def test_the_number_of_weeks_can_be_chosen(lead, owner, weeks, rows):
    text = client_for(lead).get("/workload/team/", {"weeks": weeks}).content.decode()
    block = text.split('<tbody class="manager">')[1].split("</tbody>")[0]
    assert len(re.findall(r"Week \d+", block)) == rows


@pytest.mark.parametrize("weeks", ["0", "53", "много"])
def test_a_bad_number_of_weeks_is_refused(lead, weeks):
    response = client_for(lead).get("/workload/team/", {"weeks": weeks})
    assert response.status_code == 400
    assert "Weeks:" in response.content.decode()


def _team(size: int) -> tuple[User, Team]:
    team = Team.objects.create(name=f"Page team {size}")
    lead = UserFactory(username=f"page-lead{size}", role=Role.LEAD, team=team)
    for n in range(size):
        manager = UserFactory(username=f"page{size}-{n}", team=team)
        client = make_contact(manager)
        for _ in range(size):
            make_call(manager, client, draining=4, duration=600)
    return lead, team


def test_the_team_page_costs_the_same_for_2_or_10_managers(db):
    def queries(lead: User) -> int:
        client = client_for(lead)
        client.get("/workload/team/")  # the session and the firm settings are warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/workload/team/").status_code == 200
        return len(captured.captured_queries)

    assert queries(_team(2)[0]) == queries(_team(10)[0])


# --- the handover --------------------------------------------------------------------------------


@pytest.fixture
def petro(team_a: Any) -> User:
    return UserFactory(username="petro", first_name="Petro", last_name="Koval", team=team_a)


@pytest.fixture
def book(owner: User, sales: Stages) -> dict[str, Any]:
    anna = make_contact(owner, first_name="Анна", last_name="Андрієнко")
    borys = make_contact(owner, first_name="Борис", last_name="Бондар")
    firm = make_company(owner, name="ТОВ Фірма")
    return {
        "anna": anna,
        "borys": borys,
        "firm": firm,
        "deal": make_deal(owner, anna),
        "task": make_task(owner, contact=borys),
    }


def owner_of(record: Any) -> str:
    return type(record).all_objects.get(pk=record.pk).owner.username


def preview(client: Any, data: dict[str, Any]) -> Any:
    return client.post("/handover/", {"step": "preview", "note": NOTE, **data})


def confirm_data(page: Any) -> dict[str, Any]:
    """The hidden inputs of the confirmation page, as its form would send them."""
    data: dict[str, Any] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.content.decode()
    ):
        if name == "csrfmiddlewaretoken":
            continue
        data.setdefault(name, []).append(value.replace("&#x27;", "'").replace("&quot;", '"'))
    return {"step": "confirm", **data}


def test_the_handover_end_to_end(lead, owner, teammate, petro, book):
    client = client_for(lead)

    # given: the lead picks the manager and sees the book
    start = client.get("/handover/").content.decode()
    assert f'<option value="{owner.pk}"' in start
    assert f'<option value="{teammate.pk}"' in start
    text = client.get("/handover/", {"from_user": owner.pk}).content.decode()
    assert "2</strong> contacts" in text
    assert "1</strong> company" in text
    assert "1</strong> open deal" in text
    assert "1</strong> open task" in text

    # when: it checks what moves
    page = preview(client, {"from_user": owner.pk, "distribution": "one", "colleagues": [petro.pk]})

    # then: nothing has moved yet
    assert page.status_code == 200
    assert "Nothing has moved yet" in page.content.decode()
    assert owner_of(book["anna"]) == "owner"

    # when: it confirms
    done = client.post("/handover/", confirm_data(page), follow=True)

    # then: everything went to Petro, and the result says so
    assert done.redirect_chain[-1][0] == "/handover/done/"
    result = done.content.decode()
    assert "book is handed over" in result
    assert str(petro) in result
    assert "2 contacts" in result
    assert "1 company" in result
    for key in ("anna", "borys", "firm", "deal", "task"):
        assert owner_of(book[key]) == "petro"
    assert Activity.objects.filter(kind="note", body=NOTE).count() == 3
    assert client.get("/handover/done/").status_code == 302  # the result is shown once


def test_the_handover_client_by_client(lead, owner, teammate, petro, book):
    client = client_for(lead)
    anna, firm = book["anna"], book["firm"]
    page = preview(
        client,
        {
            "from_user": owner.pk,
            "distribution": "per_client",
            "rest_to": petro.pk,
            f"to_contact_{anna.pk}": teammate.pk,
            f"to_company_{firm.pk}": "",
        },
    )
    assert page.status_code == 200
    client.post("/handover/", confirm_data(page))

    assert owner_of(anna) == owner_of(book["deal"]) == "teammate"
    assert owner_of(book["borys"]) == owner_of(firm) == owner_of(book["task"]) == "petro"


def test_spreading_evenly_from_the_page(lead, owner, teammate, petro, book):
    client = client_for(lead)
    page = preview(
        client,
        {"from_user": owner.pk, "distribution": "even", "colleagues": [teammate.pk, petro.pk]},
    )
    client.post("/handover/", confirm_data(page))

    owners = [owner_of(book[k]) for k in ("anna", "borys", "firm")]
    assert sorted(owners).count("teammate") in (1, 2)
    assert "owner" not in owners


def test_a_draining_client_is_handed_over_alone(lead, owner, teammate, book):
    client = client_for(lead)
    anna = book["anna"]

    text = client.get("/handover/", {"contact": anna.pk}).content.decode()
    assert f'name="from_user" value="{owner.pk}"' in text
    assert 'class="preselected"' in text
    assert 'id="id_only_chosen" checked' in text

    page = preview(
        client,
        {
            "from_user": owner.pk,
            "distribution": "per_client",
            "only_chosen": "on",
            f"to_contact_{anna.pk}": teammate.pk,
        },
    )
    client.post("/handover/", confirm_data(page))

    assert owner_of(anna) == owner_of(book["deal"]) == "teammate"
    assert owner_of(book["borys"]) == owner_of(book["firm"]) == "owner"


def test_a_book_changed_since_the_preview_is_shown_again(lead, owner, petro, book):
    client = client_for(lead)
    page = preview(client, {"from_user": owner.pk, "distribution": "one", "colleagues": [petro.pk]})
    late = make_contact(owner, first_name="Пізній")

    again = client.post("/handover/", confirm_data(page))

    assert again.status_code == 200
    assert "The book changed since you checked it" in again.content.decode()
    assert owner_of(late) == owner_of(book["anna"]) == "owner"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"distribution": "one", "note": ""}, "This field is required."),
        ({"distribution": "one"}, "Tick exactly one colleague."),
        ({"distribution": "per_client"}, "Choose who gets the clients left on"),
    ],
)
def test_a_handover_form_with_mistakes_is_shown_again(lead, owner, petro, book, data, message):
    response = preview(client_for(lead), {"from_user": owner.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert owner_of(book["anna"]) == "owner"


def test_a_long_book_is_capped_with_a_message(lead, owner, book, monkeypatch):
    monkeypatch.setattr(views, "HANDOVER_ROWS", 2)
    text = client_for(lead).get("/handover/", {"from_user": owner.pk}).content.decode()
    assert "The table shows the first 2 of 3 clients" in text
    assert text.count('name="to_') == 2


def test_who_may_open_the_handover(owner, viewer, lead, outsider, admin, book):
    assert client_for(owner).get("/handover/").status_code == 403
    assert client_for(viewer).get("/handover/").status_code == 403
    assert client_for(lead).get("/handover/", {"from_user": outsider.pk}).status_code == 404
    assert client_for(admin).get("/handover/", {"from_user": outsider.pk}).status_code == 200
    foreign = make_contact(outsider)
    assert client_for(lead).get("/handover/", {"contact": foreign.pk}).status_code == 404


def test_an_empty_book_has_nothing_to_hand_over(lead, teammate):
    text = client_for(lead).get("/handover/", {"from_user": teammate.pk}).content.decode()
    assert "Nothing to hand over" in text
    assert 'name="note"' not in text
