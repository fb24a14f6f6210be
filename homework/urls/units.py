"""Scheme-of-work units with dates, and their resources for parents."""

from django.urls import path

from ..views import units

urlpatterns = [
    path("homework/units/", units.units_home, name="units_home"),
    path("homework/units/classes/<int:group_id>/", units.units_class, name="units_class"),
    path("homework/units/<int:unit_id>/resources/", units.units_resources, name="units_resources"),
    path(
        "homework/units/resources/<int:resource_id>/delete/",
        units.units_resource_delete,
        name="units_resource_delete",
    ),
]
