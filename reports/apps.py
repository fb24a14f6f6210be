from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports for leaders and governors"

    def ready(self):
        from django.db.models.signals import post_migrate

        from school import panels

        from . import navigation
        from .measures.cache import changes_install

        # The marks that tell when the report's kept figures no longer hold.
        post_migrate.connect(changes_install, sender=self, dispatch_uid="reports_marks")

        navigation.navigation_register()
        panels.register_link(
            panels.HOME_PAGES, "half-term report", "Half-term report", navigation.governor_home_link
        )
        panels.register_link(
            panels.HOME_PAGES, "trust report", "Trust report", navigation.trust_home_link
        )
