from django.urls import path

from ..views.groups import groups
from ..views.settings import report_settings

urlpatterns = [
    path("half-term/groups/", groups, name="reports_half_term_groups"),
    path("settings/", report_settings, name="reports_settings"),
]
