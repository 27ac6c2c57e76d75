from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from evidens.processes import services
from evidens.processes.models import AuditEntry, Job, JobStatus, Membership
from tests.conftest import PASSWORD, Cast


def _facts(cast: Cast) -> None:
    services.process_update(
        process=cast.process, actor=None, total_budget=Decimal("492000"), funders="Realdania",
        consultant="JA Studio", status="active", contact_name="Kirsten Møller",
        contact_email="km@forening.example", start_date=date(2020, 9, 1), end_date=date(2021, 12, 31),
    )
    services.budget_line_save(process=cast.process, actor=None, category="Konsulentbistand",
                              budgeted=Decimal("300000"), spent=Decimal("125000"))
    services.steering_seat_add(process=cast.process, actor=None, person_name="Anne Holm", organisation="KAB",
                               role="formand")


def test_dashboard_shows_the_fact_box_in_danish(cast: Cast, client_for: Any) -> None:
    _facts(cast)
    body = client_for(cast.users["reader"]).get(reverse("processes:dashboard", args=["proc"])).content.decode()
    for text in ["Status", "I gang", "Kontakt", "Kirsten Møller", "Projektøkonomi", "492.000 kr.",
                 "125.000 kr.", "367.000 kr.", "Støttet af", "Realdania", "Projektdeltagere", "KAB (formand)",
                 "JA Studio", "Bestyrelsesworkshop"]:
        assert text in body, text


def test_dashboard_hides_management_links_from_readers(cast: Cast, client_for: Any) -> None:
    body = client_for(cast.users["reader"]).get(reverse("processes:dashboard", args=["proc"])).content.decode()
    assert reverse("processes:facts_edit", args=["proc"]) not in body
    assert "Seneste aktivitet" not in body


def test_dashboard_shows_recent_activity_to_the_secretariat(cast: Cast, client_for: Any) -> None:
    _facts(cast)
    body = client_for(cast.users["secretariat"]).get(reverse("processes:dashboard", args=["proc"])).content.decode()
    assert "Seneste aktivitet" in body
    assert "Procesfakta ændret" in body


def test_facts_edit_saves_and_audits(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post(reverse("processes:facts_edit", args=["proc"]), {
        "name": "Strategi 2030", "organisation": "Foreningen", "purpose": "", "status": "active",
        "horizon_year": "2030", "start_date": "2020-09-01", "end_date": "2021-12-31", "contact_name": "",
        "contact_email": "", "funders": "Realdania, Fonden", "consultant": "", "total_budget": "492000",
        "anonymity_threshold": "5",
    })
    assert response.status_code == 302
    cast.process.refresh_from_db()
    assert cast.process.funder_list == ["Realdania", "Fonden"]
    entry = AuditEntry.objects.filter(process=cast.process, action="update").latest("id")
    assert entry.actor == cast.users["secretariat"]
    assert entry.changes["name"] == ["Strategiproces 2030", "Strategi 2030"]


def test_the_anonymity_threshold_cannot_go_below_three(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post(reverse("processes:facts_edit", args=["proc"]), {
        "name": "Strategi 2030", "status": "active", "total_budget": "0", "anonymity_threshold": "2"})
    assert response.status_code == 200
    assert "Denne værdi skal være større end eller lig 3." in response.content.decode()
    cast.process.refresh_from_db()
    assert cast.process.anonymity_threshold == 5


def test_facts_edit_shows_a_danish_error_for_end_before_start(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post(reverse("processes:facts_edit", args=["proc"]), {
        "name": "X", "status": "active", "start_date": "2021-01-01", "end_date": "2020-01-01",
        "total_budget": "0",
    })
    assert response.status_code == 200
    assert "Slutdatoen må ikke ligge før startdatoen." in response.content.decode()
    cast.process.refresh_from_db()
    assert cast.process.name == "Strategiproces 2030"


def test_team_adds_a_new_user_with_a_role(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post(reverse("processes:team", args=["proc"]), {
        "username": "ny-bruger", "role": "board", "password": "en lang og god adgangskode",
        "first_name": "Ny", "last_name": "Bruger", "email": "",
    })
    assert response.status_code == 302
    membership = Membership.objects.get(process=cast.process, user__username="ny-bruger")
    assert membership.role == "board"
    assert client.login(username="ny-bruger", password="en lang og god adgangskode")


def test_team_refuses_a_new_user_without_a_password(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post(reverse("processes:team", args=["proc"]), {"username": "ingen", "role": "board"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user__username="ingen").exists()


def test_the_secretariat_cannot_remove_itself(cast: Cast, client_for: Any) -> None:
    me = cast.users["secretariat"]
    membership = Membership.objects.get(process=cast.process, user=me)
    client_for(me).post(reverse("processes:member_remove", args=["proc", membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_phase_of_another_process_is_not_found(cast: Cast, client_for: Any) -> None:
    foreign_phase = cast.other_process.phases.first()
    response = client_for(cast.users["secretariat"]).get(
        reverse("processes:phase_edit", args=["proc", foreign_phase.pk]))
    assert response.status_code == 404


def test_job_progress_partial_for_htmx(cast: Cast, client_for: Any) -> None:
    job = Job.objects.create(process=cast.process, kind="import", label="Import af interessenter",
                             status=JobStatus.RUNNING, progress_done=50, progress_total=200)
    client = client_for(cast.users["analyst"])
    response = client.get(reverse("processes:job", args=["proc", job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'value="25" max="100"' in body
    assert "hx-trigger" in body  # keeps polling while running


def test_home_lists_only_own_processes(cast: Cast, client: Any) -> None:
    assert client.login(username="u-other", password=PASSWORD)
    body = client.get(reverse("home")).content.decode()
    assert "Anden proces" in body
    assert "Strategiproces 2030" not in body


def test_the_timeline_marks_today_only_within_the_phases(cast: Cast, client_for: Any) -> None:
    phase = cast.process.phases.first()
    services.phase_update(phase=phase, actor=None, start_date=date(2020, 9, 1), end_date=date(2020, 10, 31))
    body = client_for(cast.users["reader"]).get(reverse("processes:dashboard", args=["proc"])).content.decode()
    assert body.count('<figure class="chart"') == 1
    assert "I dag" not in body

    this_year = timezone.localdate().year
    services.phase_update(phase=phase, actor=None, start_date=date(this_year - 1, 1, 1),
                          end_date=date(this_year + 1, 12, 31))
    body = client_for(cast.users["reader"]).get(reverse("processes:dashboard", args=["proc"])).content.decode()
    assert "I dag" in body


def test_the_secretariat_cannot_demote_itself_through_the_add_form(cast: Cast, client_for: Any) -> None:
    me = cast.users["secretariat"]
    response = client_for(me).post(reverse("processes:team", args=["proc"]), {"username": me.username,
                                                                               "role": "reader"})
    assert response.status_code == 200
    assert "Du kan ikke ændre din egen rolle" in response.content.decode()
    assert Membership.objects.get(process=cast.process, user=me).role == "secretariat"


def test_an_invalid_username_is_a_form_error_not_a_crash(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.users["secretariat"]).post(reverse("processes:team", args=["proc"]), {
        "username": "bad name!", "role": "reader", "password": "en lang og god adgangskode"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user__username="bad name!").exists()


def test_a_milestone_is_set_to_the_posted_state(cast: Cast, client_for: Any) -> None:
    phase = cast.process.phases.first()
    milestone = services.milestone_add(phase=phase, actor=None, name="Workshop", due_date=date(2020, 10, 8))
    client = client_for(cast.users["secretariat"])
    url = reverse("processes:milestone_set", args=["proc", milestone.pk])
    client.post(url, {"reached": "true"})
    client.post(url, {"reached": "true"})  # a double click keeps it reached
    milestone.refresh_from_db()
    assert milestone.reached
    client.post(url, {"reached": "false"})
    milestone.refresh_from_db()
    assert not milestone.reached
