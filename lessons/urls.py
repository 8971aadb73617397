from django.urls import path

from . import views

app_name = "lessons"
urlpatterns = [
    path("pygments.css", views.pygments_css, name="pygments_css"),
    path("courses/<slug:course_slug>/", views.course_detail, name="course"),
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/", views.lesson_detail, name="lesson"),
    path("courses/<slug:course_slug>/exercises/<slug:exercise_slug>/", views.exercise_detail, name="exercise"),
]
