from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "sanctions"

    def ready(self):
        # Recorded after the demo homework (order 10) exists; deleted before it.
        from school.demo import register_demo_extension

        from . import demo, navigation, notices, register_actions

        navigation.navigation_register()
        register_actions.register_actions_register()  # the homework register's misses

        # Its kinds of message to parents, and the words for the codes they hold; each
        # message about a sanction is checked against it when it is sent.
        notices.kinds_register()
        notices.fact_checks_register()
        register_demo_extension(
            "sanctions",
            build=demo.demo_sanctions_build,
            delete=demo.demo_sanctions_delete,
            order=20,
        )
