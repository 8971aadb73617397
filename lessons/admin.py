"""The admin, for looking and small fixes. Exercises are edited on the authoring pages
(lessons.authoring_views), the one place that makes versions and checks publishing, so
here their files, version and publishing are read-only."""

from django.contrib import admin
from django.http import HttpRequest

from . import images, markdown
from .models import Course, Exercise, ExerciseFile, Lesson, UploadedImage


class ExerciseFileInline(admin.TabularInline):
    model = ExerciseFile
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "path", "content")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "published")

    def save_model(self, request: HttpRequest, obj: Course, form, change: bool) -> None:
        obj.body_html = markdown.render(obj.body)  # rendered once, on save, as everywhere
        super().save_model(request, obj, form, change)


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "number", "published")
    list_filter = ("course",)

    def save_model(self, request: HttpRequest, obj: Lesson, form, change: bool) -> None:
        obj.body_html = markdown.render(obj.body)
        super().save_model(request, obj, form, change)


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "framework", "course", "version", "validated_version", "published")
    list_filter = ("course", "framework", "published")
    readonly_fields = (
        "framework",
        "entrypoint",
        "editable",
        "limits",
        "setup",
        "version",
        "validated_version",
        "published",
        "tests_shared",
    )
    inlines = [ExerciseFileInline]

    def save_model(self, request: HttpRequest, obj: Exercise, form, change: bool) -> None:
        obj.instructions_html = markdown.render(obj.instructions)
        obj.hints_html = markdown.render_each(obj.hints)
        super().save_model(request, obj, form, change)


@admin.register(UploadedImage)
class UploadedImageAdmin(admin.ModelAdmin):
    """Who uploaded which image. Deleting one removes its file too and gives its bytes back
    to the uploader's quota; lessons that show it then show a broken image."""

    list_display = ("name", "uploaded_by", "size", "created_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("name", "uploaded_by__username")
    readonly_fields = ("name", "uploaded_by", "size", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: UploadedImage) -> None:
        super().delete_model(request, obj)
        images.image_storage().delete(obj.name)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        names = list(queryset.values_list("name", flat=True))
        super().delete_queryset(request, queryset)
        for name in names:
            images.image_storage().delete(name)
