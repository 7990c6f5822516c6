from django.urls import path

from clientela.contacts import views

app_name = "contacts"

urlpatterns = [
    path("contacts/", views.contact_list, name="list"),
    path("companies/", views.company_list, name="company_list"),
    path("search/", views.search, name="search"),
    path("trash/", views.trash, name="trash"),
]
