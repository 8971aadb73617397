from django.urls import path

from . import authoring_views as author
from . import views

app_name = "lessons"

# Authoring lives under courses/<course>/author/ and previews under courses/<course>/preview/,
# so no lesson or exercise name can shadow an authoring page.
AUTHOR = "courses/<slug:course_slug>/author/"
PREVIEW = "courses/<slug:course_slug>/preview/"

urlpatterns = [
    path("pygments.css", views.pygments_css, name="pygments_css"),
    path("courses/<slug:course_slug>/", views.course_detail, name="course"),
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/", views.lesson_detail, name="lesson"),
    path("courses/<slug:course_slug>/exercises/<slug:exercise_slug>/", views.exercise_detail, name="exercise"),
    # Authoring.
    path("author/", author.author_home, name="author_home"),
    path("author/courses/new/", author.course_create, name="author_course_create"),
    # markdownx posts here (MARKDOWNX_URLS_PATH, MARKDOWNX_UPLOAD_URLS_PATH in settings).
    path("author/markdown/preview/", author.markdown_preview, name="author_markdown_preview"),
    path("author/markdown/upload/", author.image_upload, name="author_image_upload"),
    path("media/lesson-images/<str:name>", author.lesson_image, name="lesson_image"),
    path(AUTHOR, author.course_overview, name="author_course"),
    path(f"{AUTHOR}edit/", author.course_edit, name="author_course_edit"),
    path(f"{AUTHOR}people/", author.course_people, name="author_people"),
    path(f"{AUTHOR}new-lesson/", author.lesson_create, name="author_lesson_create"),
    path(f"{AUTHOR}lessons/<slug:lesson_slug>/", author.lesson_edit, name="author_lesson"),
    path(f"{AUTHOR}lessons/<slug:lesson_slug>/exercises/new/", author.exercise_create, name="author_exercise_create"),
    path(f"{AUTHOR}exercises/<slug:exercise_slug>/", author.exercise_edit, name="author_exercise"),
    path(f"{AUTHOR}exercises/<slug:exercise_slug>/validate/", author.exercise_validate, name="author_validate"),
    path(
        f"{AUTHOR}exercises/<slug:exercise_slug>/validations/<int:pk>/",
        author.validation_status,
        name="author_validation",
    ),
    path(
        f"{AUTHOR}exercises/<slug:exercise_slug>/validations/<int:pk>/stream/",
        author.validation_stream,
        name="author_validation_stream",
    ),
    path(f"{AUTHOR}exercises/<slug:exercise_slug>/publish/", author.exercise_publish, name="author_publish"),
    # Preview as a learner (drafts included).
    path(PREVIEW, author.course_preview, name="preview_course"),
    path(f"{PREVIEW}lessons/<slug:lesson_slug>/", author.lesson_preview, name="preview_lesson"),
    path(f"{PREVIEW}exercises/<slug:exercise_slug>/", author.exercise_preview, name="preview_exercise"),
]
