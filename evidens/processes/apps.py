from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "evidens.processes"
    label = "processes"
