from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports for leaders and governors"

    def ready(self):
        from . import navigation

        navigation.navigation_register()
