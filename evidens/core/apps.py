from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "evidens.core"
    label = "core"
    verbose_name = "Evidens"
