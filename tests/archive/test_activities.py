"""Activity records: files read with a column mapping and a preview, organisations matched to the register with a
review list (never a silent wrong match), all-or-nothing imports, and the pages that show what they say."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from evidens.archive import activities, services
from evidens.archive.choices import MatchStatus
from evidens.archive.models import (
    Activity,
    ActivityImport,
    ActivityImportStatus,
    MembershipPeriod,
    OrganisationAlias,
    Participation,
)
from evidens.evidence.models import EvidenceItem
from evidens.stakeholders.importing import read_table
from evidens.stakeholders.models import Organisation
from tests.conftest import Cast

EVENTS = ("Arrangement-ID;Titel;Type;Netværk;Dato;Sted;Form;Status\n"
          "A1;Årsseminar 2019;årsseminar;;14-05-2019;Nyborg;fysisk;gennemført\n"
          "A2;Webinar om grøn drift;webinar;;03-11-2019;;online;gennemført\n"
          "A3;ERFA-møde om udlejning;erfa-møde;ERFA Udlejning;2020-03-18;Kolding;fysisk;aflyst\n"
          "A4;Temadag om beboerdemokrati;Temadag;;2020-09-01;Aarhus;fysisk;gennemført\n")
REGISTRATIONS = ("Tilmeldings-ID;Arrangement-ID;Organisation;Stilling;Målgruppe;Tilmeldt;Deltog\n"
                 "T1;A1;Boligforeningen Vesterbro;Direktør;Ledelse;01-04-2019;ja\n"
                 "T2;A1;boligforeningen vesterbro;Driftschef;Drift;02-04-2019;ja\n"
                 "T3;A2;Boligforeningen Vesterbo;Udlejer;Udlejning;01-10-2019;nej\n"
                 "T4;A2;Boligforeningen Nordvest;Direktør;Ledelse;01-10-2019;\n"
                 "T5;A4;Privat;Beboer;Beboere;15-08-2020;ja\n")


def _register(cast: Cast) -> dict[str, Organisation]:
    names = ["Boligforeningen Vesterbro", "Boligforeningen Østerbro", "Boligforeningen Nordvest",
             "Boligselskabet Nordvest"]
    made = {name: Organisation.objects.create(process=cast.process, name=name, is_member=True, region="hovedstaden",
                                              homes=1200) for name in names}
    made["Boligforeningen Østerbro"].region = "sjaelland"
    made["Boligforeningen Østerbro"].save()
    return made


def _run(activity_import: ActivityImport, cast: Cast) -> ActivityImport:
    services.activity_import_confirm(activity_import=activity_import, actor=cast.users["analyst"])
    services.activity_import_run(activity_import_id=activity_import.pk)
    activity_import.refresh_from_db()
    return activity_import


def _import(cast: Cast, table_kind: str, text: str, name: str = "fil.csv") -> ActivityImport:
    activity_import = services.activity_import_create(process=cast.process, actor=cast.users["analyst"],
                                                      table_kind=table_kind, name=name, content=text.encode())
    return _run(activity_import, cast)


# --- reading files -----------------------------------------------------------------------------------------------


def test_columns_are_guessed_from_danish_headers() -> None:
    table = read_table(EVENTS.encode(), "a.csv")
    assert activities.guess_mapping(table.headers, "events") == {
        "Arrangement-ID": "reference", "Titel": "title", "Type": "kind", "Netværk": "network", "Dato": "day",
        "Sted": "place", "Form": "form", "Status": "status"}
    table = read_table(REGISTRATIONS.encode(), "r.csv")
    assert activities.guess_mapping(table.headers, "registrations") == {
        "Tilmeldings-ID": "reference", "Arrangement-ID": "event_reference", "Organisation": "organisation",
        "Stilling": "role_title", "Målgruppe": "segment", "Tilmeldt": "registered", "Deltog": "attended"}


def test_mapping_problems_name_the_missing_and_doubled_fields() -> None:
    problems = activities.mapping_problems({"Dato": "day", "Titel": "title", "Navn": "title"}, "events")
    assert problems == ["Kun én kolonne kan læses som Titel.", "Vælg den kolonne, der indeholder aktivitets-id."]


def test_rows_are_read_with_choices_words_and_unknown_types_as_other() -> None:
    read = activities.read_records(read_table(EVENTS.encode(), "a.csv"),
                                   activities.guess_mapping(read_table(EVENTS.encode(), "a.csv").headers, "events"),
                                   "events")
    assert read.issues == []
    first, _second, third, fourth = read.records
    assert (first.reference, first.kind, first.day, first.form, first.status) == (
        "A1", "seminar", date(2019, 5, 14), "physical", "held")
    assert (third.kind, third.network, third.status) == ("erfa_meeting", "ERFA Udlejning", "cancelled")
    assert fourth.kind == "other" and read.other_kinds == {"Temadag": 1}


def test_bad_rows_are_reported_by_row_and_column() -> None:
    text = ("ID;Titel;Dato;Form\nA1;Seminar;31-02-2020;fysisk\nA1;Webinar;2020-05-01;hybrid\nA3;;2020-05-02;\n")
    table = read_table(text.encode(), "a.csv")
    read = activities.read_records(table, {"ID": "reference", "Titel": "title", "Dato": "day", "Form": "form"},
                                   "events")
    assert [(issue.row, issue.column, issue.code) for issue in read.issues] == [
        (2, "Dato", "bad_date"), (3, "Form", "bad_choice"), (3, "ID", "duplicate"), (4, "Titel", "missing")]
    assert str(read.issues[2]) == "Række 3, ID: Det samme id står også i række 2."


def test_attendance_left_empty_is_not_recorded_rather_than_no() -> None:
    table = read_table(REGISTRATIONS.encode(), "r.csv")
    read = activities.read_records(table, activities.guess_mapping(table.headers, "registrations"), "registrations")
    assert [record.attended for record in read.records] == [True, True, False, None, True]


def test_a_membership_may_not_end_before_it_starts() -> None:
    text = "Organisation;Fra;Til\nAAB;2015-01-01;2014-12-31\n"
    table = read_table(text.encode(), "m.csv")
    read = activities.read_records(table, activities.guess_mapping(table.headers, "memberships"), "memberships")
    assert [(issue.row, issue.column, issue.code) for issue in read.issues] == [(2, "Til", "end_before_start")]


# --- importing ---------------------------------------------------------------------------------------------------


def test_events_then_registrations_with_organisations_matched_or_left_for_review(cast: Cast) -> None:
    register = _register(cast)
    events = _import(cast, "events", EVENTS)
    assert events.status == ActivityImportStatus.DONE and events.counts["created"] == 4
    assert events.notes == [["Temadag", 1]]
    registrations = _import(cast, "registrations", REGISTRATIONS)
    assert registrations.status == ActivityImportStatus.DONE and registrations.counts["created"] == 5
    by_reference = {p.reference: p for p in Participation.objects.select_related("organisation")}
    vesterbro = register["Boligforeningen Vesterbro"]
    assert by_reference["T1"].match == MatchStatus.EXACT and by_reference["T1"].organisation == vesterbro
    assert by_reference["T2"].match == MatchStatus.EXACT and by_reference["T2"].organisation == vesterbro
    # A dropped letter is a close spelling of one name only ...
    assert by_reference["T3"].match == MatchStatus.CLOSE and by_reference["T3"].organisation == vesterbro
    # ... the register's own name is exact even though another organisation shares its place name ...
    assert by_reference["T4"].organisation == register["Boligforeningen Nordvest"]
    # ... and a name like no organisation is left without one, never guessed.
    assert by_reference["T5"].organisation is None and by_reference["T5"].match == MatchStatus.NOT_FOUND


def test_an_uncertain_name_waits_for_a_person_and_the_decision_is_remembered(cast: Cast) -> None:
    register = _register(cast)
    _import(cast, "events", EVENTS)
    _import(cast, "registrations", "Arrangement-ID;Organisation\nA1;Nordvest\nA2;Nordvest\n")
    assert set(Participation.objects.values_list("match", flat=True)) == {MatchStatus.UNCERTAIN}
    assert not Participation.objects.filter(organisation__isnull=False).exists()
    changed = services.organisation_match_decide(process=cast.process, actor=cast.users["analyst"],
                                                 written="Nordvest", organisation=register["Boligselskabet Nordvest"])
    assert changed == 2
    assert set(Participation.objects.values_list("organisation__name", "match")) == {
        ("Boligselskabet Nordvest", MatchStatus.CONFIRMED)}
    assert OrganisationAlias.objects.get().written_key
    _import(cast, "registrations", "Arrangement-ID;Organisation\nA4;nordvest\n", name="senere.csv")
    later = Participation.objects.get(activity__reference="A4")
    assert (later.organisation, later.match) == (register["Boligselskabet Nordvest"], MatchStatus.REMEMBERED)


def test_a_file_with_any_bad_row_stores_nothing(cast: Cast) -> None:
    _register(cast)
    _import(cast, "events", EVENTS)
    failed = _import(cast, "registrations", "Arrangement-ID;Organisation\nA1;Boligforeningen Vesterbro\n"
                                            "A9;Boligforeningen Vesterbro\n")
    assert failed.status == ActivityImportStatus.FAILED
    assert not Participation.objects.exists()
    assert failed.issues == [{"row": 3, "field": "event_reference", "column": "Arrangement-ID",
                              "code": "unknown_event",
                              "message": "Ingen aktivitet har id'et »A9«. Importér aktiviteterne først."}]


def test_the_same_file_is_not_imported_twice_but_a_corrected_one_updates_by_id(cast: Cast) -> None:
    _import(cast, "events", EVENTS)
    with pytest.raises(ValidationError, match="importeret før"):
        services.activity_import_create(process=cast.process, actor=None, table_kind="events", name="igen.csv",
                                        content=EVENTS.encode())
    corrected = _import(cast, "events", EVENTS.replace("Årsseminar 2019", "Årsseminar 2019 i Nyborg"))
    assert corrected.counts == {"rows": 4, "created": 0, "updated": 4}
    assert Activity.objects.get(reference="A1").title == "Årsseminar 2019 i Nyborg"
    assert Activity.objects.count() == 4


def test_memberships_need_a_certain_organisation(cast: Cast) -> None:
    register = _register(cast)
    failed = _import(cast, "memberships", "Organisation;Medlem fra;Medlem til\nNordvest;2010-01-01;\n")
    assert failed.status == ActivityImportStatus.FAILED and not MembershipPeriod.objects.exists()
    assert "ikke med sikkerhed i registeret" in failed.issues[0]["message"]
    done = _import(cast, "memberships", "Organisation;Medlem fra;Medlem til\n"
                                        "Boligforeningen Vesterbro;2010-01-01;2016-12-31\n"
                                        "Boligforeningen Vesterbro;2018-01-01;\n", name="medlemmer.csv")
    assert done.status == ActivityImportStatus.DONE
    assert list(MembershipPeriod.objects.values_list("organisation", "start", "end")) == [
        (register["Boligforeningen Vesterbro"].pk, date(2010, 1, 1), date(2016, 12, 31)),
        (register["Boligforeningen Vesterbro"].pk, date(2018, 1, 1), None)]


def test_xlsx_files_are_read_like_csv(cast: Cast) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Arrangement-ID", "Titel", "Dato"])
    sheet.append(["X1", "Kursus i byggeregnskab", date(2018, 2, 7)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    activity_import = services.activity_import_create(process=cast.process, actor=None, table_kind="events",
                                                      name="kurser.xlsx", content=buffer.getvalue())
    _run(activity_import, cast)
    assert list(Activity.objects.values_list("reference", "title", "date", "kind")) == [
        ("X1", "Kursus i byggeregnskab", date(2018, 2, 7), "other")]


def test_a_file_that_is_not_a_table_is_refused_in_danish(cast: Cast) -> None:
    with pytest.raises(ValidationError) as raised:
        services.activity_import_create(process=cast.process, actor=None, table_kind="events", name="a.pdf",
                                        content=b"%PDF-1.4")
    assert raised.value.message_dict == {"file": ["Upload en CSV- eller XLSX-fil."]}
    assert not ActivityImport.objects.exists()


# --- pages -------------------------------------------------------------------------------------------------------


def _url(name: str, cast: Cast, *args: Any) -> str:
    return reverse(f"archive:{name}", args=[cast.process.slug, *args])


def test_upload_map_preview_and_import_through_the_pages(cast: Cast, client_for: Any, immediate_tasks: None,
                                                         django_capture_on_commit_callbacks: Any) -> None:
    _register(cast)
    client = client_for(cast.users["analyst"])
    response = client.post(_url("activity_imports", cast), {
        "table_kind": "events", "file": SimpleUploadedFile("aktiviteter.csv", EVENTS.encode())})
    activity_import = ActivityImport.objects.get()
    assert response["Location"] == _url("activity_import", cast, activity_import.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Forhåndsvisning: 4 rækker" in page and "Årsseminar 2019" in page and "Import" in page
    assert "Temadag (1)" in page
    # Leave the title column out: the page names what is missing and offers no import.
    fields = {f"column_{index}": name for index, name in enumerate(
        ["reference", "", "kind", "network", "day", "place", "form", "status"])}
    page = client.post(response["Location"], {**fields, "preview": "1"}, follow=True).content.decode()
    assert "Vælg den kolonne, der indeholder titel." in page
    fields["column_1"] = "title"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("activity_import", cast, activity_import.pk), {**fields, "confirm": "1"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    activity_import.refresh_from_db()
    assert activity_import.status == ActivityImportStatus.DONE and Activity.objects.count() == 4
    result = client.get(_url("activity_import", cast, activity_import.pk)).content.decode()
    assert 'data-testid="created">4<' in result


def test_a_reader_sees_the_activity_pages_but_cannot_import(cast: Cast, client_for: Any) -> None:
    _register(cast)
    _import(cast, "events", EVENTS)
    _import(cast, "registrations", REGISTRATIONS)
    reader = client_for(cast.users["reader"])
    page = reader.get(_url("activities", cast)).content.decode()
    assert "Aktivitet pr. år og type" in page and "Gem som evidens" not in page
    assert reader.get(_url("activity_imports", cast)).status_code == 403
    assert reader.get(_url("match_review", cast)).status_code == 403
    detail = reader.get(_url("activity_detail", cast, Activity.objects.get(reference="A1").pk)).content.decode()
    assert 'data-testid="registrations">2<' in detail and 'data-testid="participants">2<' in detail


def test_engagement_lists_and_review_through_the_pages(cast: Cast, client_for: Any) -> None:
    register = _register(cast)
    _import(cast, "events", EVENTS)
    _import(cast, "registrations", REGISTRATIONS + "T6;A4;Nordvest;Direktør;Ledelse;;ja\n")
    client = client_for(cast.users["analyst"])
    active = client.get(_url("engagement", cast) + "?group=occasional").content.decode()
    # Vesterbro took part in A1 (T1, T2) only: T3 was absent. Nordvest's T4 has attendance not recorded: it counts.
    assert "Boligforeningen Vesterbro" in active and "Boligforeningen Nordvest" in active
    never = client.get(_url("engagement", cast) + "?group=never").content.decode()
    assert "Boligforeningen Østerbro" in never and "Boligselskabet Nordvest" in never
    review = client.get(_url("match_review", cast)).content.decode()
    assert "Nordvest" in review and "Usikre (1)" in review
    response = client.post(_url("match_review", cast) + "?show=uncertain",
                           {"written": "Nordvest", "choice": str(register["Boligselskabet Nordvest"].pk)})
    assert response.status_code == 302
    assert Participation.objects.get(reference="T6").organisation == register["Boligselskabet Nordvest"]
    response = client.post(_url("match_review", cast) + "?show=not_found", {"written": "Privat", "other": "Ukendt"},
                           follow=True)
    assert "»Ukendt« er ikke i registeret." in response.content.decode()
    assert Participation.objects.get(reference="T5").match == MatchStatus.NOT_FOUND


def test_an_activity_view_is_saved_as_evidence_with_its_period(cast: Cast, client_for: Any) -> None:
    _register(cast)
    _import(cast, "events", EVENTS)
    _import(cast, "registrations", REGISTRATIONS)
    client = client_for(cast.users["analyst"])
    response = client.post(_url("activity_evidence", cast) + "?cutoff=2020-03-01", {"view": "change"})
    item = EvidenceItem.objects.get()
    assert response["Location"] == item.link == _url("activities", cast) + "?cutoff=2020-03-01"
    assert item.channel == "archive" and item.chart is not None
    rows = {row[0]: row[1:] for row in item.result["rows"]}
    # Before March 2020: May 2019 – February 2020 (10 months), A1 and A2 held with T1 + T2 and T4 taking part (T3
    # absent): 3 / 2. After: March – September 2020 (7 months), A3 cancelled, A4 held with T5: 1 / 1.
    assert rows["Måneder"] == [10, 7] and rows["Deltagere pr. gennemført aktivitet"] == [1.5, 1.0]
    assert rows["Andel aflyst (%)"] == [0.0, 50.0]
    assert client.post(_url("activity_evidence", cast), {"view": "nonsense"}).status_code == 302
    assert EvidenceItem.objects.count() == 1
    client.post(_url("activity_evidence", cast), {"view": "events"})
    events = EvidenceItem.objects.get(source_key__contains=":events:")
    # A1: T1 and T2 registered and came; A3 was cancelled with nobody registered.
    assert events.result["rows"][-1] == ["2019-05-14", "Årsseminar 2019", "seminar", "gennemført", 2, 2]
    assert ["2020-03-18", "ERFA-møde om udlejning", "ERFA-møde", "aflyst", 0, 0] in events.result["rows"]
    client.post(_url("activity_evidence", cast), {"view": "engagement"})
    groups = EvidenceItem.objects.get(source_key__contains=":engagement:").result["rows"]
    # Vesterbro took part in A1 only (absent from A2), Nordvest in A2 (attendance not recorded counts).
    assert groups == [["aktive (3 aktiviteter eller flere)", 0, ""],
                      ["lejlighedsvise (1–2 aktiviteter)", 2,
                       "Boligforeningen Nordvest (1), Boligforeningen Vesterbro (1)"],
                      ["ikke deltaget (0 aktiviteter)", 2, "Boligforeningen Østerbro (0), Boligselskabet Nordvest (0)"]]
