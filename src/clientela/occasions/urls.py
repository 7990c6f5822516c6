from django.urls import path  # noqa: F401

app_name = "occasions"

# Add entries with a targeted edit; several modules' pages live here.
urlpatterns: list = [
    # Agenda and dates (views/agenda.py, views/dates.py)
    # Greetings (views/greetings.py)
    # Gestures (views/gestures.py)
    # Calendar feed (views/feed.py)
]
