from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "evidens.stakeholders"
    label = "stakeholders"
