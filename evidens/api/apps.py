from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "evidens.api"
    label = "api"
