from django.urls import path

from ..views.compare import half_term_compared

urlpatterns = [
    path("half-term/compared/", half_term_compared, name="reports_half_term_compared"),
]
