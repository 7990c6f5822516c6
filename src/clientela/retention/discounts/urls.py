from django.urls import path

from clientela.retention.discounts import views

app_name = "discounts"

urlpatterns = [
    path("discounts/policy/", views.policy_settings, name="policy"),
    path("discounts/policy/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("discounts/requests/", views.request_list, name="request_list"),
    path("discounts/requests/new/", views.request_create, name="request_create"),
    path("discounts/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("discounts/requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("discounts/requests/<int:pk>/reject/", views.request_reject, name="request_reject"),
    path("discounts/requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("discounts/report/", views.report, name="report"),
]
