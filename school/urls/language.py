from django.urls import path

from school.views import language

urlpatterns = [
    # The language switcher: Django's own, which also saves a guardian's choice.
    path("i18n/setlang/", language.language_switch, name="set_language"),
]
