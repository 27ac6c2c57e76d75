from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "evidens.surveys"
    label = "surveys"

    def ready(self) -> None:
        from evidens.stakeholders.signals import person_erased
        from evidens.surveys.services import recipients_erase

        person_erased.connect(recipients_erase, dispatch_uid="surveys.recipients_erase")
