from django.urls import path

from clientela.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("retain/", views.retain, name="retain"),
    path("language/", views.language_switch, name="language_switch"),
]
