from django.urls import path

from clientela.contacts.views import companies, contacts, search

app_name = "contacts"

urlpatterns = [
    path("contacts/", contacts.contact_list, name="list"),
    path("contacts/new/", contacts.contact_create, name="create"),
    path("contacts/bulk/", contacts.contact_bulk, name="bulk"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="detail"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="delete"),
    path("contacts/<int:pk>/restore/", contacts.contact_restore, name="restore"),
    path("contacts/<int:pk>/history/", contacts.contact_history, name="history"),
    path("companies/", companies.company_list, name="company_list"),
    path("companies/new/", companies.company_create, name="company_create"),
    path("companies/bulk/", companies.company_bulk, name="company_bulk"),
    path("companies/suggest/", companies.company_suggest, name="company_suggest"),
    path("companies/<int:pk>/", companies.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", companies.company_edit, name="company_edit"),
    path("companies/<int:pk>/delete/", companies.company_delete, name="company_delete"),
    path("companies/<int:pk>/restore/", companies.company_restore, name="company_restore"),
    path("companies/<int:pk>/history/", companies.company_history, name="company_history"),
    path("search/", search.search, name="search"),
    path("trash/", search.trash, name="trash"),
]
