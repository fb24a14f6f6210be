from django.urls import path

from school.views import key_dates

urlpatterns = [
    path("key-dates/", key_dates.key_dates_list, name="key_dates"),
    path("key-dates/new/", key_dates.key_date_new, name="key_date_new"),
    path("key-dates/<int:key_date_id>/edit/", key_dates.key_date_edit, name="key_date_edit"),
    path("key-dates/<int:key_date_id>/delete/", key_dates.key_date_delete, name="key_date_delete"),
]
