"""Defining the custom fields that contacts and companies carry."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.models import CustomFieldDefinition
from clientela.core.audit import audit_record


@transaction.atomic
def custom_field_define(*, actor: User, data: dict[str, Any]) -> CustomFieldDefinition:
    if not actor.is_admin:
        raise PermissionDenied(_("Only an administrator defines custom fields."))
    definition = CustomFieldDefinition(**data)
    if definition.field_type == CustomFieldDefinition.FieldType.CHOICE and not definition.choices:
        raise ValidationError({"choices": [_("A choice field needs at least one choice.")]})
    definition.full_clean()
    definition.save()
    audit_record(actor=actor, action="create", obj=definition)
    return definition
