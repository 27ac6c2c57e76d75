"""Survey answers summed up: shares with intervals, numbers, NPS, comparisons by group, weights, small cells.

Everything here works on plain data — the questionnaire (``definition.SurveyDefinition``) and each response's
answers as ``definition`` describes them — and returns plain dataclasses that pages, charts and reports share.

    analyse(definition, answers, *, weights=None, include_dont_know=False, language="da")  -> list[QuestionResult]
    analyse_question(question, answers, *, weights=None, include_dont_know=False, language="da") -> QuestionResult
    crosstab(question, answers, groups, *, weights=None, include_dont_know=False, group_order=None,
             language="da")                                                                -> CrossTab
    rake(rows, margins, *, max_iterations=100, tolerance=1e-6, trim=(0.3, 3.0))          -> Raking
    suppress(table, threshold, *, respondents=None)                                       -> Suppression

**One question** (``QuestionResult``). ``n`` is the base of the percentages: the responses that answered,
without those answering "Ved ikke" (``definition.DONT_KNOW``). ``missing`` counts the responses without an
answer (not answered, or hidden by skip logic) and ``dont_know`` those answering "Ved ikke"; both are shown
apart and left out of the percentages. ``include_dont_know=True`` is the visible choice to count "Ved ikke"
in: it is then in ``n`` and an option of its own (after the others), and ``dont_know_included`` says so.
Percentages are on 0–100, each with its 95 % Wilson score interval (statsmodels). Labels are in ``language``.
An answer that does not fit its question stops the analysis with ``AnalysisError``, as it stops the export.

    single_choice, likert   the share of each choice, in the questionnaire's order; "Andet" (``OTHER``) last
    likert                  also the mean and median of the scale's numbers (the codes of the SPSS export:
                            a choice's own whole-number value, else 1..k in order); "Ved ikke" is never in them
    multiple_choice         the share of RESPONDENTS who ticked each choice (the base is who answered, not
                            the number of ticks), so the shares may add up to more than 100
    matrix                  ``items``: each statement like a Likert question (its distribution on the scale,
                            its own n, missing and "Ved ikke"); the question's n counts who answered any
    ranking                 ``items``: per entry the distribution of its places among those who ranked it,
                            the mean and median place (1 = first), and ``first``: the share of everyone who
                            answered the question that put it first
    integer, decimal, nps   mean and median; nps also the share of each score 0–10 and ``nps``, the Net
                            Promoter Score with its interval (see ``NetPromoterScore``)
    short_text, long_text, date   n and missing only;  information: left out

**Weights** (one per response, e.g. from ``rake``): counts become sums of weights (floats), percentages,
means and medians weighted; ``n``, ``missing`` and ``dont_know`` stay numbers of respondents. The intervals
use Kish's effective sample size (Σw)²/Σw² of the base in place of n (it is n when the weights are equal).

**Comparing groups** (``crosstab``): one group label per response (a segment, or the label of another
question's answer; None leaves the response out). Rows are the question's options, columns the groups, each
cell with its count, its share of the group and its adjusted standardised residual (o − e) /
√(e·(1 − r/n)·(1 − c/n)) (Agresti, *An Introduction to Categorical Data Analysis*, 2nd ed., 2007, §2.4.5);
|residual| > 1.96 marks a cell that departs from independence at the 5 % level. ``test`` is Pearson's
chi-square (scipy's ``chi2_contingency``) with Cramér's V = √(χ² / (n·(min(rows, columns) − 1))). No Yates
correction, for 2×2 tables either: it makes the test conservative, and without it the statistic, V and the
residuals are the same Pearson quantities. Options and groups nobody is in are left out of the test. With
weights the test runs on the weighted table rescaled to the unweighted n (the cells times n / Σw), so the
weights shape the proportions but do not pretend to more or fewer respondents than answered. A
multiple-choice table has no test: a respondent is in several rows, and the chi-square test assumes one.

**Weighting** (``rake``) and **small cells** (``suppress``): see those functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from statistics import NormalDist
from typing import Any

import numpy as np
from django.utils import translation
from django.utils.translation import gettext as _

from evidens.surveys import definition as d
from evidens.surveys.exporting import choice_coding

CONFIDENCE = 0.95
Z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / 2)
NOTABLE_RESIDUAL = 1.96
NPS_SCORES = range(11)
PROMOTERS, PASSIVES, DETRACTORS = range(9, 11), range(7, 9), range(7)
ONE_ANSWER_TYPES = frozenset({d.SINGLE_CHOICE, d.LIKERT})
CROSSTAB_TYPES = ONE_ANSWER_TYPES | {d.MULTIPLE_CHOICE}

Answers = Sequence[Mapping[str, Any]]
Reply = frozenset[str] | None  # the values one response chose; None: no answer


class AnalysisError(ValueError):
    """An answer that does not fit its question: a choice it does not have, text where a number belongs."""


# --- results ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionCount:
    value: str
    label: str
    count: float  # respondents; with weights, the sum of their weights
    percent: float | None  # of the base, 0–100; None when the base is empty
    ci_low: float | None  # the 95 % Wilson interval of ``percent``
    ci_high: float | None


@dataclass(frozen=True)
class NetPromoterScore:
    """NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100, with its 95 % interval.

    The interval is the normal approximation with the variance of a difference of two proportions of the same
    multinomial sample (Scott & Seber, "Difference of proportions from the same survey", *The American
    Statistician* 37(4), 1983, 319–320): with p_p and p_d the shares of promoters and detractors,
    var(p_p − p_d) = (p_p + p_d − (p_p − p_d)²) / n, and the interval is 100·(p_p − p_d ± z·√var), z = 1.96,
    cut at −100 and 100. With weights n is Kish's effective sample size.
    """

    score: float
    promoters: float  # percent
    passives: float
    detractors: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class ItemResult:
    """One statement of a matrix or one entry of a ranking (there ``options`` are the places 1, 2, ...)."""

    name: str
    label: str
    n: int
    missing: int
    dont_know: int
    options: list[OptionCount]
    mean: float | None
    median: float | None
    first: OptionCount | None = None  # ranking: the share of respondents that put it first


@dataclass(frozen=True)
class QuestionResult:
    name: str
    type: str
    label: str
    n: int
    missing: int
    dont_know: int
    dont_know_included: bool
    options: list[OptionCount] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    nps: NetPromoterScore | None = None
    items: list[ItemResult] = field(default_factory=list)


@dataclass(frozen=True)
class Cell:
    count: float  # respondents; with weights, the sum of their weights
    respondents: int
    percent: float | None  # of the group (the column), 0–100
    residual: float | None  # adjusted standardised residual; None without a test or outside it
    notable: bool  # |residual| > 1.96


@dataclass(frozen=True)
class CrossRow:
    value: str
    label: str
    cells: list[Cell]
    total: float
    percent: float | None  # of everyone in the table


@dataclass(frozen=True)
class Test:
    chi2: float
    df: int
    p: float
    cramers_v: float
    n: int  # the respondents the test counts (unweighted)


@dataclass(frozen=True)
class CrossTab:
    question: str
    type: str
    groups: list[str]
    rows: list[CrossRow]
    group_totals: list[float]  # the base of each group's percentages (weighted)
    group_n: list[int]  # respondents in each group
    total: float
    n: int
    dont_know_included: bool
    test: Test | None

    @property
    def counts(self) -> list[list[float]]:
        return [[cell.count for cell in row.cells] for row in self.rows]

    @property
    def respondents(self) -> list[list[int]]:
        return [[cell.respondents for cell in row.cells] for row in self.rows]


# --- one question ---------------------------------------------------------------------------------------


def analyse(definition: d.SurveyDefinition, answers: Answers, *, weights: Sequence[float] | None = None,
            include_dont_know: bool = False, language: str = "da") -> list[QuestionResult]:
    """Every question that takes an answer, in the questionnaire's order."""
    return [analyse_question(question, answers, weights=weights, include_dont_know=include_dont_know,
                             language=language)
            for _section, question in definition.questions() if question.answers]


def analyse_question(question: d.Question, answers: Answers, *, weights: Sequence[float] | None = None,
                     include_dont_know: bool = False, language: str = "da") -> QuestionResult:
    """One question summed up over ``answers`` (one mapping per response), labels in ``language``."""
    weights = _checked_weights(weights, len(answers))
    kind = question.type
    result = QuestionResult(name=question.name, type=kind, label=d.text_in(question.label, language) or question.name,
                            n=0, missing=0, dont_know=0, dont_know_included=include_dont_know)
    raw = [answer.get(question.name) for answer in answers]
    answered = [not d.unanswered(value) for value in raw]
    if kind in CROSSTAB_TYPES:
        replies = _choice_replies(question, raw)
        tally = _tally(_options(question, include_dont_know, language), replies, weights, include_dont_know)
        mean, median = _scale_centre(question, replies, weights) if kind == d.LIKERT else (None, None)
        return replace(result, n=tally.n, missing=tally.missing, dont_know=tally.dont_know, options=tally.options,
                        mean=mean, median=median)
    if kind in d.NUMBER_TYPES:
        numbers = [_number(question, value, number) for number, value in enumerate(raw, start=1)]
        mean, median = _centre(numbers, weights)
        result = replace(result, n=sum(answered), missing=answered.count(False), mean=mean, median=median)
        if kind != d.NPS:
            return result
        replies = [None if value is None else frozenset({str(int(value))}) for value in numbers]
        return replace(result, options=_tally([(str(score), str(score)) for score in NPS_SCORES], replies, weights,
                                              False).options,
                       nps=_net_promoter_score(numbers, weights))
    if kind == d.MATRIX:
        statements = [_statements(question, value, number) for number, value in enumerate(raw, start=1)]
        items = [_matrix_item(question, item, statements, weights, include_dont_know, language)
                 for item in question.items]
        return replace(result, n=sum(answered), missing=answered.count(False), items=items)
    if kind == d.RANKING:
        orders = [_ranking(question, value, number) for number, value in enumerate(raw, start=1)]
        items = [_ranked_item(item, len(question.items), orders, weights, language) for item in question.items]
        return replace(result, n=sum(answered), missing=answered.count(False), items=items)
    if kind == d.DATE:
        for number, value in enumerate(raw, start=1):
            _check_date(question, value, number)
    elif kind in (d.SHORT_TEXT, d.LONG_TEXT):
        for number, value in enumerate(raw, start=1):
            if not d.unanswered(value) and not isinstance(value, str):
                raise _unfit(number, question, value)
    return replace(result, n=sum(answered), missing=answered.count(False))


def _options(question: d.Question, include_dont_know: bool, language: str) -> list[tuple[str, str]]:
    """The rows a choice question is counted in: value and label in ``language``."""
    options = [(choice.value, d.text_in(choice.label, language) or choice.value) for choice in question.choices]
    if question.other:
        with translation.override(language):
            options.append((d.OTHER, _("Other")))
    if question.dont_know and include_dont_know:
        options.append((d.DONT_KNOW, d.text_in(d.DONT_KNOW_LABEL, language)))
    return options


@dataclass(frozen=True)
class _Tally:
    n: int
    missing: int
    dont_know: int
    options: list[OptionCount]


def _tally(options: Sequence[tuple[str, str]], replies: Sequence[Reply], weights: Sequence[float],
           include_dont_know: bool) -> _Tally:
    """The share of the base that chose each option; the base is who answered, less "Ved ikke" unless included."""
    base = [index for index, reply in enumerate(replies)
            if reply is not None and (include_dont_know or d.DONT_KNOW not in reply)]
    base_weights = [weights[index] for index in base]
    total = sum(base_weights)
    effective = _effective_n(base_weights)
    sums: dict[str, float] = {}
    for index in base:  # one pass over the answers, not one per option
        for value in replies[index] or ():
            sums[value] = sums.get(value, 0) + weights[index]
    counts = [option_count(value, label, sums.get(value, 0), total, effective) for value, label in options]
    return _Tally(n=len(base), missing=sum(reply is None for reply in replies),
                  dont_know=sum(reply is not None and d.DONT_KNOW in reply for reply in replies), options=counts)


def option_count(value: str, label: str, count: float, total: float, effective_n: float) -> OptionCount:
    """An option's count as a share of ``total`` with its Wilson interval for ``effective_n`` answers."""
    if total <= 0:
        return OptionCount(value, label, count, None, None, None)
    share = count / total
    low, high = _wilson(share, effective_n)
    return OptionCount(value, label, count, 100 * share, 100 * low, 100 * high)


def _wilson(share: float, n: float) -> tuple[float, float]:
    """The Wilson score interval (Wilson 1927), the formula statsmodels' ``proportion_confint(method="wilson")``
    uses; written out because calling statsmodels for each of thousands of cells took most of a report's time."""
    if n <= 0:
        return 0.0, 1.0
    z2 = Z * Z
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = Z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _effective_n(weights: Sequence[float]) -> float:
    """Kish's effective sample size (Σw)²/Σw²: the number of equally weighted answers worth as much."""
    squares = sum(weight * weight for weight in weights)
    return sum(weights) ** 2 / squares if squares > 0 else 0.0


def _centre(values: Sequence[float | None], weights: Sequence[float]) -> tuple[float | None, float | None]:
    """The weighted mean and median of the values that are there (None: no value)."""
    pairs = sorted((value, weight) for value, weight in zip(values, weights, strict=True)
                   if value is not None and weight > 0)
    total = sum(weight for _value, weight in pairs)
    if total <= 0:
        return None, None
    return sum(value * weight for value, weight in pairs) / total, _median(pairs, total)


def _median(pairs: Sequence[tuple[float, float]], total: float) -> float:
    """The weighted median of sorted (value, weight) pairs: the value where the cumulative weight passes half the
    total, or the midpoint of two values when it lands exactly on half — with equal weights the ordinary median."""
    cumulative = 0.0
    for index, (value, weight) in enumerate(pairs):
        cumulative += weight
        if math.isclose(cumulative, total / 2) and index + 1 < len(pairs):
            return (value + pairs[index + 1][0]) / 2
        if cumulative > total / 2:
            return value
    return pairs[-1][0]


def _net_promoter_score(scores: Sequence[float | None], weights: Sequence[float]) -> NetPromoterScore | None:
    answered = [(score, weight) for score, weight in zip(scores, weights, strict=True) if score is not None]
    total = sum(weight for _score, weight in answered)
    if total <= 0:
        return None

    def share(keep: range) -> float:
        return sum(weight for score, weight in answered if score in keep) / total

    promoters, passives, detractors = share(PROMOTERS), share(PASSIVES), share(DETRACTORS)
    score = promoters - detractors
    margin = Z * math.sqrt((promoters + detractors - score**2) / _effective_n([weight for _s, weight in answered]))
    return NetPromoterScore(score=100 * score, promoters=100 * promoters, passives=100 * passives,
                            detractors=100 * detractors, ci_low=100 * max(-1.0, score - margin),
                            ci_high=100 * min(1.0, score + margin))


def _scale_centre(question: d.Question, replies: Sequence[Reply],
                  weights: Sequence[float]) -> tuple[float | None, float | None]:
    """Mean and median of a scale's numbers; "Ved ikke" and "Andet" are not on the scale."""
    codes = choice_coding(question, False, "da").codes  # the export's codes, so the mean is the SPSS mean
    numbers = [next((float(codes[value]) for value in reply or () if value not in (d.DONT_KNOW, d.OTHER)), None)
               for reply in replies]
    return _centre(numbers, weights)


def _matrix_item(question: d.Question, item: d.Item, statements: Sequence[Mapping[str, str] | None],
                 weights: Sequence[float], include_dont_know: bool, language: str) -> ItemResult:
    replies = [frozenset({statement[item.name]}) if statement and item.name in statement else None
               for statement in statements]
    tally = _tally(_options(question, include_dont_know, language), replies, weights, include_dont_know)
    mean, median = _scale_centre(question, replies, weights)
    return ItemResult(name=item.name, label=d.text_in(item.label, language) or item.name, n=tally.n,
                      missing=tally.missing, dont_know=tally.dont_know, options=tally.options, mean=mean,
                      median=median)


def _ranked_item(item: d.Item, entries: int, orders: Sequence[list[str] | None], weights: Sequence[float],
                 language: str) -> ItemResult:
    places = [order.index(item.name) + 1 if order and item.name in order else None for order in orders]
    tally = _tally([(str(place), str(place)) for place in range(1, entries + 1)],
                   [None if place is None else frozenset({str(place)}) for place in places], weights, False)
    mean, median = _centre(places, weights)
    answered = [weight for order, weight in zip(orders, weights, strict=True) if order]
    first = sum(weight for place, weight in zip(places, weights, strict=True) if place == 1)
    label = d.text_in(item.label, language) or item.name
    return ItemResult(name=item.name, label=label, n=tally.n, missing=tally.missing, dont_know=0,
                      options=tally.options, mean=mean, median=median,
                      first=option_count(item.name, label, first, sum(answered), _effective_n(answered)))


# --- reading answers --------------------------------------------------------------------------------------


def _unfit(number: int, question: d.Question, value: Any) -> AnalysisError:
    return AnalysisError(_("Response %(reference)s answers “%(value)s” to “%(question)s”, which does not fit "
                           "the question.") % {"reference": number, "value": value, "question": question.name})


def _allowed(question: d.Question) -> set[str]:
    allowed = {choice.value for choice in question.choices}
    if question.other:
        allowed.add(d.OTHER)
    if question.dont_know:
        allowed.add(d.DONT_KNOW)
    return allowed


def _choice_replies(question: d.Question, raw: Sequence[Any]) -> list[Reply]:
    allowed = _allowed(question)
    replies: list[Reply] = []
    many = question.type == d.MULTIPLE_CHOICE
    single: dict[Any, frozenset[str]] = {}  # a single choice's few values, each checked once
    for number, value in enumerate(raw, start=1):
        if not many and isinstance(value, str) and value in single:
            replies.append(single[value])
            continue
        if d.unanswered(value):
            replies.append(None)
            continue
        if many != isinstance(value, list | tuple):
            raise _unfit(number, question, value)
        chosen = frozenset(str(item) for item in value) if many else frozenset({str(value)})
        if not chosen <= allowed:
            raise _unfit(number, question, value)
        if not many and isinstance(value, str):
            single[value] = chosen
        replies.append(chosen)
    return replies


def _statements(question: d.Question, value: Any, number: int) -> Mapping[str, str] | None:
    if d.unanswered(value):
        return None
    if not isinstance(value, Mapping) or not set(value) <= {item.name for item in question.items}:
        raise _unfit(number, question, value)
    statements = {item: str(chosen) for item, chosen in value.items() if not d.unanswered(chosen)}
    if not set(statements.values()) <= _allowed(question):
        raise _unfit(number, question, value)
    return statements


def _ranking(question: d.Question, value: Any, number: int) -> list[str] | None:
    if d.unanswered(value):
        return None
    order = [str(entry) for entry in value] if isinstance(value, list | tuple) else []
    if not order or len(set(order)) != len(order) or not set(order) <= {item.name for item in question.items}:
        raise _unfit(number, question, value)
    return order


def _number(question: d.Question, value: Any, number: int) -> float | None:
    if d.unanswered(value):
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        parsed = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise _unfit(number, question, value) from None
    whole = parsed.is_finite() and parsed == parsed.to_integral_value()
    if not parsed.is_finite() or (question.type != d.DECIMAL and not whole) or (
            question.type == d.NPS and int(parsed) not in NPS_SCORES):
        raise _unfit(number, question, value)
    return float(parsed)


def _check_date(question: d.Question, value: Any, number: int) -> None:
    if d.unanswered(value) or isinstance(value, date):
        return
    try:
        date.fromisoformat(str(value))
    except ValueError:
        raise _unfit(number, question, value) from None


def _checked_weights(weights: Sequence[float] | None, count: int) -> Sequence[float]:
    if weights is None:
        return [1] * count
    if len(weights) != count:
        raise ValueError(f"{len(weights)} weights for {count} responses")
    if not all(math.isfinite(weight) and weight >= 0 for weight in weights):
        raise ValueError("weights must be finite numbers of at least 0")
    return weights


# --- comparing groups -------------------------------------------------------------------------------------


def crosstab(question: d.Question, answers: Answers, groups: Sequence[str | None], *,
             weights: Sequence[float] | None = None, include_dont_know: bool = False,
             group_order: Sequence[str] | None = None, language: str = "da") -> CrossTab:
    """The question's options by group, with the chi-square test (see the module's docstring).

    ``groups`` holds one label per response (None: not in any group); the columns follow ``group_order`` and
    then the other labels alphabetically. Single choice, Likert and multiple choice questions.
    """
    if question.type not in CROSSTAB_TYPES:
        raise ValueError(f"a cross-table needs a choice question, not {question.type}")
    if len(groups) != len(answers):
        raise ValueError(f"{len(groups)} group labels for {len(answers)} responses")
    checked = _checked_weights(weights, len(answers))
    options = _options(question, include_dont_know, language)
    replies = _choice_replies(question, [answer.get(question.name) for answer in answers])
    present = {group for group in groups if group}
    order = [group for group in group_order or () if group in present]
    columns = order + sorted(present - set(order))
    column_of = {group: index for index, group in enumerate(columns)}

    counts = np.zeros((len(options), len(columns)))
    respondents = np.zeros((len(options), len(columns)), dtype=int)
    group_totals = np.zeros(len(columns))
    group_n = np.zeros(len(columns), dtype=int)
    for reply, group, weight in zip(replies, groups, checked, strict=True):
        if not group or reply is None or (d.DONT_KNOW in reply and not include_dont_know):
            continue
        column = column_of[group]
        group_totals[column] += weight
        group_n[column] += 1
        for row, (value, _label) in enumerate(options):
            if value in reply:
                counts[row, column] += weight
                respondents[row, column] += 1

    n = int(group_n.sum())
    total = float(group_totals.sum())
    test, residuals = (None, None) if question.type == d.MULTIPLE_CHOICE else _chi_square(counts, n)
    rows = []
    for row, (value, label) in enumerate(options):
        cells = []
        for column in range(len(columns)):
            residual = None if residuals is None or math.isnan(residuals[row, column]) else float(
                residuals[row, column])
            cells.append(Cell(count=_plain_number(counts[row, column]), respondents=int(respondents[row, column]),
                              percent=_percent(counts[row, column], group_totals[column]), residual=residual,
                              notable=residual is not None and abs(residual) > NOTABLE_RESIDUAL))
        row_total = float(counts[row].sum())
        rows.append(CrossRow(value=value, label=label, cells=cells, total=_plain_number(row_total),
                             percent=_percent(row_total, total)))
    return CrossTab(question=question.name, type=question.type, groups=columns, rows=rows,
                    group_totals=[_plain_number(value) for value in group_totals], group_n=[int(v) for v in group_n],
                    total=_plain_number(total), n=n, dont_know_included=include_dont_know, test=test)


def _chi_square(counts: np.ndarray, n: int) -> tuple[Test | None, np.ndarray | None]:
    """Pearson's test on the table rescaled to ``n`` respondents, and the adjusted residual of every cell (NaN
    for an option or group nobody is in, which the test leaves out)."""
    weighted_total = counts.sum()
    if weighted_total <= 0:
        return None, None
    scaled = counts * (n / weighted_total)
    used_rows = scaled.sum(axis=1) > 0
    used_columns = scaled.sum(axis=0) > 0
    table = scaled[used_rows][:, used_columns]
    if min(table.shape) < 2:
        return None, None
    # Pearson's statistic written out (scipy.stats' chi2_contingency computes the same, and the tests hold the two
    # side by side); importing scipy.stats alone took 1.8 s of a cold start, scipy.special's tail a fraction.
    from scipy.special import chdtrc

    row_shares = table.sum(axis=1, keepdims=True) / n
    column_shares = table.sum(axis=0, keepdims=True) / n
    expected = n * row_shares * column_shares
    chi2 = float(((table - expected) ** 2 / expected).sum())
    df = (table.shape[0] - 1) * (table.shape[1] - 1)
    residuals = np.full(counts.shape, np.nan)
    residuals[np.ix_(used_rows, used_columns)] = (table - expected) / np.sqrt(
        expected * (1 - row_shares) * (1 - column_shares))
    test = Test(chi2=chi2, df=df, p=float(chdtrc(df, chi2)),
                cramers_v=math.sqrt(chi2 / (n * (min(table.shape) - 1))), n=n)
    return test, residuals


def _percent(part: float, whole: float) -> float | None:
    return 100 * float(part) / float(whole) if whole > 0 else None


def _plain_number(value: float) -> float:
    """A whole count as an int (what an unweighted table holds), any other as a float."""
    number = float(value)
    return int(number) if number.is_integer() else number


# --- weighting --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightSummary:
    n: int
    minimum: float
    maximum: float
    mean: float  # 1: the weights are scaled so that they add up to n
    design_effect: float  # Kish: n·Σw²/(Σw)²; 1 for equal weights
    efficiency: float  # 1 / design_effect, from 0 to 1
    effective_n: float  # n / design_effect
    iterations: int
    converged: bool
    largest_gap: float  # percentage points between a weighted share and its population share (trimming leaves some)


@dataclass(frozen=True)
class Raking:
    weights: list[float]  # one per row, in the rows' order
    summary: WeightSummary


def rake(rows: Sequence[Mapping[str, str | None]], margins: Mapping[str, Mapping[str, float]], *,
         max_iterations: int = 100, tolerance: float = 1e-6,
         trim: tuple[float, float] | None = (0.3, 3.0)) -> Raking:
    """Weights that make the weighted margins of the respondents match the population's (raking).

    ``rows`` holds per response its category of each variable in ``margins`` (e.g. ``{"segment": "Kommune",
    "member": "ja"}``); ``margins`` the population per variable and category, as shares or as counts (each
    variable is scaled to shares on its own), e.g. ``{"segment": {"Kommune": 0.1, ...}, "member": {...}}``.

    Iterative proportional fitting (Deming & Stephan 1940): each pass scales the weights of every category of
    each variable in turn so that its weighted share is the population's. After each pass the weights are
    trimmed to ``trim`` = (low, high) times their mean and scaled back to a mean of 1, repeatedly until they
    stay within the bounds; the passes stop when no weight moves more than ``tolerance``, or after
    ``max_iterations``. Trimming trades exact margins for fewer extreme weights: ``largest_gap`` in the summary
    says how far a margin is left from its target. ``trim=None`` rakes without trimming.
    """
    if trim is not None and not 0 < trim[0] <= 1 <= trim[1]:
        raise ValueError("trim must be (low, high) with 0 < low <= 1 <= high")
    if not rows:
        raise ValueError(_("There are no responses to weight."))
    variables = [_raking_variable(rows, variable, population) for variable, population in margins.items()]
    weights = np.ones(len(rows))
    iterations, converged = 0, False
    while iterations < max_iterations and not converged:
        iterations += 1
        before = weights.copy()
        for categories, targets in variables:
            sums = np.bincount(categories, weights=weights, minlength=len(targets))
            weights = weights * (targets * weights.sum() / sums)[categories]
        if trim is not None:
            weights = _trimmed(weights, trim, tolerance, max_iterations)
        weights = weights * len(weights) / weights.sum()
        converged = float(np.max(np.abs(weights - before))) < tolerance
    gaps = [np.abs(np.bincount(categories, weights=weights, minlength=len(targets)) / weights.sum() - targets)
            for categories, targets in variables]
    design_effect = len(weights) * float(np.sum(weights**2)) / float(weights.sum()) ** 2
    summary = WeightSummary(
        n=len(weights), minimum=float(weights.min()), maximum=float(weights.max()), mean=float(weights.mean()),
        design_effect=design_effect, efficiency=1 / design_effect, effective_n=len(weights) / design_effect,
        iterations=iterations, converged=converged,
        largest_gap=100 * max((float(gap.max()) for gap in gaps), default=0.0))
    return Raking(weights=[float(weight) for weight in weights], summary=summary)


def _raking_variable(rows: Sequence[Mapping[str, str | None]], variable: str,
                     population: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's category as a position in the margin, and the margin's shares."""
    names = list(population)
    sizes = np.array([population[name] for name in names], dtype=float)
    if not names or not np.all(np.isfinite(sizes)) or not np.all(sizes > 0):
        raise ValueError(_("The population figures for “%(variable)s” must be numbers above 0.")
                         % {"variable": variable})
    position = {name: index for index, name in enumerate(names)}
    categories = []
    for number, row in enumerate(rows, start=1):
        category = row.get(variable)
        if category is None or category == "":
            raise ValueError(_("Response %(number)s has no “%(variable)s”, so it cannot be weighted.")
                             % {"number": number, "variable": variable})
        if category not in position:
            raise ValueError(_("“%(category)s” (%(variable)s) has no population figure.")
                             % {"category": category, "variable": variable})
        categories.append(position[category])
    found = np.bincount(categories, minlength=len(names))
    empty = [name for name, count in zip(names, found, strict=True) if count == 0]
    if empty:
        raise ValueError(_("No response is in “%(category)s” (%(variable)s), so its share cannot be reached.")
                         % {"category": empty[0], "variable": variable})
    return np.array(categories), sizes / sizes.sum()


def _trimmed(weights: np.ndarray, trim: tuple[float, float], tolerance: float, max_iterations: int) -> np.ndarray:
    """The weights cut to ``trim`` times their mean and scaled to a mean of 1, repeated until they stay inside
    (scaling moves the mean, so one cut is not enough)."""
    low, high = trim
    for _round in range(max_iterations):
        mean = weights.mean()
        cut = np.clip(weights, low * mean, high * mean)
        cut = cut / cut.mean()
        if float(np.max(np.abs(cut - weights / mean))) < tolerance:
            return cut
        weights = cut
    return weights / weights.mean()


# --- small cells ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suppression:
    """A table's cells as they may be published: None where a number is hidden. Its totals are published."""

    cells: list[list[float | None]]
    hidden_groups: list[int]  # the columns hidden whole: groups of fewer than ``threshold`` respondents


Mask = Sequence[Sequence[bool]]


def suppress(table: Sequence[Sequence[float]], threshold: int, *,
             respondents: Sequence[Sequence[int]] | None = None, fixed: Mask | None = None,
             unpublished: Mask | None = None, small_groups: bool = True) -> Suppression:
    """Hide the cells of ``table`` (rows × groups) that could point to fewer than ``threshold`` respondents,
    and enough others that none of them can be worked out from the rest and the totals.

    The totals — each row's, each group's and the grand total — are taken as published: the overall result
    of a survey shows each answer's count, and a filter on one group shows its size, so hiding a total in one
    view would protect nothing that another view shows. The numbers count respondents, each once (a
    single-choice or Likert table; a multiple-choice question is a table of ticked and not ticked per
    option); for a weighted table pass the respondents' numbers as ``respondents``, which decide what is
    hidden, and the weighted ``table``, whose numbers are published.

    Primary: every cell from 1 to ``threshold`` − 1, and every cell of a group (a column) with 1 to
    ``threshold`` − 1 respondents, its zeros included (unless ``small_groups`` is False: the caller has
    decided which lines are small). A zero is otherwise shown: it points to nobody. Cells ``fixed`` are
    published elsewhere and never hidden, and nor are the zeros of a line whose total is 0; cells
    ``unpublished`` are hidden from the start (no view shows them).

    Complementary: each row and each column adds up to its published total, so a hidden cell alone in its
    row or column is the total less the rest. Each row and column with one hidden cell gets a second: its
    smallest other cell that is not zero (a hidden zero beside a hidden 2 would give the 2 away; a zero only
    when nothing else is left), preferring a cell whose crossing line already has a hidden one, which closes
    the pattern instead of leaving that line with a lone hidden cell that needs a partner of its own. Two
    hidden cells in every line are not always enough — sums of several lines can still isolate one — so the
    table is then solved as a linear system, and any hidden cell it determines gets another hidden beside
    it, until no hidden cell can be worked out by adding and subtracting published numbers, or as a 0 because
    the hidden cells of a line add up to 0. A table of one row or one column gets no complements: each cell
    is a total there, which no hiding keeps.
    """
    values = [list(row) for row in table]
    rows, columns = len(values), len(values[0]) if values else 0
    decisive = values if respondents is None else [list(row) for row in respondents]
    if [len(row) for row in values] != [columns] * rows or [len(row) for row in decisive] != [columns] * rows:
        raise ValueError("table and respondents must be rectangles of the same shape")
    counts = np.array(decisive, dtype=float).reshape(rows, columns)
    published = np.zeros((rows, columns), dtype=bool) if fixed is None else np.array(fixed, dtype=bool).reshape(
        rows, columns)
    # A line whose total is 0 is zeros, which no reader needs to subtract to know: hiding them covers nothing.
    published[counts.sum(axis=1) == 0, :] = True
    published[:, counts.sum(axis=0) == 0] = True
    hidden = (counts > 0) & (counts < threshold)
    if unpublished is not None:
        hidden |= np.array(unpublished, dtype=bool).reshape(rows, columns)
    small = [column for column in range(columns) if 0 < counts[:, column].sum() < threshold] if small_groups else []
    hidden[:, small] = True
    hidden &= ~published
    _hide_complements(counts, hidden, published, hidden.copy())
    return Suppression(
        cells=[[None if hidden[row, column] else value for column, value in enumerate(values[row])]
               for row in range(rows)],
        hidden_groups=small,
    )


Position = tuple[int, int]


def _hide_complements(counts: np.ndarray, hidden: np.ndarray, fixed: np.ndarray, secret: np.ndarray) -> None:
    """Hide more cells of ``counts`` (in ``hidden``, never one that is ``fixed``) until no ``secret`` cell
    follows from the shown ones and the published totals."""
    row_count, column_count = counts.shape
    if row_count < 2 or column_count < 2:
        return
    lines = [[(row, column) for column in range(column_count)] for row in range(row_count)]
    lines += [[(row, column) for row in range(row_count)] for column in range(column_count)]
    every_cell = [position for line in lines[:row_count] for position in line]

    def hideable(positions: Sequence[Position]) -> list[Position]:
        return [position for position in positions if not hidden[position] and not fixed[position]]

    def exposed(mask: np.ndarray) -> list[Position]:
        return [(int(row), int(column)) for row, column in zip(*np.nonzero(_known(mask, counts) & secret),
                                                                strict=True)]

    def covers(position: Position, exposed_cell: Position) -> bool:
        hidden[position] = True
        covered = exposed_cell not in exposed(hidden)
        hidden[position] = False
        return covered

    # Known even with every cell that may be hidden hidden: the fixed cells of its line give it away, and
    # hiding more would only take numbers from the reader.
    hopeless = set(exposed(hidden | ~fixed))
    while True:
        # A hidden zero that the reader knows is zero covers nothing.
        covering = hidden & ~(_known(hidden, counts) & (counts == 0))
        lone = next((index for index, line in enumerate(lines)
                     if sum(covering[position] for position in line) == 1 and hideable(line)), None)
        if lone is not None:
            def opens_a_line(position: Position, across_columns: bool = lone < row_count,
                             covering: np.ndarray = covering) -> bool:
                crossing = covering[:, position[1]] if across_columns else covering[position[0], :]
                return not crossing.any()

            hidden[min(hideable(lines[lone]),
                       key=lambda position: (counts[position] == 0, opens_a_line(position), counts[position]))] = True
            continue
        given_away = [position for position in exposed(hidden) if position not in hopeless]
        candidates = hideable(every_cell)
        if not given_away or not candidates:
            return
        row, column = given_away[0]
        neighbours = sorted(hideable(lines[row] + lines[row_count + column]) or candidates,
                            key=lambda position: (counts[position] == 0, counts[position]))
        hidden[next((position for position in neighbours if covers(position, (row, column))), neighbours[0])] = True


def _known(hidden: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The hidden cells a reader can work out: those the equations determine (``_exposed``), and the cells of a
    line whose hidden cells add up to 0 — no count is negative, so each is 0. Each one found is a number the
    reader has, which may give away the next."""
    known = np.zeros(hidden.shape, dtype=bool)
    row_count = hidden.shape[0]
    while True:
        unknown = hidden & ~known
        found = set(_exposed(unknown))
        for row in range(row_count):
            if unknown[row].any() and counts[row, unknown[row]].sum() == 0:
                found |= {(row, int(column)) for column in np.nonzero(unknown[row])[0]}
        for column in range(hidden.shape[1]):
            if unknown[:, column].any() and counts[unknown[:, column], column].sum() == 0:
                found |= {(int(row), column) for row in np.nonzero(unknown[:, column])[0]}
        new = [position for position in found if not known[position]]
        if not new:
            return known
        for position in new:
            known[position] = True


def _exposed(hidden: np.ndarray) -> list[Position]:
    """The hidden cells that the shown ones and the totals determine.

    Each row and column is an equation: its cells add up to its published total. With the shown cells moved
    to the right-hand side the hidden ones are the unknowns, and an unknown is determined exactly when every
    solution of the homogeneous system leaves it at zero — its row in a basis of the null space is zero.
    """
    from scipy.linalg import null_space

    mask = hidden
    positions: list[Position] = [(int(row), int(column)) for row, column in zip(*np.nonzero(mask), strict=True)]
    if not positions:
        return []
    equations = np.zeros((mask.shape[0] + mask.shape[1], len(positions)))
    for unknown, (row, column) in enumerate(positions):
        equations[row, unknown] = 1
        equations[mask.shape[0] + column, unknown] = 1
    basis = null_space(equations)
    return [position for position, free in zip(positions, basis, strict=True) if not np.any(np.abs(free) > 1e-9)]
