from django.urls import path

from clientela.insights import views

app_name = "insights"

urlpatterns = [
    path("workload/", views.workload, name="workload"),
    path("workload/team/", views.workload_team, name="workload_team"),
    path("workload/tasks/<int:pk>/move/", views.task_move, name="task_move"),
    path("workload/tasks/move/", views.tasks_move_all, name="tasks_move_all"),
    path("handover/", views.handover_page, name="handover"),
    path("handover/done/", views.handover_done, name="handover_done"),
]
