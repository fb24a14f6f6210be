"""The escalation policy (the ladder)."""

from django.urls import path

from ..views import policy

urlpatterns = [
    path("policy/", policy.sanctions_policy, name="sanctions_policy"),
]
