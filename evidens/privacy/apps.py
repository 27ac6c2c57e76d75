from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "evidens.privacy"
    label = "privacy"
