from django.urls import path

from clientela.retention.health import views

app_name = "health"

urlpatterns = [
    path("health/at-risk/", views.at_risk_list, name="at_risk"),
    path("health/settings/", views.settings_page, name="settings"),
    path("health/recompute/", views.recompute, name="recompute"),
    path("health/playbooks/new/", views.playbook_new, name="playbook_new"),
    path("health/playbooks/<int:pk>/edit/", views.playbook_edit, name="playbook_edit"),
    path("health/playbooks/<int:pk>/delete/", views.playbook_delete, name="playbook_delete"),
]
