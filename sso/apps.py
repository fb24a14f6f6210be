from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "Sign-in with the school's account (OpenID Connect)"

    def ready(self):
        from . import navigation

        navigation.navigation_register()
        user_logged_in.connect(password_tools_remember, dispatch_uid="sso_password_tools")


def password_tools_remember(sender, request, user, **kwargs):
    """Asked once at login and kept in the session, as the time zone is: whether the top
    bar leaves out "Change password" (staff and pupils of a school that switched password
    login off). A switch made later is seen from the next login; until then the page
    itself says no."""
    from .sign_in import PASSWORD_TOOLS_OFF_SESSION_KEY, password_login_off_for

    session = getattr(request, "session", None)
    if session is not None:
        session[PASSWORD_TOOLS_OFF_SESSION_KEY] = password_login_off_for(user) is not None
