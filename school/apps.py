from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "school"
    verbose_name = "School structure and people"

    def ready(self):
        # Connects the login receiver that keeps the school's time zone in the session.
        from . import middleware  # noqa: F401
