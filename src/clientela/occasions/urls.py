from django.urls import path

from clientela.occasions.views import agenda
from clientela.occasions.views import campaigns as campaign_views
from clientela.occasions.views import dates as dates_views
from clientela.occasions.views import feed as feed_views
from clientela.occasions.views import gestures as gesture_views
from clientela.occasions.views import greetings as greeting_views

app_name = "occasions"

# Add entries with a targeted edit; several modules' pages live here.
urlpatterns: list = [
    # Agenda and dates (views/agenda.py, views/dates.py)
    path("occasions/", agenda.agenda_page, name="agenda"),
    path("occasions/firm-dates/", agenda.firm_date_list, name="firm_dates"),
    path("occasions/firm-dates/<int:pk>/", agenda.firm_date_edit, name="firm_date_edit"),
    path(
        "occasions/dates/<str:kind>/<int:pk>/",
        dates_views.client_dates_edit,
        name="client_dates_edit",
    ),
    path(
        "occasions/dates/<str:kind>/<int:pk>/add/",
        dates_views.custom_date_add,
        name="custom_date_add",
    ),
    path(
        "occasions/custom-dates/<int:pk>/edit/",
        dates_views.custom_date_edit,
        name="custom_date_edit",
    ),
    path(
        "occasions/custom-dates/<int:pk>/remove/",
        dates_views.custom_date_remove,
        name="custom_date_remove",
    ),
    # Greetings (views/greetings.py)
    path(
        "occasions/greetings/templates/",
        greeting_views.greeting_templates,
        name="greeting_templates",
    ),
    path(
        "occasions/greetings/templates/new/",
        greeting_views.greeting_template_new,
        name="greeting_template_new",
    ),
    path(
        "occasions/greetings/templates/<int:pk>/edit/",
        greeting_views.greeting_template_edit,
        name="greeting_template_edit",
    ),
    path(
        "occasions/greetings/templates/<int:pk>/deactivate/",
        greeting_views.greeting_template_deactivate,
        name="greeting_template_deactivate",
    ),
    path("occasions/greetings/new/", greeting_views.greeting_new, name="greeting_new"),
    path(
        "occasions/greetings/<int:pk>/cancel/",
        greeting_views.greeting_cancel,
        name="greeting_cancel",
    ),
    path("occasions/campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("greetings/stop/<str:token>/", greeting_views.unsubscribe, name="unsubscribe"),
    # Gestures (views/gestures.py)
    path("occasions/gestures/", gesture_views.gesture_list, name="gesture_list"),
    path("occasions/gestures/new/", gesture_views.gesture_create, name="gesture_new"),
    path("occasions/gestures/report/", gesture_views.gesture_report, name="gesture_report"),
    path("occasions/gestures/<int:pk>/edit/", gesture_views.gesture_edit, name="gesture_edit"),
    path(
        "occasions/gestures/<int:pk>/delete/", gesture_views.gesture_delete, name="gesture_delete"
    ),
    # Calendar feed (views/feed.py)
    path("occasions/calendar-feed/", feed_views.feed_settings, name="calendar_feed"),
    path("occasions/calendar-feed/new/", feed_views.feed_create, name="calendar_feed_create"),
    path(
        "occasions/calendar-feed/<int:pk>/revoke/",
        feed_views.feed_revoke,
        name="calendar_feed_revoke",
    ),
]
