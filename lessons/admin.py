from django.contrib import admin

from .models import Course, Exercise, ExerciseFile, Lesson


class ExerciseFileInline(admin.TabularInline):
    model = ExerciseFile
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "published")


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "number", "published")
    list_filter = ("course",)


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "framework", "course", "version", "published")
    list_filter = ("course", "framework")
    inlines = [ExerciseFileInline]
