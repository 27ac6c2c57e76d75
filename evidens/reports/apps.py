from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "evidens.reports"
    label = "reports"
