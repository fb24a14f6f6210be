from django.apps import AppConfig


class MisConfig(AppConfig):
    name = "mis"
    verbose_name = "Imports from the school's MIS"

    def ready(self):
        from . import kinds, navigation

        kinds.kinds_register()
        navigation.navigation_register()
