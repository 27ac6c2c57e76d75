from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidens.evidence"
    label = "evidence"
