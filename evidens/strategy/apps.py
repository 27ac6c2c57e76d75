from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "evidens.strategy"
    label = "strategy"
