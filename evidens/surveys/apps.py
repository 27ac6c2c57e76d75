from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "evidens.surveys"
    label = "surveys"

    def ready(self) -> None:
        from evidens.stakeholders.signals import person_data_requested, person_erased
        from evidens.surveys.selectors import person_survey_data
        from evidens.surveys.services import recipients_erase

        person_erased.connect(recipients_erase, dispatch_uid="surveys.recipients_erase")
        person_data_requested.connect(person_survey_data, dispatch_uid="surveys.person_survey_data")
