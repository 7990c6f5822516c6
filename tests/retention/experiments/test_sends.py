"""Arms that send a greeting email when the experiment starts: one email per client who can
receive it, in their language, from their owner; the others stay assigned with the reason
recorded; the counts on the results page and over the API; nothing sent when the start rolls
back; who may start; the greeting on the client's timeline; the form and the API input.

The clients are `owner`'s; the experiment is the lead's. The seed is chosen (with the same
`allocate` the service uses) so that the clients under test land in the sending arm.
"""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from clientela.accounts.models import User
from clientela.activities.timeline import timeline_for
from clientela.contacts.models import Contact
from clientela.core.models import OutgoingEmail
from clientela.occasions.models import Greeting, GreetingTemplate
from clientela.occasions.services_greetings import greeting_template_create
from clientela.retention.experiments.allocation import allocate
from clientela.retention.experiments.models import Assignment, Experiment
from clientela.retention.experiments.results import experiment_results
from clientela.retention.experiments.services import experiment_start
from conftest import client_for, make_contact
from retention.experiments.support import NOTHING, make_experiment
from sales.support import api_as, error_fields

SUBJECTS = {
    "uk": "Вітаємо, {first_name}!",
    "ru": "Поздравляем, {first_name}!",
    "en": "Hello, {first_name}!",
}
PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]


@pytest.fixture
def templates(admin: User) -> dict[str, GreetingTemplate]:
    """A holiday greeting in each language (the arm chooses the English one)."""
    return {
        language: greeting_template_create(
            actor=admin,
            data={
                "name": f"Spring {language}",
                "occasion_kind": "holiday",
                "language": language,
                "subject": subject,
                "body": "{formal_name}, spring is here.\n\n{manager_name}",
            },
        )
        for language, subject in SUBJECTS.items()
    }


def _client(owner: User, name: str, **data: Any) -> Contact:
    data.setdefault("emails", [f"{name.lower()}@example.com"])
    data.setdefault("marketing_consent", True)
    return make_contact(owner, first_name=name, last_name="Test", tags=["experiment"], **data)


@pytest.fixture
def clients(owner: User) -> dict[str, Contact]:
    """Clients who can receive the email (in three languages), one without an email address,
    one without marketing consent, then five more (who fill the control arm)."""
    found = {
        "uk": _client(owner, "Олена", language="uk"),
        "en": _client(owner, "Emily", language="en"),
        "ru": _client(owner, "Ольга", language="ru"),
        "no_email": _client(owner, "Nomail", language="uk", emails=[]),
        "no_consent": _client(owner, "Noconsent", language="en", marketing_consent=False),
    }
    for index in range(5):
        found[f"other{index}"] = _client(owner, f"Other{index}", language="en")
    return found


def _seed_sending(clients: dict[str, Contact], *, sending_arm: int = 0) -> int:
    """A seed that deals the first five clients to the sending arm (as the service deals)."""
    pairs = [(c.pk, c.owner_id) for c in clients.values()]
    wanted = [clients[key].pk for key in ("uk", "en", "ru", "no_email", "no_consent")]
    for seed in range(10_000):
        dealt = allocate(pairs, arms=2, seed=seed, stratify=True)
        if all(dealt[pk] == sending_arm for pk in wanted):
            return seed
    raise AssertionError("no seed found")  # pragma: no cover


@pytest.fixture
def experiment(lead, clients, templates) -> Experiment:
    return make_experiment(
        lead,
        seed=_seed_sending(clients),
        arms=[
            {"name": "Spring email", "greeting_template": templates["en"].pk, "creates_task": True},
            NOTHING,
        ],
    )


def test_start_sends_one_email_per_client_in_their_language(
    lead, owner, clients, experiment
) -> None:
    experiment_start(actor=lead, experiment=experiment)

    emails = {e.to: e for e in OutgoingEmail.objects.filter(purpose="greeting")}
    assert set(emails) == {"олена@example.com", "emily@example.com", "ольга@example.com"}
    for key, subject in (
        ("uk", "Вітаємо, Олена!"),
        ("en", "Hello, Emily!"),
        ("ru", "Поздравляем, Ольга!"),
    ):
        email = emails[clients[key].primary_email]
        assert email.language == key
        assert email.subject == subject
        assert email.headers["X-Clientela-Greeting"] == "marketing"
        assignment = Assignment.objects.get(contact=clients[key])
        assert assignment.send_skipped == ""
        greeting = assignment.sent_greeting
        assert greeting is not None
        assert greeting.email_id == email.pk
        assert greeting.sender == owner
        assert greeting.personal is False
        assert greeting.template is not None
        assert greeting.template.language == key
        assert assignment.task is not None  # an arm may send and create a task
    # The control arm sends nothing.
    control = Assignment.objects.filter(arm__is_control=True)
    assert control.count() == 5
    assert not control.filter(sent_greeting__isnull=False).exists()
    assert not control.exclude(send_skipped="").exists()


def test_clients_who_cannot_receive_it_stay_assigned_with_the_reason(
    lead, clients, experiment
) -> None:
    experiment_start(actor=lead, experiment=experiment)

    assert Assignment.objects.count() == 10
    skipped = Assignment.objects.get(contact=clients["no_email"])
    assert (skipped.send_skipped, skipped.sent_greeting) == ("no_email", None)
    skipped = Assignment.objects.get(contact=clients["no_consent"])
    assert (skipped.send_skipped, skipped.sent_greeting) == ("no_consent", None)
    assert skipped.arm.name == "Spring email"
    assert not Greeting.objects.filter(
        contact__in=[clients["no_email"], clients["no_consent"]]
    ).exists()
    # Intention to treat: all five clients of the sending arm count in its results.
    sending = experiment_results(Experiment.objects.get(pk=experiment.pk)).arms[0]
    assert (sending.counts.assigned, sending.counts.pending) == (5, 5)
    assert (sending.counts.sent, sending.counts.no_email, sending.counts.no_consent) == (3, 1, 1)


def test_results_page_shows_sent_and_not_sent_per_arm(lead, viewer, clients, experiment) -> None:
    experiment_start(actor=lead, experiment=experiment)

    for user in (lead, viewer):
        page = client_for(user).get(f"/experiments/{experiment.pk}/").content.decode()
        assert "emails sent: 3, not sent: 2 (no email: 1, no consent: 1)" in page
        assert "intention-to-treat" in page
        assert "Spring en" in page
    # The API gives the same counts.
    body = api_as(lead).get(f"/experiments/{experiment.pk}").json()
    first, control = body["results"]["arms"]
    assert (
        first["emails_sent"],
        first["emails_not_sent_no_email"],
        first["emails_not_sent_no_consent"],
    ) == (3, 1, 1)
    assert control["emails_sent"] == 0


def test_a_draft_page_shows_no_email_counts(lead, experiment) -> None:
    page = client_for(lead).get(f"/experiments/{experiment.pk}/").content.decode()
    assert "emails sent:" not in page
    start = client_for(lead).get(f"/experiments/{experiment.pk}/start/").content.decode()
    assert "the greeting “Spring en” by email" in start


def test_a_start_rolled_back_after_the_sends_leaves_nothing(
    lead, clients, experiment, django_capture_on_commit_callbacks
) -> None:
    # given a start whose surrounding transaction fails after the emails were queued
    queued: list[int] = []

    def start_then_fail() -> None:
        with transaction.atomic():
            experiment_start(actor=lead, experiment=experiment)
            queued.extend(OutgoingEmail.objects.values_list("pk", flat=True))
            assert Greeting.objects.count() == 3
            raise RuntimeError("the page failed after the start")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        start_then_fail()
    assert len(queued) == 3  # the emails were in the outbox before the rollback
    # then nothing is left and no send was ever handed to the queue
    assert callbacks == []
    assert not Greeting.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not Assignment.objects.exists()
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.DRAFT


def test_a_send_failing_midway_rolls_the_start_back(
    lead, clients, experiment, templates, django_capture_on_commit_callbacks
) -> None:
    # given a Russian template broken behind the services' back: the Ukrainian and English
    # clients (created first, dealt first) are sent theirs before the Russian one fails
    GreetingTemplate.objects.filter(pk=templates["ru"].pk).update(subject="Привет, {nonsense}!")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as caught,
    ):
        experiment_start(actor=lead, experiment=experiment)
    errors = caught.value.message_dict
    assert list(errors) == ["arms.0.greeting_template"]
    assert "Ольга" in errors["arms.0.greeting_template"][0]
    assert callbacks == []
    assert not Greeting.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not Assignment.objects.exists()
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.DRAFT


def test_a_template_taken_out_of_use_refuses_the_start(
    lead, admin, clients, experiment, templates
) -> None:
    templates["en"].active = False
    templates["en"].save(update_fields=["active"])
    with pytest.raises(ValidationError) as caught:
        experiment_start(actor=lead, experiment=experiment)
    assert list(caught.value.message_dict) == ["arms.0.greeting_template"]
    assert "no longer in use" in caught.value.messages[0]
    assert not OutgoingEmail.objects.exists()


def test_the_starter_sends_when_the_owner_can_no_longer_write(
    lead, owner, clients, experiment
) -> None:
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    experiment_start(actor=lead, experiment=experiment)
    senders = set(Greeting.objects.values_list("sender__username", flat=True))
    assert senders == {"lead"}
    assert OutgoingEmail.objects.count() == 3


def test_the_model_choice_falls_back_to_the_chosen_template(lead, owner, templates) -> None:
    # A client speaking a language without a template of the occasion gets the chosen one.
    GreetingTemplate.objects.filter(occasion_kind="holiday", language="ru").update(active=False)
    ru = _client(owner, "Ирина", language="ru")
    filler = _client(owner, "Filler", language="en", marketing_consent=False)
    people = {"ru": ru, "filler": filler}
    pairs = [(c.pk, c.owner_id) for c in people.values()]
    seed = next(
        s for s in range(1000) if allocate(pairs, arms=2, seed=s, stratify=True)[ru.pk] == 0
    )
    experiment = make_experiment(
        lead, seed=seed, arms=[{"name": "Mail", "greeting_template": templates["en"].pk}, NOTHING]
    )
    experiment_start(actor=lead, experiment=experiment)
    email = OutgoingEmail.objects.get()
    assert (email.to, email.language, email.subject) == ("ирина@example.com", "en", "Hello, Ирина!")


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [404, 404, 302, 404, 302, 403], strict=True)),
)
def test_who_may_start_a_sending_experiment(
    request, experiment, persona: str, expected: int
) -> None:
    response = client_for(request.getfixturevalue(persona)).post(
        f"/experiments/{experiment.pk}/start/"
    )
    assert response.status_code == expected
    assert OutgoingEmail.objects.count() == (3 if expected == 302 else 0)


def test_a_viewer_cannot_start_by_service_or_api(viewer, experiment) -> None:
    with pytest.raises(PermissionDenied):
        experiment_start(actor=viewer, experiment=experiment)
    response = api_as(viewer).post(f"/experiments/{experiment.pk}/start")
    assert response.status_code == 403
    assert not Greeting.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_greeting_is_on_the_clients_timeline(lead, owner, clients, experiment) -> None:
    experiment_start(actor=lead, experiment=experiment)
    entries = timeline_for(owner, clients["uk"]).entries
    greetings = [e for e in entries if e.kind == "greeting"]
    assert len(greetings) == 1
    assert greetings[0].obj.subject == "Вітаємо, Олена!"
    assert not [e for e in timeline_for(owner, clients["no_email"]).entries if e.kind == "greeting"]


def _form(template: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Spring email vs nothing",
        "window_days": "30",
        "arms-TOTAL_FORMS": "6",
        "arms-INITIAL_FORMS": "0",
        "arms-MIN_NUM_FORMS": "0",
        "arms-MAX_NUM_FORMS": "6",
        "arms-0-name": "Spring email",
        "arms-0-greeting_template": str(template),
        "arms-1-name": "Nothing",
        "arms-1-is_control": "on",
    }
    for index in range(6):
        data.setdefault(f"arms-{index}-currency", "UAH")
    return data


def test_the_form_offers_the_templates_in_use_and_saves_the_choice(lead, templates) -> None:
    templates["ru"].active = False
    templates["ru"].save(update_fields=["active"])
    client = client_for(lead)
    page = client.get("/experiments/new/").content.decode()
    assert 'name="arms-0-greeting_template"' in page
    assert "Spring en (Holiday, English)" in page
    assert "Spring ru" not in page
    response = client.post("/experiments/new/", _form(templates["uk"].pk))
    assert response.status_code == 302
    arm = Experiment.objects.get().arms.get(name="Spring email")
    assert arm.greeting_template == templates["uk"]
    edit = client.get(f"/experiments/{arm.experiment_id}/edit/").content.decode()
    assert f'<option value="{templates["uk"].pk}" selected>' in edit
    # A template out of use is not one of the choices.
    refused = client.post("/experiments/new/", _form(templates["ru"].pk))
    assert refused.status_code == 200
    assert Experiment.objects.count() == 1


def test_the_api_takes_and_gives_the_template(lead, templates) -> None:
    api = api_as(lead)
    body = {
        "name": "Spring email vs nothing",
        "arms": [
            {"name": "Spring email", "greeting_template": templates["en"].pk},
            {"name": "Nothing", "is_control": True},
        ],
    }
    created = api.post("/experiments", body)
    assert created.status_code == 201
    assert [a["greeting_template"] for a in created.json()["arms"]] == [templates["en"].pk, None]
    read = api.get(f"/experiments/{created.json()['id']}").json()
    assert read["arms"][0]["greeting_template"] == templates["en"].pk
    # Unknown or retired templates are refused, naming the row.
    templates["ru"].active = False
    templates["ru"].save(update_fields=["active"])
    for bad in (999_999, templates["ru"].pk):
        refused = api.post(
            "/experiments",
            {**body, "arms": [body["arms"][1], {"name": "X", "greeting_template": bad}]},
        )
        assert refused.status_code == 422
        assert list(error_fields(refused)) == ["arms.1.greeting_template"]
    wrong_type = api.post(
        "/experiments", {**body, "arms": [{"name": "X", "greeting_template": "abc"}]}
    )
    assert wrong_type.status_code == 422
    assert Experiment.objects.count() == 1
