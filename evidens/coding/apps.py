from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "evidens.coding"
    label = "coding"
