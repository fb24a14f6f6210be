from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        from . import navigation, registry

        navigation.register()
        registry.discover()

        from school.panels import register_panel

        from .retention.panels import TEMPLATE, hold_panel

        register_panel(navigation.PRIVACY_PUPIL, "legal_hold", TEMPLATE, hold_panel, order=200)

        from .views import exports

        panel = "privacy/exports/_panel.html"
        register_panel(navigation.PRIVACY_PUPIL, "exports", panel, exports.pupil_panel, order=10)
        register_panel(
            navigation.PRIVACY_GUARDIAN, "exports", panel, exports.guardian_panel, order=10
        )

        from .views import access_log

        register_panel(
            navigation.PRIVACY_PUPIL,
            "access_log",
            "privacy/access_log/_pupil_panel.html",
            access_log.pupil_panel,
            order=300,
        )

        from .erasure import panels as erasure_panels
        from .erasure import steps as erasure_steps

        erasure_panels.register()
        erasure_steps.discover()

        from .notice import links as notice_links

        notice_links.register()
