"""Every write to the evidence base. Channels hand over snapshots through ``evidence_item_save``; this app
imports no channel."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.hashing import canonical_hash
from evidens.core.positions import next_position
from evidens.evidence import workshop
from evidens.evidence.models import (
    Assumption,
    AssumptionFinding,
    AssumptionVerdict,
    Challenge,
    Channel,
    EvidenceItem,
    Finding,
    FindingEvidence,
    FindingStatus,
    Need,
    Stance,
    Verdict,
)
from evidens.processes.audit import audit_record
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.importing import RegisterImportError, UnreadableFile, read_table


def content_hash(definition: Any, result: Any, chart: Any) -> str:
    return canonical_hash({"definition": definition, "result": result, "chart": chart})


@transaction.atomic
def evidence_item_save(*, process: StrategyProcess, actor: Any, channel: str, title: str, source_key: str,
                       definition: dict[str, Any], result: Any, link: str,
                       chart: dict[str, Any] | None = None) -> EvidenceItem:
    """Freeze what a live view shows now. Saving the same view again makes its next version, unless nothing
    changed, in which case the latest version is returned as it is."""
    plain = json.loads(json.dumps({"definition": definition, "result": result, "chart": chart},
                                  cls=DjangoJSONEncoder, ensure_ascii=False))
    digest = content_hash(plain["definition"], plain["result"], plain["chart"])
    latest = (EvidenceItem.objects.select_for_update().filter(process=process, source_key=source_key)
              .order_by("-version").first())
    if latest is not None and latest.content_hash == digest:
        return latest
    item = EvidenceItem.objects.create(
        process=process, channel=channel, title=title, source_key=source_key,
        version=(latest.version + 1) if latest else 1, definition=plain["definition"], result=plain["result"],
        chart=plain["chart"], link=link, content_hash=digest,
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(process=process, actor=actor, action="create", obj=item,
                 message=gettext_noop("Evidence saved: %(title)s (version %(version)s)"),
                 params={"title": title, "version": item.version})
    return item


@transaction.atomic
def evidence_items_erase(*, process: StrategyProcess, source_key_prefix: str) -> int:
    """Delete every version of the items whose live view starts with ``source_key_prefix``: what a person's
    erasure takes out of the evidence base (a quote of theirs). Returns how many were deleted."""
    items = EvidenceItem.objects.filter(process=process, source_key__startswith=source_key_prefix)
    count = items.count()
    if count:
        # Erasure wins over citation: the findings lose these items rather than keep a person's words.
        FindingEvidence.objects.filter(item__in=items).delete()
        items.delete()
        audit_record(process=process, actor=None, action="delete", obj=None,
                     message=gettext_noop("%(count)s evidence items deleted with a person's data"),
                     params={"count": count})
    return count


# ---------------------------------------------------------------------------------------------
# The board workshop: challenges and assumptions
# ---------------------------------------------------------------------------------------------

ASSUMPTION_FIELDS = {"statement", "challenge", "held_by", "importance", "must_be_true", "would_confirm",
                     "would_refute", "channels", "sceptic"}


def _assumption_clean(assumption: Assumption) -> None:
    if not assumption.statement.strip():
        raise ValidationError({"statement": _("Write the assumption.")})
    if not 1 <= assumption.importance <= 5:
        raise ValidationError({"importance": _("Importance goes from 1 to 5.")})
    unknown = [channel for channel in assumption.channels if channel not in Channel.values]
    if unknown:
        raise ValidationError({"channels": _("Unknown channel: %(channel)s.") % {"channel": unknown[0]}})
    if assumption.challenge is not None and assumption.challenge.process_id != assumption.process_id:
        raise ValidationError({"challenge": _("The challenge belongs to another process.")})


@transaction.atomic
def challenge_create(*, process: StrategyProcess, actor: Any, title: str, description: str = "") -> Challenge:
    if not title.strip():
        raise ValidationError({"title": _("Write the challenge.")})
    challenge = Challenge.objects.create(process=process, title=title.strip(), description=description.strip(),
                                         position=next_position(process.challenges))
    audit_record(process=process, actor=actor, action="create", obj=challenge,
                 message=gettext_noop("Challenge added: %(title)s"), params={"title": challenge.title})
    return challenge


@transaction.atomic
def assumption_create(*, process: StrategyProcess, actor: Any, statement: str, **fields: Any) -> Assumption:
    unknown = set(fields) - ASSUMPTION_FIELDS
    if unknown:
        raise TypeError(f"not fields of an assumption: {sorted(unknown)}")
    assumption = Assumption(process=process, statement=statement.strip(), **fields,
                            position=next_position(process.assumptions))
    _assumption_clean(assumption)
    assumption.save()
    audit_record(process=process, actor=actor, action="create", obj=assumption,
                 message=gettext_noop("Assumption added: %(statement)s"), params={"statement": assumption.statement})
    return assumption


@transaction.atomic
def assumption_update(*, assumption: Assumption, actor: Any, **fields: Any) -> Assumption:
    unknown = set(fields) - ASSUMPTION_FIELDS
    if unknown:
        raise TypeError(f"not fields of an assumption: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(assumption, name, value.strip() if isinstance(value, str) else value)
    _assumption_clean(assumption)
    assumption.save()
    audit_record(process=assumption.process, actor=actor, action="update", obj=assumption,
                 message=gettext_noop("Assumption changed: %(statement)s"), params={"statement": assumption.statement})
    return assumption


@transaction.atomic
def assumption_move(*, assumption: Assumption, actor: Any, steps: int) -> None:
    """Move an assumption up (negative) or down (positive) among all of the process's assumptions."""
    ordered = list(Assumption.objects.select_for_update().filter(process=assumption.process)
                   .order_by("position", "id"))
    index = next(index for index, other in enumerate(ordered) if other.pk == assumption.pk)
    ordered.insert(max(0, min(len(ordered) - 1, index + steps)), ordered.pop(index))
    for position, other in enumerate(ordered):
        other.position = position
    Assumption.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def assumption_delete(*, assumption: Assumption, actor: Any) -> None:
    audit_record(process=assumption.process, actor=actor, action="delete", obj=assumption,
                 message=gettext_noop("Assumption deleted: %(statement)s"), params={"statement": assumption.statement})
    assumption.delete()


@transaction.atomic
def verdict_set(*, assumption: Assumption, actor: Any, verdict: str, reason: str, proposed: str
                ) -> AssumptionVerdict:
    """A person's verdict with their written reason, kept beside the proposal it was set against."""
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose a verdict.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Write the reason for the verdict.")})
    decided = AssumptionVerdict.objects.create(
        assumption=assumption, verdict=verdict, proposed=proposed, reason=reason.strip(),
        decided_by=actor if getattr(actor, "is_authenticated", False) else None)
    Assumption.objects.filter(pk=assumption.pk).update(verdict=verdict)
    assumption.verdict = verdict
    audit_record(process=assumption.process, actor=actor, action="update", obj=assumption,
                 message=gettext_noop("Verdict on “%(statement)s”: %(verdict)s"),
                 params={"statement": assumption.statement, "verdict": verdict})
    return decided


# ---------------------------------------------------------------------------------------------
# Findings and needs
# ---------------------------------------------------------------------------------------------


def _segments(segments: Any) -> list[str]:
    return [segment.strip() for segment in segments if segment.strip()]


@transaction.atomic
def finding_create(*, process: StrategyProcess, actor: Any, statement: str, segments: Any = (),
                   status: str = FindingStatus.DRAFT) -> Finding:
    if not statement.strip():
        raise ValidationError({"statement": _("Write the finding.")})
    finding = Finding.objects.create(process=process, statement=statement.strip(), segments=_segments(segments),
                                     status=status, created_by=actor if getattr(actor, "is_authenticated", False)
                                     else None)
    audit_record(process=process, actor=actor, action="create", obj=finding,
                 message=gettext_noop("Finding added: %(statement)s"), params={"statement": finding.statement})
    return finding


@transaction.atomic
def finding_update(*, finding: Finding, actor: Any, statement: str, segments: Any, status: str) -> Finding:
    if not statement.strip():
        raise ValidationError({"statement": _("Write the finding.")})
    if status not in FindingStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    finding.statement, finding.segments, finding.status = statement.strip(), _segments(segments), status
    finding.save()
    audit_record(process=finding.process, actor=actor, action="update", obj=finding,
                 message=gettext_noop("Finding changed: %(statement)s"), params={"statement": finding.statement})
    return finding


@transaction.atomic
def finding_evidence_link(*, finding: Finding, actor: Any, item: EvidenceItem, stance: str, note: str = ""
                          ) -> FindingEvidence:
    if item.process_id != finding.process_id:
        raise ValidationError(_("The evidence belongs to another process."))
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Choose whether the evidence supports, contradicts or gives context.")})
    link, _created = FindingEvidence.objects.update_or_create(finding=finding, item=item,
                                                              defaults={"stance": stance, "note": note.strip()})
    audit_record(process=finding.process, actor=actor, action="update", obj=finding,
                 message=gettext_noop("Evidence “%(title)s” linked to a finding (%(stance)s)"),
                 params={"title": item.title, "stance": stance})
    return link


@transaction.atomic
def finding_evidence_unlink(*, link: FindingEvidence, actor: Any) -> None:
    audit_record(process=link.finding.process, actor=actor, action="update", obj=link.finding,
                 message=gettext_noop("Evidence “%(title)s” removed from a finding"), params={"title": link.item.title})
    link.delete()


@transaction.atomic
def assumption_finding_link(*, assumption: Assumption, actor: Any, finding: Finding, stance: str, note: str = ""
                            ) -> AssumptionFinding:
    if finding.process_id != assumption.process_id:
        raise ValidationError(_("The finding belongs to another process."))
    if stance not in (Stance.SUPPORTS, Stance.CONTRADICTS):
        raise ValidationError({"stance": _("Choose whether the finding supports or contradicts the assumption.")})
    link, _created = AssumptionFinding.objects.update_or_create(assumption=assumption, finding=finding,
                                                                defaults={"stance": stance, "note": note.strip()})
    audit_record(process=assumption.process, actor=actor, action="update", obj=assumption,
                 message=gettext_noop("Finding linked to “%(statement)s” (%(stance)s)"),
                 params={"statement": assumption.statement, "stance": stance})
    return link


@transaction.atomic
def assumption_finding_unlink(*, link: AssumptionFinding, actor: Any) -> None:
    audit_record(process=link.assumption.process, actor=actor, action="update", obj=link.assumption,
                 message=gettext_noop("Finding removed from “%(statement)s”"),
                 params={"statement": link.assumption.statement})
    link.delete()


@transaction.atomic
def need_create(*, process: StrategyProcess, actor: Any, segment: str, statement: str,
                findings: Sequence[Finding] = ()) -> Need:
    if not segment.strip() or not statement.strip():
        raise ValidationError(_("Write the segment and the need."))
    if any(finding.process_id != process.pk for finding in findings):
        raise ValidationError(_("The finding belongs to another process."))
    need = Need.objects.create(process=process, segment=segment.strip(), statement=statement.strip(),
                               position=next_position(process.needs))
    need.findings.set(findings)
    audit_record(process=process, actor=actor, action="create", obj=need,
                 message=gettext_noop("Need added for %(segment)s: %(statement)s"),
                 params={"segment": need.segment, "statement": need.statement})
    return need


@transaction.atomic
def assumptions_import(*, process: StrategyProcess, actor: Any, content: bytes, filename: str) -> list[Assumption]:
    """Every row of the workshop's spreadsheet as an assumption, under its challenge (made when new), or nothing:
    a file with any problem raises ``RegisterImportError`` naming each row and column."""
    try:
        table = read_table(content, filename)
    except UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None
    rows, issues = workshop.read_assumptions(table)
    if issues:
        raise RegisterImportError(issues)
    challenges = {challenge.title.casefold(): challenge for challenge in process.challenges.all()}
    made = []
    for row in rows:
        challenge = None
        if row.challenge:
            challenge = challenges.get(row.challenge.casefold())
            if challenge is None:
                challenge = challenges[row.challenge.casefold()] = challenge_create(process=process, actor=actor,
                                                                                    title=row.challenge)
        made.append(assumption_create(
            process=process, actor=actor, statement=row.statement, challenge=challenge, held_by=row.held_by,
            importance=row.importance, must_be_true=row.must_be_true, would_confirm=row.would_confirm,
            would_refute=row.would_refute, channels=list(row.channels)))
    return made
