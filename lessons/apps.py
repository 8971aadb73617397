from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"

    def ready(self) -> None:
        from . import outline  # noqa: F401  (its signals keep course outlines fresh)
