"""Page forms for deals: create, edit, and moving a deal to another stage.

The forms only parse what a person typed into the shapes the services take; every rule about
the values (amounts, currencies, dates, who may own a deal, which stage a deal may go to, the
purchase of a won deal) lives in the services, whose field-keyed errors are put back next to
the input they name.
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
from clientela.contacts.models import Company, Contact
from clientela.contacts.selectors import ListFilters, company_list, contact_list
from clientela.core.money import CURRENCIES, DEFAULT_CURRENCY
from clientela.sales import policy
from clientela.sales.forms_purchases import _number, needs_approval
from clientela.sales.models import Deal, LostReason, Pipeline, Purchase, Stage, StageKind

NO_CHOICE = ("", "—")


def _label(model: type[Model], name: str) -> Any:
    """The model field's verbose name, capitalised (lazily: it is translated per request)."""
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def client_label(client: Contact | Company) -> str:
    """How the client box shows a contact or company: its name and number, never ambiguous."""
    return f"{client} #{client.pk}"


def _client_input(kind: str) -> forms.CharField:
    """A text box that suggests the visible contacts (or companies) while one types."""
    return forms.CharField(
        label=_label(Deal, kind),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "list": f"{kind}-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("sales:deal_client_suggest"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{kind}-suggestions",
            }
        ),
    )


class ServiceErrorsMixin:
    """Put a service's field-keyed errors next to the inputs they name."""

    # A service key that is not a field of the form, and the field that shows it instead.
    error_aliases: dict[str, str] = {}
    # Set when the service refused a discount that a lead's approval would allow.
    needs_discount_approval = False

    def add_service_errors(self, error: ValidationError) -> None:
        form: Any = self
        if not hasattr(error, "error_dict"):
            form.add_error(None, error.messages)
            return
        self.needs_discount_approval = needs_approval(error)
        for key, messages in error.message_dict.items():
            name = self.error_aliases.get(key, key.removeprefix("purchase."))
            if name in form.fields and not form.fields[name].widget.is_hidden:
                form.add_error(name, messages)
            else:
                label = self.label_for_key(key)
                form.add_error(
                    None, [f"{label}: {message}" if label else message for message in messages]
                )

    def label_for_key(self, key: str) -> str:
        name = key.removeprefix("purchase.")
        model: type[Model] = Purchase if key.startswith("purchase.") else Deal
        try:
            return str(_label(model, name))
        except FieldDoesNotExist:
            return ""


class DealForm(ServiceErrorsMixin, forms.Form):
    """A new deal or the fields of an existing one (its stage changes by moving it)."""

    plain_fields = [
        *("title", "value", "currency", "expected_close", "source", "probability"),
        *("discount_percent", "cost"),
    ]

    title = forms.CharField(label=_label(Deal, "title"), max_length=200)
    contact = _client_input("contact")
    company = _client_input("company")
    value = forms.CharField(
        label=_label(Deal, "value"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(
        label=_label(Deal, "currency"), choices=[(code, code) for code in CURRENCIES]
    )
    discount_percent = forms.CharField(
        label=_label(Deal, "discount_percent"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
        help_text=gettext_lazy("The value is the price after this discount."),
    )
    cost = forms.CharField(
        label=_label(Deal, "cost"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=gettext_lazy("What the deal costs the firm, in its currency; optional."),
    )
    pipeline = forms.TypedChoiceField(
        label=_label(Deal, "pipeline"), coerce=int, required=False, empty_value=None
    )
    stage = forms.TypedChoiceField(
        label=_label(Deal, "stage"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("Left empty: the first open stage of the pipeline."),
    )
    lost_reason = forms.TypedChoiceField(
        label=_label(Deal, "lost_reason"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("Only for a deal in a lost stage."),
    )
    expected_close = forms.CharField(
        label=_label(Deal, "expected_close"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    probability = forms.CharField(
        label=_label(Deal, "probability"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
        help_text=gettext_lazy("Left empty on a new deal: the stage's."),
    )
    source = forms.CharField(label=_label(Deal, "source"), max_length=100, required=False)
    owner = forms.TypedChoiceField(
        label=gettext_lazy("Owner"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        owners: Iterable[User],
        pipelines: list[Pipeline],
        reasons: Iterable[LostReason],
        deal: Deal | None = None,
        **kwargs: Any,
    ) -> None:
        self.user = user
        self.deal = deal
        self.creating = deal is None
        if deal is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(deal)
        super().__init__(*args, **kwargs)
        owner_choices = [(u.pk, str(u)) for u in owners]
        current = deal.owner if deal is not None else None
        if current is not None and current.pk not in {pk for pk, _name in owner_choices}:
            # Keep the present owner selectable even when this user could not assign to them.
            owner_choices.insert(0, (current.pk, str(current)))
        self._choices("owner", owner_choices)
        self.initial.setdefault("owner", current.pk if current is not None else user.pk)
        self._choices("lost_reason", [NO_CHOICE, *((r.pk, r.name) for r in reasons)])
        if self.creating:
            self._choices("pipeline", [(p.pk, p.name) for p in pipelines])
            default = next(
                (p for p in pipelines if p.is_default), pipelines[0] if pipelines else None
            )
            self.initial.setdefault("pipeline", default.pk if default is not None else None)
            self.initial.setdefault("currency", DEFAULT_CURRENCY)
            # Every pipeline's stages, grouped; the page narrows them to the chosen pipeline.
            grouped: list[Any] = [NO_CHOICE]
            for pipeline in pipelines:
                grouped.append((pipeline.name, [(s.pk, s.name) for s in pipeline.stages.all()]))
            self._choices("stage", grouped)
            # With htmx, choosing a pipeline narrows the stage select to its stages.
            self.fields["pipeline"].widget.attrs |= {
                "hx-get": reverse_lazy("sales:deal_stage_options"),
                "hx-target": "#id_stage",
                "hx-trigger": "change",
            }
        else:
            del self.fields["pipeline"], self.fields["stage"]
            assert deal is not None
            if deal.stage.kind != StageKind.LOST:
                del self.fields["lost_reason"]
            else:
                self.fields["lost_reason"].required = True

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @staticmethod
    def initial_from(deal: Deal) -> dict[str, Any]:
        return {
            "title": deal.title,
            "contact": client_label(deal.contact) if deal.contact_id and deal.contact else "",
            "company": client_label(deal.company) if deal.company_id and deal.company else "",
            "value": deal.value,
            "currency": deal.currency,
            "discount_percent": (
                format(deal.discount_percent.normalize(), "f")
                if deal.discount_percent is not None
                else ""
            ),
            "cost": deal.cost if deal.cost is not None else "",
            "expected_close": deal.expected_close.isoformat() if deal.expected_close else "",
            "probability": deal.probability,
            "source": deal.source,
            "owner": deal.owner_id,
            "lost_reason": deal.lost_reason_id,
        }

    @property
    def stage_rows(self) -> list[list[forms.BoundField]]:
        """The inputs in rows, for the template; a row of several fields sits on one line."""
        rows = [
            ["title"],
            ["contact", "company"],
            ["value", "currency"],
            ["discount_percent", "cost"],
            ["pipeline", "stage", "lost_reason"],
            ["expected_close", "probability"],
            ["source", "owner"],
        ]
        return [[self[name] for name in row if name in self.fields] for row in rows]

    def _client_id(self, kind: str) -> int | None:
        """The id of the visible contact or company the typed text means ("Name #12")."""
        text = " ".join(self.cleaned_data.get(kind, "").split())
        if not text:
            return None
        current = getattr(self.deal, kind) if self.deal is not None else None
        if current is not None and text == client_label(current):
            return int(current.pk)
        _name, sep, number = text.rpartition(" #")
        if sep and number.isdigit():
            return int(number)
        search = contact_list if kind == "contact" else company_list
        found = search(self.user, ListFilters(q=text), size=2).items
        if not found:
            raise ValidationError(
                _("There is no contact “%(name)s” that you can see.")
                if kind == "contact"
                else _("There is no company “%(name)s” that you can see."),
                params={"name": text},
            )
        if len(found) > 1:
            raise ValidationError(
                _("Several match “%(name)s”: choose one of the suggestions."),
                params={"name": text},
            )
        return int(found[0].pk)

    def clean_contact(self) -> int | None:
        return self._client_id("contact")

    def clean_company(self) -> int | None:
        return self._client_id("company")

    def service_data(self) -> dict[str, Any]:
        """The cleaned input in the shape the services take."""
        cleaned = self.cleaned_data
        data: dict[str, Any] = {name: cleaned[name] for name in self.plain_fields}
        if data["value"] in (None, ""):
            data["value"] = "0"
        for name in ("discount_percent", "cost"):
            data[name] = _number(data[name]) or None
        if self.creating and data["probability"] in (None, ""):
            # Left out, a new deal takes its stage's probability.
            del data["probability"]
        for kind in ("contact", "company"):
            chosen = cleaned.get(kind)
            unchanged = self.deal is not None and chosen == getattr(self.deal, f"{kind}_id")
            if not unchanged:
                # Sent only when changed: the editor may not see the client someone else linked.
                data[kind] = chosen
        owner = cleaned.get("owner")
        if owner is not None and (self.deal is None or owner != self.deal.owner_id):
            # Sent only when changed: the present owner may be one the editor cannot assign to.
            data["owner"] = owner
        if self.creating:
            data["pipeline"] = cleaned.get("pipeline")
            data["stage"] = cleaned.get("stage")
        if "lost_reason" in self.fields:
            reason = cleaned.get("lost_reason")
            if reason is not None or not self.creating:
                data["lost_reason"] = reason
        return data

    @property
    def approval_url(self) -> str:
        """Where "Ask a lead to approve" sends this form, once a discount was refused."""
        return policy.approval_request_url() if self.needs_discount_approval else ""


class DealMoveForm(ServiceErrorsMixin, forms.Form):
    """Move a deal to a stage: a lost stage asks why, a won stage asks what was bought."""

    PURCHASE = "purchase"
    NO_PURCHASE = "none"

    error_aliases = {"expected_stage": "from_stage", "purchase": "outcome"}

    # Any id is taken here: the service says why a stage of another pipeline is refused.
    stage = forms.IntegerField(label=gettext_lazy("Move to"), min_value=1, widget=forms.HiddenInput)
    from_stage = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Set by the page that asked for the details of a won or lost stage.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    lost_reason = forms.TypedChoiceField(
        label=gettext_lazy("Why was it lost?"), coerce=int, required=False, empty_value=None
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("The purchase"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (PURCHASE, gettext_lazy("Record what the client bought")),
            (NO_PURCHASE, gettext_lazy("Won without recording a purchase")),
        ],
    )
    date = forms.CharField(
        label=_label(Purchase, "date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    amount = forms.CharField(
        label=_label(Purchase, "amount"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(
        label=_label(Purchase, "currency"),
        required=False,
        choices=[(code, code) for code in CURRENCIES],
    )
    description = forms.CharField(
        label=_label(Purchase, "description"), required=False, max_length=500
    )
    discount_percent = forms.CharField(
        label=_label(Purchase, "discount_percent"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )

    def __init__(
        self,
        *args: Any,
        deal: Deal,
        stages: list[Stage],
        reasons: Iterable[LostReason],
        **kwargs: Any,
    ) -> None:
        self.deal = deal
        self.stages = {stage.pk: stage for stage in stages}
        kwargs.setdefault(
            "initial",
            {
                "from_stage": deal.stage_id,
                "outcome": self.PURCHASE,
                "date": timezone.localdate().isoformat(),
                "amount": deal.value,
                "currency": deal.currency,
                "description": deal.title,
            },
        )
        super().__init__(*args, **kwargs)
        reason_field = self.fields["lost_reason"]
        assert isinstance(reason_field, forms.ChoiceField)
        reason_field.choices = [NO_CHOICE, *((r.pk, r.name) for r in reasons)]

    @property
    def target(self) -> Stage | None:
        """The stage chosen, if it is one of the deal's pipeline."""
        raw = self.cleaned_data.get("stage") if hasattr(self, "cleaned_data") else None
        if raw is None:
            raw = self.initial.get("stage") or self.data.get("stage")
        try:
            return self.stages.get(int(raw)) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def needs_details(self) -> bool:
        """A won or lost stage chosen without the page that asks for the purchase or reason."""
        target = self.target
        return target is not None and target.is_closed and not self.cleaned_data.get("confirm")

    def expected_stage(self) -> int:
        return self.cleaned_data.get("from_stage") or self.deal.stage_id

    def purchase_data(self) -> dict[str, Any] | None:
        target = self.target
        if target is None or target.kind != StageKind.WON:
            return None
        if self.cleaned_data.get("outcome") == self.NO_PURCHASE:
            return None
        cleaned = self.cleaned_data
        return {
            "date": cleaned["date"],
            "amount": cleaned["amount"],
            "currency": cleaned["currency"] or self.deal.currency,
            "description": cleaned["description"],
            "discount_percent": cleaned["discount_percent"],
        }
