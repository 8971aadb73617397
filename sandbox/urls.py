from django.urls import path

from . import views

app_name = "sandbox"
urlpatterns = [
    path("courses/<slug:course_slug>/exercises/<slug:exercise_slug>/submit/", views.submit, name="submit"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/status/", views.submission_status, name="status"),
]
