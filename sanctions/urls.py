from django.urls import path

from . import views

urlpatterns = [
    path(
        "homework/<int:homework_id>/misses/",
        views.record_misses,
        name="sanctions_miss_record",
    ),
    path("misses/<int:miss_id>/void/", views.void_miss, name="sanctions_miss_void"),
    path("misses/<int:miss_id>/excuse/", views.excuse_miss, name="sanctions_miss_excuse"),
]
