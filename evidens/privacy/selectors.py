"""What the process stores about people, counted per category, and who has looked at it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Min, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evidens.archive.models import ArchiveDocument, Participation
from evidens.interviews.models import Interview
from evidens.processes.models import AuditEntry, Membership, StrategyProcess
from evidens.stakeholders.models import Person
from evidens.surveys.models import Recipient, Response
from evidens.webstats import selectors as webstats_selectors
from evidens.webstats.models import ImportStatus, LogImport

# The audit actions that touch personal data: looking at a person, exporting, erasing.
ACCESS_ACTIONS = ("view", "export", "erase")


@dataclass(frozen=True)
class Category:
    """One line of the records of processing (GDPR art. 30): what is stored, why, on what basis, for how long."""

    name: str | Promise
    stored: str | Promise
    purpose: str | Promise
    basis: str | Promise
    kept: str | Promise
    counts: list[tuple[str | Promise, int | str]]


@dataclass(frozen=True)
class Retention:
    """What a retention run erases and prunes (``dry_run``: what it would)."""

    process: str
    people_erased: int
    web_imports_pruned: int
    dry_run: bool

    def as_dict(self) -> dict[str, Any]:
        return {"process": self.process, "people_erased": self.people_erased,
                "web_imports_pruned": self.web_imports_pruned, "dry_run": self.dry_run}


def retention_due(process: StrategyProcess, today: date) -> Retention:
    """What is past its time today: people past their delete-by date, web imports older than the process keeps."""
    web_due = web_imports_before(process, webstats_selectors.retention_cutoff(process, today))
    return Retention(process.slug, people_past_delete_by(process, today).count(), web_due.count(), dry_run=True)


def people_past_delete_by(process: StrategyProcess, today: date) -> QuerySet[Person]:
    return Person.objects.filter(process=process, erased_at__isnull=True, delete_by__lt=today).order_by("id")


def web_imports_before(process: StrategyProcess, cutoff: date) -> QuerySet[LogImport]:
    return LogImport.objects.filter(process=process, status=ImportStatus.COMPLETED, first_day__lt=cutoff)


def records_of_processing(process: StrategyProcess, today: date, retention_months: int) -> list[Category]:
    people = Person.objects.filter(process=process)
    responses = Response.objects.filter(survey__process=process)
    interviews = Interview.objects.filter(process=process)
    web = LogImport.objects.filter(process=process, status=ImportStatus.COMPLETED)
    oldest = web.aggregate(first=Min("first_day"))["first"]
    return [
        Category(_("Stakeholder register"),
                 _("Name, e-mail, phone, organisation, job title, segment, where the record came from, consent and "
                   "lawful basis."),
                 _("To invite people to the survey and to interviews, and to count answers by segment."),
                 _("Each person's recorded lawful basis (legitimate interest, consent or contract)."),
                 _("Until the person's delete-by date; then the retention job erases the person."),
                 [(_("people"), people.filter(erased_at__isnull=True).count()),
                  (_("erased"), people.filter(erased_at__isnull=False).count()),
                  (_("past their delete-by date"), people_past_delete_by(process, today).count())]),
        Category(_("Survey invitations"),
                 _("Who was invited to which survey, the personal link, and the dates of invitations and reminders."),
                 _("To send the personal link and remind only those who have not answered."),
                 _("As the stakeholder register."),
                 _("As long as the person is in the register; erased with the person."),
                 [(_("invitations"), Recipient.objects.filter(survey__process=process).count())]),
        Category(_("Survey answers"),
                 _("The answers and the day they were given. In an anonymous survey nothing links an answer to a "
                   "person, not even for the administrators."),
                 _("The survey's results, shown only for groups of at least the anonymity threshold."),
                 _("Legitimate interest; anonymous answers are not personal data."),
                 _("As long as the process; identified answers are erased with the person."),
                 [(_("anonymous"), responses.filter(recipient__isnull=True).count()),
                  (_("identified"), responses.filter(recipient__isnull=False).count())]),
        Category(_("Interviews"),
                 _("Transcripts, notes, codings and saved quotes, and how the interviewee agreed to be quoted."),
                 _("Qualitative evidence; quotes appear in reports only as the interviewee agreed."),
                 _("The interviewee's consent, recorded with its date."),
                 _("Until the interviewee is erased: transcripts, codings and quotes go with the person."),
                 [(_("interviews"), interviews.count()),
                  (_("with a transcript"), interviews.filter(document__isnull=False).count())]),
        Category(_("Web statistics"),
                 _("Requests from the web server's log: time, page, referrer and browser. The IP address is "
                   "shortened or replaced by a salted hash when the log is imported and is never stored whole."),
                 _("To count visits and what members use on the website."),
                 _("Legitimate interest."),
                 _("%(months)s months, then the retention job deletes older requests.") % {
                     "months": retention_months},
                 [(_("imports"), web.count()), (_("oldest day kept"), oldest.isoformat() if oldest else "–")]),
        Category(_("Archive"),
                 _("Documents and activity records. Registrations keep the organisation, job title and segment, not "
                   "the participant's name or e-mail."),
                 _("What the association has done, for whom and how often."),
                 _("Legitimate interest."),
                 _("As long as the process."),
                 [(_("documents"), ArchiveDocument.objects.filter(process=process).count()),
                  (_("registrations"), Participation.objects.filter(activity__process=process).count())]),
        Category(_("Team and audit trail"),
                 _("The team's user names, e-mail addresses and roles; every change, export, erasure and look at a "
                   "person's data, with who and when (never the person's data itself)."),
                 _("To control who may see and change what, and to show afterwards who did."),
                 _("Legitimate interest."),
                 _("As long as the process."),
                 [(_("team members"), Membership.objects.filter(process=process).count()),
                  (_("accesses to personal data"), personal_data_access(process).count())]),
    ]


def personal_data_access(process: StrategyProcess) -> QuerySet[AuditEntry]:
    return (AuditEntry.objects.filter(process=process, action__in=ACCESS_ACTIONS)
            .select_related("actor").order_by("-at", "-id"))
