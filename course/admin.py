from django.contrib import admin

from .models import Enrollment, Signup


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "role", "created_at")
    list_filter = ("role", "course")
    search_fields = ("user__username",)


@admin.register(Signup)
class SignupAdmin(admin.ModelAdmin):
    """Which accounts came from one address, and when (the sign-up throttle counts these)."""

    list_display = ("user", "address", "created_at")
    search_fields = ("user__username", "address")
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
