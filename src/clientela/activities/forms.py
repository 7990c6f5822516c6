"""Page forms for activities (calls, meetings, emails, notes) and tasks.

The forms only turn what a person typed into the shapes the services take (minutes into
seconds, a picked contact into its id); every rule about the values lives in the services,
whose field-keyed errors are put back next to the input they name.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientela.accounts.models import User
from clientela.activities.models import (
    Activity,
    ActivityKind,
    CallOutcome,
    Direction,
    Draining,
    Mood,
    Task,
)
from clientela.contacts.models import Contact

NO_CHOICE = ("", "—")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _label(model: type[Model], name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def local_now_input() -> str:
    """Now, in the page's time zone (the user's), as a datetime-local input writes it."""
    return timezone.localtime().strftime(DATETIME_LOCAL)


class ServiceForm(forms.Form):
    """A form that puts a service's field-keyed errors next to the inputs they name.

    `error_fields` maps a service key to the input that shows its error when their names
    differ; a key without a visible input becomes a message over the form, with its label.
    """

    error_fields: dict[str, str] = {}
    label_model: type[Model]

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            name = self.error_fields.get(key, key)
            field = self.fields.get(name)
            if field is not None and not field.widget.is_hidden:
                self.add_error(name, messages)
            else:
                label = self._label_for(key)
                self.add_error(None, [f"{label}: {message}" for message in messages])

    @property
    def top_errors(self) -> list[str]:
        """The errors shown over the form: the form's own, and those of its hidden inputs."""
        errors = [str(e) for e in self.non_field_errors()]
        for field in self.hidden_fields():
            errors.extend(f"{field.label}: {error}" for error in field.errors)
        return errors

    def _label_for(self, key: str) -> str:
        if key == "__all__":
            return ""
        try:
            return str(_label(self.label_model, key))
        except FieldDoesNotExist:
            return key


# --- tasks ----------------------------------------------------------------------------------------


class QuickTaskForm(ServiceForm):
    """The one-line "Add a task" at the top of My day: for the user, due today by default."""

    label_model = Task

    title = forms.CharField(label=_label(Task, "title"), max_length=200)
    due_date = forms.DateField(label=_label(Task, "due_date"), widget=date_input())
    due_time = forms.TimeField(label=_label(Task, "due_time"), required=False, widget=time_input())

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        return {
            "title": cleaned["title"],
            "due_date": cleaned["due_date"],
            "due_time": cleaned["due_time"],
        }


class TaskForm(ServiceForm):
    """A task: what, by when, for whom; its client and deal ride along from where it was made."""

    label_model = Task

    title = forms.CharField(label=_label(Task, "title"), max_length=200)
    due_date = forms.DateField(label=_label(Task, "due_date"), widget=date_input())
    due_time = forms.TimeField(
        label=_label(Task, "due_time"),
        required=False,
        widget=time_input(),
        help_text=gettext_lazy("Optional; in the assignee's time zone."),
    )
    owner = forms.TypedChoiceField(
        label=gettext_lazy("Assignee"), coerce=int, required=False, empty_value=None
    )
    urgent = forms.BooleanField(
        label=_label(Task, "urgent"),
        required=False,
        help_text=gettext_lazy("Never suggested for moving on a heavy day."),
    )
    notes = forms.CharField(
        label=_label(Task, "notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.IntegerField(
        label=_label(Task, "contact"), required=False, widget=forms.HiddenInput
    )
    company = forms.IntegerField(
        label=_label(Task, "company"), required=False, widget=forms.HiddenInput
    )
    deal = forms.IntegerField(label=_label(Task, "deal"), required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        user: User,
        owners: Iterable[User],
        task: Task | None = None,
        **kwargs: Any,
    ) -> None:
        self.user = user
        self.task = task
        if task is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": task.title,
                "due_date": task.due_date,
                "due_time": task.due_time,
                "owner": task.owner_id,
                "urgent": task.urgent,
                "notes": task.notes,
            }
        super().__init__(*args, **kwargs)
        choices = [(u.pk, str(u)) for u in owners]
        current = task.owner if task is not None else None
        if current is not None and current.pk not in {pk for pk, _name in choices}:
            # The present assignee stays selectable even when this user could not pick them.
            choices.insert(0, (current.pk, str(current)))
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.TypedChoiceField)
        owner_field.choices = choices
        if len(choices) <= 1:
            # A manager gives tasks to itself only: no choice to offer.
            owner_field.widget = forms.HiddenInput()
        if not self.initial.get("owner"):
            self.initial["owner"] = current.pk if current is not None else user.pk
        if task is not None:
            # An existing task keeps its client and deal: the form does not carry them.
            for name in ("contact", "company", "deal"):
                del self.fields[name]

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        data: dict[str, Any] = {
            "title": cleaned["title"],
            "due_date": cleaned["due_date"],
            "due_time": cleaned["due_time"],
            "urgent": cleaned["urgent"],
            "notes": cleaned["notes"],
        }
        if cleaned.get("owner") is not None:
            data["owner"] = cleaned["owner"]
        for name in ("contact", "company", "deal"):
            if name in self.fields and cleaned.get(name) is not None:
                data[name] = cleaned[name]
        return data


# --- activities -----------------------------------------------------------------------------------


class ClientField(forms.CharField):
    """A contact typed by name, picked from suggestions as "Name #12"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Contact"))
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault(
            "help_text", gettext_lazy("Start typing the name and pick the contact from the list.")
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "client-suggestions",
                    "autocomplete": "off",
                    "hx-get": reverse_lazy("activities:client_suggest"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#client-suggestions",
                }
            ),
        )
        super().__init__(**kwargs)


class ActivityForm(ServiceForm):
    """What every kind shares: the client it was with, when, a subject and a text.

    Subclasses add their kind's fields; `kind_fields` are passed to the service as they are.
    """

    kind: str
    label_model = Activity
    kind_fields: list[str] = []
    layout_spec: list[list[str]] = []

    contact = forms.IntegerField(
        label=_label(Activity, "contact"), required=False, widget=forms.HiddenInput
    )
    company = forms.IntegerField(
        label=_label(Activity, "company"), required=False, widget=forms.HiddenInput
    )
    deal = forms.IntegerField(
        label=_label(Activity, "deal"), required=False, widget=forms.HiddenInput
    )
    client = ClientField(required=False)
    started_at = forms.DateTimeField(label=_label(Activity, "started_at"), widget=datetime_input())
    subject = forms.CharField(label=_label(Activity, "subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_label(Activity, "body"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        activity: Activity | None = None,
        has_client: bool = False,
        **kwargs: Any,
    ) -> None:
        """`has_client`: the page already knows the client (a contact, company or deal)."""
        self.user = user
        self.activity = activity
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(activity)
        super().__init__(*args, **kwargs)
        if activity is not None or has_client:
            del self.fields["client"]
        if activity is not None:
            # An activity stays with its client and deal; the form does not carry them.
            for name in ("contact", "company", "deal"):
                del self.fields[name]
        if not self.initial.get("started_at") and activity is None:
            self.initial["started_at"] = local_now_input()

    def initial_from(self, activity: Activity) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "started_at": timezone.localtime(activity.started_at).strftime(DATETIME_LOCAL),
            "subject": activity.subject,
            "body": activity.body,
        }
        for name in self.kind_fields:
            initial[name] = getattr(activity, name)
        return initial

    @property
    def layout(self) -> list[list[forms.BoundField]]:
        """Rows of inputs for the template; a row of several inputs sits on one line."""
        return [[self[name] for name in row if name in self.fields] for row in self.layout_spec]

    @property
    def picks_client(self) -> bool:
        return "client" in self.fields

    def clean_client(self) -> int | None:
        """The id of the visible contact the typed text means ("Name #12" when names repeat)."""
        text = " ".join((self.cleaned_data.get("client") or "").split())
        if not text:
            return None
        visible = Contact.objects.visible_to(self.user)
        name, _sep, number = text.rpartition(" #")
        if name and number.isdigit():
            found = visible.filter(pk=int(number)).values_list("pk", flat=True).first()
            if found is not None:
                return found
        words = text.split()
        candidates = visible.filter(first_name__in=words, last_name__in=words)[:20]
        matches = [c.pk for c in candidates if c.full_name.lower() == text.lower()][:2]
        if not matches:
            raise ValidationError(
                _("There is no contact “%(name)s” that you can see; pick one from the list.")
                % {"name": text}
            )
        if len(matches) > 1:
            raise ValidationError(
                _("Several contacts are called “%(name)s”: pick the one you mean from the list.")
                % {"name": text}
            )
        return matches[0]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = any(cleaned.get(n) for n in ("client", "contact", "company", "deal"))
        if self.picks_client and not named and not self.errors.get("client"):
            self.add_error("client", _("Choose who it was with."))
        return cleaned

    def kind_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.kind_fields}

    def service_data(self) -> dict[str, Any]:
        """The cleaned input in the shape the services take."""
        cleaned = self.cleaned_data
        data: dict[str, Any] = {
            "started_at": cleaned["started_at"],
            "subject": cleaned["subject"],
            "body": cleaned["body"],
            **self.kind_data(),
        }
        if self.activity is None:
            data["kind"] = self.kind
            for name in ("contact", "company", "deal"):
                if cleaned.get(name) is not None:
                    data[name] = cleaned[name]
            if cleaned.get("client") is not None:
                data["contact"] = cleaned["client"]
        return data


def _radio(choices: list[tuple[Any, Any]]) -> forms.RadioSelect:
    return forms.RadioSelect(choices=choices, attrs={"class": "scale"})


class CallForm(ActivityForm):
    kind = ActivityKind.CALL
    kind_fields = ["direction", "outcome", "mood", "draining"]
    layout_spec = [
        ["client"],
        ["direction", "started_at"],
        ["duration", "duration_seconds", "outcome"],
        ["mood"],
        ["draining"],
        ["subject"],
        ["body"],
    ]

    direction = forms.ChoiceField(
        label=_label(Activity, "direction"),
        choices=Direction.choices,
        initial=Direction.OUTBOUND,
        widget=forms.RadioSelect(attrs={"class": "inline"}),
    )
    duration = forms.IntegerField(
        label=gettext_lazy("Duration, minutes"),
        required=False,
        # The one thing almost every call needs typed: the rest has good defaults.
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4, "autofocus": True}),
    )
    duration_seconds = forms.IntegerField(
        label=gettext_lazy("and seconds"),
        required=False,
        min_value=0,
        max_value=59,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 2}),
    )
    outcome = forms.ChoiceField(
        label=_label(Activity, "outcome"),
        required=False,
        choices=[NO_CHOICE, *CallOutcome.choices],
    )
    mood = forms.TypedChoiceField(
        label=gettext_lazy("The client's mood"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=Mood.choices,
        widget=_radio(Mood.choices),
    )
    draining = forms.TypedChoiceField(
        label=gettext_lazy("How draining was this call for you?"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=Draining.choices,
        widget=_radio(Draining.choices),
    )
    follow_up_title = forms.CharField(
        label=gettext_lazy("Follow-up task"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional: what to do next, e.g. “Send the offer”."),
    )
    follow_up_date = forms.DateField(
        label=gettext_lazy("Due date"), required=False, widget=date_input()
    )

    def initial_from(self, activity: Activity) -> dict[str, Any]:
        initial = super().initial_from(activity)
        seconds = int(activity.duration.total_seconds()) if activity.duration is not None else None
        initial["duration"] = seconds // 60 if seconds is not None else None
        initial["duration_seconds"] = (seconds % 60 or None) if seconds is not None else None
        return initial

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = gettext_lazy("Notes")
        if self.activity is not None:
            # A follow-up is offered when the call is logged, not when it is corrected.
            del self.fields["follow_up_title"]
            del self.fields["follow_up_date"]

    @property
    def offers_follow_up(self) -> bool:
        return "follow_up_title" in self.fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.offers_follow_up:
            title = (cleaned.get("follow_up_title") or "").strip()
            if (
                title
                and not cleaned.get("follow_up_date")
                and not self.errors.get("follow_up_date")
            ):
                self.add_error("follow_up_date", _("Choose when the follow-up is due."))
            if cleaned.get("follow_up_date") and not title:
                self.add_error("follow_up_title", _("Say what the follow-up is."))
        return cleaned

    def kind_data(self) -> dict[str, Any]:
        data = super().kind_data()
        minutes = self.cleaned_data.get("duration")
        seconds = self.cleaned_data.get("duration_seconds")
        if minutes is None and seconds is None:
            data["duration"] = None
        else:
            data["duration"] = (minutes or 0) * 60 + (seconds or 0)
        return data

    def follow_up_data(self) -> dict[str, Any] | None:
        """The follow-up task to add with the call, or None."""
        if not self.offers_follow_up:
            return None
        title = (self.cleaned_data.get("follow_up_title") or "").strip()
        if not title:
            return None
        return {"title": title, "due_date": self.cleaned_data["follow_up_date"]}


class MeetingForm(ActivityForm):
    kind = ActivityKind.MEETING
    kind_fields = ["ended_at", "place", "attendees"]
    layout_spec = [
        ["client"],
        ["started_at", "ended_at"],
        ["place", "attendees"],
        ["subject"],
        ["body"],
    ]

    ended_at = forms.DateTimeField(
        label=_label(Activity, "ended_at"), required=False, widget=datetime_input()
    )
    place = forms.CharField(label=_label(Activity, "place"), max_length=200, required=False)
    attendees = forms.CharField(
        label=_label(Activity, "attendees"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Who else was there."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_at"].label = gettext_lazy("Starts")
        self.fields["body"].label = gettext_lazy("Notes")

    def initial_from(self, activity: Activity) -> dict[str, Any]:
        initial = super().initial_from(activity)
        if activity.ended_at is not None:
            initial["ended_at"] = timezone.localtime(activity.ended_at).strftime(DATETIME_LOCAL)
        return initial


class EmailForm(ActivityForm):
    kind = ActivityKind.EMAIL
    kind_fields = ["direction", "email_address"]
    layout_spec = [
        ["client"],
        ["direction", "started_at"],
        ["email_address"],
        ["subject"],
        ["body"],
    ]

    direction = forms.ChoiceField(
        label=_label(Activity, "direction"),
        choices=[
            (Direction.OUTBOUND, gettext_lazy("Sent")),
            (Direction.INBOUND, gettext_lazy("Received")),
        ],
        initial=Direction.OUTBOUND,
        widget=forms.RadioSelect(attrs={"class": "inline"}),
    )
    email_address = forms.CharField(
        label=_label(Activity, "email_address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"inputmode": "email"}),
    )


class NoteForm(ActivityForm):
    kind = ActivityKind.NOTE
    layout_spec = [["client"], ["started_at"], ["subject"], ["body"]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = gettext_lazy("Note")
        self.fields["body"].widget.attrs["rows"] = 6


ACTIVITY_FORMS: dict[str, type[ActivityForm]] = {
    ActivityKind.CALL: CallForm,
    ActivityKind.MEETING: MeetingForm,
    ActivityKind.EMAIL: EmailForm,
    ActivityKind.NOTE: NoteForm,
}

# The follow-up task's errors, as the task service names them, on the call form's inputs.
FOLLOW_UP_FIELDS = {"title": "follow_up_title", "due_date": "follow_up_date"}
