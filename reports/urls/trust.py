from django.urls import path

from ..views.trust import trust_view

urlpatterns = [path("trust/", trust_view, name="reports_trust")]
