"""Administration of what shapes the records: custom fields and tags.

Contacts and companies themselves are changed only through the pages and the API, whose
services keep the history, the search index and the owner's team in step.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from clientela.contacts.models import CustomFieldDefinition, Tag
from clientela.core.audit import audit_record


class CustomFieldDefinitionForm(forms.ModelForm):
    class Meta:
        model = CustomFieldDefinition
        fields = ["entity", "key", "label", "field_type", "choices", "required", "position"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choices = data.get("choices")
        if data.get("field_type") == CustomFieldDefinition.FieldType.CHOICE:
            if not isinstance(choices, list) or not choices:
                self.add_error("choices", _("A choice field needs at least one choice."))
        elif choices:
            self.add_error("choices", _("Only a choice field has choices."))
        return data


@admin.register(CustomFieldDefinition)
class CustomFieldDefinitionAdmin(admin.ModelAdmin):
    form = CustomFieldDefinitionForm
    list_display = ["label", "entity", "key", "field_type", "required", "position"]
    list_filter = ["entity", "field_type"]
    ordering = ["entity", "position", "id"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="update" if change else "create", obj=obj)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
