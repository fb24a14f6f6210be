from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "school"
    verbose_name = "School structure and people"

    def ready(self):
        # Connects the login receiver that keeps the school's time zone in the session.
        from . import middleware  # noqa: F401

        key_dates_register()


def key_dates_register():
    """Key dates for year groups: the leaders' menu link and the demo school's dates."""
    from . import navigation
    from .demo import key_dates as demo_key_dates
    from .demo import register_demo_extension
    from .key_dates import may_keep_key_dates

    navigation.register_menu_item(
        "key dates", "Key dates", "key_dates", shown_to=may_keep_key_dates, order=850
    )
    register_demo_extension(
        "key dates",
        build=demo_key_dates.demo_key_dates_build,
        delete=demo_key_dates.demo_key_dates_delete,
        order=5,
    )
