from django.apps import AppConfig


class CourseConfig(AppConfig):
    name = "course"
    verbose_name = "Course"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import page_cache

        # Every write to the database, from any process, ends the kept pages.
        connection_created.connect(page_cache.install, dispatch_uid="duet-page-cache")
