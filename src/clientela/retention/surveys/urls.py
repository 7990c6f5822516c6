from django.urls import path

from clientela.retention.surveys import views

app_name = "surveys"

urlpatterns = [
    path("s/<str:token>/", views.survey_answer, name="answer"),
    path("s/<str:token>/stop/", views.survey_opt_out, name="opt_out"),
    path("surveys/", views.survey_results, name="results"),
    path("surveys/new/", views.survey_request_new, name="request_new"),
    path("surveys/policy/", views.survey_policy_edit, name="policy"),
    path("surveys/contacts/<int:pk>/opt-out/", views.survey_opt_out_toggle, name="opt_out_toggle"),
]
