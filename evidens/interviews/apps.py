from typing import Any

from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "evidens.interviews"
    label = "interviews"

    def ready(self) -> None:
        from evidens.stakeholders.signals import person_data_requested, person_erased

        person_erased.connect(_person_erase, dispatch_uid="interviews.person_erase")
        person_data_requested.connect(_person_data, dispatch_uid="interviews.person_data")


# The services are imported when a person is erased or exported, not when Django starts: they bring python-docx
# and lxml, which every other command can do without.
def _person_erase(**signal: Any) -> None:
    from evidens.interviews.services import person_interviews_erase

    person_interviews_erase(**signal)


def _person_data(**signal: Any) -> tuple[str, Any]:
    from evidens.interviews.services import person_interviews_data

    return person_interviews_data(**signal)
