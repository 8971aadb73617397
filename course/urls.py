from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

handler400 = "course.views.bad_request"
handler500 = "course.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    # LoginView puts the request's host in the context as site_name: keep the site's own.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(extra_context={"site_name": settings.SITE_NAME}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("courses/<slug:course_slug>/enrol/", views.enrol, name="enrol"),
    # Review (graders and instructors).
    path("courses/<slug:course_slug>/gradebook/", views.gradebook, name="gradebook"),
    path("courses/<slug:course_slug>/gradebook.csv", views.gradebook_csv, name="gradebook_csv"),
    path("courses/<slug:course_slug>/gradebook/charts/", views.gradebook_charts, name="gradebook_charts"),
    path(
        "courses/<slug:course_slug>/gradebook/learners/<int:user_id>/",
        views.learner_timeline,
        name="learner_timeline",
    ),
    path("admin/", admin.site.urls),
    path("", include("lessons.urls")),
    path("", include("sandbox.urls")),
]
