"""Anonymous means unlinkable in the tables themselves, not just on screen (docs/surveys-anonymity.md)."""

from __future__ import annotations

import pytest
from django.db import connection

from evidens.stakeholders.models import Person
from evidens.surveys import services
from evidens.surveys.models import Recipient, Response
from tests.conftest import Cast
from tests.surveys.conftest import make_people, make_survey

pytestmark = pytest.mark.django_db


def _answer_all(cast: Cast, anonymous: bool) -> list[Recipient]:
    survey = make_survey(cast, anonymous=anonymous)
    make_people(cast, 6)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    recipients = list(Recipient.objects.filter(survey=survey).order_by("id"))
    for number, recipient in enumerate(recipients):
        draft = services.draft_for_recipient(recipient=recipient)
        services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
        services.draft_save_page(draft=draft, section=2, page_answers={"kommentar": f"svar {number}"}, go_to=2)
        services.response_submit(draft=draft)
    return recipients


def _response_columns() -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor,
                                                                                         Response._meta.db_table)}


def test_an_anonymous_response_row_holds_nothing_that_leads_to_the_person(cast: Cast) -> None:
    recipients = _answer_all(cast, anonymous=True)
    tokens = {recipient.token for recipient in recipients}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Response._meta.db_table}")  # noqa: S608 - a fixed table name
        rows = cursor.fetchall()
        columns = [column[0] for column in cursor.description]
    assert len(rows) == 6
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        assert values["recipient_id"] is None
        text = " ".join(str(value) for value in values.values())
        assert not any(token in text for token in tokens)
        assert len(str(values["submitted_on"])) == 10  # a day, no time of day
    assert {"recipient_id", "submitted_on"} <= _response_columns()
    assert not {"created_at", "updated_at", "submitted_at", "token"} & _response_columns()


def test_completion_is_known_for_reminders_without_knowing_which_answers(cast: Cast) -> None:
    recipients = _answer_all(cast, anonymous=True)
    assert Recipient.objects.filter(pk__in=[r.pk for r in recipients], completed=True).count() == 6
    keys = list(Response.objects.values_list("id", flat=True))
    assert all(key.version == 4 for key in keys)  # random keys: row keys do not follow the order of answering


def test_an_identified_survey_keeps_the_link(cast: Cast) -> None:
    recipients = _answer_all(cast, anonymous=False)
    assert {response.recipient_id for response in Response.objects.all()} == {r.pk for r in recipients}


def test_small_segments_are_blanked_in_anonymous_exports_and_counts(cast: Cast) -> None:
    from evidens.surveys import selectors

    survey = make_survey(cast, anonymous=True)
    make_people(cast, 6, segment="Medlemmer")
    make_people(cast, 2, segment="Rådgivere")
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    for recipient in Recipient.objects.filter(survey=survey):
        draft = services.draft_for_recipient(recipient=recipient)
        services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
        services.response_submit(draft=draft)
    segments = {record.segment for record in selectors.response_records(survey)}
    assert segments == {"Medlemmer", ""}  # the two advisers' segment is not shown
    rates = {row.segment: row.completed for row in selectors.monitoring(survey).segments}
    assert rates == {"Medlemmer": 6, "Rådgivere": None}
