from django.contrib import admin

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "exercise", "status", "attempts", "created_at", "finished_at")
    list_filter = ("status", "exercise__framework")
    search_fields = ("user__username", "exercise__slug")
    readonly_fields = ("files", "result")
