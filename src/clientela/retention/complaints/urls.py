from django.urls import path

from clientela.retention.complaints.views import actions, pages, policy

app_name = "complaints"

urlpatterns = [
    path("complaints/", pages.complaint_list, name="list"),
    path("complaints/new/", pages.complaint_create, name="new"),
    path("complaints/deadlines/", policy.policy_edit, name="policy"),
    path("complaints/<int:pk>/", pages.complaint_detail, name="detail"),
    path("complaints/<int:pk>/edit/", pages.complaint_edit, name="edit"),
    path("complaints/<int:pk>/delete/", pages.complaint_delete, name="delete"),
    path("complaints/<int:pk>/restore/", pages.complaint_restore, name="restore"),
    path("complaints/<int:pk>/start/", actions.complaint_start, name="start"),
    path("complaints/<int:pk>/resolve/", actions.complaint_resolve, name="resolve"),
    path("complaints/<int:pk>/close/", actions.complaint_close, name="close"),
    path("complaints/<int:pk>/reopen/", actions.complaint_reopen, name="reopen"),
    path("complaints/<int:pk>/compensation/", actions.compensation_record, name="compensation_new"),
    path(
        "complaints/<int:pk>/compensation/link/",
        actions.compensation_link,
        name="compensation_link",
    ),
]
