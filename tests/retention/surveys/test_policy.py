"""The survey settings: the service (administrators only, every field checked, nothing saved
when one is wrong, audited), its page, and the Retain page's link to it."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.core.models import AuditEvent
from clientela.retention.surveys.forms import PolicyForm
from clientela.retention.surveys.models import SurveyPolicy, SurveyRequest
from clientela.retention.surveys.services_policy import policy_snapshot, survey_policy_update
from conftest import client_for
from retention.surveys.support import days_ago
from sales.support import make_purchase

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "firm_name": "",
    "after_purchase": True,
    "purchase_kind": "nps",
    "purchase_delay_days": 3,
    "after_complaint": True,
    "complaint_kind": "csat",
    "complaint_delay_days": 1,
    "cooldown_days": 60,
    "link_valid_days": 14,
}

CHANGED = {
    "firm_name": "Кав'ярня «Зерно»",
    "after_purchase": False,
    "purchase_kind": "csat",
    "purchase_delay_days": 0,
    "after_complaint": True,
    "complaint_kind": "nps",
    "complaint_delay_days": 90,
    "cooldown_days": 730,
    "link_valid_days": 365,
}


def _policy_events() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(content_type__model="surveypolicy", object_id=1).order_by("id")
    )


def _saved() -> dict[str, Any]:
    return policy_snapshot(SurveyPolicy.current())


# --- the service --------------------------------------------------------------------------------


def test_an_admin_saves_every_field_and_the_change_is_audited(admin: User):
    policy = survey_policy_update(actor=admin, data=dict(CHANGED))

    assert policy_snapshot(policy) == CHANGED
    assert _saved() == CHANGED
    [event] = _policy_events()
    assert (event.action, event.actor_id) == ("update", admin.pk)
    assert event.changes == {
        field: [DEFAULTS[field], CHANGED[field]]
        for field in CHANGED
        if DEFAULTS[field] != CHANGED[field]
    }


def test_only_the_fields_given_change_and_the_firm_name_is_trimmed(admin: User):
    survey_policy_update(actor=admin, data={"firm_name": "  Зерно  ", "cooldown_days": "30"})

    assert _saved() == {**DEFAULTS, "firm_name": "Зерно", "cooldown_days": 30}
    [event] = _policy_events()
    assert event.changes == {"cooldown_days": [60, 30], "firm_name": ["", "Зерно"]}


def test_saving_the_same_values_records_no_change(admin: User):
    survey_policy_update(actor=admin, data=dict(DEFAULTS))
    assert _saved() == DEFAULTS
    assert _policy_events() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("purchase_delay_days", 0),
        ("purchase_delay_days", 90),
        ("complaint_delay_days", 0),
        ("cooldown_days", 0),
        ("link_valid_days", 1),
        ("firm_name", "Ф" * 200),
        ("firm_name", ""),
    ],
)
def test_the_limits_themselves_are_accepted(admin: User, field: str, value: Any):
    survey_policy_update(actor=admin, data={field: value})
    assert _saved()[field] == value


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("purchase_delay_days", -1, "from 0 to 90"),
        ("purchase_delay_days", 91, "from 0 to 90"),
        ("purchase_delay_days", "три", "from 0 to 90"),
        ("purchase_delay_days", 2.5, "from 0 to 90"),
        ("purchase_delay_days", None, "from 0 to 90"),
        ("purchase_delay_days", True, "from 0 to 90"),
        ("complaint_delay_days", 91, "from 0 to 90"),
        ("cooldown_days", -1, "from 0 to 730"),
        ("cooldown_days", 731, "from 0 to 730"),
        ("link_valid_days", 0, "from 1 to 365"),
        ("link_valid_days", 366, "from 1 to 365"),
        ("purchase_kind", "ces", "NPS or CSAT"),
        ("complaint_kind", "", "NPS or CSAT"),
        ("after_purchase", "yes", "yes or no"),
        ("after_complaint", None, "yes or no"),
        ("firm_name", "Ф" * 201, "at most 200 characters"),
        ("firm_name", "Зерно\x00", "Null characters"),
        ("firm_name", 5, "as text"),
        ("token_hash", "x", "no such field"),
    ],
)
def test_a_bad_value_names_its_field_and_saves_nothing(
    admin: User, field: str, value: Any, message: str
):
    # given a valid change beside the bad one
    with pytest.raises(ValidationError) as caught:
        survey_policy_update(actor=admin, data={"cooldown_days": 10, field: value})

    errors = caught.value.message_dict
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert _saved() == DEFAULTS
    assert _policy_events() == []


def test_every_bad_field_is_reported_at_once(admin: User):
    with pytest.raises(ValidationError) as caught:
        survey_policy_update(
            actor=admin, data={"link_valid_days": 0, "purchase_kind": "x", "cooldown_days": 5}
        )
    assert set(caught.value.message_dict) == {"link_valid_days", "purchase_kind"}
    assert _saved() == DEFAULTS


@pytest.mark.parametrize("persona", ["owner", "lead", "viewer"])
def test_only_an_administrator_changes_the_policy(request: Any, persona: str):
    user: User = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        survey_policy_update(actor=user, data={"cooldown_days": 5})
    assert _saved() == DEFAULTS
    assert _policy_events() == []


def test_a_deactivated_administrator_is_refused(admin: User):
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        survey_policy_update(actor=admin, data={"cooldown_days": 5})
    assert _saved() == DEFAULTS


def test_the_next_purchase_follows_the_new_policy(
    admin: User, owner: User, contact: Contact, django_capture_on_commit_callbacks: Any
):
    survey_policy_update(actor=admin, data={"purchase_kind": "csat", "purchase_delay_days": 7})
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        make_purchase(owner, contact, days_ago(1))

    request = SurveyRequest.objects.get()
    assert request.kind == "csat"
    delay = request.send_at - before
    assert datetime.timedelta(days=7) <= delay < datetime.timedelta(days=7, minutes=1)


# --- the page -----------------------------------------------------------------------------------

URL = "/surveys/policy/"


def _form(**changes: Any) -> dict[str, Any]:
    """The page's form as a browser posts it: an unchecked box is simply absent."""
    values = {**CHANGED, **changes}
    return {
        name: ("on" if value is True else value)
        for name, value in values.items()
        if value is not False
    }


def test_the_admin_sees_the_policy_in_its_groups(admin: User):
    survey_policy_update(actor=admin, data={"firm_name": "Кав'ярня «Зерно»"})

    response = client_for(admin).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for legend in ("After a purchase", "After a resolved complaint", "For every survey"):
        assert f"<legend>{legend}</legend>" in html
    assert 'value="Кав&#x27;ярня «Зерно»"' in html
    assert 'name="link_valid_days" value="14"' in html
    assert "From 0 (the same day) to 90 days." in html
    assert "How long the client may answer, from 1 to 365 days." in html


def test_the_admin_saves_the_page_and_sees_the_message(admin: User):
    client = client_for(admin)

    response = client.post(URL, _form())

    assert response.status_code == 302
    assert response["Location"] == URL
    assert _saved() == CHANGED
    [event] = _policy_events()
    assert event.channel == "web"
    page = client.get(URL)
    assert "Survey settings saved." in page.content.decode()


def test_unchecking_a_box_turns_the_survey_off(admin: User):
    response = client_for(admin).post(URL, _form(after_purchase=False, after_complaint=False))
    assert response.status_code == 302
    saved = _saved()
    assert (saved["after_purchase"], saved["after_complaint"]) == (False, False)


def test_wrong_values_are_shown_on_their_fields_and_nothing_is_saved(admin: User):
    response = client_for(admin).post(
        URL, _form(link_valid_days=0, purchase_kind="ces", cooldown_days=731)
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"link_valid_days", "purchase_kind", "cooldown_days"}
    html = response.content.decode()
    assert 'id="id_link_valid_days_error"' in html
    assert 'id="id_purchase_kind_error"' in html
    assert 'id="id_cooldown_days_error"' in html
    assert _saved() == DEFAULTS
    assert _policy_events() == []


def test_the_service_errors_land_on_their_fields():
    form = PolicyForm(_form())
    assert form.is_valid(), form.errors
    form.add_service_errors(
        ValidationError({"cooldown_days": ["too long"], "token_hash": ["no such"]})
    )
    assert form.errors["cooldown_days"] == ["too long"]
    assert form.non_field_errors() == ["no such"]


@pytest.mark.parametrize("persona", ["owner", "teammate", "lead", "outsider", "viewer"])
def test_everyone_but_an_administrator_is_refused(request: Any, persona: str):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert _saved() == DEFAULTS


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_visitor_is_sent_to_the_login(method: str):
    response = getattr(Client(), method)(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not SurveyPolicy.objects.exclude(**DEFAULTS).exists()


# --- the Retain page ----------------------------------------------------------------------------


def test_the_retain_page_links_administrators_to_the_page_not_the_admin(admin: User):
    html = client_for(admin).get("/retain/").content.decode()
    assert f'<a href="{URL}">Survey settings</a>' in html
    assert "surveypolicy" not in html


@pytest.mark.parametrize("persona", ["owner", "lead", "viewer"])
def test_the_retain_page_shows_others_no_settings_link(request: Any, persona: str):
    html = client_for(request.getfixturevalue(persona)).get("/retain/").content.decode()
    assert "<h2>Pages</h2>" in html
    assert URL not in html


def test_the_policy_is_not_in_the_django_admin() -> None:
    """The admin would change it past the service's checks and its audit trail."""
    from django.contrib import admin

    from clientela.retention.surveys.models import SurveyPolicy

    assert not admin.site.is_registered(SurveyPolicy)
