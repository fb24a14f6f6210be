from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"

    def ready(self):
        # After the parents' demo (30): the families and the draft agreement exist.
        from school.demo import register_demo_extension

        from . import demo, navigation, notices

        navigation.navigation_register()
        notices.kinds_register()
        register_demo_extension(
            "consultations",
            build=demo.demo_consultations_build,
            delete=demo.demo_consultations_delete,
            order=40,
        )
