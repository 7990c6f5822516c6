"""Values of the custom fields an administrator defined, validated against their definitions."""

import datetime
import re
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clientela.contacts.models import CustomFieldDefinition

MAX_DIGITS = 30


def custom_field_definitions(entity: str) -> list[CustomFieldDefinition]:
    return list(CustomFieldDefinition.objects.filter(entity=entity))


def _clean_value(definition: CustomFieldDefinition, raw: Any) -> str:
    text = raw.isoformat() if isinstance(raw, datetime.date) else str(raw).strip()
    kind = definition.field_type
    if kind == CustomFieldDefinition.FieldType.NUMBER:
        try:
            # Spaces of any kind group thousands ("1 000,5" as the Ukrainian locale shows it).
            number = Decimal(re.sub(r"\s", "", text).replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError(_("Enter a number.")) from exc
        if not number.is_finite():
            raise ValidationError(_("Enter a number."))
        # "1e999999999" is a valid Decimal whose plain form has a billion digits (and which
        # overflows the default context); "1e-999999999" would quietly become 0.
        too_long = ValidationError(
            _("Enter a number of at most %(digits)s digits.") % {"digits": MAX_DIGITS}
        )
        if abs(number.adjusted()) >= MAX_DIGITS:
            raise too_long
        # Drop trailing zeros exactly: the default context would round to 28 digits.
        number = number.normalize(Context(prec=max(len(number.as_tuple().digits), 1)))
        if len(number.as_tuple().digits) > MAX_DIGITS:
            raise too_long
        return format(number, "f")
    if kind == CustomFieldDefinition.FieldType.DATE:
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from exc
    if kind == CustomFieldDefinition.FieldType.CHOICE:
        if text not in definition.choices:
            allowed = ", ".join(str(c) for c in definition.choices)
            raise ValidationError(_("Choose one of: %(allowed)s.") % {"allowed": allowed})
        return text
    if len(text) > 1000:
        raise ValidationError(_("At most 1000 characters."))
    return text


def clean_custom_values(
    entity: str, values: dict[str, Any] | None, existing: dict[str, Any] | None = None
) -> dict[str, str]:
    """The stored form of `values`; errors are keyed "custom.<key>" so each names its field.

    `values` are laid over the `existing` ones of fields still defined: a change to one field
    keeps the others, an empty value clears its field, and a value of a field an administrator
    has since removed is dropped rather than blocking every later edit of the record.
    """
    definitions = {d.key: d for d in custom_field_definitions(entity)}
    kept = {key: value for key, value in (existing or {}).items() if key in definitions}
    values = {**kept, **(values or {})}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key in values:
        if key not in definitions:
            errors[f"custom.{key}"] = [_("There is no custom field “%(key)s”.") % {"key": key}]
    for key, definition in definitions.items():
        raw = values.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if definition.required:
                errors[f"custom.{key}"] = [_("This field is required.")]
            continue
        try:
            cleaned[key] = _clean_value(definition, raw)
        except ValidationError as exc:
            errors[f"custom.{key}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned
