from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "sanctions"

    def ready(self):
        from notifications.labels import register_labels

        from .models import Commendation

        # A commendation's reason is stored as its code and read in the family's language.
        register_labels("commendation_reason", Commendation.Reason.choices)
        # Recorded after the demo homework (order 10) exists; deleted before it.
        from school.demo import register_demo_extension

        from . import demo, navigation, notices

        navigation.navigation_register()

        # Each message to parents about a sanction is checked against it when it is sent.
        notices.fact_checks_register()
        register_demo_extension(
            "sanctions",
            build=demo.demo_sanctions_build,
            delete=demo.demo_sanctions_delete,
            order=20,
        )
