"""A survey's results as the board reads them: each question's numbers, its chart, and a comparison by group,
with what an anonymous survey must not show taken out.

Pure: ``analysis`` computes, this module decides what is shown and shapes it for the page, the command line
(``results_json``) and the evidence base. What is hidden in an anonymous survey, with ``threshold`` (5 unless the
process says otherwise, never below 3):

- everything, when the selection (after filters) holds fewer than ``threshold`` respondents, or when a filter
  leaves out between 1 and ``threshold`` − 1 of them (the two results side by side would show the few left out);
- any value of a grouping variable that fewer than ``threshold`` respondents in the whole survey have, and
  those without a value when they are that few: folded into "other groups", everywhere and in every filter
  (``grouping``). Every group a reader can see or filter on therefore has at least ``threshold`` respondents,
  and so has what is left when they are all taken away;
- in a comparison, the cells and groups that ``_hidden_cells`` names: small counts, and enough others that none
  can be worked out from the published totals (each answer's overall count, each group's base), from the
  comparison the other way round, or from the filters (see the notes above ``_Axis``). The chi-square test
  too, when a cell is hidden: with the totals known it would pin the hidden cells down;
- in a filter on one group, what the comparison by that variable hides in that group's column, and the mean of
  a scale with a hidden cell (it weighs the cells by their values: one more sum to solve with);
- a filter together with a comparison, and more than one filter: two groupings crossed make a three-way
  table whose small cells the two-way suppression does not protect.

``tests/surveys/test_anonymity_attacks.py`` reads every view at once and checks, by linear algebra, that no
hidden count follows from them together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
    # A filter on one group of an anonymous survey shows what the comparison shows in that group's column:
    hidden_options: frozenset[int] = frozenset()  # options whose numbers are hidden
    suppressed: bool = False  # too few in the group answered: none of the question's numbers are shown

    @property
    def options(self) -> list[analysis.OptionCount | None]:
        """The result's options as they may be shown: None where hidden."""
        if self.suppressed:
            return [None] * len(self.result.options)
        return [None if index in self.hidden_options else option for index, option in enumerate(self.result.options)]

    @property
    def option_rows(self) -> list[tuple[str, analysis.OptionCount | None]]:
        """Per option its label and its numbers, None where hidden: the rows of the answers' table."""
        return [(option.label, shown) for option, shown in zip(self.result.options, self.options, strict=True)]

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
    into "other groups", and so are those without a value when they are that few, with the next smallest value
    added while that is still too small. It is worked out once, from all responses, so no filter or comparison
    ever shows a folded value on its own, and the groups a filter offers leave nobody out but a group at least
    as large as the threshold.
    """

    variable: str
    group_of: Mapping[str, str]  # raw value → group key
    labels: Mapping[str, str]  # group key → label, in display order
    no_value_group: str = NO_VALUE  # the group of those without a value: OTHER_GROUPS when they are few

    def key(self, answer: Mapping[str, Any], segment: str) -> str:
        raw = segment if self.variable == SEGMENT else str(answer.get(self.variable) or "")
        return self.group_of.get(raw, self.no_value_group) if raw else self.no_value_group


def grouping(questionnaire: d.SurveyDefinition, variable: str, respondents: Respondents, *, anonymous: bool,
             threshold: int, language: str) -> Grouping:
    if variable == SEGMENT:
        values = [(segment, segment) for segment in sorted({s for s in respondents.segments if s})]
    else:
        question = questionnaire.question(variable)
        values = [] if question is None else [(choice.value, d.text_in(choice.label, language))
                                              for choice in question.choices]
        if question is not None and question.other:  # "Andet" is an answer, not a missing one
            values.append((d.OTHER, _("Other")))
    plain = Grouping(variable, {value: value for value, _label in values}, dict(values))
    if not anonymous:
        return plain
    sizes = {value: 0 for value, _label in values}
    without = 0
    for answer, segment in zip(respondents.answers, respondents.segments, strict=True):
        key = plain.key(answer, segment)
        if key in sizes:
            sizes[key] += 1
        else:
            without += 1
    folded = [value for value, size in sizes.items() if 0 < size < threshold]
    few_without = 0 < without < threshold
    rest = sorted((value for value, size in sizes.items() if size >= threshold), key=lambda value: sizes[value])
    while ((folded or few_without) and rest
           and sum(sizes[value] for value in folded) + (without if few_without else 0) < threshold):
        folded.append(rest.pop(0))
    labels = {value: label for value, label in values if value not in folded}
    if few_without:
        labels[OTHER_GROUPS] = _("Other groups and no answer")
    elif folded:
        labels[OTHER_GROUPS] = _("Other groups")
    return Grouping(variable, {value: OTHER_GROUPS if value in folded else value for value, _label in values}, labels,
                    no_value_group=OTHER_GROUPS if few_without else NO_VALUE)


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
    hidden = ""
    if anonymous and n < threshold:
        hidden = _("Fewer than %(threshold)s responses: an anonymous survey's results are not shown for so few.")
    elif anonymous and 0 < left_out < threshold:
        hidden = _("The filter leaves out fewer than %(threshold)s responses, which comparing with the unfiltered "
                   "results would give away.")
    elif anonymous and selection.by and selection.filters:
        hidden = _("An anonymous survey is either compared by a variable or filtered on one group, not both: the "
                   "two together could single out groups smaller than %(threshold)s.")
    if hidden:
        return Results(responses=n, weighted=weights is not None, hidden=hidden % {"threshold": threshold},
                       questions=[])
    compared = selection.by or next(iter(selection.filters), "")  # one or the other, when anonymous
    axis = _axis(groupings[compared], respondents) if anonymous and compared else None
    views = []
    for result in analysis.analyse(questionnaire, chosen.answers, weights=weights,
                                   include_dont_know=selection.include_dont_know, language=language):
        question = questionnaire.question(result.name)
        assert question is not None
        comparison = None
        if selection.by and question.type in analysis.CROSSTAB_TYPES and selection.by != question.name:
            comparison = _compare(question, chosen, weights, groupings[selection.by], selection,
                                  anonymous=anonymous, threshold=threshold, language=language,
                                  questionnaire=questionnaire, by_axis=axis)
        column = None
        if anonymous and selection.filters and question.type in analysis.CROSSTAB_TYPES:
            column = _filtered_column(questionnaire, question, respondents, groupings, selection,
                                      threshold=threshold, language=language, by_axis=axis)
        if column is not None and (column.suppressed or None in column.options):
            # A group's mean weighs its cells by their scale values: one more sum to work hidden cells out from.
            result = replace(result, mean=None, median=None)
        view = QuestionView(result=result, chart=None, comparison=comparison,
                            hidden_options=frozenset() if column is None else frozenset(
                                index for index, option in enumerate(column.options) if option is None),
                            suppressed=column is not None and column.suppressed)
        views.append(replace(view, chart=None if view.suppressed else question_chart(question, view, language)))
    return Results(responses=n, weighted=weights is not None, hidden="", questions=views)


def _filtered_column(questionnaire: d.SurveyDefinition, question: d.Question, respondents: Respondents,
                     groupings: Mapping[str, Grouping], selection: Selection, *, threshold: int,
                     language: str, by_axis: _Axis | None = None) -> GroupResult | None:
    """The column of the filter's group in the comparison of all responses by the filter's variable: what a
    filter on that group may show of ``question`` (None when the question is the variable itself)."""
    ((variable, key),) = selection.filters.items()
    if variable == question.name:
        return None
    weights = respondents.weights if selection.weighted else None
    comparison = _compare(question, respondents, weights, groupings[variable], replace(selection, by=variable),
                          anonymous=True, threshold=threshold, language=language, questionnaire=questionnaire,
                          by_axis=by_axis)
    name = _column_labels(groupings[variable]).get(key)
    return next((group for group in comparison.groups if group.name == name), None)


def _column_labels(groups: Grouping) -> dict[str, str]:
    return {**groups.labels, NO_VALUE: _("No answer")}


def _compare(question: d.Question, chosen: Respondents, weights: Sequence[float] | None, groups: Grouping,
             selection: Selection, *, anonymous: bool, threshold: int, language: str,
             questionnaire: d.SurveyDefinition, by_axis: _Axis | None = None) -> Comparison:
    """The question by group. Everyone is in a column, those without a value for the variable too: the overall
    result beside the columns would otherwise give away whoever is left out. In an anonymous survey the cells
    and whole groups that ``_hidden_cells`` names are hidden, and so is the test: with the totals known it
    would pin the hidden cells down. ``by_axis``, the variable's categories for ``chosen``, saves working them out
    again for every question."""
    labels = _column_labels(groups)
    group_of = [labels[groups.key(answer, segment)] for answer, segment in zip(chosen.answers, chosen.segments,
                                                                                strict=True)]
    table = analysis.crosstab(question, chosen.answers, group_of, weights=weights, language=language,
                              include_dont_know=selection.include_dont_know, group_order=list(labels.values()))
    hidden: set[tuple[int, int]] = set()
    small: set[int] = set()
    if anonymous and table.rows and table.groups:
        keys = {label: key for key, label in labels.items()}
        if by_axis is None or by_axis.groups is not groups:
            by_axis = _axis(groups, chosen)
        hidden, small = _hidden_cells(question, chosen, by_axis, [keys[name] for name in table.groups],
                                      [row.value for row in table.rows], questionnaire=questionnaire,
                                      threshold=threshold, language=language)
    columns = []
    for column, name in enumerate(table.groups):
        if column in small:
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
        columns.append(GroupResult(name=name, n=table.group_n[column], suppressed=False, options=[
            None if (row, column) in hidden else option for row, option in enumerate(options)]))
    notable = [[cell.notable and not columns[column].suppressed and columns[column].options[row] is not None
                for column, cell in enumerate(cross.cells)] for row, cross in enumerate(table.rows)]
    return Comparison(variable=selection.by, groups=columns, test=None if hidden or small else table.test,
                      notable=notable)


# --- what an anonymous comparison hides ------------------------------------------------------------------
#
# Every view of an anonymous survey that splits a question by a variable shows cells of one joint table: the
# question's categories by the variable's, each a value shown on its own, the folded values together
# (OTHER_GROUPS) or those without a value (NO_VALUE). Comparing the question by the variable, the variable
# (when it is a question too) by the question, and filtering on a group of either show parts of that one table,
# so its cells are hidden once, in one orientation, and every view shows a cell only where the joint table does:
# what one view hides, no other view gives away, and the overall result gives only the totals.
#
# Those without an answer (or with "Ved ikke") are counted apart from the base of every percentage, so in every
# group their number is shown (it is the group's size less the base): a "no answer" category is published whole
# when it has at least ``threshold`` people in the whole survey. When it has fewer, its counts from 1 up are
# hidden like any small cell, and a group in which that number is hidden shows none of the question's numbers.
# Known gap (docs/decisions.md): with skip logic, not answering one question is an answer to another, and a
# reader who also uses that no count is negative can then work some hidden counts out from these numbers.


@dataclass(frozen=True)
class _Axis:
    """One variable's categories in the joint table, and each respondent's."""

    groups: Grouping
    categories: list[str]
    category_of: list[str]

    def members(self, key: str) -> list[str]:
        """The categories in the group ``key`` of the variable's grouping."""
        if key == OTHER_GROUPS and self.groups.no_value_group == OTHER_GROUPS:
            return [OTHER_GROUPS, NO_VALUE]
        return [key]


def _axis(groups: Grouping, respondents: Respondents) -> _Axis:
    category_of = []
    for answer, segment in zip(respondents.answers, respondents.segments, strict=True):
        raw = segment if groups.variable == SEGMENT else str(answer.get(groups.variable) or "")
        category_of.append(groups.group_of.get(raw, NO_VALUE) if raw else NO_VALUE)
    categories = [key for key in groups.labels if key != OTHER_GROUPS] + [OTHER_GROUPS, NO_VALUE]
    return _Axis(groups, categories, category_of)


def _hidden_cells(question: d.Question, chosen: Respondents, by: _Axis, columns: Sequence[str],
                  rows: Sequence[str], *, questionnaire: d.SurveyDefinition, threshold: int, language: str
                  ) -> tuple[set[tuple[int, int]], set[int]]:
    """The (row, column) cells of the comparison of ``question`` by the variable of ``by`` that an anonymous
    survey hides, and the columns it hides whole; ``columns`` are the columns' group keys and ``rows`` the rows'
    values."""
    groups = by.groups
    if question.type == d.MULTIPLE_CHOICE:
        return _hidden_ticks(question, chosen, by, columns, rows, threshold)
    asked = _axis(grouping(questionnaire, question.name, chosen, anonymous=True, threshold=threshold,
                           language=language), chosen)
    unshown = _joint_hidden(asked, by, threshold, both_questions=groups.variable != SEGMENT)
    counts = Counter(zip(asked.category_of, by.category_of, strict=True))
    hidden: set[tuple[int, int]] = set()
    small: set[int] = set()
    for column, key in enumerate(columns):
        members = by.members(key)
        base = sum(counts[category, member] for category in asked.categories if category != NO_VALUE
                   for member in members)
        if base < threshold or any((NO_VALUE, member) in unshown for member in members):
            small.add(column)
            continue
        for row, value in enumerate(rows):
            if value == d.DONT_KNOW:  # in the "no answer" category, which this column shows
                continue
            category = asked.groups.group_of.get(value, NO_VALUE)
            if category == OTHER_GROUPS or any((category, member) in unshown for member in members):
                hidden.add((row, column))
    return hidden | {(row, column) for column in small for row in range(len(rows))}, small


def _joint_hidden(asked: _Axis, by: _Axis, threshold: int, *, both_questions: bool) -> set[tuple[str, str]]:
    """The cells (asked category, by category) of the joint table that no view shows.

    Hidden from the start: the folded values' cells that no view shows (rows of a question's folded values are
    hidden, so only a comparison by the question shows them, as its column "other groups"), every cell of a
    category with fewer than ``threshold`` people, its zeros too, as of a small group, and the zeros of "other
    groups". Published (fixed): a "no answer" category of at least ``threshold`` people (see above), and the
    zeros of a group that answered nothing. Then ``analysis.suppress``, with the table turned so that the
    variable whose name sorts first gives the rows: the two comparisons of a pair of questions must hide the
    same cells.
    """
    counts = Counter(zip(asked.category_of, by.category_of, strict=True))
    table = [[counts[row, column] for column in by.categories] for row in asked.categories]
    sizes = Counter(asked.category_of), Counter(by.category_of)

    answered = ({row: sum(counts[row, column] for column in by.categories if column != NO_VALUE)
                 for row in asked.categories},
                {column: sum(counts[row, column] for row in asked.categories if row != NO_VALUE)
                 for column in by.categories})

    def empty(row: str, column: str) -> bool:
        """A cell of a group, not a small one, that answered nothing: its 0 says no more than the group's base."""
        return (row != NO_VALUE and column != NO_VALUE and not (answered[0][row] and answered[1][column])
                and sizes[0][row] >= threshold and sizes[1][column] >= threshold)

    def unpublished(row: str, column: str) -> bool:
        if row == OTHER_GROUPS and (column == OTHER_GROUPS or not both_questions):
            return True
        # A 0 in "other groups" is a 0 for each small value folded into it.
        return (any(category != NO_VALUE and 0 < size[category] < threshold
                    for category, size in ((row, sizes[0]), (column, sizes[1])))
                or (OTHER_GROUPS in (row, column) and counts[row, column] == 0 and not empty(row, column)))

    def published(row: str, column: str) -> bool:
        return empty(row, column) or (row == NO_VALUE and sizes[0][NO_VALUE] >= threshold) or (
            both_questions and column == NO_VALUE and sizes[1][NO_VALUE] >= threshold)

    unseen = [[unpublished(row, column) for column in by.categories] for row in asked.categories]
    fixed = [[published(row, column) for column in by.categories] for row in asked.categories]
    turned = both_questions and by.groups.variable < asked.groups.variable
    if turned:
        table, unseen, fixed = _transposed(table), _transposed(unseen), _transposed(fixed)
    cells = analysis.suppress(table, threshold, fixed=fixed, unpublished=unseen, small_groups=False).cells
    if turned:
        cells = _transposed(cells)
    return {(row, column) for row, values in zip(asked.categories, cells, strict=True)
            for column, value in zip(by.categories, values, strict=True) if value is None}


def _transposed(table: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [list(column) for column in zip(*table, strict=True)]


def _hidden_ticks(question: d.Question, chosen: Respondents, by: _Axis, columns: Sequence[str],
                  rows: Sequence[str], threshold: int) -> tuple[set[tuple[int, int]], set[int]]:
    """``_hidden_cells`` of a multiple-choice question, which is no grouping variable: first whether each
    category's number without an answer (and so its base) may be shown, then per option a table of ticked and
    not ticked, whose two rows add up to the base."""
    ticks = [answer.get(question.name) for answer in chosen.answers]
    chose = [frozenset() if d.unanswered(value) else frozenset(value if isinstance(value, list) else [value])
             for value in ticks]
    answered = [bool(values) and d.DONT_KNOW not in values for values in chose]
    index = {category: position for position, category in enumerate(by.categories)}
    base = [0] * len(by.categories)
    for category, counted in zip(by.category_of, answered, strict=True):
        base[index[category]] += counted
    sizes = Counter(by.category_of)
    without = [sizes[category] - base[position] for position, category in enumerate(by.categories)]
    too_small = [category != NO_VALUE and 0 < sizes[category] < threshold for category in by.categories]
    folded = [category == OTHER_GROUPS for category in by.categories]
    none_published = sum(without) >= threshold
    # A 0 in "other groups" is a 0 for each small value folded into it.
    answered_row = [small or (fold and count == 0) for small, fold, count in zip(too_small, folded, base, strict=True)]
    published = analysis.suppress([base, without], threshold, unpublished=[answered_row, too_small],
                                  fixed=[[False] * len(base), [none_published] * len(base)],
                                  small_groups=False).cells[1]
    closed = [value is None or base[position] < threshold or too_small[position]
              for position, value in enumerate(published)]
    ticked_in: Counter[tuple[str, str]] = Counter()
    for category, values, counted in zip(by.category_of, chose, answered, strict=True):
        if counted:
            ticked_in.update((category, value) for value in values)
    unshown: set[tuple[str, str]] = set()
    for value in rows:
        ticked = [ticked_in[category, value] for category in by.categories]
        block = [ticked, [total - part for total, part in zip(base, ticked, strict=True)]]
        cells = analysis.suppress(block, threshold, small_groups=False, unpublished=[
            [shut or (fold and count == 0) for shut, fold, count in zip(closed, folded, line, strict=True)]
            for line in block]).cells[0]
        unshown |= {(value, category) for category, cell in zip(by.categories, cells, strict=True) if cell is None}
    hidden: set[tuple[int, int]] = set()
    small: set[int] = set()
    for column, key in enumerate(columns):
        members = by.members(key)
        if (any(closed[index[member]] for member in members)
                or sum(base[index[member]] for member in members) < threshold):
            small.add(column)
            continue
        hidden |= {(row, column) for row, value in enumerate(rows)
                   if value != d.DONT_KNOW and any((value, member) in unshown for member in members)}
    return hidden | {(row, column) for column in small for row in range(len(rows))}, small


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


def question_chart(question: d.Question, view: QuestionView, language: str) -> specs.Spec | None:
    """The chart a reader would rather look at than the table: diverging bars for scales, intervals for shares.
    A share hidden in an anonymous survey is left out of its bar (the rest of the bar shows only what the table
    shows: the hidden shares together, which the group's n and the shown shares give anyway)."""
    result, comparison = view.result, view.comparison
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
        scales = [(_("All"), result.n, view.options)]
        if comparison is not None:  # one bar per group shown
            scales = [(group.name, group.n, group.options) for group in comparison.groups
                      if group.n is not None and not group.suppressed]
        description = result.label
        if any(None in options for _name, _n, options in scales):
            description += " " + _("(Points of the scale too few chose to show are left out of the bars.)")
        rows = [specs.ScaleRow(label=name, n=n, shares=_scale_shares(options)) for name, n, options in scales]
        return specs.diverging_bars(rows, scale=scale, neutral=_neutral(scale), locale=locale,
                                    labels=specs.ChartLabels(description=description)) if rows else None
    if question.type in analysis.CROSSTAB_TYPES or question.type == d.NPS:
        bars = _interval_rows(view)
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


def _interval_rows(view: QuestionView) -> list[specs.IntervalRow]:
    comparison = view.comparison
    if comparison is None:
        return [specs.IntervalRow(label=option.label, percent=option.percent, low=option.ci_low or 0.0,
                                  high=option.ci_high or 0.0, n=view.result.n)
                for option in view.options if option is not None and option.percent is not None]
    return [specs.IntervalRow(label=option.label, percent=option.percent, low=option.ci_low or 0.0,
                              high=option.ci_high or 0.0, n=group.n or 0, group=group.name)
            for group in comparison.groups if not group.suppressed and group.n is not None
            for option in group.options if option is not None and option.percent is not None]


# --- the command line's JSON ------------------------------------------------------------------------------


def evidence_table(view: QuestionView) -> tuple[list[str], list[list[Any]], list[str]]:
    """One question's result as the table an evidence item freezes: headings, rows and notes. A matrix gives a row
    per statement, a ranking a row per entry, a number its mean and median; a comparison a column per group."""
    result = view.result
    notes = [_("Hidden in this group, to protect small groups.") if view.suppressed else
             _("n = %(n)s; %(missing)s without an answer, %(dont_know)s “don't know”.")
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
        [overall.label, None, None, None] if option is None else
        [option.label, option.count, option.percent, f"{option.ci_low}–{option.ci_high}"]
        for overall, option in zip(result.options, view.options, strict=True)], notes


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
    data: dict[str, Any] = {
        "name": result.name, "type": result.type, "label": result.label,
        **({"n": None, "missing": None, "dont_know": None, "suppressed": True} if view.suppressed else
           {"n": result.n, "missing": result.missing, "dont_know": result.dont_know}),
        "options": [{"value": overall.value, "label": overall.label, "suppressed": True} if option is None
                    else _option_json(option) for overall, option in zip(result.options, view.options, strict=True)],
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
