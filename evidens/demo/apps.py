from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "evidens.demo"
    label = "demo"
