"""The todos app's pages in Django's admin site."""

from django.contrib import admin

from .models import Todo


@admin.register(Todo)
class TodoAdmin(admin.ModelAdmin):
    list_display = ["title", "done", "created_at"]
    search_fields = ["title", "notes"]
