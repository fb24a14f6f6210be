from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports for leaders and governors"

    def ready(self):
        from school import panels

        from . import navigation

        navigation.navigation_register()
        panels.register_link(
            panels.HOME_PAGES, "half-term report", "Half-term report", navigation.governor_home_link
        )
        panels.register_link(
            panels.HOME_PAGES, "trust report", "Trust report", navigation.trust_home_link
        )
