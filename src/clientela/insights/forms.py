"""Page forms of the workload and handover pages: they parse what a person chose; the rules
about who may get what live in the selectors and the handover service."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientela.accounts.models import Team, User
from clientela.activities.handover import COMPANY, CONTACT, Client, ClientKey, client_key
from clientela.contacts.models import Contact
from clientela.insights.workload import DEFAULT_WEEKS, MAX_WEEKS

NO_CHOICE = ("", "—")


class TeamLoadForm(forms.Form):
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team.objects.none(), required=False, empty_label=None
    )
    weeks = forms.IntegerField(
        label=gettext_lazy("Weeks"), min_value=1, max_value=MAX_WEEKS, required=False
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def chosen_weeks(self) -> int:
        return self.cleaned_data.get("weeks") or DEFAULT_WEEKS


class HandoverSourceForm(forms.Form):
    from_user = forms.ModelChoiceField(
        label=gettext_lazy("Manager whose book is handed over"), queryset=User.objects.none()
    )

    def __init__(self, *args: Any, sources: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_user"].queryset = sources  # type: ignore[attr-defined]


def row_name(key: ClientKey) -> str:
    return f"to_{key[0]}_{key[1]}"


def row_keys(names: Iterable[str], limit: int) -> list[ClientKey]:
    """The clients named by the per-client inputs among `names` (at most `limit`)."""
    keys: list[ClientKey] = []
    for name in names:
        kind, _sep, pk = name.removeprefix("to_").partition("_")
        if name.startswith("to_") and kind in (CONTACT, COMPANY) and pk.isdigit():
            keys.append((kind, int(pk)))
            if len(keys) >= limit:
                break
    return keys


class HandoverForm(forms.Form):
    """Whom the book goes to and how it is shared; a select per client in `clients`."""

    ONE = "one"
    EVEN = "even"
    PER_CLIENT = "per_client"

    colleagues = forms.MultipleChoiceField(
        label=gettext_lazy("Colleagues"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("For “all to one colleague” tick one; to spread, tick several."),
    )
    distribution = forms.ChoiceField(
        label=gettext_lazy("How to share the book"),
        choices=[
            (ONE, gettext_lazy("All to one colleague")),
            (EVEN, gettext_lazy("Spread evenly among the colleagues ticked")),
            (PER_CLIENT, gettext_lazy("Client by client, in the table below")),
        ],
        initial=ONE,
        widget=forms.RadioSelect,
    )
    rest_to = forms.ChoiceField(
        label=gettext_lazy("Clients left on “—” go to"),
        required=False,
        help_text=gettext_lazy("Client by client only."),
    )
    only_chosen = forms.BooleanField(
        label=gettext_lazy("Hand over only the clients given a colleague in the table"),
        required=False,
        help_text=gettext_lazy("The rest of the book stays with the manager."),
    )
    note = forms.CharField(
        label=gettext_lazy("Handover note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Shown on each client's timeline: what the new manager should know."
        ),
    )

    def __init__(
        self,
        *args: Any,
        targets: Sequence[User],
        clients: Sequence[Client],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {str(u.pk): u for u in targets}
        choices = [(str(u.pk), str(u)) for u in targets]
        self.fields["colleagues"].choices = choices  # type: ignore[attr-defined]
        self.fields["rest_to"].choices = [NO_CHOICE, *choices]  # type: ignore[attr-defined]
        self.clients = list(clients)
        for client in self.clients:
            self.fields[row_name(client_key(client))] = forms.ChoiceField(
                label=str(client), required=False, choices=[NO_CHOICE, *choices]
            )

    def rows(self) -> list[tuple[Client, bool, Any]]:
        """The per-client table: each client, whether it is a contact, and its bound select."""
        return [(c, isinstance(c, Contact), self[row_name(client_key(c))]) for c in self.clients]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mode = cleaned.get("distribution")
        colleagues = cleaned.get("colleagues") or []
        if mode == self.ONE and len(colleagues) != 1:
            self.add_error("colleagues", _("Tick exactly one colleague."))
        if mode == self.EVEN and not colleagues:
            self.add_error("colleagues", _("Tick the colleagues to share the book among."))
        if mode == self.PER_CLIENT:
            if cleaned.get("only_chosen"):
                if not self.assignments():
                    self.add_error(None, _("Choose a colleague for at least one client."))
            elif not cleaned.get("rest_to"):
                self.add_error("rest_to", _("Choose who gets the clients left on “—”."))
        if mode != self.PER_CLIENT and cleaned.get("only_chosen"):
            self.add_error("only_chosen", _("Only when sharing client by client."))
        return cleaned

    def colleagues_chosen(self) -> list[User]:
        return [self.targets[pk] for pk in self.cleaned_data.get("colleagues") or []]

    def assignments(self) -> dict[ClientKey, User]:
        """The colleagues chosen in the table, client by client."""
        found = {}
        for client in self.clients:
            chosen = self.cleaned_data.get(row_name(client_key(client)))
            if chosen:
                found[client_key(client)] = self.targets[chosen]
        return found

    def rest_to_user(self) -> User | None:
        return self.targets.get(self.cleaned_data.get("rest_to") or "")

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the handover service's errors next to the inputs they concern."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        mode = self.cleaned_data.get("distribution")
        for key, messages in error.message_dict.items():
            if key == "note":
                self.add_error("note", messages)
            elif key == "default_to":
                self.add_error("rest_to" if mode == self.PER_CLIENT else "colleagues", messages)
            else:
                self.add_error(None, messages)
