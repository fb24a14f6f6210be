from django.apps import AppConfig


class ClubsConfig(AppConfig):
    name = "clubs"

    def ready(self):
        from homework.navigation import PLANNER
        from school import panels
        from school.demo import register_demo_extension

        from . import demo, navigation, notices
        from .selectors.sessions import planner_panel_context, pupil_record_panel_context

        navigation.navigation_register()
        notices.kinds_register()

        # Built after the demo homework (10) and sanctions (20); deleted before them.
        register_demo_extension(
            "clubs", build=demo.demo_clubs_build, delete=demo.demo_clubs_delete, order=40
        )
        panels.register_panel(
            PLANNER,
            "clubs",
            "clubs/sessions/_planner_panel.html",
            planner_panel_context,
        )
        panels.register_panel(
            panels.PUPIL_RECORD,
            "clubs",
            "clubs/sessions/_pupil_record_panel.html",
            pupil_record_panel_context,
        )
