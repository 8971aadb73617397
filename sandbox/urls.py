from django.urls import path

from . import views

app_name = "sandbox"
EXERCISE = "courses/<slug:course_slug>/exercises/<slug:exercise_slug>/"
urlpatterns = [
    path(f"{EXERCISE}submit/", views.submit, name="submit"),
    path(f"{EXERCISE}draft/", views.draft_save_view, name="draft"),
    path(f"{EXERCISE}draft/reset/", views.draft_reset_view, name="draft_reset"),
    path(f"{EXERCISE}draft/load/", views.draft_load, name="draft_load"),
    path(f"{EXERCISE}download/", views.project_download, name="download"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/status/", views.submission_status, name="status"),
    path("submissions/<int:pk>/stream/", views.submission_stream, name="stream"),
    path("submissions/<int:pk>/comments/", views.submission_comment, name="comment"),
    path("submissions/<int:pk>/override/", views.submission_override, name="override"),
    path(
        "courses/<slug:course_slug>/exercises/<slug:exercise_slug>/regrade/",
        views.exercise_regrade,
        name="exercise_regrade",
    ),
    path("regrades/<int:pk>/", views.regrade_detail, name="regrade"),
    path("regrades/<int:pk>/status/", views.regrade_status, name="regrade_status"),
    path("regrades/<int:pk>/stream/", views.regrade_stream, name="regrade_stream"),
    path("staff/status/", views.grading_status_view, name="grading_status"),
]
