"""Logging calls, meetings, emails and notes from the pages: the forms, their errors, where they
lead back to, the dialog, an activity's page, the list, and the actions on other pages."""

import datetime
import re
import zoneinfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.page_support import call_input, english_pages, local_input  # noqa: F401
from activities.support import make_activity, make_call
from clientela.activities.models import Activity, Task
from clientela.activities.services import activity_update
from conftest import client_for, make_company, make_contact

DIALOG = {"HX-Request": "true", "HX-Target": "activity-dialog-body"}


def _error(page: str, field: str) -> str:
    found = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</ul>', page, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)).strip() if found else ""


def _version(page: str) -> str:
    found = re.search(r'name="expected_updated_at" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


# --- logging a call -------------------------------------------------------------------------------


def test_call_form_starts_outgoing_now_in_the_users_time_zone(owner, contact):
    owner.time_zone = "Asia/Tokyo"
    owner.save(update_fields=["time_zone"])
    page = client_for(owner).get(f"/activities/call/new/?contact={contact.pk}").content.decode()
    assert re.search(r'<input type="radio" name="direction" value="out"[^>]*checked', page)
    shown = re.search(r'type="datetime-local" name="started_at" value="([^"]+)"', page).group(1)
    tokyo_now = timezone.now().astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert abs(datetime.datetime.fromisoformat(shown) - tokyo_now) < datetime.timedelta(minutes=2)
    # Five labelled moods and a 1–5 scale of how draining the call was.
    assert page.count('name="mood"') == 5
    assert "Delighted" in page
    assert page.count('name="draining"') == 5
    assert "1 — easy" in page
    assert "5 — exhausting" in page
    assert str(contact) in page


def test_log_a_call_saves_it_and_goes_back(owner, contact):
    client = client_for(owner)
    response = client.post(
        f"/activities/call/new/?contact={contact.pk}",
        call_input(contact=contact.pk, duration="7", duration_seconds="30", next="/contacts/"),
    )
    assert response.status_code == 302
    assert response["Location"] == "/contacts/"
    call = Activity.objects.get()
    assert call.kind == "call"
    assert call.contact == contact
    assert call.user == owner
    assert call.direction == "out"
    assert call.duration == datetime.timedelta(minutes=7, seconds=30)
    assert call.outcome == "talked"
    assert call.mood == 4
    assert call.draining == 2
    assert call.subject == "Про знижку"
    assert "Call logged." in client.get("/contacts/").content.decode()


def test_the_time_typed_is_in_the_users_time_zone(owner, contact):
    owner.time_zone = "America/New_York"
    owner.save(update_fields=["time_zone"])
    zone = zoneinfo.ZoneInfo("America/New_York")
    moment = (timezone.now() - datetime.timedelta(hours=3)).astimezone(zone).replace(second=0)
    client_for(owner).post(
        "/activities/call/new/",
        call_input(contact=contact.pk, started_at=moment.strftime("%Y-%m-%dT%H:%M")),
    )
    assert Activity.objects.get().started_at == moment.replace(microsecond=0)


def test_without_next_it_goes_back_to_the_referring_page_or_the_contact(owner, contact):
    client = client_for(owner)
    form = client.get(
        f"/activities/call/new/?contact={contact.pk}",
        headers={"referer": "http://testserver/tasks/"},
    ).content.decode()
    assert 'name="next" value="/tasks/"' in form
    response = client.post("/activities/call/new/", call_input(contact=contact.pk))
    assert response["Location"] == f"/contacts/{contact.pk}/"


def test_an_outside_next_is_ignored(owner, contact):
    client = client_for(owner)
    form = client.get(
        f"/activities/call/new/?contact={contact.pk}&next=https://evil.example/"
    ).content.decode()
    # (The language switch keeps the address as it is; the form's own way back does not.)
    assert 'name="next" value="https://evil' not in form
    response = client.post(
        "/activities/call/new/", call_input(contact=contact.pk, next="https://evil.example/")
    )
    assert response["Location"] == f"/contacts/{contact.pk}/"
    referred = client.get(
        f"/activities/call/new/?contact={contact.pk}",
        headers={"referer": "https://evil.example/page"},
    ).content.decode()
    assert f'name="next" value="/contacts/{contact.pk}/"' in referred


def test_a_follow_up_task_is_added_with_the_call(owner, contact, deal):
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client_for(owner).post(
        f"/activities/call/new/?deal={deal.pk}",
        call_input(deal=deal.pk, follow_up_title="Надіслати договір", follow_up_date=due),
    )
    call = Activity.objects.get()
    task = Task.objects.get()
    assert call.deal == deal
    assert call.contact == contact
    assert task.title == "Надіслати договір"
    assert task.due_date.isoformat() == due
    assert task.contact == contact
    assert task.deal == deal
    assert task.owner == owner


def test_a_follow_up_without_a_date_saves_nothing(owner, contact, counts):
    before = counts()
    response = client_for(owner).post(
        "/activities/call/new/", call_input(contact=contact.pk, follow_up_title="Передзвонити")
    )
    page = response.content.decode()
    assert "Choose when the follow-up is due." in _error(page, "follow_up_date")
    assert 'value="Передзвонити"' in page
    assert counts() == before


def test_negative_duration_is_named_and_nothing_saved(owner, contact, counts):
    before = counts()
    response = client_for(owner).post(
        "/activities/call/new/", call_input(contact=contact.pk, duration="-5", subject="Моя тема")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be negative" in _error(page, "duration")
    assert 'value="Моя тема"' in page
    assert 'value="-5"' in page
    assert counts() == before


def test_a_call_in_the_future_is_refused_next_to_when(owner, contact, counts):
    before = counts()
    future = timezone.now() + datetime.timedelta(days=3)
    response = client_for(owner).post(
        "/activities/call/new/", call_input(contact=contact.pk, started_at=local_input(future))
    )
    assert "has not happened yet" in _error(response.content.decode(), "started_at")
    assert counts() == before


def test_unreadable_input_is_named(owner, contact, counts):
    before = counts()
    response = client_for(owner).post(
        "/activities/call/new/",
        call_input(
            contact=contact.pk,
            started_at="вчора",
            duration="п'ять",
            duration_seconds="75",
            mood="9",
            direction="sideways",
        ),
    )
    page = response.content.decode()
    for field in ("started_at", "duration", "duration_seconds", "mood", "direction"):
        assert _error(page, field), field
    assert counts() == before


# --- the dialog -----------------------------------------------------------------------------------


def test_in_the_dialog_the_form_comes_alone_and_success_redirects_the_page(owner, contact):
    client = client_for(owner)
    url = f"/activities/call/new/?contact={contact.pk}&next=/contacts/{contact.pk}/"
    form = client.get(url, headers=DIALOG)
    body = form.content.decode()
    assert "<html" not in body
    assert 'id="activity-dialog-title"' in body
    assert f'hx-post="{url}"' in body.replace("&amp;", "&")
    assert form["Vary"].count("HX-Request")
    bad = client.post(url, call_input(contact=contact.pk, duration="-1"), headers=DIALOG)
    assert bad.status_code == 200
    assert "<html" not in bad.content.decode()
    assert _error(bad.content.decode(), "duration")
    saved = client.post(
        url, call_input(contact=contact.pk, next=f"/contacts/{contact.pk}/"), headers=DIALOG
    )
    assert saved["HX-Redirect"] == f"/contacts/{contact.pk}/"
    assert Activity.objects.count() == 1


def test_the_page_loads_the_dialog_script(owner):
    page = client_for(owner).get("/my-day/").content.decode()
    assert re.search(r'<script src="[^"]*activities/log_dialog\.js" defer>', page)


# --- meetings, emails, notes ----------------------------------------------------------------------


def test_log_a_meeting(owner, company):
    start = timezone.now() + datetime.timedelta(days=2)
    client_for(owner).post(
        f"/activities/meeting/new/?company={company.pk}",
        {
            "company": company.pk,
            "started_at": local_input(start),
            "ended_at": local_input(start + datetime.timedelta(hours=1)),
            "place": "Офіс на Подолі",
            "attendees": "Олена, Андрій",
            "subject": "Презентація",
            "body": "",
        },
    )
    meeting = Activity.objects.get()
    assert meeting.kind == "meeting"
    assert meeting.company == company
    assert meeting.ended_at - meeting.started_at == datetime.timedelta(hours=1)
    assert meeting.place == "Офіс на Подолі"
    assert meeting.attendees == "Олена, Андрій"


def test_a_meeting_ending_before_it_starts_is_named(owner, contact, counts):
    before = counts()
    start = timezone.now() - datetime.timedelta(hours=2)
    response = client_for(owner).post(
        "/activities/meeting/new/",
        {
            "contact": contact.pk,
            "started_at": local_input(start),
            "ended_at": local_input(start - datetime.timedelta(hours=1)),
            "place": "Кав'ярня",
        },
    )
    page = response.content.decode()
    assert "cannot end before it starts" in _error(page, "ended_at")
    assert 'value="Кав&#x27;ярня"' in page
    assert counts() == before


def test_email_starts_with_the_contacts_address(owner, contact):
    client = client_for(owner)
    page = client.get(f"/activities/email/new/?contact={contact.pk}").content.decode()
    assert 'value="olena.shevchenko@example.com"' in page
    client.post(
        "/activities/email/new/",
        {
            "contact": contact.pk,
            "direction": "in",
            "started_at": local_input(timezone.now()),
            "email_address": "olena.shevchenko@example.com",
            "subject": "Рахунок",
            "body": "Дякую!",
        },
    )
    email = Activity.objects.get()
    assert email.kind == "email"
    assert email.direction == "in"
    assert email.email_address == "olena.shevchenko@example.com"


def test_a_bad_email_address_is_named(owner, contact):
    response = client_for(owner).post(
        "/activities/email/new/",
        {
            "contact": contact.pk,
            "direction": "out",
            "started_at": local_input(timezone.now()),
            "email_address": "не адреса",
        },
    )
    assert _error(response.content.decode(), "email_address")
    assert not Activity.objects.exists()


def test_a_note_with_a_contact_picked_on_the_form(owner, contact):
    client = client_for(owner)
    form = client.get("/activities/note/new/").content.decode()
    assert 'name="client"' in form
    assert 'list="client-suggestions"' in form
    options = client.get("/activities/clients/?client=Шевч").content.decode()
    assert f'value="{contact} #{contact.pk}"' in options
    client.post(
        "/activities/note/new/",
        {
            "client": f"{contact} #{contact.pk}",
            "started_at": local_input(timezone.now()),
            "body": "Любить зелений чай.",
        },
    )
    note = Activity.objects.get()
    assert note.kind == "note"
    assert note.contact == contact
    assert note.body == "Любить зелений чай."


def test_a_note_needs_someone_the_user_sees(owner, outsider, counts):
    theirs = make_contact(outsider, first_name="Чужий")
    client = client_for(owner)
    before = counts()
    nobody = client.post("/activities/note/new/", {"started_at": local_input(timezone.now())})
    assert "Choose who it was with." in _error(nobody.content.decode(), "client")
    hidden = client.post(
        "/activities/note/new/",
        {"client": f"{theirs} #{theirs.pk}", "started_at": local_input(timezone.now())},
    )
    assert "that you can see" in _error(hidden.content.decode(), "client")
    assert f"#{theirs.pk}" not in client.get("/activities/clients/?client=Чужий").content.decode()
    assert counts() == before


def test_invisible_client_or_deal_is_not_found(owner, outsider, contact):
    theirs = make_contact(outsider, first_name="Чужий")
    client = client_for(owner)
    assert client.get(f"/activities/call/new/?contact={theirs.pk}").status_code == 404
    assert client.get("/activities/note/new/?deal=999999").status_code == 404
    response = client.post("/activities/call/new/", call_input(contact=theirs.pk))
    assert response.status_code == 404
    assert not Activity.objects.exists()


# --- one activity ---------------------------------------------------------------------------------


def test_activity_page_shows_what_was_logged(owner, contact, deal):
    call = make_call(
        owner, contact, deal=deal.pk, duration=330, outcome="call_back", mood=2, draining=5
    )
    page = client_for(owner).get(f"/activities/{call.pk}/").content.decode()
    assert "5 min 30 s" in page
    assert "Asked to call back" in page
    assert "Unhappy" in page
    assert "5 — exhausting" in page
    assert f'href="/contacts/{contact.pk}/"' in page
    assert f'href="/deals/{deal.pk}/"' in page


def test_edit_a_call(owner, contact):
    call = make_call(owner, contact, duration=125)
    client = client_for(owner)
    form = client.get(f"/activities/{call.pk}/edit/").content.decode()
    assert 'name="duration" value="2"' in form
    assert 'name="duration_seconds" value="5"' in form
    assert "follow_up_title" not in form
    response = client.post(
        f"/activities/{call.pk}/edit/",
        call_input(duration="10", expected_updated_at=_version(form), subject="Виправлено"),
    )
    assert response["Location"] == f"/activities/{call.pk}/"
    call.refresh_from_db()
    assert call.duration == datetime.timedelta(minutes=10)
    assert call.subject == "Виправлено"


def test_edit_over_a_newer_change_is_refused(owner, lead, contact):
    call = make_call(owner, contact)
    client = client_for(owner)
    version = _version(client.get(f"/activities/{call.pk}/edit/").content.decode())
    activity_update(actor=lead, activity=call, data={"subject": "Від керівника"})
    response = client.post(
        f"/activities/{call.pk}/edit/",
        call_input(subject="Від менеджера", expected_updated_at=version),
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this while you were editing it." in page
    assert 'value="Від менеджера"' in page
    call.refresh_from_db()
    assert call.subject == "Від керівника"


def test_edit_with_bad_input_is_named(owner, contact):
    call = make_call(owner, contact)
    response = client_for(owner).post(
        f"/activities/{call.pk}/edit/", call_input(duration="-3", subject="Ні")
    )
    assert _error(response.content.decode(), "duration")
    call.refresh_from_db()
    assert call.subject == ""


def test_delete_then_restore(owner, contact):
    note = make_activity(owner, contact, "note", subject="Зайва нотатка")
    client = client_for(owner)
    page = client.post(f"/activities/{note.pk}/delete/", follow=True).content.decode()
    assert "This activity is in the trash." in page
    assert f"/activities/{note.pk}/restore/" in page
    assert "Зайва нотатка" not in client.get("/activities/").content.decode()
    client.post(f"/activities/{note.pk}/restore/")
    assert Activity.objects.filter(pk=note.pk).exists()


# --- the list -------------------------------------------------------------------------------------


def test_list_filters_by_kind_user_client_and_period(owner, lead, contact):
    company = make_company(owner, name="ТОВ Фільтр")
    make_call(owner, contact, subject="Дзвінок власника")
    make_activity(lead, company, "note", subject="Нотатка керівника")
    make_call(
        owner,
        contact,
        subject="Давній дзвінок",
        started_at=timezone.now() - datetime.timedelta(days=30),
    )
    client = client_for(lead)
    everything = client.get("/activities/").content.decode()
    assert "Дзвінок власника" in everything
    assert "Нотатка керівника" in everything
    assert everything.index("Дзвінок власника") < everything.index("Давній дзвінок")
    calls = client.get("/activities/?kind=call").content.decode()
    assert "Нотатка керівника" not in calls
    assert "Дзвінок власника" in calls
    mine = client.get("/activities/?user=me").content.decode()
    assert "Нотатка керівника" in mine
    assert "Дзвінок власника" not in mine
    theirs = client.get(f"/activities/?company={company.pk}").content.decode()
    assert "Нотатка керівника" in theirs
    assert "Дзвінок власника" not in theirs
    assert "ТОВ Фільтр" in theirs
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    recent = client.get(f"/activities/?since={since}").content.decode()
    assert "Давній дзвінок" not in recent
    assert "Дзвінок власника" in recent
    assert client.get("/activities/?kind=fax").status_code == 400


def test_list_shows_only_what_the_user_sees(owner, outsider, contact):
    make_call(owner, contact, subject="Наш дзвінок")
    page = client_for(outsider).get("/activities/").content.decode()
    assert "Наш дзвінок" not in page


def _list_queries(user) -> int:
    client = client_for(user)
    client.get("/activities/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/activities/").status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_activities(owner, contact, deal):
    make_call(owner, contact, deal=deal.pk)
    one = _list_queries(owner)
    company = make_company(owner, name="ТОВ Багато")
    for i in range(24):
        client = make_contact(owner, first_name=f"Клієнт{i}") if i % 3 else company
        make_activity(owner, client, ["call", "note", "email"][i % 3], deal=deal.pk)
    assert _list_queries(owner) == one


# --- actions on other pages -----------------------------------------------------------------------


def test_contact_company_and_deal_pages_offer_the_actions(owner, contact, company, deal):
    client = client_for(owner)
    contact_page = client.get(f"/contacts/{contact.pk}/").content.decode()
    for label, url in [
        ("Log a call", "/activities/call/new/"),
        ("Log a meeting", "/activities/meeting/new/"),
        ("Log an email", "/activities/email/new/"),
        ("Add a note", "/activities/note/new/"),
        ("Add a task", "/tasks/new/"),
    ]:
        assert f'href="{url}?contact={contact.pk}">{label}</a>' in contact_page
    company_page = client.get(f"/companies/{company.pk}/").content.decode()
    assert f'href="/activities/call/new/?company={company.pk}">Log a call</a>' in company_page
    assert f'href="/tasks/new/?company={company.pk}">Add a task</a>' in company_page
    deal_page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert f'href="/activities/meeting/new/?deal={deal.pk}"' in deal_page


def test_a_contact_row_offers_only_log_a_call(owner, contact):
    page = client_for(owner).get("/contacts/").content.decode()
    assert f'href="/activities/call/new/?contact={contact.pk}">Log a call</a>' in page
    assert "/activities/meeting/new/" not in page
    assert "/tasks/new/" not in page
