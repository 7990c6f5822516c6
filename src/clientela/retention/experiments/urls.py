from django.urls import path

from clientela.retention.experiments import views

app_name = "experiments"

urlpatterns: list = [
    path("experiments/", views.experiment_list, name="list"),
    path("experiments/new/", views.experiment_create, name="new"),
    path("experiments/<int:pk>/", views.experiment_detail, name="detail"),
    path("experiments/<int:pk>/edit/", views.experiment_edit, name="edit"),
    path("experiments/<int:pk>/start/", views.experiment_start, name="start"),
    path("experiments/<int:pk>/finish/", views.experiment_finish, name="finish"),
]
