"""Creating and changing an experiment while it is a draft: its clients, arms and window."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.selectors import CONTACT_SORTS, list_filters_clean
from clientela.core.audit import audit_diff, audit_record
from clientela.core.errors import EditConflict
from clientela.core.money import DEFAULT_CURRENCY, clean_amount, clean_currency
from clientela.occasions.models import GestureKind, GreetingTemplate
from clientela.retention.experiments.models import MAX_WINDOW_DAYS, Arm, Experiment
from clientela.retention.experiments.selectors import FILTER_KEYS
from clientela.retention.experiments.services._common import (
    ARM_FIELDS,
    EXPERIMENT_FIELDS,
    MAX_ARMS,
    MAX_SEED,
    Errors,
    _ensure_can_run,
    _locked,
    experiment_snapshot,
)


def _text(value: Any, field: str, errors: Errors, *, required: bool, limit: int) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors[field] = [_("Null characters are not allowed.")]
    elif required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("Use at most %(limit)d characters.") % {"limit": limit}]
    return text


def _bool(value: Any, field: str, errors: Errors) -> bool:
    if not isinstance(value, bool):
        errors[field] = [_("Enter true or false.")]
        return False
    return value


def _clean_filters(actor: User, raw: Any, errors: Errors) -> dict[str, str]:
    """The contact list's filter parameters, checked as the list checks them."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        errors["filters"] = [_('Give the filters as an object such as {"tag": "VIP"}.')]
        return {}
    unknown = sorted(set(raw) - set(FILTER_KEYS))
    if unknown:
        errors["filters"] = [
            _("Unknown filters: %(names)s. Use: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(FILTER_KEYS)}
        ]
        return {}
    cleaned = {key: str(value).strip() for key, value in raw.items() if value not in (None, "")}
    try:
        list_filters_clean(actor, cleaned, sorts=CONTACT_SORTS)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors[f"filters.{key}"] = messages
    return cleaned


def _apply(*, actor: User, experiment: Experiment, data: dict[str, Any], creating: bool) -> Errors:
    errors: Errors = {}
    for name in sorted(data.keys() - EXPERIMENT_FIELDS - {"arms"}):
        errors[name] = [_("There is no such field.")]
    if "name" in data or creating:
        experiment.name = _text(data.get("name"), "name", errors, required=True, limit=200)
    if "hypothesis" in data:
        experiment.hypothesis = _text(
            data["hypothesis"], "hypothesis", errors, required=False, limit=5000
        )
    if "filters" in data:
        experiment.filters = _clean_filters(actor, data["filters"], errors)
    for flag in ("at_risk_only", "stratify_by_owner"):
        if flag in data:
            setattr(experiment, flag, _bool(data[flag], flag, errors))
    if "window_days" in data:
        days = data["window_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WINDOW_DAYS:
            errors["window_days"] = [
                _("Enter a whole number of days from 1 to %(most)d.") % {"most": MAX_WINDOW_DAYS}
            ]
        else:
            experiment.window_days = days
    if "seed" in data:
        seed = data["seed"]
        if seed in (None, ""):
            experiment.seed = None
        elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            errors["seed"] = [_("Enter a whole number from 0 to 2⁶³ − 1, or leave it empty.")]
        else:
            experiment.seed = seed
    return errors


def _clean_arms(raw: Any, errors: Errors) -> list[Arm]:
    """The arms, checked row by row (errors name the row: "arms.2.cost")."""
    if not isinstance(raw, list):
        errors["arms"] = [_("Give the arms as a list.")]
        return []
    if len(raw) > MAX_ARMS:
        errors["arms"] = [_("At most %(most)d arms.") % {"most": MAX_ARMS}]
        return []
    arms: list[Arm] = []
    names: set[str] = set()
    for index, row in enumerate(raw):
        prefix = f"arms.{index}."
        if not isinstance(row, dict):
            errors[f"arms.{index}"] = [_("Each arm is an object.")]
            continue
        for name in sorted(row.keys() - ARM_FIELDS):
            errors[prefix + name] = [_("There is no such field.")]
        arm = Arm(position=index)
        arm.name = _text(row.get("name"), prefix + "name", errors, required=True, limit=100)
        if arm.name and arm.name.casefold() in names:
            errors[prefix + "name"] = [_("Two arms cannot have the same name.")]
        names.add(arm.name.casefold())
        arm.is_control = _bool(row.get("is_control", False), prefix + "is_control", errors)
        arm.creates_task = _bool(row.get("creates_task", False), prefix + "creates_task", errors)
        kind = str(row.get("gesture_kind") or "")
        if kind and kind not in GestureKind.values:
            errors[prefix + "gesture_kind"] = [
                _("“%(value)s” is not one of the choices.") % {"value": kind}
            ]
        arm.gesture_kind = kind
        arm.greeting_template_id = _template_id(
            row.get("greeting_template"), prefix + "greeting_template", errors
        )
        try:
            arm.cost = clean_amount(row.get("cost") if row.get("cost") not in (None, "") else 0)
        except ValidationError as exc:
            errors[prefix + "cost"] = exc.messages
        try:
            arm.currency = clean_currency(row.get("currency") or DEFAULT_CURRENCY)
        except ValidationError as exc:
            errors[prefix + "currency"] = exc.messages
        arms.append(arm)
    if sum(arm.is_control for arm in arms) > 1:
        errors["arms"] = [_("Only one arm can be the control.")]
    _attach_templates(arms, errors)
    return arms


def _template_id(value: Any, field: str, errors: Errors) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        errors[field] = [_("Choose a greeting template by its number, or none.")]
        return None
    return value


def _attach_templates(arms: list[Arm], errors: Errors) -> None:
    """Each arm's greeting template, which must exist and be in use (one query)."""
    wanted = {arm.greeting_template_id for arm in arms if arm.greeting_template_id}
    found = GreetingTemplate.objects.filter(pk__in=wanted, active=True).in_bulk() if wanted else {}
    for arm in arms:
        if arm.greeting_template_id is None:
            continue
        template = found.get(arm.greeting_template_id)
        if template is None:
            errors[f"arms.{arm.position}.greeting_template"] = [
                _("There is no greeting template %(id)s in use: choose another one, or none.")
                % {"id": arm.greeting_template_id}
            ]
            arm.greeting_template_id = None
        else:
            arm.greeting_template = template


def _save_arms(experiment: Experiment, arms: list[Arm]) -> None:
    experiment.arms.all().delete()
    for arm in arms:
        arm.experiment = experiment
    Arm.objects.bulk_create(arms)


@transaction.atomic
def experiment_create(*, actor: User, data: dict[str, Any]) -> Experiment:
    """A draft experiment with its arms (`data["arms"]`: a list of arm objects).

    Raises ValidationError naming each bad field (`arms.1.cost` for a row); nothing saved.
    Drafts may have fewer than two arms; starting refuses them.
    """
    _ensure_can_run(actor)
    experiment = Experiment(created_by=actor)
    errors = _apply(actor=actor, experiment=experiment, data=data, creating=True)
    arms = _clean_arms(data.get("arms", []), errors)
    if errors:
        raise ValidationError(errors)
    experiment.save()
    _save_arms(experiment, arms)
    audit_record(
        actor=actor,
        action="create",
        obj=experiment,
        changes=audit_diff({}, experiment_snapshot(experiment, arms)),
    )
    return experiment


@transaction.atomic
def experiment_update(
    *,
    actor: User,
    experiment: Experiment,
    data: dict[str, Any],
    expected_updated_at: Any = None,
) -> Experiment:
    """Change a draft (the fields present in `data`; `arms`, when given, replaces them all)."""
    _ensure_can_run(actor)
    locked = _locked(actor, experiment)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this experiment while you were editing it."))
    if locked.status != Experiment.Status.DRAFT:
        raise ValidationError(
            {"status": [_("Only a draft can be changed: this experiment has started.")]}
        )
    before = experiment_snapshot(locked)
    errors = _apply(actor=actor, experiment=locked, data=data, creating=False)
    arms = _clean_arms(data["arms"], errors) if "arms" in data else None
    if errors:
        raise ValidationError(errors)
    locked.save()
    if arms is not None:
        _save_arms(locked, arms)
    changes = audit_diff(before, experiment_snapshot(locked))
    if changes:
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    return locked


# --- starting -------------------------------------------------------------------------------
