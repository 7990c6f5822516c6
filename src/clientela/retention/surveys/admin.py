from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from clientela.retention.surveys.models import SurveyOptOut, SurveyRequest


@admin.register(SurveyRequest)
class SurveyRequestAdmin(admin.ModelAdmin):
    """The requests, read-only: what was sent, skipped (and why) or is waiting."""

    list_display = ["created_at", "contact", "kind", "trigger", "status", "skip_reason", "sent_at"]
    list_filter = ["status", "kind", "trigger", "skip_reason"]
    readonly_fields = [f.name for f in SurveyRequest._meta.fields if f.name != "token_hash"]
    exclude = ["token_hash"]
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SurveyOptOut)
class SurveyOptOutAdmin(admin.ModelAdmin):
    list_display = ["contact", "created_at", "by_client"]
    raw_id_fields = ["contact"]
