from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "sanctions"
