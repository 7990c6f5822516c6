"""My day: late, today's, coming and done tasks, today's calls, the quick task, Done in place."""

import datetime
import re

from django.db import connection
from django.template import Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from activities.page_support import english_pages  # noqa: F401
from activities.support import days_from_today, make_call, make_task
from clientela.activities.models import Task
from clientela.activities.services import task_complete, task_follow_up_create
from clientela.core import extensions
from conftest import client_for, make_contact


def _section(page: str, heading: str) -> str:
    """The HTML of the My day section whose heading is `heading`."""
    start = page.index(f">{heading}</h2>")
    end = page.find("</section>", start)
    return page[start:end]


def test_sections_show_each_task_where_it_belongs(owner, contact, deal):
    # given
    late = make_task(owner, title="Прострочена", due_date=days_from_today(-3), contact=contact)
    today = make_task(owner, title="Сьогоднішня", due_time="23:59", deal=deal, urgent=True)
    soon = make_task(owner, title="Завтрашня", due_date=days_from_today(1))
    later = make_task(owner, title="За тиждень", due_date=days_from_today(7))
    make_task(owner, title="Надто далеко", due_date=days_from_today(8))
    done = task_complete(actor=owner, task=make_task(owner, title="Зроблена"))
    # when
    page = client_for(owner).get("/my-day/").content.decode()
    # then
    overdue = _section(page, "Overdue")
    assert late.title in overdue
    assert "3 days late" in overdue
    assert f'href="/contacts/{contact.pk}/"' in overdue
    todays = _section(page, "Today")
    assert today.title in todays
    assert "11:59" in todays
    assert "urgent" in todays
    assert deal.title in todays
    coming = _section(page, "Next 7 days")
    assert soon.title in coming
    assert later.title in coming
    assert "Надто далеко" not in page
    assert coming.index(soon.title) < coming.index(later.title)
    assert date_format(days_from_today(1), "l") in coming
    assert done.title in _section(page, "Done today")


def test_weekday_names_are_in_the_users_language(owner):
    owner.language = "uk"
    owner.save(update_fields=["language"])
    day = days_from_today(2)
    make_task(owner, title="Зустріч", due_date=day)
    page = client_for(owner).get("/my-day/").content.decode()
    with translation.override("uk"):
        weekday = date_format(day, "l")
    with translation.override("en"):
        english = date_format(day, "l")
    assert weekday in page
    assert weekday != english
    assert f">{english}," not in page


def test_only_the_users_own_tasks(owner, teammate, lead):
    make_task(owner, title="Моя")
    make_task(lead, title="Для колеги", owner=teammate.pk)
    page = client_for(owner).get("/my-day/").content.decode()
    assert "Моя" in page
    assert "Для колеги" not in page


def test_calls_today_count_and_talk_time(owner, contact):
    make_call(owner, contact, duration=30 * 60)
    make_call(owner, contact, duration=45 * 60 + 30)
    make_call(owner, contact, duration=600, started_at=timezone.now() - datetime.timedelta(days=2))
    page = client_for(owner).get("/my-day/").content.decode()
    assert "2 calls today" in page
    assert "talk time 1 h 15 min" in page


def test_follow_up_of_a_won_deal_is_labelled(owner, deal):
    task = task_follow_up_create(deal=deal, actor=owner)
    assert task is not None
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate())
    page = client_for(owner).get("/my-day/").content.decode()
    assert "Follow-up after a won deal" in _section(page, "Today")


def test_quick_task_is_added_for_today(owner):
    client = client_for(owner)
    form = client.get("/my-day/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in form
    response = client.post(
        "/tasks/quick/",
        {"title": "Передзвонити Олені", "due_date": timezone.localdate().isoformat()},
        follow=True,
    )
    task = Task.objects.get(title="Передзвонити Олені")
    assert task.owner == owner
    assert task.due_date == timezone.localdate()
    assert "Передзвонити Олені" in _section(response.content.decode(), "Today")


def test_quick_task_errors_are_named_and_nothing_saved(owner, counts):
    make_task(owner, title="Вже є")
    before = counts()
    response = client_for(owner).post("/tasks/quick/", {"title": "", "due_date": "2025-13-45"})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="id_title_error"[^>]*>\s*<li>This field is required', page)
    assert 'id="id_due_date_error"' in page
    assert counts() == before
    # The page is shown at the quick task's address; Done still leads back to My day.
    assert 'name="next" value="/my-day/"' in page


def test_done_with_htmx_moves_the_row_to_done_today(owner):
    task = make_task(owner, title="Надіслати рахунок")
    response = client_for(owner).post(
        f"/tasks/{task.pk}/done/",
        {"place": "my_day", "next": "/my-day/"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    # The row leaves its section (the swap replaces it with nothing) and lands in "Done today".
    assert body.lstrip().startswith('<ul hx-swap-oob="afterbegin:#done-today">')
    assert body.rstrip().endswith("</ul>")
    assert f'id="task-{task.pk}"' in body
    assert "Reopen" in body
    task.refresh_from_db()
    assert task.done_at is not None
    assert task.done_by == owner


def test_done_without_javascript_goes_back(owner):
    task = make_task(owner)
    response = client_for(owner).post(f"/tasks/{task.pk}/done/", {"next": "/my-day/"})
    assert response.status_code == 302
    assert response["Location"] == "/my-day/"
    task.refresh_from_db()
    assert task.is_done


def test_done_ignores_an_outside_next(owner):
    task = make_task(owner)
    response = client_for(owner).post(
        f"/tasks/{task.pk}/done/", {"next": "https://evil.example/steal"}
    )
    assert response["Location"] == "/my-day/"


def test_reopen_with_htmx_on_my_day_gives_the_open_row(owner):
    task = task_complete(actor=owner, task=make_task(owner))
    response = client_for(owner).post(
        f"/tasks/{task.pk}/reopen/", {"place": "my_day"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith("<li")
    assert "Done" in body
    assert "hx-swap-oob" not in body
    task.refresh_from_db()
    assert task.done_at is None


def test_panels_of_other_apps_show(owner):
    def context(request, user):
        return {"text": f"Навантаження {user.username}"}

    extensions.register_panel(
        extensions.Panel(
            key="test_my_day_panel",
            targets=frozenset({"my_day"}),
            order=99,
            # `include` takes a template object as well as a name.
            template=Template('<p id="test-panel">{{ data.text }}</p>'),  # type: ignore[arg-type]
            context=context,
        )
    )
    try:
        page = client_for(owner).get("/my-day/").content.decode()
    finally:
        del extensions._panels["test_my_day_panel"]
    assert '<p id="test-panel">Навантаження owner</p>' in page


def _my_day_queries(owner) -> int:
    client = client_for(owner)
    client.get("/my-day/")  # the session and the user are loaded once more on the first page
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/my-day/").status_code == 200
    return len(queries)


def _fill(owner, contact, deal, n: int) -> None:
    for i in range(n):
        make_task(owner, title=f"Пізня {i}", due_date=days_from_today(-1), contact=contact)
        make_task(owner, title=f"Сьогодні {i}", due_time="23:30", deal=deal)
        make_task(owner, title=f"Скоро {i}", due_date=days_from_today(1 + i % 6), deal=deal)
        task_complete(actor=owner, task=make_task(owner, title=f"Зроблено {i}", contact=contact))
        make_call(owner, contact, duration=60)


def test_my_day_queries_do_not_grow_with_tasks(owner, deal):
    few = make_contact(owner, first_name="Мало")
    _fill(owner, few, deal, 1)
    one = _my_day_queries(owner)
    _fill(owner, make_contact(owner, first_name="Багато"), deal, 24)
    assert _my_day_queries(owner) == one
