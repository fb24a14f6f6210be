from django.apps import AppConfig


class ClubsConfig(AppConfig):
    name = "clubs"

    def ready(self):
        from homework.planner_panels import register_planner_panel
        from school.demo import register_demo_extension

        from . import demo, selectors

        # Built after the demo homework (10) and sanctions (20); deleted before them.
        register_demo_extension(
            "clubs", build=demo.demo_clubs_build, delete=demo.demo_clubs_delete, order=40
        )
        register_planner_panel(
            "clubs", "clubs/booking_planner_panel.html", selectors.planner_panel_context
        )
