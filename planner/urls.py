from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from planner.views import (
    accounts,
    checklist,
    comments,
    configuration,
    health,
    milestones,
    plans,
    projects,
    sharing,
    wizard,
)

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *accounts.urlpatterns,
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    *projects.urlpatterns,
    *wizard.urlpatterns,
    *plans.urlpatterns,
    *configuration.urlpatterns,
    *sharing.urlpatterns,
    *milestones.urlpatterns,
    *checklist.urlpatterns,
    *comments.urlpatterns,
]
