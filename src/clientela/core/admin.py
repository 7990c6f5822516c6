from django.contrib import admin

from clientela.core.models import AuditEvent, FirmSettings


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
