from django.urls import path

from clientela.activities.calendar_feed import calendar_feed
from clientela.activities.views import activities, my_day, tasks, timeline

app_name = "activities"

# Add entries with a targeted edit; several modules' pages live here.
urlpatterns: list = [
    # Timeline (views/timeline.py)
    path("timeline/", timeline.timeline_entries, name="timeline"),
    path("timeline/panel/", timeline.timeline_panel, name="timeline_panel"),
    path("timeline/page/", timeline.timeline_page, name="timeline_page"),
    # My day, tasks, activities (views/*.py)
    path("my-day/", my_day.my_day, name="my_day"),
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/new/", tasks.task_create, name="task_new"),
    path("tasks/quick/", my_day.task_quick_add, name="task_quick_add"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/done/", tasks.task_done, name="task_done"),
    path("tasks/<int:pk>/reopen/", tasks.task_reopen, name="task_reopen"),
    path("tasks/<int:pk>/delete/", tasks.task_delete, name="task_delete"),
    path("tasks/<int:pk>/restore/", tasks.task_restore, name="task_restore"),
    path("activities/", activities.activity_list, name="list"),
    path("activities/clients/", activities.client_suggest, name="client_suggest"),
    path("activities/call/new/", activities.call_new, name="call_new"),
    path("activities/meeting/new/", activities.meeting_new, name="meeting_new"),
    path("activities/email/new/", activities.email_new, name="email_new"),
    path("activities/note/new/", activities.note_new, name="note_new"),
    path("activities/<int:pk>/", activities.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="edit"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="delete"),
    path("activities/<int:pk>/restore/", activities.activity_restore, name="restore"),
    # Calendar feed (calendar_feed.py): no login, the token in the address is the key
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
