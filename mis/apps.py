from django.apps import AppConfig


class MisConfig(AppConfig):
    name = "mis"
    verbose_name = "Imports from the school's MIS"

    def ready(self):
        from . import kinds, navigation
        from .rollover import navigation as rollover_navigation

        kinds.kinds_register()
        navigation.navigation_register()
        rollover_navigation.navigation_register()
