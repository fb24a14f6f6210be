from django.urls import path

from homework.views import compliance

urlpatterns = [
    path("homework/policy/", compliance.policy, name="homework_policy"),
    path("homework/compliance/", compliance.compliance, name="homework_compliance"),
]
