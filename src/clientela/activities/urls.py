from django.urls import path  # noqa: F401

app_name = "activities"

# Add entries with a targeted edit; several modules' pages live here.
urlpatterns: list = [
    # Timeline (views/timeline.py)
    # My day, tasks, activities (views/*.py)
]
