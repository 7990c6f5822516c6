from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clientela.core.mail import email_retry_now
from clientela.core.models import AuditEvent, FirmSettings, JobRun, OutgoingEmail


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "channel", "action", "object_repr"]
    list_filter = ["action", "channel"]
    search_fields = ["object_repr"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FirmSettings)
class FirmSettingsAdmin(admin.ModelAdmin):
    """One row: opening the list opens the row itself."""

    def has_add_permission(self, request):
        return not FirmSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        FirmSettings.current()
        return redirect("admin:core_firmsettings_change", 1)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent, what waits for its next attempt, what failed."""

    list_display = ["created_at", "to", "subject", "purpose", "status", "attempts", "send_after"]
    list_filter = ["status", "purpose"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    ordering = ["-created_at", "-id"]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry now"), permissions=["view"])
    def retry_now(self, request, queryset):
        retried = sum(email_retry_now(email) for email in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d email queued for an attempt now.",
                "%(count)d emails queued for an attempt now.",
                retried,
            )
            % {"count": retried},
        )


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["day", "name", "started_at", "finished_at", "result"]
    list_filter = ["name"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
    ordering = ["-day", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
