from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "evidens.interviews"
    label = "interviews"

    def ready(self) -> None:
        from evidens.interviews.services import person_interviews_data, person_interviews_erase
        from evidens.stakeholders.signals import person_data_requested, person_erased

        person_erased.connect(person_interviews_erase, dispatch_uid="interviews.person_erase")
        person_data_requested.connect(person_interviews_data, dispatch_uid="interviews.person_data")
