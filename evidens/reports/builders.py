"""The three reports as documents, read through the apps' selectors: the knowledge report (vidensrapport), the
decision memo (beslutningsgrundlag) and a survey's results.

The knowledge report shows what the channels handed over as evidence: each evidence item's frozen table, chart or
quote, exactly as it was saved (small groups of anonymous surveys were hidden when it was saved), cited by its key
("E12") wherever a claim rests on it. No person's name appears: quotes carry the stakeholder group, not the
interview's label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from evidens.archive import selectors as archive_selectors
from evidens.coding.evidence import QUOTE_KEY
from evidens.coding.models import Document as CodedDocument
from evidens.coding.models import DocumentOrigin
from evidens.evidence import selectors as evidence_selectors
from evidens.evidence.models import Channel, EvidenceItem, FindingStatus, Verdict
from evidens.interviews import selectors as interview_selectors
from evidens.interviews.models import ConsentScope, Interview, InterviewStatus
from evidens.processes.models import StrategyProcess
from evidens.reports import typography
from evidens.reports.document import (
    Block,
    Document,
    Facts,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Quote,
    Reference,
    Table,
)
from evidens.strategy import charts as strategy_charts
from evidens.strategy import selectors as strategy_selectors
from evidens.strategy import tables as strategy_tables
from evidens.surveys import results as survey_results
from evidens.surveys import selectors as survey_selectors
from evidens.surveys.models import Survey, SurveyStatus
from evidens.webstats import selectors as web_selectors

CHANNEL_ORDER = (Channel.SURVEYS, Channel.WEBSTATS, Channel.ARCHIVE, Channel.INTERVIEWS)
QUOTABLE = (ConsentScope.ANONYMOUS_QUOTES, ConsentScope.NAMED_QUOTES)


# Numbers and dates in the language the labels are written in.
def _language() -> str:
    return translation.get_language() or "da"


def _number(value: typography.Number, decimals: int = 0) -> str:
    return typography.number_text(value, decimals, _language())


def _percent(value: typography.Number) -> str:
    return typography.percent_text(value, 1, _language())


def _date(day: dt.date) -> str:
    return typography.date_text(day, _language())


def _amount(value: typography.Number) -> str:
    return typography.amount_text(value, 0, _language())


def reference_key(item: EvidenceItem) -> str:
    return f"E{item.pk}"


def _reference(item: EvidenceItem, publishable: Mapping[int, str]) -> Reference:
    detail = _("%(channel)s, version %(version)s of %(date)s, content hash %(hash)s") % {
        "channel": Channel(item.channel).label, "version": item.version,
        "date": _date(timezone.localdate(item.created_at)), "hash": item.content_hash[:12]}
    title = item.title if not _is_quote(item) or item.pk in publishable else _("A quote from an interview for "
                                                                               "internal use only")
    return Reference(reference_key(item), title, detail, f"{settings.BASE_URL}{item.link}")


def publishable_quotes(process: StrategyProcess, items: Iterable[EvidenceItem]) -> dict[int, str]:
    """The quote items that may be printed, each with the name it may carry: an interviewee's quotes when they
    agreed to be quoted ("" unless they agreed to be named and still have a name); survey answers always, never
    with a name (they were read only in groups large enough to read). Others are neither shown nor attributed."""
    by_document: dict[str, list[int]] = {}
    for item in items:
        if _is_quote(item) and item.source_key.startswith(QUOTE_KEY):
            by_document.setdefault(item.source_key.split(":")[2], []).append(item.pk)
    agreed = (Interview.objects.filter(process=process, document__guid__in=list(by_document), consent__in=QUOTABLE)
              .select_related("person__organisation", "document"))
    names = {str(interview.document.guid): _quoted_name(interview) for interview in agreed
             if interview.document is not None}
    answers = CodedDocument.objects.filter(process=process, guid__in=list(by_document), origin=DocumentOrigin.SURVEY)
    names.update({str(guid): "" for guid in answers.values_list("guid", flat=True)})
    return {pk: name for guid, name in names.items() for pk in by_document[guid]}


def _quoted_name(interview: Interview) -> str:
    person = interview.person
    if interview.consent != ConsentScope.NAMED_QUOTES or person is None or person.erased_at is not None:
        return ""
    return ", ".join(part for part in (person.name, person.organisation.name if person.organisation else "") if part)


def _front(process: StrategyProcess) -> tuple[tuple[str, str], ...]:
    facts = [(_("Organisation"), process.organisation), (_("Purpose"), process.purpose)]
    if process.start_date and process.end_date:
        facts.append((_("Period"), f"{_date(process.start_date)} – {_date(process.end_date)}"))
    if process.horizon_year:
        facts.append((_("Horizon"), str(process.horizon_year)))
    facts += [(_("Supported by"), ", ".join(process.funder_list)), (_("Consultant"), process.consultant)]
    if process.total_budget:
        facts.append((_("Budget"), _amount(process.total_budget)))
    return tuple((label, value) for label, value in facts if value)


def _document(process: StrategyProcess, title: str, blocks: Sequence[Block],
              cited: Iterable[EvidenceItem] = (), publishable: Mapping[int, str] | None = None) -> Document:
    cited = list(cited)
    publishable = publishable_quotes(process, cited) if publishable is None else publishable
    references = {reference_key(item): _reference(item, publishable) for item in cited}
    return Document(title=title, subtitle=process.name, organisation=process.organisation,
                    date=timezone.localdate(), language=_language(), front=_front(process), blocks=tuple(blocks),
                    references=tuple(references.values()))


# --- the knowledge report --------------------------------------------------------------------------------------------


def latest_items(process: StrategyProcess) -> list[EvidenceItem]:
    """The newest version of every evidence item, in the channels' order and then by title."""
    latest: dict[str, EvidenceItem] = {}
    for item in EvidenceItem.objects.filter(process=process).order_by("source_key", "-version"):
        latest.setdefault(item.source_key, item)
    order = {str(channel): index for index, channel in enumerate(CHANNEL_ORDER)}
    return sorted(latest.values(), key=lambda item: (order.get(item.channel, len(order)), item.title.casefold()))


def knowledge_report(process: StrategyProcess, *, identified_quotes: bool = False) -> Document:
    """``identified_quotes``: the secretariat's choice to name interviewees who agreed to be quoted by name;
    without it every quote carries only the interviewee's stakeholder group."""
    items = latest_items(process)
    reviews = evidence_selectors.assumption_reviews(process)
    findings = [finding for finding in evidence_selectors.findings(process)
                if finding.status in (FindingStatus.REVIEWED, FindingStatus.APPROVED)]
    cited: dict[int, EvidenceItem] = {item.pk: item for item in items}
    for finding in findings:
        cited.update({link.item.pk: link.item for link in finding.links.all()})
    blocks: list[Block] = [
        Heading(pgettext("report chapter", "Summary"), 1), *_summary(reviews, findings, items),
        Heading(_("Method"), 1), *_method(process, items),
        Heading(_("Results per channel"), 1), *_results_per_channel(items),
        PageBreak(),
        Heading(_("Assumptions and verdicts"), 1), *_assumptions(reviews),
        Heading(_("Findings"), 1), *_findings(findings),
        Heading(_("Needs per segment"), 1), *_needs(process, set(cited)),
    ]
    publishable = publishable_quotes(process, cited.values())
    blocks += [Heading(_("Quotes"), 1), *_quotes(items, publishable, identified=identified_quotes)]
    return _document(process, _("Knowledge report"), blocks, cited.values(), publishable)


def _summary(reviews: Sequence[Any], findings: Sequence[Any], items: Sequence[EvidenceItem]) -> list[Block]:
    verdicts = [str(Verdict(review.assumption.verdict).label) for review in reviews]
    counted = ", ".join(f"{verdicts.count(str(label))} {label}" for label in Verdict.labels
                        if verdicts.count(str(label)))
    channels = {item.channel for item in items}
    text = ngettext(
        "The board tested %(count)s assumption against the evidence: %(verdicts)s.",
        "The board tested %(count)s assumptions against the evidence: %(verdicts)s.", len(reviews)) % {
        "count": len(reviews), "verdicts": counted or "–"}
    text += " " + _("%(findings)s findings rest on %(items)s evidence items from %(channels)s channels.") % {
        "findings": len(findings), "items": len(items), "channels": len(channels)}
    blocks: list[Block] = [Paragraph(text)]
    approved = [finding for finding in findings if finding.status == FindingStatus.APPROVED]
    if approved:
        blocks.append(Paragraph(_("The approved findings:")))
        blocks += [Paragraph(f"• {finding.statement}", tuple(reference_key(link.item) for link in finding.links.all()))
                   for finding in approved]
    return blocks


def _method(process: StrategyProcess, items: Sequence[EvidenceItem]) -> list[Block]:
    blocks: list[Block] = [Paragraph(_(
        "Evidence comes from four channels. Each table, chart and quote below is an evidence item: a frozen copy of "
        "what an analyst saved from the live view, with its version and content hash in the list of sources."))]
    surveys = [survey for survey in Survey.objects.filter(process=process).order_by("created_at")
               if survey.status != SurveyStatus.DRAFT]
    for survey in surveys:
        watched = survey_selectors.monitoring(survey)
        text = _("Survey “%(title)s”: %(recipients)s invited, %(responses)s complete responses (%(rate)s of those "
                 "invited through a personal link).") % {
            "title": survey.title, "recipients": _number(watched.recipients),
            "responses": _number(watched.complete_responses),
            "rate": _percent(watched.rate) if watched.rate is not None else "–"}
        blocks.append(Paragraph(text + _period(*_survey_period(watched))))
    blocks.append(Paragraph(_(
        "Results of anonymous surveys are not shown for groups of fewer than %(threshold)s respondents, and a "
        "further group is hidden where the hidden one could otherwise be worked out from the totals.")
        % {"threshold": process.anonymity_threshold}))
    imports = list(web_selectors.completed(process))
    if imports:
        blocks.append(Paragraph(ngettext(
            "Web statistics: %(count)s completed import of access logs.",
            "Web statistics: %(count)s completed imports of access logs.",
            len(imports)) % {"count": len(imports)} + _period(*web_selectors.data_range(process))))
    interviews = interview_selectors.interviews(process)
    done = [interview for interview in interviews
            if interview.status in (InterviewStatus.CONDUCTED, InterviewStatus.TRANSCRIBED)]
    if done:
        days = [interview.date for interview in done if interview.date]
        blocks.append(Paragraph(ngettext("Interviews: %(count)s stakeholder interview conducted.",
                                         "Interviews: %(count)s stakeholder interviews conducted.", len(done))
                                % {"count": len(done)} + _period(min(days, default=None), max(days, default=None))))
    documents = archive_selectors.documents(process).count()
    if documents:
        years = archive_selectors.years(process)
        blocks.append(Paragraph(ngettext("Archive: %(count)s document searched.", "Archive: %(count)s documents "
                                         "searched.", documents) % {"count": _number(documents)}
                                + (" " + _("Dated %(first)s–%(last)s.") % {"first": min(years), "last": max(years)}
                                   if years else "")))
    counting = sorted({sentence for item in items for sentence in evidence_selectors.counting(item)})
    if counting:
        blocks.append(Paragraph(_("How the numbers were counted:")))
        blocks += [Paragraph(f"• {sentence}") for sentence in counting]
    return blocks


def _survey_period(watched: Any) -> tuple[dt.date | None, dt.date | None]:
    """From the first mailing (or answer) to the last answer."""
    days = [day for day, _count in watched.days] + [day for day, _label in watched.events]
    return min(days, default=None), max(days, default=None)


def _period(first: dt.date | None, last: dt.date | None) -> str:
    """A sentence to append, " Period: 1. marts 2020 – 28. februar 2021.", or nothing when a date is unknown."""
    if first is None or last is None:
        return ""
    return " " + _("Period: %(first)s – %(last)s.") % {"first": _date(first), "last": _date(last)}


def _results_per_channel(items: Sequence[EvidenceItem]) -> list[Block]:
    blocks: list[Block] = []
    for channel in CHANNEL_ORDER:
        shown = [item for item in items if item.channel == channel and not _is_quote(item)]
        if not shown:
            continue
        blocks.append(Heading(str(Channel(channel).label).capitalize(), 2))
        for item in shown:
            blocks.append(Heading(item.title, 3))
            blocks += _item_blocks(item)
    return blocks


def _is_quote(item: EvidenceItem) -> bool:
    return isinstance(item.result, dict) and "text" in item.result and "rows" not in item.result


def _item_blocks(item: EvidenceItem) -> list[Block]:
    key = (reference_key(item),)
    blocks: list[Block] = []
    if item.chart:
        blocks.append(Figure(item.chart, item.title, key))
    result = item.result if isinstance(item.result, dict) else {}
    rows = result.get("rows")
    if isinstance(rows, list) and rows:
        headings = tuple(str(heading) for heading in result.get("headings", []))
        cells = tuple(tuple(_cell(value) for value in row) for row in rows)
        numeric = tuple(all(isinstance(row[index], int | float) or row[index] is None
                            for row in rows if index < len(row)) for index in range(len(headings)))
        blocks.append(Table(headings, cells, caption=item.title, numeric=numeric, refs=key))
    for note in result.get("notes", []) or []:
        blocks.append(Paragraph(str(note), key))
    return blocks


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return _number(value)
    if isinstance(value, float):
        return _number(value, decimals=1)
    return str(value)


def _assumptions(reviews: Sequence[Any]) -> list[Block]:
    blocks: list[Block] = []
    for review in reviews:
        assumption = review.assumption
        blocks.append(Heading(assumption.statement, 3))
        blocks.append(Paragraph(_("Verdict: %(verdict)s. The findings propose: %(proposal)s.") % {
            "verdict": Verdict(assumption.verdict).label, "proposal": Verdict(review.proposal.verdict).label}))
        for label, finding in ((_("Strongest for"), review.strongest_for),
                               (_("Strongest against"), review.strongest_against)):
            if finding is not None:
                blocks.append(Paragraph(f"{label}: {finding.statement}",
                                        tuple(reference_key(link.item) for link in finding.links.all())))
    return blocks or [Paragraph(_("No assumptions recorded."))]


def _findings(findings: Sequence[Any]) -> list[Block]:
    return [Paragraph(finding.statement, tuple(reference_key(link.item) for link in finding.links.all()))
            for finding in findings] or [Paragraph(_("No reviewed findings yet."))]


def _needs(process: StrategyProcess, cited: set[int]) -> list[Block]:
    """Each need with the evidence of the reviewed findings behind it."""
    blocks: list[Block] = []
    for segment, needs in evidence_selectors.needs_by_segment(process).items():
        blocks.append(Heading(segment, 3))
        blocks += [Paragraph(f"• {need.statement}", tuple(dict.fromkeys(
            reference_key(link.item) for finding in need.findings.all() for link in finding.links.all()
            if link.item_id in cited))) for need in needs]
    return blocks or [Paragraph(_("No needs recorded."))]


def _quotes(items: Sequence[EvidenceItem], publishable: Mapping[int, str], *, identified: bool) -> list[Block]:
    quotes: list[Block] = []
    for item in items:
        if _is_quote(item) and item.pk in publishable:
            group = str(item.definition.get("group", "") if isinstance(item.definition, dict) else "")
            name = publishable[item.pk] if identified else ""
            source = f"{name} ({group})" if name and group else name or group
            quotes.append(Quote(str(item.result["text"]), source, (reference_key(item),)))
    return quotes or [Paragraph(_("No quotes saved as evidence."))]


# --- the decision memo -----------------------------------------------------------------------------------------------


def decision_memo(process: StrategyProcess) -> Document:
    bench = strategy_selectors.workbench(process)
    rankings = strategy_selectors.rankings(bench)
    conditions = strategy_selectors.conditions(process)
    cited: dict[int, EvidenceItem] = {}
    for items in conditions.values():
        for condition in items:
            for finding in condition.findings.all():
                cited.update({item.pk: item for item in finding.evidence.all()})
    blocks: list[Block] = [
        Heading(_("The options"), 1), *_options(process, bench, conditions),
        Heading(_("Criteria and weights"), 1), *_criteria_and_weights(bench),
        Heading(_("Scores"), 1), *_scores(process, bench),
        Heading(_("Ranking"), 1), *_ranking(bench, rankings),
        Heading(_("Robustness"), 1), *_robustness(bench),
        Heading(_("Validation with stakeholders"), 1), *_validation(process, bench, rankings, conditions),
        Heading(_("The decision"), 1), *_decision(process),
    ]
    return _document(process, _("Decision memo"), blocks, cited.values())


def _options(process: StrategyProcess, bench: Any, conditions: dict[int, list[Any]]) -> list[Block]:
    versions = strategy_selectors.latest_versions(process)
    labels = strategy_tables.description_labels()
    blocks: list[Block] = []
    for option in bench.options:
        version = versions.get(option.pk)
        blocks.append(Heading(option.title, 2))
        if version is not None:
            blocks.append(Facts(tuple((str(labels[name]).capitalize(), getattr(version, name))
                                      for name in labels if getattr(version, name))))
        for condition in conditions.get(option.pk, []):
            verdicts = "; ".join(f"{assumption.statement} ({Verdict(assumption.verdict).label})"
                                 for assumption in condition.assumptions.all())
            refs = tuple(reference_key(item) for finding in condition.findings.all() for item in finding.evidence.all())
            text = _("Would have to be true: %(statement)s") % {"statement": condition.statement}
            blocks.append(Paragraph(f"{text}{' — ' + verdicts if verdicts else ''}", refs))
    return blocks or [Paragraph(_("No options yet."))]


def _criteria_and_weights(bench: Any) -> list[Block]:
    if not bench.criteria:
        return [Paragraph(_("No criteria yet."))]
    blocks: list[Block] = [Table(
        (_("Group"), _("Criterion"), _("Higher is better"), _("Score 1 means"), _("Score 5 means")),
        tuple((criterion.group, criterion.name, _("yes") if criterion.benefit else _("no"), criterion.scale[0],
               criterion.scale[-1]) for criterion in bench.criteria))]
    rows = [(row["panellist"].name, str(row["method"]), *(_percent_or_dash(weight) for weight in row["weights"]))
            for row in strategy_tables.panel_rows(bench)]
    if bench.group is not None:
        rows.append((_("The group"), "", *(_percent_or_dash(weight)
                                          for weight in strategy_tables.group_weight_row(bench))))
    blocks.append(Table((_("Board member"), _("Method"), *(criterion.name for criterion in bench.criteria)),
                        tuple(rows), caption=_("Weights in per cent"),
                        numeric=(False, False, *(True for _criterion in bench.criteria))))
    chart = strategy_charts.weights_chart(bench)
    if chart:
        blocks.append(Figure(chart, _("The group's weights and each member's")))
    if bench.group is not None:
        blocks.append(Paragraph(strategy_tables.group_weights_explanation(bench.group)))
    return blocks


def _percent_or_dash(value: float | None) -> str:
    return _percent(value) if value is not None else "–"


def _scores(process: StrategyProcess, bench: Any) -> list[Block]:
    grid = strategy_tables.score_grid(bench)
    if not grid:
        return [Paragraph(_("No scores yet."))]
    rows = tuple((row["option"].title, *(f"{_number(cell['mean'], decimals=1)} ({cell['low']}–{cell['high']})"
                                         if cell["count"] else "–" for cell in row["cells"])) for row in grid)
    blocks: list[Block] = [Table((_("Option"), *(criterion.name for criterion in bench.criteria)), rows,
                                 caption=_("Mean score with the lowest and highest"),
                                 numeric=(False, *(True for _criterion in bench.criteria)))]
    heatmap = strategy_charts.scores_heatmap(bench)
    if heatmap:
        blocks.append(Figure(heatmap, _("The board's mean score of each option on each criterion")))
    missing = strategy_tables.missing_scores(bench)
    if missing:
        blocks.append(Paragraph(_("Missing scores: %(missing)s.") % {"missing": "; ".join(
            f"{item['panellist'].name} ({len(item['cells'])})" for item in missing)}))
    given = strategy_selectors.member_scores(process)
    for member in bench.panel:
        scores = given.get(member.panellist.pk, {})
        blocks.append(Table((_("Option"), *(criterion.name for criterion in bench.criteria)), tuple(
            (option.title, *(str(scores.get((option.pk, criterion.pk), "–")) for criterion in bench.criteria))
            for option in bench.options), caption=_("Scores of %(name)s") % {"name": member.panellist.name},
            numeric=(False, *(True for _criterion in bench.criteria))))
    return blocks


def _ranking(bench: Any, rankings: Sequence[Any]) -> list[Block]:
    if not rankings:
        return [Paragraph(_("The ranking appears when every option has been scored on every criterion and at least "
                            "one board member has weighed the criteria."))]
    table = strategy_tables.ranking_table(bench, rankings)
    labels = [str(strategy_tables.METHOD_LABELS[ranking.method]) for ranking in rankings]
    blocks: list[Block] = [
        Figure(strategy_charts.ranking_chart(bench, rankings[0]), _("Weighted value of each option on the 1–5 scale")),
        Table((_("Option"), *labels), tuple((row["option"].title, *(
            f"{_number(cell['value'], decimals=3)} ({_('no. %(rank)s') % {'rank': cell['rank']}})"
            for cell in row["methods"]))
            for row in table), numeric=(False, *(True for _label in labels))),
    ]
    for label, ranking in zip(labels, rankings, strict=True):
        blocks.append(Paragraph(f"{label.capitalize()}: {strategy_tables.METHOD_EXPLANATIONS[ranking.method]}"))
    return blocks


def _robustness(bench: Any) -> list[Block]:
    result = strategy_selectors.robustness(bench)
    if result is None:
        return [Paragraph(_("Not yet: the board has not finished weighing and scoring."))]
    view = strategy_tables.robustness_view(bench, result)
    blocks: list[Block] = [Paragraph(_("%(top)s comes first, %(second)s second, %(margin)s points apart on the 1–5 "
                                       "scale.") % {"top": view["top"].title, "second": view["runner_up"].title,
                                                    "margin": _number(view["margin"], decimals=2)})]
    blocks.append(Table((_("Criterion"), _("Weight now"), _("Raised to"), _("Lowered to")), tuple(
        (row["criterion"].name, _percent_or_dash(row["weight"]),
         f"{_percent_or_dash(row['up'])} → {row['up_option'].title}" if row["up_option"] else _("never changes"),
         f"{_percent_or_dash(row['down'])} → {row['down_option'].title}" if row["down_option"] else _("never changes"))
        for row in view["break_even"]), caption=_("Break-even weights")))
    ranks = len(bench.options)
    places = [_("no. %(rank)s") % {"rank": rank} for rank in range(1, ranks + 1)]
    blocks.append(Table((_("Option"), *places), tuple(
        (row["option"].title, *(_percent_or_dash(share) for share in row["ranks"])) for row in view["smaa"]),
        caption=_("Rank acceptability under random weights (SMAA)"), numeric=(False, *(True for _place in places))))
    blocks.append(Figure(strategy_charts.smaa_chart(bench, result),
                         _("Share of random weightings that give each rank to each option")))
    blocks += [Paragraph(f"{row['panellist'].name}: " + " › ".join(option.title for option in row["order"]))
               for row in view["members"]]
    blocks += [Paragraph(f"• {text}") for text in strategy_tables.robustness_explanations(result)]
    return blocks


def _validation(process: StrategyProcess, bench: Any, rankings: Sequence[Any],
                conditions: dict[int, list[Any]]) -> list[Block]:
    cards = strategy_tables.validation_view(bench, strategy_selectors.validation_results(process), rankings,
                                            conditions)
    blocks: list[Block] = []
    for card in cards:
        for item in card["rounds"]:
            if not item["rows"]:
                continue
            groups = [group or _("Everyone") for group in item["groups"]]
            blocks.append(Table((_("What would have to be true"), *groups), tuple(
                (row["statement"], *(_("hidden") if cell["suppressed"] else _percent_or_dash(cell["share"])
                                     for cell in row["cells"])) for row in item["rows"]),
                caption=f"{card['option'].title}: {item['round'].title}",
                numeric=(False, *(True for _group in groups))))
            blocks += [Quote(text, group) for group, text in item["comments"]]
    return blocks or [Paragraph(_("No validation yet."))]


def _decision(process: StrategyProcess) -> list[Block]:
    decision = strategy_selectors.decisions(process).filter(signed_off_at__isnull=False).first()
    if decision is None or decision.record is None:
        return [Paragraph(_("The board has not signed off a decision yet."))]
    record = decision.record
    votes = record["decision"]["votes"]
    blocks: list[Block] = [Facts((
        (_("Chosen option"), record["decision"]["option"]),
        (_("Meeting"), f"{record['decision']['meeting']}, "
                       f"{_date(dt.date.fromisoformat(record['decision']['date']))}"),
        (_("Votes"), _("%(votes_for)s for, %(against)s against, %(abstain)s abstained") % {
            "votes_for": votes["for"], "against": votes["against"], "abstain": votes["abstain"]}),
        (_("Content hash (SHA-256)"), decision.content_hash),
    )), Paragraph(record["decision"]["rationale"])]
    blocks += [Paragraph(f"{dissent['name']}: {dissent['reason']}") for dissent in record["decision"]["dissent"]]
    if record["decision"]["goals"]:
        blocks.append(Table((_("Goal"), _("Measure"), _("Target"), _("Deadline")), tuple(
            (goal["goal"], goal["measure"], goal["target"], _date(dt.date.fromisoformat(goal["deadline"])))
            for goal in record["decision"]["goals"]), caption=_("Follow-up goals")))
    shown = strategy_tables.record_view(record)
    blocks.append(Heading(_("The evidence trail"), 2))
    for condition in shown["conditions"]:
        lines = [f"{assumption['statement']} ({assumption['verdict']})" for assumption in condition["assumptions"]]
        lines += [finding["statement"] for finding in condition["findings"]]
        blocks.append(Paragraph(condition["statement"] + (" — " + "; ".join(lines) if lines else "")))
    return blocks


# --- a survey's results ----------------------------------------------------------------------------------------------


def survey_report(survey: Survey, *, by: str = "", language: str = "da") -> Document:
    """Every question with its chart and numbers, compared by ``by`` (a background question or "segment")."""
    process = survey.process
    data = survey_selectors.analysis_input(survey, weighted=False)
    selection = survey_results.Selection(by=by, weighted=False, filters={}, include_dont_know=False)
    shown = survey_results.results(data.questionnaire, data.respondents, selection, anonymous=survey.anonymous,
                                   threshold=process.anonymity_threshold, language=language)
    watched = survey_selectors.monitoring(survey)
    blocks: list[Block] = [Heading(_("About the survey"), 1), Facts((
        (_("Invited"), _number(watched.recipients)),
        (_("Complete responses"), _number(watched.complete_responses)),
        (_("Response rate"), _percent(watched.rate) if watched.rate is not None else "–"),
        (_("Anonymous"), _("yes") if survey.anonymous else _("no")),
        (_("Smallest group shown"), str(process.anonymity_threshold)),
    ))]
    if shown.hidden:
        blocks.append(Paragraph(shown.hidden))
    blocks.append(Heading(_("Results"), 1))
    for view in shown.questions:
        result = view.result
        blocks.append(Heading(result.label, 2))
        if view.chart:
            blocks.append(Figure(view.chart, result.label))
        blocks += _answer_tables(result)
        if view.comparison is not None:
            groups = [group.name for group in view.comparison.groups]
            blocks.append(Table((_("Answer"), *groups), tuple(
                (label, *(_("hidden") if cell.hidden else _percent_or_dash(cell.percent) for cell in cells))
                for label, cells in view.comparison_rows), caption=_("By %(variable)s") % {"variable": by},
                numeric=(False, *(True for _group in groups))))
    return _document(process, survey.title, blocks)


def _answer_tables(result: Any) -> list[Block]:
    """A question's counts: one table of its answers, or for a matrix one row per statement."""
    if result.items:
        labels = [option.label for option in result.items[0].options]
        return [Table((_("Statement"), *labels, "n"), tuple(
            (item.label, *(_percent_or_dash(option.percent) for option in item.options), _number(item.n))
            for item in result.items), caption=_("Per cent of those who answered"),
            numeric=(False, *(True for _label in labels), True))]
    if not result.options:
        return [Paragraph(_("%(n)s answered.") % {"n": _number(result.n)})]
    return [Table((_("Answer"), _("Number"), _("Per cent")), tuple(
        (option.label, _number(round(option.count)), _percent_or_dash(option.percent))
        for option in result.options), caption=_("n = %(n)s") % {"n": _number(result.n)},
        numeric=(False, True, True))]
