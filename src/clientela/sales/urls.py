from django.urls import path  # noqa: F401

app_name = "sales"

# Add entries with a targeted edit; several modules' pages live here.
urlpatterns: list = [
    # Board and deals (views/board.py, views/deals.py)
    # Purchases and pipeline settings (views/purchases.py, views/pipelines.py)
]
