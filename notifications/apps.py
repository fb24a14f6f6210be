from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        # Last of the demo builders: every other app's demo rows are written by then.
        from school.demo import register_demo_extension

        from . import demo, navigation, notices

        navigation.navigation_register()
        notices.kinds_register()

        register_demo_extension(
            "notifications",
            build=demo.demo_notifications_build,
            delete=demo.demo_notifications_delete,
            order=1000,
        )
