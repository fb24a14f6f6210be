from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "Sign-in with the school's account (OpenID Connect)"

    def ready(self):
        from . import navigation

        navigation.navigation_register()
