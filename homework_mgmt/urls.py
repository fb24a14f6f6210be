from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Homework administration"
admin.site.site_title = "Homework administration"
admin.site.index_title = "School setup"

urlpatterns = [
    path("accounts/", include("homework_mgmt.account_urls")),
    path("admin/", admin.site.urls),
    path("", include("school.urls")),
    path("", include("homework.urls")),
    path("sanctions/", include("sanctions.urls")),
    path("parents/", include("parents.urls")),
    path("clubs/", include("clubs.urls")),
    path("notifications/", include("notifications.urls")),
    path("imports/", include("mis.urls")),
    path("privacy/", include("privacy.urls")),
    path("reports/", include("reports.urls")),
    path("consultations/", include("consultations.urls")),
]

if settings.BENCH_REFERENCE_PAGE:  # the benchmark's environment only (bench/run.py)
    urlpatterns.append(path("bench/", include("homework_mgmt.bench_urls")))
