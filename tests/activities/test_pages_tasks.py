"""Task pages: the list and its filters, add (prefilled from a client), edit and its conflict,
done and reopen, trash and restore."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.page_support import english_pages, task_input  # noqa: F401
from activities.support import days_from_today, make_task
from clientela.activities.models import Task
from clientela.activities.services import task_follow_up_create, task_update
from conftest import client_for, make_contact


def _error(page: str, field: str) -> str:
    """The error text shown under the input `field`, or "" when there is none."""
    found = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</ul>', page, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)).strip() if found else ""


# --- the list -------------------------------------------------------------------------------------


def test_list_shows_open_tasks_soonest_first(owner, contact, deal):
    make_task(owner, title="Пізніше", due_date=days_from_today(3))
    make_task(owner, title="Раніше", due_date=days_from_today(-2), contact=contact, deal=deal)
    done = make_task(owner, title="Закрите")
    client = client_for(owner)
    client.post(f"/tasks/{done.pk}/done/", follow=True)
    page = client.get("/tasks/").content.decode()
    assert page.index("Раніше") < page.index("Пізніше")
    assert "2 days late" in page
    assert f'href="/contacts/{contact.pk}/"' in page
    assert f'href="/deals/{deal.pk}/"' in page
    assert "Закрите" not in page
    done_page = client.get("/tasks/?status=done").content.decode()
    assert "Закрите" in done_page
    assert "Пізніше" not in done_page
    everything = client.get("/tasks/?status=all").content.decode()
    assert "Закрите" in everything
    assert "Пізніше" in everything


def test_due_range_and_client_filters(owner, contact):
    other = make_contact(owner, first_name="Інша")
    make_task(owner, title="Цього тижня", due_date=days_from_today(2), contact=contact)
    make_task(owner, title="Наступного місяця", due_date=days_from_today(40), contact=contact)
    make_task(owner, title="Іншої людини", due_date=days_from_today(2), contact=other)
    client = client_for(owner)
    week = client.get(f"/tasks/?due_before={days_from_today(7).isoformat()}").content.decode()
    assert "Цього тижня" in week
    assert "Наступного місяця" not in week
    later = client.get(f"/tasks/?due_after={days_from_today(7).isoformat()}").content.decode()
    assert "Наступного місяця" in later
    assert "Цього тижня" not in later
    theirs = client.get(f"/tasks/?contact={contact.pk}").content.decode()
    assert "Іншої людини" not in theirs
    assert "Цього тижня" in theirs
    assert f"{contact}" in theirs
    assert "Remove this filter" in theirs
    # "New task" on a list narrowed to a client starts with that client.
    assert f'href="/tasks/new/?contact={contact.pk}"' in theirs


def test_bad_filters_answer_400_naming_them(owner):
    client = client_for(owner)
    response = client.get("/tasks/?status=someday&due_before=yesterday")
    assert response.status_code == 400
    assert "status" in response.content.decode()
    assert client.get("/tasks/?cursor=forged").status_code == 400


def test_lead_sees_the_teams_tasks_and_filters_by_assignee(owner, teammate, lead, outsider):
    make_task(owner, title="Олени")
    make_task(teammate, title="Колеги")
    make_task(outsider, title="Чужа")
    client = client_for(lead)
    page = client.get("/tasks/").content.decode()
    assert "Олени" in page
    assert "Колеги" in page
    assert "Чужа" not in page
    assert 'name="owner"' in page
    assert f'value="{teammate.pk}"' in page
    only = client.get(f"/tasks/?owner={teammate.pk}").content.decode()
    assert "Колеги" in only
    assert "Олени" not in only


def test_a_manager_sees_own_tasks_without_an_assignee_filter(owner, teammate):
    make_task(owner, title="Моя")
    make_task(teammate, title="Колеги")
    page = client_for(owner).get("/tasks/").content.decode()
    assert "Моя" in page
    assert "Колеги" not in page
    assert 'name="owner"' not in page


def test_list_pages_with_a_cursor(owner, settings):
    for i in range(55):
        make_task(owner, title=f"Задача {i:02d}", due_date=days_from_today(i))
    client = client_for(owner)
    first = client.get("/tasks/").content.decode()
    assert "Задача 49" in first
    assert "Задача 50" not in first
    next_link = re.search(r'rel="next" href="([^"]+)"', first)
    assert next_link is not None
    second = client.get("/tasks/" + next_link.group(1).replace("&amp;", "&")).content.decode()
    assert "Задача 50" in second
    assert "Задача 54" in second
    assert "Задача 49" not in second


def test_follow_up_of_a_won_deal_is_labelled(owner, deal):
    task_follow_up_create(deal=deal, actor=owner)
    page = client_for(owner).get("/tasks/").content.decode()
    assert "Follow-up after a won deal" in page
    task = Task.objects.get(deal=deal)
    assert (
        "Follow-up after a won deal" in client_for(owner).get(f"/tasks/{task.pk}/").content.decode()
    )


def _list_queries(user, url: str) -> int:
    client = client_for(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_tasks(lead, owner, teammate, contact, deal):
    make_task(owner, contact=contact, deal=deal)
    one = _list_queries(lead, "/tasks/?status=all")
    for i in range(24):
        make_task(lead, title=f"Т{i}", owner=(owner if i % 2 else teammate).pk, deal=deal)
    assert _list_queries(lead, "/tasks/?status=all") == one


# --- add ------------------------------------------------------------------------------------------


def test_new_task_from_a_contact_is_about_that_contact(owner, contact):
    client = client_for(owner)
    form = client.get(f"/tasks/new/?contact={contact.pk}").content.decode()
    assert str(contact) in form
    assert f'name="contact" value="{contact.pk}"' in form
    assert f'value="{timezone.localdate().isoformat()}"' in form
    response = client.post(
        f"/tasks/new/?contact={contact.pk}",
        task_input(contact=contact.pk, due_time="15:30", urgent="on", notes="Не забути"),
    )
    task = Task.objects.get(title="Надіслати пропозицію")
    assert task.contact == contact
    assert task.owner == owner
    assert task.urgent
    assert task.due_time.strftime("%H:%M") == "15:30"
    assert task.notes == "Не забути"
    assert response.status_code == 302


def test_new_task_from_a_deal_keeps_the_deal(owner, deal):
    client = client_for(owner)
    assert (
        f'name="deal" value="{deal.pk}"'
        in client.get(f"/tasks/new/?deal={deal.pk}").content.decode()
    )
    client.post("/tasks/new/", task_input(deal=deal.pk, next=f"/deals/{deal.pk}/"))
    assert Task.objects.get(title="Надіслати пропозицію").deal == deal


def test_a_lead_gives_a_task_to_a_teammate(lead, teammate, outsider):
    client = client_for(lead)
    form = client.get("/tasks/new/").content.decode()
    assert f'<option value="{teammate.pk}"' in form
    assert f'value="{outsider.pk}"' not in form
    client.post("/tasks/new/", task_input(owner=teammate.pk))
    assert Task.objects.get(title="Надіслати пропозицію").owner == teammate


def test_a_manager_cannot_give_a_task_to_someone_else(owner, teammate, counts):
    before = counts()
    response = client_for(owner).post("/tasks/new/", task_input(owner=teammate.pk))
    assert response.status_code == 200
    assert counts() == before
    assert "Assignee: Select a valid choice." in response.content.decode()


def test_bad_input_is_named_and_nothing_saved(owner, counts):
    before = counts()
    response = client_for(owner).post(
        "/tasks/new/", task_input(title="", due_date="31.02.2025", due_time="25:99")
    )
    page = response.content.decode()
    assert "required" in _error(page, "title")
    assert _error(page, "due_date")
    assert _error(page, "due_time")
    assert counts() == before


def test_invisible_client_is_not_found(owner, outsider):
    theirs = make_contact(outsider, first_name="Чужий")
    client = client_for(owner)
    assert client.get(f"/tasks/new/?contact={theirs.pk}").status_code == 404
    assert client.post("/tasks/new/", task_input(contact=theirs.pk)).status_code == 404
    assert not Task.objects.exists()


def test_after_adding_goes_back_to_next_but_never_outside(owner):
    client = client_for(owner)
    inside = client.post("/tasks/new/", task_input(next="/my-day/"))
    assert inside["Location"] == "/my-day/"
    outside = client.post("/tasks/new/", task_input(next="https://evil.example/"))
    assert outside["Location"] == "/tasks/"


def test_form_in_the_dialog_answers_with_the_form_only(owner, contact):
    client = client_for(owner)
    dialog = {"HX-Request": "true", "HX-Target": "activity-dialog-body"}
    form = client.get(f"/tasks/new/?contact={contact.pk}&next=/contacts/", headers=dialog)
    body = form.content.decode()
    assert "<html" not in body
    assert 'hx-post="' in body
    assert "data-dialog-close" in body
    saved = client.post("/tasks/new/", task_input(next="/contacts/"), headers=dialog)
    assert saved["HX-Redirect"] == "/contacts/"


# --- edit, done, reopen, trash --------------------------------------------------------------------


def test_edit_saves_and_goes_back(owner):
    task = make_task(owner, title="Стара назва")
    client = client_for(owner)
    form = client.get(f"/tasks/{task.pk}/edit/").content.decode()
    version = re.search(r'name="expected_updated_at" value="([^"]+)"', form).group(1)
    response = client.post(
        f"/tasks/{task.pk}/edit/",
        task_input(title="Нова назва", expected_updated_at=version, next="/my-day/"),
    )
    assert response["Location"] == "/my-day/"
    task.refresh_from_db()
    assert task.title == "Нова назва"


def test_edit_over_a_newer_change_is_refused_and_keeps_the_input(owner, teammate, lead):
    task = make_task(owner, title="Початкова")
    client = client_for(owner)
    form = client.get(f"/tasks/{task.pk}/edit/").content.decode()
    version = re.search(r'name="expected_updated_at" value="([^"]+)"', form).group(1)
    # Someone else changes the task meanwhile.
    task_update(actor=lead, task=task, data={"title": "Змінив керівник"})
    response = client.post(
        f"/tasks/{task.pk}/edit/", task_input(title="Моя версія", expected_updated_at=version)
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this while you were editing it." in page
    assert 'value="Моя версія"' in page
    task.refresh_from_db()
    assert task.title == "Змінив керівник"
    # Saving again, knowingly, replaces the other change.
    newer = re.search(r'name="expected_updated_at" value="([^"]+)"', page).group(1)
    client.post(
        f"/tasks/{task.pk}/edit/", task_input(title="Моя версія", expected_updated_at=newer)
    )
    task.refresh_from_db()
    assert task.title == "Моя версія"


def test_edit_with_bad_input_names_the_field(owner):
    task = make_task(owner, title="Ціла")
    response = client_for(owner).post(f"/tasks/{task.pk}/edit/", task_input(title=""))
    assert "required" in _error(response.content.decode(), "title")
    task.refresh_from_db()
    assert task.title == "Ціла"


def test_done_and_reopen_in_the_list_with_htmx(owner):
    task = make_task(owner, title="Рядок")
    client = client_for(owner)
    done = client.post(
        f"/tasks/{task.pk}/done/",
        {"place": "list", "next": "/tasks/"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert done.lstrip().startswith(f'<tr class="task done" id="task-{task.pk}"')
    assert f"/tasks/{task.pk}/reopen/" in done
    reopened = client.post(
        f"/tasks/{task.pk}/reopen/", {"place": "list"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f"/tasks/{task.pk}/done/" in reopened
    task.refresh_from_db()
    assert task.done_at is None


def test_done_and_reopen_without_javascript(owner):
    task = make_task(owner)
    client = client_for(owner)
    response = client.post(f"/tasks/{task.pk}/done/", {"next": "/tasks/?status=all"})
    assert response["Location"] == "/tasks/?status=all"
    task.refresh_from_db()
    assert task.is_done
    response = client.post(f"/tasks/{task.pk}/reopen/", {"next": "//evil.example/"})
    assert response["Location"] == "/my-day/"
    task.refresh_from_db()
    assert not task.is_done


def test_delete_then_restore_from_the_tasks_page(owner):
    task = make_task(owner, title="На смітник")
    client = client_for(owner)
    assert (
        "Move “На смітник” to the trash?"
        in client.get(f"/tasks/{task.pk}/delete/").content.decode()
    )
    response = client.post(f"/tasks/{task.pk}/delete/", follow=True)
    page = response.content.decode()
    assert "This task is in the trash." in page
    assert f"/tasks/{task.pk}/restore/" in page
    assert "На смітник" not in client.get("/tasks/").content.decode()
    client.post(f"/tasks/{task.pk}/restore/")
    assert Task.objects.filter(pk=task.pk).exists()
    assert "На смітник" in client.get("/tasks/").content.decode()
