from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from clientela.retention.surveys.models import SurveyOptOut, SurveyPolicy, SurveyRequest


@admin.register(SurveyPolicy)
class SurveyPolicyAdmin(admin.ModelAdmin):
    """One row: opening the list opens the row itself."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SurveyPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        SurveyPolicy.current()
        return redirect("admin:surveys_surveypolicy_change", 1)


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
