"""Every write to surveys: the questionnaire, publishing, recipients, mail, answers, closing.

Anonymity (docs/surveys-anonymity.md) is kept here: for an anonymous survey no service ever writes
a recipient, a token or a time of day onto a ``Response``, and no audit entry or log line names who
answered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import smtplib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.coding import services as coding_services
from evidens.coding.models import Document as CodedDocument
from evidens.coding.models import DocumentOrigin
from evidens.processes.audit import audit_record
from evidens.processes.jobs import job_enqueue
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.choices import Consent
from evidens.stakeholders.models import Person
from evidens.surveys import answering, building, mailtext, results, selectors
from evidens.surveys.definition import Question, Section, SurveyDefinition, check, differences, readers_of
from evidens.surveys.inspection import ImportResult
from evidens.surveys.models import (
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingKind,
    MailingStatus,
    OpenLinkSubmission,
    Recipient,
    Response,
    ResponseDraft,
    ResponseStatus,
    Survey,
    SurveyStatus,
    SurveyVersion,
    new_token,
)

logger = logging.getLogger(__name__)
Progress = Callable[..., None]


# --- the questionnaire ------------------------------------------------------------------------------


def empty_questionnaire(title: str) -> SurveyDefinition:
    return SurveyDefinition(title={"da": title}, sections=[Section("side1", {"da": _("Page 1")})])


@transaction.atomic
def survey_create(*, process: StrategyProcess, actor: Any, title: str, anonymous: bool = True,
                  questionnaire: SurveyDefinition | None = None, import_report: list[dict[str, str]] | None = None,
                  **fields: Any) -> Survey:
    texts = {"invitation_subject": mailtext.DEFAULT_INVITATION_SUBJECT,
             "invitation_body": mailtext.DEFAULT_INVITATION_BODY,
             "reminder_subject": mailtext.DEFAULT_REMINDER_SUBJECT, "reminder_body": mailtext.DEFAULT_REMINDER_BODY,
             "sender_name": process.organisation or process.name}
    survey = Survey.objects.create(
        process=process, title=title, anonymous=anonymous, created_by=actor if _is_user(actor) else None,
        definition=(questionnaire or empty_questionnaire(title)).to_dict(), import_report=import_report or [],
        **{**texts, **fields})
    audit_record(process=process, actor=actor, action="create", obj=survey,
                 message=gettext_noop("Survey created: %(title)s"), params={"title": title})
    return survey


def survey_import(*, process: StrategyProcess, actor: Any, result: ImportResult, title: str = "") -> Survey:
    definition = result.definition
    title = title or next((text for text in definition.title.values() if text), "") or _("Imported survey")
    return survey_create(process=process, actor=actor, title=title, questionnaire=definition,
                         import_report=[{"where": note.where, "kind": note.kind, "message": str(note.message)}
                                        for note in result.report])


def survey_copy(*, survey: Survey, actor: Any, title: str = "") -> Survey:
    """A new draft with the same questionnaire, anonymity and mail texts; no recipients, no answers."""
    version = latest_version(survey)
    questionnaire = version.questionnaire() if version else survey.working_copy()
    return survey_create(
        process=survey.process, actor=actor, title=title or _("Copy of %(title)s") % {"title": survey.title},
        anonymous=survey.anonymous, questionnaire=questionnaire,
        **{name: getattr(survey, name) for name in ("invitation_subject", "invitation_body", "reminder_subject",
                                                     "reminder_body", "sender_name")})


SETTINGS_FIELDS = ("title", "anonymous", "opens_at", "closes_at", "invitation_subject", "invitation_body",
                   "reminder_subject", "reminder_body", "sender_name")


@transaction.atomic
def survey_update(*, survey: Survey, actor: Any, **fields: Any) -> Survey:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"survey_update does not set {sorted(unknown)}")
    if "anonymous" in fields and fields["anonymous"] != survey.anonymous and survey.versions.exists():
        raise ValidationError({"anonymous": _("Anonymity cannot change once the survey has been published.")})
    errors = {name: problem for name in ("invitation_subject", "invitation_body", "reminder_subject", "reminder_body")
              if name in fields and (problem := mailtext.template_problem(fields[name]))}
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean(exclude=["process", "created_by", "definition"])
    survey.save()
    audit_record(process=survey.process, actor=actor, action="update", obj=survey,
                 message=gettext_noop("Survey settings changed: %(title)s"), params={"title": survey.title},
                 changes={"fields": sorted(fields)})
    return survey


def _questionnaire_store(survey: Survey, edited: SurveyDefinition, actor: Any, where: str) -> Survey:
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(_("The survey is closed; its questionnaire can no longer change."))
    problems = [problem for problem in check(edited) if problem.where == where and problem.field != "sections"]
    if problems:
        raise ValidationError({problem.field: problem.message for problem in problems})
    survey.definition = edited.to_dict()
    survey.save(update_fields=["definition"])
    audit_record(process=survey.process, actor=actor, action="update", obj=survey,
                 message=gettext_noop("Questionnaire edited: %(title)s (%(where)s)"),
                 params={"title": survey.title, "where": where})
    return survey


def _edit(edit: Callable[[], SurveyDefinition]) -> SurveyDefinition:
    try:
        return edit()
    except building.EditError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def question_save(*, survey: Survey, actor: Any, section: str, question: Question,
                  replacing: str | None = None) -> Survey:
    """Add or change a question. A malformed condition is refused here, with where in the text it fails."""
    edited = _edit(lambda: building.question_put(survey.working_copy(), section, question, replacing))
    return _questionnaire_store(survey, edited, actor, question.name)


@transaction.atomic
def question_delete(*, survey: Survey, actor: Any, name: str) -> Survey:
    edited = _edit(lambda: building.question_remove(survey.working_copy(), name))
    dependants = readers_of(edited, name)
    if dependants:
        raise ValidationError(_("Other questions depend on “%(name)s”: %(questions)s.")
                              % {"name": name, "questions": ", ".join(dependants)})
    return _questionnaire_store(survey, edited, actor, name)


@transaction.atomic
def question_move(*, survey: Survey, actor: Any, name: str, offset: int) -> Survey:
    edited = _edit(lambda: building.question_move(survey.working_copy(), name, offset))
    if any(problem.field == "relevance" or problem.field == "constraint" for problem in check(edited)):
        raise ValidationError(_("A question cannot move ahead of a question its condition reads."))
    return _questionnaire_store(survey, edited, actor, name)


@transaction.atomic
def section_save(*, survey: Survey, actor: Any, section: Section, replacing: str | None = None) -> Survey:
    edited = _edit(lambda: building.section_put(survey.working_copy(), section, replacing))
    return _questionnaire_store(survey, edited, actor, section.name)


@transaction.atomic
def section_delete(*, survey: Survey, actor: Any, name: str) -> Survey:
    edited = _edit(lambda: building.section_remove(survey.working_copy(), name))
    return _questionnaire_store(survey, edited, actor, name)


@transaction.atomic
def section_move(*, survey: Survey, actor: Any, name: str, offset: int) -> Survey:
    edited = _edit(lambda: building.section_move(survey.working_copy(), name, offset))
    if any(problem.field in ("relevance", "constraint") for problem in check(edited)):
        raise ValidationError(_("A section cannot move ahead of a question its questions' conditions read."))
    return _questionnaire_store(survey, edited, actor, name)


@transaction.atomic
def survey_texts_save(*, survey: Survey, actor: Any, texts: dict[str, dict[str, str]],
                      languages: list[str]) -> Survey:
    """The title, intro, thank-you text and privacy notice, per language."""
    edited = survey.working_copy()
    edited.title = texts.get("title", edited.title)
    edited.intro = texts.get("intro", edited.intro)
    edited.thanks = texts.get("thanks", edited.thanks)
    edited.privacy = texts.get("privacy", edited.privacy)
    edited.languages = languages
    return _questionnaire_store(survey, edited, actor, "")


def latest_version(survey: Survey) -> SurveyVersion | None:
    return survey.versions.order_by("-number").first()


@transaction.atomic
def survey_publish(*, survey: Survey, actor: Any) -> SurveyVersion:
    """Freeze the working copy as the next version; responses from now on answer that version."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(_("A closed survey cannot be published again."))
    questionnaire = survey.working_copy()
    problems = check(questionnaire)
    if problems:
        raise ValidationError([f"{problem.where}: {problem.message}" if problem.where else problem.message
                               for problem in problems])
    previous = latest_version(survey)
    if previous is not None and previous.definition == questionnaire.to_dict():
        raise ValidationError(_("Nothing has changed since version %(number)s.") % {"number": previous.number})
    changes = [] if previous is None else [
        {"kind": change.kind, "name": change.name, "detail": str(change.detail)}
        for change in differences(previous.questionnaire(), questionnaire)]
    version = SurveyVersion.objects.create(
        survey=survey, number=(previous.number + 1) if previous else 1, definition=questionnaire.to_dict(),
        differences=changes, published_by=actor if _is_user(actor) else None)
    survey.status = SurveyStatus.PUBLISHED
    survey.save(update_fields=["status"])
    audit_record(process=survey.process, actor=actor, action="publish", obj=survey,
                 message=gettext_noop("Survey published: %(title)s, version %(number)s"),
                 params={"title": survey.title, "number": version.number}, changes={"differences": changes})
    return version


@transaction.atomic
def open_link_set(*, survey: Survey, actor: Any, enabled: bool) -> Survey:
    survey.open_link_token = new_token() if enabled else ""
    survey.save(update_fields=["open_link_token"])
    audit_record(process=survey.process, actor=actor, action="update", obj=survey,
                 message=gettext_noop("Shared link turned on: %(title)s") if enabled
                 else gettext_noop("Shared link turned off: %(title)s"), params={"title": survey.title})
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, actor: Any) -> int:
    """Stop taking answers. Unfinished drafts become partial responses, unlinked if the survey is anonymous."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    converted = 0
    # of=("self",): PostgreSQL cannot lock the nullable side of the join to the recipient.
    for draft in survey.drafts.select_related("recipient").select_for_update(of=("self",)):
        if _already_submitted(draft):
            draft.delete()  # left by a submit racing a page load; the response is already there
            continue
        if draft.answers:
            _response_from(draft, ResponseStatus.PARTIAL)
            converted += 1
        draft.delete()
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    Mailing.objects.filter(survey=survey, status=MailingStatus.SCHEDULED).update(status=MailingStatus.CANCELLED)
    audit_record(process=survey.process, actor=actor, action="close", obj=survey,
                 message=gettext_noop("Survey closed: %(title)s (%(count)s unfinished answers kept as partial)"),
                 params={"title": survey.title, "count": converted})
    return converted


def _already_submitted(draft: ResponseDraft) -> bool:
    if draft.recipient is not None:
        return draft.recipient.completed
    return OpenLinkSubmission.objects.filter(survey_id=draft.survey_id,
                                             browser_key_hash=draft.browser_key_hash).exists()


# --- recipients -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientsAdded:
    added: int
    already: int
    without_email: int
    declined: int  # consent refused or withdrawn, or erased


@transaction.atomic
def recipients_add(*, survey: Survey, actor: Any, people: QuerySet[Person]) -> RecipientsAdded:
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(_("The survey is closed."))
    existing = set(survey.recipients.values_list("person_id", flat=True))
    added = already = without_email = declined = 0
    new: list[Recipient] = []
    for person in people.filter(process=survey.process).only("id", "email", "segment", "consent", "erased_at"):
        if person.pk in existing:
            already += 1
        elif person.erased_at is not None or person.consent in (Consent.REFUSED, Consent.WITHDRAWN):
            declined += 1
        elif not person.email:
            without_email += 1
        else:
            new.append(Recipient(survey=survey, person=person, segment=person.segment, token=new_token()))
            added += 1
    Recipient.objects.bulk_create(new, batch_size=500)
    audit_record(process=survey.process, actor=actor, action="update", obj=survey,
                 message=gettext_noop("Recipients added to %(title)s: %(count)s"),
                 params={"title": survey.title, "count": added})
    return RecipientsAdded(added, already, without_email, declined)


@transaction.atomic
def recipient_remove(*, recipient: Recipient, actor: Any) -> None:
    if recipient.completed:
        raise ValidationError(_("This recipient has answered and cannot be removed; erase the person instead."))
    survey = recipient.survey
    recipient.delete()
    audit_record(process=survey.process, actor=actor, action="update", obj=survey,
                 message=gettext_noop("A recipient was removed from %(title)s"), params={"title": survey.title})


@transaction.atomic
def recipient_unsubscribe(*, recipient: Recipient) -> None:
    Recipient.objects.filter(pk=recipient.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())


def recipients_erase(sender: Any, *, person_id: int, process_id: int, **kwargs: Any) -> None:
    """A person is erased: their invitations go, and with them any answers tied to them by name, also where an
    open answer of theirs was copied into the coding app (blanked there, with the quotes taken from it).

    Responses of anonymous surveys have no link to the person and stay, as they must.
    """
    named = Response.objects.filter(recipient__person_id=person_id, survey__process_id=process_id,
                                    survey__anonymous=False).select_related("survey__process")
    for response in named:
        documents = selectors.text_answers_documents(response.survey)
        for name, value in response.answers.items():
            if name in documents and isinstance(value, str) and value.strip():
                coding_services.document_turn_blank(document=documents[name], passage=value.strip())
    Recipient.objects.filter(person_id=person_id, survey__process_id=process_id).delete()


@transaction.atomic
def text_answers_coding_open(*, survey: Survey, name: str, actor: Any) -> CodedDocument:
    """The open answers to question ``name`` as a text of the coding app, coded with the process's codebook like
    an interview: one answer after another, each a turn "spoken" by its segment, so codes count per segment.

    Made once, from the answers there are then (code when the survey has closed); later calls return it. An
    anonymous survey's answers come in only from segments large enough to read, as on the page.
    """
    # Two clicks at once must not make two texts: the second waits here for the first to commit, then finds it.
    survey = Survey.objects.select_for_update().select_related("process").get(pk=survey.pk)
    existing = selectors.text_answers_document(survey, name)
    if existing is not None:
        return existing
    data = selectors.analysis_input(survey, weighted=False)
    try:
        shown = results.free_text(data.questionnaire, name, data.respondents, by=results.SEGMENT,
                                  anonymous=survey.anonymous, threshold=survey.process.anonymity_threshold,
                                  language=settings.LANGUAGE_CODE)
    except ValueError:
        raise ValidationError(_("Only the answers to a text question can be coded.")) from None
    if not shown.groups:
        raise ValidationError(_("There are no answers to code yet that may be read."))
    text, turns = results.answers_for_coding(shown)
    document = coding_services.document_create(
        process=survey.process, origin=DocumentOrigin.SURVEY, title=f"{survey.title}: {shown.label}", text=text,
        turns=turns, label=survey.title, link=selectors.text_answers_link(survey, name))
    audit_record(process=survey.process, actor=actor, action="create", obj=document,
                 message=gettext_noop("Open answers to %(question)s copied for coding"),
                 params={"question": shown.label})
    return document


# --- mail -------------------------------------------------------------------------------------------


@transaction.atomic
def mailing_schedule(*, survey: Survey, actor: Any, kind: str, send_at: Any = None,
                     subject: str | None = None, body: str | None = None) -> Mailing:
    """Plan an invitation or a reminder; the worker sends it at ``send_at`` (now when not given)."""
    from evidens.surveys.tasks import mailing_send_task

    if survey.status != SurveyStatus.PUBLISHED:
        raise ValidationError(_("Publish the survey before sending mail."))
    if kind == MailingKind.REMINDER and not survey.mailings.filter(kind=MailingKind.INVITATION).exclude(
            status=MailingStatus.CANCELLED).exists():
        raise ValidationError(_("Send the invitation before any reminder."))
    if kind == MailingKind.INVITATION:
        subject = subject if subject is not None else survey.invitation_subject
        body = body if body is not None else survey.invitation_body
    else:
        subject = subject if subject is not None else survey.reminder_subject
        body = body if body is not None else survey.reminder_body
    errors = {name: problem for name, text in (("subject", subject), ("body", body))
              if (problem := mailtext.template_problem(text))}
    if errors:
        raise ValidationError(errors)
    send_at = send_at or timezone.now()
    mailing = Mailing.objects.create(survey=survey, kind=kind, scheduled_for=send_at, subject=subject, body=body,
                                     created_by=actor if _is_user(actor) else None)
    label = _("%(kind)s for %(title)s") % {"kind": mailing.get_kind_display().capitalize(), "title": survey.title}
    mailing.job = job_enqueue(process=survey.process, kind="survey_mailing", label=label,
                              task=mailing_send_task.using(run_after=send_at), user=actor, mailing_id=mailing.pk)
    mailing.save(update_fields=["job"])
    audit_record(process=survey.process, actor=actor, action="create", obj=mailing,
                 message=gettext_noop("Invitation planned for %(title)s at %(when)s") if kind == MailingKind.INVITATION
                 else gettext_noop("Reminder planned for %(title)s at %(when)s"),
                 params={"title": survey.title, "when": send_at.isoformat(timespec="minutes")})
    return mailing


@transaction.atomic
def mailing_cancel(*, mailing: Mailing, actor: Any) -> None:
    updated = Mailing.objects.filter(pk=mailing.pk, status=MailingStatus.SCHEDULED).update(
        status=MailingStatus.CANCELLED)
    if not updated:
        raise ValidationError(_("Only a planned mailing can be cancelled."))
    audit_record(process=mailing.survey.process, actor=actor, action="cancel", obj=mailing,
                 message=gettext_noop("Invitation cancelled for %(title)s") if mailing.kind == MailingKind.INVITATION
                 else gettext_noop("Reminder cancelled for %(title)s"),
                 params={"title": mailing.survey.title})


def mailing_audience(mailing: Mailing) -> QuerySet[Recipient]:
    """Who gets this mailing: an invitation goes to those not yet invited, a reminder to non-completers."""
    recipients = mailing.survey.recipients.filter(unsubscribed_at__isnull=True).exclude(person__email="")
    recipients = recipients.exclude(deliveries__mailing=mailing)  # a resumed send does not repeat itself
    if mailing.kind == MailingKind.INVITATION:
        return recipients.filter(invited=False)
    return recipients.filter(invited=True, completed=False)


def respondent_url(token: str) -> str:
    return settings.BASE_URL + reverse("surveys_public:respond", args=[token])


def respondent_open_url(survey: Survey) -> str:
    return settings.BASE_URL + reverse("surveys_public:respond_open", args=[survey.open_link_token])


def _mail_values(recipient: Recipient, survey: Survey) -> dict[str, str]:
    person = recipient.person
    closes = formats.date_format(timezone.localtime(survey.closes_at), "j. F Y") if survey.closes_at else ""
    return {
        "navn": person.name,
        "fornavn": person.name.split()[0] if person.name else "",
        "organisation": person.organisation.name if person.organisation else "",
        "titel": survey.title,
        "link": respondent_url(recipient.token),
        "frist": closes,
        "afmeld": settings.BASE_URL + reverse("surveys_public:unsubscribe", args=[recipient.token]),
        "afsender": survey.sender_name,
    }


def mailing_send(*, mailing_id: int, progress: Progress | None = None,
                 pause: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """Send one mailing, one message at a time at the configured rate, recording each delivery.

    Runs in the worker. A mailing cancelled (or a survey closed) before its time sends nothing.

    No recipient gets a mailing twice, also when the worker dies mid-way: a recipient is claimed by a
    ``Delivery`` row in state "unknown", committed before the message goes to the mail server, and the row
    becomes "sent" or "failed" after. A run that dies between the two leaves the row "unknown": the
    message may or may not have gone out, so it is never sent again, and the secretariat sees it. A
    resumed run (``mailing_resume``) sends to those without a row; the one row per mailing and recipient
    lets only one of two runs claim a recipient, so even a resume beside a run that is still alive sends
    no second copy.

    The result counts this run's messages, and "unknown" when earlier runs left any.
    """
    with transaction.atomic():
        claimed = Mailing.objects.filter(pk=mailing_id, status=MailingStatus.SCHEDULED).update(
            status=MailingStatus.SENDING, started_at=timezone.now())
    mailing = Mailing.objects.select_related("survey").get(pk=mailing_id)
    if not claimed and mailing.status != MailingStatus.SENDING:
        return {"sent": 0, "failed": 0, "skipped": mailing.status}
    survey = mailing.survey
    audience = list(mailing_audience(mailing).select_related("person__organisation"))
    sent = failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        connection = get_connection(fail_silently=False)
        try:
            if audience:
                connection.open()  # one connection for the batch; _deliver reopens it after a failure
            for number, recipient in enumerate(audience, start=1):
                if number > 1:
                    pause(_mail_interval())
                delivery = _delivery_claim(mailing, recipient)
                if delivery is None:
                    continue  # another run of this mailing has this recipient
                status, error = _deliver(connection, mailing, recipient, survey)
                with transaction.atomic():
                    Delivery.objects.filter(pk=delivery.pk).update(status=status, error=error)
                    if status == DeliveryStatus.SENT and mailing.kind == MailingKind.INVITATION:
                        Recipient.objects.filter(pk=recipient.pk).update(invited=True)
                if status == DeliveryStatus.SENT:
                    sent += 1
                else:
                    failed += 1
                if progress:
                    progress(number, len(audience), _("%(sent)s sent, %(failed)s failed") % {
                        "sent": sent, "failed": failed})
        finally:
            connection.close()
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENT, finished_at=timezone.now())
    result: dict[str, Any] = {"sent": sent, "failed": failed}
    unknown = mailing.deliveries.filter(status=DeliveryStatus.UNKNOWN).count()
    if unknown:
        result["unknown"] = unknown
    return result


def _mail_interval() -> float:
    return 60.0 / max(settings.EVIDENS_MAIL_PER_MINUTE, 1)


def _delivery_claim(mailing: Mailing, recipient: Recipient) -> Delivery | None:
    """The recipient's "unknown" row, committed now; None when a row exists already (another run made it)."""
    try:
        # durable: the row must be committed before the message leaves, or a crash would forget the claim.
        with transaction.atomic(durable=True):
            return Delivery.objects.create(mailing=mailing, recipient=recipient, status=DeliveryStatus.UNKNOWN)
    except IntegrityError:
        return None


# How long a mailing may be "sending" without beginning a message before its worker counts as gone: far
# longer than one message takes, so a slow mail server is not mistaken for a dead worker.
MAILING_SILENCE = dt.timedelta(minutes=10)


def mailing_stalled(mailing: Mailing, *, now: dt.datetime | None = None) -> bool:
    """Whether a mailing is "sending" but no message has been begun for ``MAILING_SILENCE`` (and a pause)."""
    if mailing.status != MailingStatus.SENDING:
        return False
    last_message = mailing.deliveries.aggregate(last=Max("attempted_at"))["last"]
    signs_of_life = [moment for moment in (mailing.started_at, last_message, mailing.scheduled_for) if moment]
    quiet_since = max(signs_of_life)
    return (now or timezone.now()) - quiet_since > MAILING_SILENCE + dt.timedelta(seconds=_mail_interval())


@transaction.atomic
def mailing_resume(*, mailing: Mailing, actor: Any, now: dt.datetime | None = None) -> Mailing:
    """Send the rest of a mailing whose worker stopped mid-way (killed, or the machine restarted).

    Nothing notices a dead worker by itself: the mailing shows as stalled (``mailing_stalled``), and the
    secretariat resumes it from the survey page or with ``evidens survey resume``. That queues a new job
    for the same mailing, which sends to those with no delivery row for it (``mailing_send``); those left
    "unknown" are not sent again and stay visible.
    """
    from evidens.surveys.tasks import mailing_send_task

    mailing = Mailing.objects.select_for_update(of=("self",)).select_related("survey__process").get(pk=mailing.pk)
    now = now or timezone.now()
    if not mailing_stalled(mailing, now=now):
        raise ValidationError(_("Only a mailing whose sending has stopped can be resumed."))
    survey = mailing.survey
    label = _("%(kind)s for %(title)s (resumed)") % {"kind": mailing.get_kind_display().capitalize(),
                                                     "title": survey.title}
    mailing.started_at = now  # the resumed run's silence counts from here
    mailing.job = job_enqueue(process=survey.process, kind="survey_mailing", label=label, task=mailing_send_task,
                              user=actor, mailing_id=mailing.pk)
    mailing.save(update_fields=["started_at", "job"])
    audit_record(process=survey.process, actor=actor, action="update", obj=mailing,
                 message=gettext_noop("Sending resumed for %(title)s"), params={"title": survey.title})
    return mailing


def _deliver(connection: Any, mailing: Mailing, recipient: Recipient, survey: Survey) -> tuple[str, str]:
    values = _mail_values(recipient, survey)
    message = EmailMessage(
        subject=mailtext.fill(mailing.subject, values), body=mailtext.fill(mailing.body, values),
        from_email=_from_address(survey), to=[recipient.person.email],
        headers={"List-Unsubscribe": f"<{values['afmeld']}>", "Auto-Submitted": "auto-generated"},
        connection=connection)
    try:
        message.send()
    except smtplib.SMTPResponseException as error:
        # The server's reply may quote the address; keep the code and the class of failure only.
        return DeliveryStatus.FAILED, f"SMTP {error.smtp_code}"
    except smtplib.SMTPRecipientsRefused as error:
        codes = sorted({str(code) for code, _message in error.recipients.values()})
        return DeliveryStatus.FAILED, f"SMTP {', '.join(codes)}"
    except (smtplib.SMTPException, OSError) as error:
        connection.close()  # a broken connection is reopened for the next message
        return DeliveryStatus.FAILED, type(error).__name__
    return DeliveryStatus.SENT, ""


def _from_address(survey: Survey) -> str:
    from email.utils import formataddr, parseaddr

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((survey.sender_name or name, address))


# --- export ---------------------------------------------------------------------------------------

EXPORT_FORMATS = ("csv", "xlsx", "sav", "codebook", "xlsform")


def survey_export(*, survey: Survey, actor: Any, file_format: str, language: str = "da") -> bytes:
    """The responses, or the codebook (CSV), or the questionnaire ("xlsform") as a file. Exporting an
    identified survey's responses hands out personal data, so every export of responses is in the audit trail.

    Responses to earlier versions are exported with the latest version's questions; an answer that no
    longer fits raises ``exporting.ExportError`` with a message that names it."""
    from evidens.surveys import exporting, selectors, xlsform

    version = latest_version(survey)
    questionnaire = version.questionnaire() if version else survey.working_copy()
    if file_format == "xlsform":
        return xlsform.write_xlsform(questionnaire)
    if file_format == "codebook":
        buffer = io.BytesIO()
        exporting.export_codebook_csv(questionnaire, buffer, language, respondent=not survey.anonymous)
        return buffer.getvalue()
    records = selectors.response_records(survey)
    if file_format == "sav":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.sav"
            exporting.export_sav(questionnaire, records, path, language=language)
            content = path.read_bytes()
    else:
        buffer = io.BytesIO()
        writer = exporting.export_csv if file_format == "csv" else exporting.export_xlsx
        writer(questionnaire, records, buffer, language=language)
        content = buffer.getvalue()
    audit_record(process=survey.process, actor=actor, action="export", obj=survey,
                 message=gettext_noop("Responses exported from %(title)s as %(format)s (%(count)s)"),
                 params={"title": survey.title, "format": file_format, "count": len(records)})
    return content


# --- results as evidence ---------------------------------------------------------------------------


def result_evidence_save(*, survey: Survey, questionnaire: SurveyDefinition, actor: Any, view: Any, selection: Any,
                         responses: int, link: str) -> Any:
    """Hand one question's result, as shown, to the evidence base as a frozen snapshot; ``questionnaire`` is the
    version the results were computed from, whose labels name the comparison in the title."""
    from evidens.evidence.services import evidence_item_save

    result = view.result
    filters = [f"{name} = {value}" for name, value in sorted(selection.filters.items())]
    headings, rows, notes = results.evidence_table(view)
    key = (f"survey:{survey.pk}:{result.name}:by={selection.by}:weighted={int(selection.weighted)}"
           f":dont_know={int(selection.include_dont_know)}:filters={'&'.join(filters)}")
    title = result.label
    if selection.by:
        language = translation.get_language() or "da"
        variable = dict(results.variables(questionnaire, language)).get(selection.by, selection.by)
        title = _("%(question)s, by %(variable)s") % {"question": result.label, "variable": variable}
    return evidence_item_save(
        process=survey.process, actor=actor, channel="surveys", title=title[:300], source_key=key[:300], link=link,
        definition={"survey": survey.title, "question": result.name, "by": selection.by,
                    "weighted": selection.weighted, "include_dont_know": selection.include_dont_know,
                    "filters": filters, "responses": responses,
                    "description": _("%(survey)s: %(question)s") % {"survey": survey.title,
                                                                     "question": result.label}},
        result={"headings": headings, "rows": rows, "notes": notes}, chart=view.chart)


# --- answering --------------------------------------------------------------------------------------


class SurveyUnavailable(Exception):
    """The survey cannot be answered now; ``reason`` is "closed", "not_open" or "completed"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def browser_key_hash(key: str) -> str:
    return hashlib.sha256(f"evidens-open-link:{key}".encode()).hexdigest()


def _ensure_accepting(survey: Survey) -> None:
    if survey.accepting:
        return
    now = timezone.now()
    if survey.status == SurveyStatus.PUBLISHED and survey.opens_at and now < survey.opens_at:
        raise SurveyUnavailable("not_open")
    raise SurveyUnavailable("closed")


def draft_for_recipient(*, recipient: Recipient, language: str = "da") -> ResponseDraft:
    """The recipient's draft, made on first visit; the same one from any device."""
    if recipient.completed:
        raise SurveyUnavailable("completed")
    _ensure_accepting(recipient.survey)
    try:
        return recipient.draft
    except ResponseDraft.DoesNotExist:
        pass
    return _draft_create(survey=recipient.survey, language=language, recipient=recipient)


def draft_for_browser(*, survey: Survey, browser_key: str, language: str = "da") -> ResponseDraft:
    key_hash = browser_key_hash(browser_key)
    if OpenLinkSubmission.objects.filter(survey=survey, browser_key_hash=key_hash).exists():
        raise SurveyUnavailable("completed")
    _ensure_accepting(survey)
    draft = ResponseDraft.objects.filter(survey=survey, browser_key_hash=key_hash).first()
    return draft or _draft_create(survey=survey, language=language, browser_key_hash=key_hash)


def _draft_create(*, survey: Survey, language: str, **owner: Any) -> ResponseDraft:
    version = latest_version(survey)
    if version is None:
        raise SurveyUnavailable("not_open")
    try:
        with transaction.atomic():
            recipient = owner.get("recipient")
            # Locked and read again: a submit in another tab may have completed it since this request began.
            if recipient is not None and not Recipient.objects.select_for_update().filter(
                    pk=recipient.pk, completed=False).exists():
                raise SurveyUnavailable("completed")
            if owner.get("browser_key_hash") and OpenLinkSubmission.objects.filter(
                    survey=survey, browser_key_hash=owner["browser_key_hash"]).exists():
                raise SurveyUnavailable("completed")
            return ResponseDraft.objects.create(survey=survey, version=version, language=language, **owner)
    except IntegrityError:  # the same person opened the link in two tabs at once
        return ResponseDraft.objects.get(survey=survey, **owner)


@transaction.atomic
def draft_save_page(*, draft: ResponseDraft, section: int, page_answers: dict[str, Any], go_to: int) -> None:
    """Keep one page's answers; the respondent resumes on ``go_to`` next time."""
    _ensure_accepting(draft.survey)
    questionnaire = draft.version.questionnaire()
    page_keys = {key for question in questionnaire.sections[section].questions
                 for key in answering.answer_keys(question)}
    current = ResponseDraft.objects.select_for_update().filter(pk=draft.pk).first()
    if current is None:
        raise SurveyUnavailable("completed")  # submitted from another tab meanwhile
    merged = {key: value for key, value in current.answers.items() if key not in page_keys} | page_answers
    current.answers = answering.kept_answers(questionnaire, merged)
    current.section = go_to
    current.save(update_fields=["answers", "section", "updated_at"])
    draft.answers, draft.section = current.answers, current.section


def response_submit(*, draft: ResponseDraft) -> Response | None:
    """Turn a complete draft into a response, once: a second submit (another tab, a double click) returns None."""
    with transaction.atomic():
        _ensure_accepting(draft.survey)
        current = (ResponseDraft.objects.select_for_update(of=("self",)).filter(pk=draft.pk)
                   .select_related("recipient").first())
        if current is None:
            return None
        if current.recipient_id is not None:
            claimed = Recipient.objects.filter(pk=current.recipient_id, completed=False).update(completed=True)
        else:
            claimed = _open_link_claim(current)
        if not claimed:
            current.delete()
            return None
        response = _response_from(current, ResponseStatus.COMPLETE)
        current.delete()
        return response


def _open_link_claim(draft: ResponseDraft) -> bool:
    try:
        with transaction.atomic():
            OpenLinkSubmission.objects.create(survey_id=draft.survey_id, browser_key_hash=draft.browser_key_hash)
    except IntegrityError:
        return False
    return True


def _response_from(draft: ResponseDraft, status: str) -> Response:
    questionnaire = draft.version.questionnaire()
    recipient = draft.recipient
    return Response.objects.create(
        survey_id=draft.survey_id, version_id=draft.version_id, status=status,
        answers=answering.kept_answers(questionnaire, draft.answers),
        recipient=None if draft.survey.anonymous else recipient,
        segment=recipient.segment if recipient else "", member=_membership(draft),
        language=draft.language, submitted_on=timezone.localdate())


def _membership(draft: ResponseDraft) -> bool | None:
    """Whether the recipient's organisation is a member (no organisation: not a member), for weighting; None for
    the shared link, and in an anonymous survey when fewer recipients than the process's threshold share the
    segment and the membership: the two together would then point to a few people."""
    recipient = draft.recipient
    if recipient is None:
        return None
    member = Recipient.objects.filter(pk=recipient.pk, person__organisation__is_member=True).exists()
    if draft.survey.anonymous:
        alike = Recipient.objects.filter(survey_id=draft.survey_id, segment=recipient.segment)
        alike = alike.filter(person__organisation__is_member=True) if member else alike.exclude(
            person__organisation__is_member=True)
        if alike.count() < draft.survey.process.anonymity_threshold:
            return None
    return member


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))

