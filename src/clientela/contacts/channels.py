"""Phones and emails: parsed, normalised and validated before anything is stored."""

from collections.abc import Callable

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email


def normalize_phone(raw: str, region: str | None = None) -> str:
    """E.164 for a number typed in any usual format; local numbers use the default region."""
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, region or settings.DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": text}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("“%(value)s” is not a valid phone number.") % {"value": text})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """How a stored number is shown: nationally for the home region, internationally otherwise."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == settings.DEFAULT_PHONE_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(raw: str) -> str:
    text = raw.strip()
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid email address.") % {"value": text}
        ) from exc
    return result.normalized.lower()


def _clean_list(values: list[str], normalize: Callable[[str], str], field: str) -> list[str]:
    cleaned: list[str] = []
    errors: list[str] = []
    for raw in values:
        if not raw or not raw.strip():
            continue
        try:
            value = normalize(raw)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if value not in cleaned:
            cleaned.append(value)
    if errors:
        raise ValidationError({field: errors})
    return cleaned


def clean_phones(values: list[str]) -> list[str]:
    return _clean_list(values, normalize_phone, "phones")


def clean_emails(values: list[str]) -> list[str]:
    return _clean_list(values, normalize_email, "emails")
