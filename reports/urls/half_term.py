from django.urls import path

from ..views.half_term import half_term

urlpatterns = [path("half-term/", half_term, name="reports_half_term")]
