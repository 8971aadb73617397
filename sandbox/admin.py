"""The site admin: for staff to look things up. Verdicts, overrides and comments are
made through the review pages (which keep the audit log), so they are read-only here:
an admin form that set a status, an override or a message would change a verdict with
no VerdictOverride to say who did it and why."""

from django.contrib import admin

from .models import Comment, ExerciseValidation, Regrade, RegradeItem, Submission, Verdict, VerdictOverride


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added or changed: every field is part of a verdict or its history."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AuditAdmin(ReadOnlyAdmin):
    """The verdicts themselves and the audit log: deleting a row would rewrite history too."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "exercise", "status", "override_status", "attempts", "created_at", "finished_at")
    list_filter = ("status", "override_status", "exercise__framework")
    search_fields = ("user__username", "exercise__slug")
    # Shown on the (view-only) page even where they are the current verdict's, not columns.
    readonly_fields = ("files", "status", "override_status", "message", "result")


@admin.register(Verdict)
class VerdictAdmin(AuditAdmin):
    list_display = ("id", "submission", "status", "exercise_version", "regrade", "created_at")
    list_filter = ("status",)
    search_fields = ("submission__user__username", "submission__exercise__slug")


@admin.register(VerdictOverride)
class VerdictOverrideAdmin(AuditAdmin):
    list_display = ("id", "submission", "from_status", "to_status", "by", "created_at")
    search_fields = ("submission__user__username", "reason")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("id", "submission", "author", "created_at")
    search_fields = ("submission__user__username", "body")


@admin.register(Regrade)
class RegradeAdmin(ReadOnlyAdmin):
    list_display = ("id", "exercise", "version", "total", "skipped_pending", "created_at", "finished_at")


@admin.register(RegradeItem)
class RegradeItemAdmin(ReadOnlyAdmin):
    list_display = ("id", "regrade", "submission", "status")


@admin.register(ExerciseValidation)
class ExerciseValidationAdmin(ReadOnlyAdmin):
    list_display = ("exercise", "version", "status", "attempts", "requested_by", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("exercise", "requested_by")
