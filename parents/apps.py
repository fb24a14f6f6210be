from django.apps import AppConfig


class ParentsConfig(AppConfig):
    name = "parents"

    def ready(self):
        # After the demo homework (10) and sanctions (20); deleted before them.
        from school.demo import register_demo_extension

        from . import demo, demo_visits, imports, navigation, notices, visits  # noqa: F401
        from .calendar import key_dates_panel_register

        navigation.navigation_register()
        imports.panels_register()
        notices.kinds_register()
        key_dates_panel_register()

        register_demo_extension(
            "parents", build=demo.demo_parents_build, delete=demo.demo_parents_delete, order=30
        )
        demo_visits.register()
