from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from clientela.api import api

urlpatterns = [
    path("", include("clientela.web.urls")),
    path("", include("clientela.contacts.urls")),
    path("", include("clientela.accounts.urls")),
    path("", include("clientela.occasions.urls")),
    path("", include("clientela.sales.urls")),
    path("", include("clientela.activities.urls")),
    path("", include("clientela.retention.discounts.urls")),
    path("", include("clientela.retention.complaints.urls")),
    path("", include("clientela.retention.surveys.urls")),
    path("", include("clientela.retention.health.urls")),
    path("", include("clientela.retention.experiments.urls")),
    path("", include("clientela.insights.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
