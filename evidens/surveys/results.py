"""A survey's results as the board reads them: each question's numbers, its chart, and a comparison by group,
with what an anonymous survey must not show taken out.

Pure: ``analysis`` computes, this module decides what is shown and shapes it for the page, the command line
(``results_json``) and the evidence base. What is hidden in an anonymous survey, with ``threshold`` (5 unless the
process says otherwise, never below 3):

- everything, when the selection (after filters) holds fewer than ``threshold`` respondents, or when a filter
  leaves out between 1 and ``threshold`` − 1 of them (the two results side by side would show the few left out);
- any value of a grouping variable that fewer than ``threshold`` respondents in the whole survey have: it is
  folded into "other groups", everywhere and in every filter (``grouping``);
- in a comparison, the cells and groups that ``analysis.suppress`` hides (small counts, and enough others that
  none can be worked out from the row and column totals);
- more than one filter at a time: two overlapping filters side by side could isolate a few people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from evidens.charts import specs
from evidens.surveys import analysis
from evidens.surveys import definition as d

SEGMENT = "segment"  # the recipients' segment of the distribution, as a comparison or filter variable
DEFAULT_THRESHOLD = 5
LOWEST_THRESHOLD = 3
GROUPABLE = (d.SINGLE_CHOICE, d.LIKERT)
MOST_GROUPS_CHARTED = 4


@dataclass(frozen=True)
class Selection:
    """The reader's choices: compare by ``by``, weighted or not, "Ved ikke" counted or not, filters."""

    by: str = ""
    weighted: bool = False
    include_dont_know: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)  # variable -> value


@dataclass(frozen=True)
class Respondents:
    """The responses to analyse: answers, each one's segment and, when weighted, weight."""

    answers: Sequence[Mapping[str, Any]]
    segments: Sequence[str]
    weights: Sequence[float] | None = None


@dataclass(frozen=True)
class GroupResult:
    name: str
    n: int | None  # None: hidden, as a complement that keeps another number from being worked out
    suppressed: bool
    options: list[analysis.OptionCount | None]  # None: this cell is hidden


@dataclass(frozen=True)
class Comparison:
    variable: str
    groups: list[GroupResult]
    test: analysis.Test | None
    notable: list[list[bool]]  # per option, per group: departs from independence (|adjusted residual| > 1.96)
    hidden_totals: frozenset[int] = frozenset()  # options whose overall count the comparison must not show


@dataclass(frozen=True)
class ComparisonCell:
    percent: float | None
    hidden: bool  # too few respondents to show
    notable: bool


@dataclass(frozen=True)
class QuestionView:
    result: analysis.QuestionResult
    chart: specs.Spec | None
    comparison: Comparison | None

    @property
    def comparison_rows(self) -> list[tuple[str, list[ComparisonCell]]]:
        """Per option its label and one cell per group, for a table with the groups as columns."""
        if self.comparison is None:
            return []
        rows = []
        for index, option in enumerate(self.result.options):
            cells = []
            for column, group in enumerate(self.comparison.groups):
                shown = None if group.suppressed else group.options[index]
                cells.append(ComparisonCell(None if shown is None else shown.percent, shown is None,
                                            self.comparison.notable[index][column]))
            rows.append((option.label, cells))
        return rows


@dataclass(frozen=True)
class Results:
    responses: int  # in the selection
    weighted: bool
    hidden: str  # why nothing is shown ("" when the results are shown)
    questions: list[QuestionView]


def variables(questionnaire: d.SurveyDefinition, language: str) -> list[tuple[str, str]]:
    """What the results can be compared by or filtered on: the segment, and every single-choice question."""
    return [(SEGMENT, _("Segment (from the mailing list)"))] + [
        (question.name, d.text_in(question.label, language) or question.name)
        for _section, question in questionnaire.questions() if question.type in GROUPABLE]


OTHER_GROUPS = "__other__"  # the value of the folded small groups of a variable
NO_VALUE = "__none__"  # respondents without a value for the variable


@dataclass(frozen=True)
class Grouping:
    """A variable's groups as every view of one survey shows them: value → the group it counts in, and labels.

    For an anonymous survey the values with fewer than ``threshold`` respondents in the whole survey are folded
    into "other groups", with the next smallest added while that is still too small. It is worked out once, from
    all responses, so no filter or comparison ever shows a folded value on its own.
    """

    variable: str
    group_of: Mapping[str, str]  # raw value → group key
    labels: Mapping[str, str]  # group key → label, in display order

    def key(self, answer: Mapping[str, Any], segment: str) -> str:
        raw = segment if self.variable == SEGMENT else str(answer.get(self.variable) or "")
        return self.group_of.get(raw, NO_VALUE) if raw else NO_VALUE


def grouping(questionnaire: d.SurveyDefinition, variable: str, respondents: Respondents, *, anonymous: bool,
             threshold: int, language: str) -> Grouping:
    if variable == SEGMENT:
        values = [(segment, segment) for segment in sorted({s for s in respondents.segments if s})]
    else:
        question = questionnaire.question(variable)
        values = [] if question is None else [(choice.value, d.text_in(choice.label, language))
                                              for choice in question.choices]
    plain = Grouping(variable, {value: value for value, _label in values}, dict(values))
    if not anonymous:
        return plain
    sizes = {value: 0 for value, _label in values}
    for answer, segment in zip(respondents.answers, respondents.segments, strict=True):
        key = plain.key(answer, segment)
        if key in sizes:
            sizes[key] += 1
    folded = [value for value, size in sizes.items() if 0 < size < threshold]
    rest = sorted((value for value, size in sizes.items() if size >= threshold), key=lambda value: sizes[value])
    while folded and sum(sizes[value] for value in folded) < threshold and rest:
        folded.append(rest.pop(0))
    labels = {value: label for value, label in values if value not in folded}
    if folded:
        labels[OTHER_GROUPS] = _("Other groups")
    return Grouping(variable, {value: OTHER_GROUPS if value in folded else value for value, _label in values}, labels)


def filter_choices(questionnaire: d.SurveyDefinition, respondents: Respondents, *, anonymous: bool, threshold: int,
                   language: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Per variable its label and the groups a filter may choose: folded small values only as "other groups"."""
    with translation.override(language):
        return _filter_choices(questionnaire, respondents, anonymous=anonymous, threshold=threshold,
                               language=language)


def _filter_choices(questionnaire: d.SurveyDefinition, respondents: Respondents, *, anonymous: bool, threshold: int,
                    language: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(variable, label, list(grouping(questionnaire, variable, respondents, anonymous=anonymous,
                                            threshold=max(threshold, LOWEST_THRESHOLD),
                                            language=language).labels.items()))
            for variable, label in variables(questionnaire, language)]


def select(respondents: Respondents, filters: Mapping[str, str],
           groupings: Mapping[str, Grouping]) -> tuple[Respondents, int]:
    """The respondents the filters keep (a filter names a variable's group key), and how many they left out."""
    keep = [index for index, (answer, segment) in enumerate(zip(respondents.answers, respondents.segments,
                                                                strict=True))
            if all(groupings[variable].key(answer, segment) == key for variable, key in filters.items())]
    weights = respondents.weights
    chosen = Respondents(answers=[respondents.answers[i] for i in keep],
                         segments=[respondents.segments[i] for i in keep],
                         weights=None if weights is None else [weights[i] for i in keep])
    return chosen, len(respondents.answers) - len(keep)


def results(questionnaire: d.SurveyDefinition, respondents: Respondents, selection: Selection, *,
            anonymous: bool, threshold: int = DEFAULT_THRESHOLD, language: str = "da") -> Results:
    """The results in ``language``: questions, labels, groups and messages alike."""
    with translation.override(language):
        return _results(questionnaire, respondents, selection, anonymous=anonymous,
                        threshold=max(threshold, LOWEST_THRESHOLD), language=language)


def _results(questionnaire: d.SurveyDefinition, respondents: Respondents, selection: Selection, *,
             anonymous: bool, threshold: int, language: str) -> Results:
    if anonymous and len(selection.filters) > 1:
        raise ValueError("an anonymous survey takes one filter at a time")  # two would allow differencing
    groupings = {variable: grouping(questionnaire, variable, respondents, anonymous=anonymous, threshold=threshold,
                                    language=language)
                 for variable in {selection.by, *selection.filters} if variable}
    chosen, left_out = select(respondents, selection.filters, groupings)
    n = len(chosen.answers)
    weights = chosen.weights if selection.weighted else None
    if anonymous and (n < threshold or 0 < left_out < threshold):
        hidden = (_("Fewer than %(threshold)s responses: an anonymous survey's results are not shown for so few.")
                  if n < threshold else
                  _("The filter leaves out fewer than %(threshold)s responses, which comparing with the unfiltered "
                    "results would give away.")) % {"threshold": threshold}
        return Results(responses=n, weighted=weights is not None, hidden=hidden, questions=[])
    views = []
    for result in analysis.analyse(questionnaire, chosen.answers, weights=weights,
                                   include_dont_know=selection.include_dont_know, language=language):
        question = questionnaire.question(result.name)
        assert question is not None
        comparison = None
        if selection.by and question.type in analysis.CROSSTAB_TYPES and selection.by != question.name:
            comparison = _compare(question, chosen, weights, groupings[selection.by], selection,
                                  anonymous=anonymous, threshold=threshold, language=language)
        views.append(QuestionView(result=result, chart=question_chart(question, result, comparison, language),
                                  comparison=comparison))
    return Results(responses=n, weighted=weights is not None, hidden="", questions=views)


def _compare(question: d.Question, chosen: Respondents, weights: Sequence[float] | None, groups: Grouping,
             selection: Selection, *, anonymous: bool, threshold: int, language: str) -> Comparison:
    """The question by group. Everyone is in a column, those without a value for the variable too: the overall
    result beside the columns would otherwise give away whoever is left out. In an anonymous survey
    ``analysis.suppress`` hides the cells and whole groups that point to fewer than ``threshold`` respondents,
    and enough others that none of them can be worked out from the totals."""
    labels = {**groups.labels, NO_VALUE: _("No answer")}
    group_of = [labels[groups.key(answer, segment)] for answer, segment in zip(chosen.answers, chosen.segments,
                                                                                strict=True)]
    table = analysis.crosstab(question, chosen.answers, group_of, weights=weights, language=language,
                              include_dont_know=selection.include_dont_know, group_order=list(labels.values()))
    published = analysis.suppress(table.counts, threshold, respondents=table.respondents) if (
        anonymous and table.rows and table.groups) else None
    columns = []
    for column, name in enumerate(table.groups):
        # group_n counts respondents; a multiple-choice table's column sums count ticks, so check both.
        if published is not None and (column in published.hidden_groups or table.group_n[column] < threshold):
            columns.append(GroupResult(name=name, n=None, suppressed=True, options=[]))
            continue
        if weights is None:  # the cross-table has the counts already; analysing each group again cost seconds
            options = [analysis.option_count(row.value, row.label, row.cells[column].count,
                                             table.group_totals[column], table.group_n[column])
                       for row in table.rows]
        else:  # weighted intervals need each group's own effective n
            members = [index for index, group in enumerate(group_of) if group == name]
            options = analysis.analyse_question(
                question, [chosen.answers[index] for index in members], language=language,
                weights=[weights[index] for index in members],
                include_dont_know=selection.include_dont_know).options
        shown_n = None if published is not None and published.column_totals[column] is None else table.group_n[column]
        columns.append(GroupResult(name=name, n=shown_n, suppressed=False, options=[
            None if published is not None and published.cells[row][column] is None else option
            for row, option in enumerate(options)]))
    notable = [[cell.notable and not columns[column].suppressed and columns[column].options[row] is not None
                for column, cell in enumerate(cross.cells)] for row, cross in enumerate(table.rows)]
    # A test over hidden groups would be computed from what is hidden.
    test = table.test if published is None or not published.hidden_groups else None
    hidden_totals = frozenset() if published is None else frozenset(
        row for row, total in enumerate(published.row_totals) if total is None)
    return Comparison(variable=selection.by, groups=columns, test=test, notable=notable,
                      hidden_totals=hidden_totals)


# --- free text ----------------------------------------------------------------------------------------------

FREE_TEXT_GROUP = 10  # an anonymous survey shows open answers only for groups of at least this many


@dataclass(frozen=True)
class TextGroup:
    name: str
    answers: list[str]


@dataclass(frozen=True)
class FreeText:
    question: str
    label: str
    groups: list[TextGroup]  # what may be read; empty when too few answered
    hidden: int  # answers kept back because their group is too small
    answered: int


def free_text(questionnaire: d.SurveyDefinition, name: str, respondents: Respondents, *, by: str, anonymous: bool,
              threshold: int, language: str) -> FreeText:
    """The open answers to question ``name``, grouped by ``by`` ("" for none). An anonymous survey shows the
    answers of a group only when at least ``FREE_TEXT_GROUP`` (or the threshold, if higher) answered; smaller
    groups are read together as "other groups" when that reaches the limit, else kept back."""
    question = questionnaire.question(name)
    if question is None or question.type not in (d.SHORT_TEXT, d.LONG_TEXT):
        raise ValueError(f"{name} is not a text question")
    smallest = max(FREE_TEXT_GROUP, threshold) if anonymous else 1
    with translation.override(language):
        label = d.text_in(question.label, language) or name
        groups = grouping(questionnaire, by, respondents, anonymous=anonymous, threshold=threshold,
                          language=language) if by else None
        labels = {**groups.labels, NO_VALUE: _("No answer")} if groups else {}
        found: dict[str, list[str]] = {}
        for answer, segment in zip(respondents.answers, respondents.segments, strict=True):
            text = str(answer.get(name) or "").strip()
            if text:
                found.setdefault(labels[groups.key(answer, segment)] if groups else _("All"), []).append(text)
        order = list(labels.values())
        found = dict(sorted(found.items(), key=lambda item: order.index(item[0]) if item[0] in order else 0))
        shown = {group: texts for group, texts in found.items() if len(texts) >= smallest}
        small = [text for group, texts in found.items() if len(texts) < smallest for text in texts]
        if small and len(small) >= smallest:
            shown[_("Other groups")] = small
            small = []
    return FreeText(question=name, label=label, answered=sum(len(texts) for texts in found.values()),
                    hidden=len(small), groups=[TextGroup(group, sorted(texts)) for group, texts in shown.items()])


TONES = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class GroupTone:
    name: str
    n: int
    counts: Mapping[str, int]  # tone (one of ``TONES``) → answers


def tone_by_group(shown: FreeText, tone_of: Callable[[str], str]) -> list[GroupTone]:
    """How many of each readable group's answers read negative, neutral and positive (``tone_of`` reads one)."""
    groups = []
    for group in shown.groups:
        counts = dict.fromkeys(TONES, 0)
        for text in group.answers:
            counts[tone_of(text)] += 1
        groups.append(GroupTone(group.name, len(group.answers), counts))
    return groups


def tone_chart(groups: Sequence[GroupTone], label: str, language: str) -> specs.Spec | None:
    """The tones of each group as diverging bars, negative to the left of positive."""
    if not groups:
        return None
    with translation.override(language):
        names = {"negative": _("negative"), "neutral": _("neutral"), "positive": _("positive")}
        rows = [specs.ScaleRow(label=group.name, n=group.n, shares={
            names[tone]: 100 * count / group.n for tone, count in group.counts.items()}) for group in groups]
        return specs.diverging_bars(rows, scale=[names[tone] for tone in TONES], neutral=names["neutral"],
                                    locale=specs.locale_for(language), labels=specs.ChartLabels(
                                        description=_("Tone of the answers to %(question)s") % {"question": label}))


def answers_for_coding(shown: FreeText) -> tuple[str, list[tuple[str, int, int]]]:
    """The readable answers as one text to code, a blank line between two, each answer a turn "spoken" by its group
    (``[group, start, end]`` in code points), so that codings can be counted per group."""
    parts: list[str] = []
    turns: list[tuple[str, int, int]] = []
    at = 0
    for group in shown.groups:
        for text in group.answers:
            if parts:
                at += len(ANSWER_SEPARATOR)
            turns.append((group.name, at, at + len(text)))
            parts.append(text)
            at += len(text)
    return ANSWER_SEPARATOR.join(parts), turns


ANSWER_SEPARATOR = "\n\n"


def codes_by_group(turns: Sequence[Sequence[Any]], codings: Iterable[tuple[str, int, int]]
                   ) -> dict[str, dict[str, int]]:
    """code → group → how many answers carry the code (an answer counts once however often it is coded)."""
    answers: dict[str, set[int]] = {}
    for code, start, end in codings:
        for index, (_group, turn_start, turn_end) in enumerate(turns):
            if start < turn_end and turn_start < end:
                answers.setdefault(code, set()).add(index)
    return {code: {group: sum(1 for index in found if turns[index][0] == group)
                   for group in dict.fromkeys(turn[0] for turn in turns)}
            for code, found in answers.items()}


# --- charts ---------------------------------------------------------------------------------------------------


def question_chart(question: d.Question, result: analysis.QuestionResult, comparison: Comparison | None,
                   language: str) -> specs.Spec | None:
    """The chart a reader would rather look at than the table: diverging bars for scales, intervals for shares."""
    locale = specs.locale_for(language)
    if question.type == d.MATRIX and result.items:
        scale = [d.text_in(choice.label, language) for choice in question.choices]
        rows = [specs.ScaleRow(label=item.label, n=item.n,
                               shares={option.label: option.percent or 0.0 for option in item.options
                                       if option.value != d.DONT_KNOW})
                for item in result.items]
        return specs.diverging_bars(rows, scale=scale, neutral=_neutral(scale), locale=locale,
                                    labels=specs.ChartLabels(description=result.label))
    if question.type == d.LIKERT and result.n:
        scale = [d.text_in(choice.label, language) for choice in question.choices]
        rows = [specs.ScaleRow(label=_("All"), n=result.n, shares=_scale_shares(result.options))]
        if comparison is not None:  # one bar per group, for the groups shown whole
            rows = [specs.ScaleRow(label=group.name, n=group.n, shares=_scale_shares(group.options))
                    for group in comparison.groups
                    if group.n is not None and not group.suppressed and None not in group.options]
        return specs.diverging_bars(rows, scale=scale, neutral=_neutral(scale), locale=locale,
                                    labels=specs.ChartLabels(description=result.label))
    if question.type in analysis.CROSSTAB_TYPES or question.type == d.NPS:
        bars = _interval_rows(result, comparison)
        if not bars or len({bar.group for bar in bars}) > MOST_GROUPS_CHARTED:
            return None  # beyond a handful of colours the table reads better
        return specs.interval_bars(bars, locale=locale, labels=specs.ChartLabels(
            description=result.label, x=_("Per cent"), names={"interval": _("95% CI")}))
    return None


def _scale_shares(options: Sequence[analysis.OptionCount | None]) -> dict[str, float]:
    return {option.label: option.percent or 0.0 for option in options
            if option is not None and option.value != d.DONT_KNOW}


def _neutral(scale: Sequence[str]) -> str | None:
    return scale[len(scale) // 2] if len(scale) % 2 else None


def _interval_rows(result: analysis.QuestionResult, comparison: Comparison | None) -> list[specs.IntervalRow]:
    if comparison is None:
        return [specs.IntervalRow(label=option.label, percent=option.percent, low=option.ci_low or 0.0,
                                  high=option.ci_high or 0.0, n=result.n)
                for option in result.options if option.percent is not None]
    return [specs.IntervalRow(label=option.label, percent=option.percent, low=option.ci_low or 0.0,
                              high=option.ci_high or 0.0, n=group.n or 0, group=group.name)
            for group in comparison.groups if not group.suppressed and group.n is not None
            for option in group.options if option is not None and option.percent is not None]


# --- the command line's JSON ------------------------------------------------------------------------------


def evidence_table(view: QuestionView) -> tuple[list[str], list[list[Any]], list[str]]:
    """One question's result as the table an evidence item freezes: headings, rows and notes. A matrix gives a row
    per statement, a ranking a row per entry, a number its mean and median; a comparison a column per group."""
    result = view.result
    notes = [_("n = %(n)s; %(missing)s without an answer, %(dont_know)s “don't know”.")
             % {"n": result.n, "missing": result.missing, "dont_know": result.dont_know}]
    if view.comparison is not None:
        groups = view.comparison.groups
        test = view.comparison.test
        if test is not None:
            notes.append(_("Chi-square %(chi2).1f, df %(df)s, p = %(p).3f, Cramér's V %(v).2f.")
                         % {"chi2": test.chi2, "df": test.df, "p": test.p, "v": test.cramers_v})
        return [_("Answer"), *[group.name for group in groups]], [
            [option.label, *[None if group.suppressed or (shown := group.options[index]) is None else shown.percent
                             for group in groups]]
            for index, option in enumerate(result.options)], notes
    if result.type == d.RANKING:
        return [_("Entry"), _("Mean place"), _("Per cent who put it first"), "n"], [
            [item.label, item.mean, item.first.percent if item.first else None, item.n] for item in result.items], notes
    if result.items:
        scale = [option.label for option in result.items[0].options]
        return [_("Statement"), *scale, "n"], [
            [item.label, *[option.percent for option in item.options], item.n] for item in result.items], notes
    if not result.options:
        return [_("Mean"), _("Median"), "n"], [[result.mean, result.median, result.n]], notes
    return [_("Answer"), _("Count"), _("Per cent"), _("95% CI")], [
        [option.label, option.count, option.percent, f"{option.ci_low}–{option.ci_high}"]
        for option in result.options], notes


def results_json(title: str, shown: Results) -> dict[str, Any]:
    """The numbers of the results page, in the shape ``evidens survey results --json`` documents."""
    return {
        "survey": title,
        "responses": shown.responses,
        "weighted": shown.weighted,
        "hidden": shown.hidden or None,
        "questions": [_question_json(view) for view in shown.questions],
    }


def _option_json(option: analysis.OptionCount) -> dict[str, Any]:
    return {"value": option.value, "label": option.label, "count": option.count, "percent": option.percent,
            "ci_low": option.ci_low, "ci_high": option.ci_high}


def _question_json(view: QuestionView) -> dict[str, Any]:
    result = view.result
    hidden = view.comparison.hidden_totals if view.comparison is not None else frozenset()
    data: dict[str, Any] = {
        "name": result.name, "type": result.type, "label": result.label, "n": result.n,
        "missing": result.missing, "dont_know": result.dont_know,
        "options": [{"value": option.value, "label": option.label, "suppressed": True} if row in hidden
                    else _option_json(option) for row, option in enumerate(result.options)],
    }
    if result.mean is not None:
        data.update(mean=result.mean, median=result.median)
    if result.nps is not None:
        data["nps"] = {"score": result.nps.score, "ci_low": result.nps.ci_low, "ci_high": result.nps.ci_high}
    if result.items:
        data["items"] = [{"name": item.name, "label": item.label, "n": item.n,
                          "options": [_option_json(option) for option in item.options]} for item in result.items]
    if view.comparison is not None:
        data["groups"] = [{"group": group.name, "n": group.n,
                           "suppressed": group.suppressed,
                           "options": [] if group.suppressed else [
                               {"value": overall.value, "label": overall.label, "suppressed": True}
                               if option is None else _option_json(option)
                               for overall, option in zip(result.options, group.options, strict=True)]}
                          for group in view.comparison.groups]
        test = view.comparison.test
        data["test"] = None if test is None else {"chi2": test.chi2, "df": test.df, "p": test.p,
                                                  "cramers_v": test.cramers_v}
    return data
