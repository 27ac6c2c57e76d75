"""Inter-coder agreement for double-coded documents: Krippendorff's alpha, Cohen's kappa and where coders differ.

    krippendorff_alpha(reliability_data, level="nominal")  -> float
    cohen_kappa(a, b)                                       -> float
    presence_matrix(coders, length)                         -> list[list[int]]
    disagreements(coders, length)                           -> list[Disagreement]

**Krippendorff's alpha** as in K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011,
https://repository.upenn.edu/asc_papers/43). ``reliability_data`` holds one list per coder with one value per unit,
None where that coder gave none. A unit with fewer than two values cannot be paired and is left out; the others fill
the coincidence matrix o_ck with marginals n_c and total n, and α = 1 − (n − 1)·Σ o_ck·δ²_ck / Σ n_c·n_k·δ²_ck with
the difference δ² of the level of measurement:

    nominal   0 for equal values, else 1                (values: anything hashable)
    ordinal   (Σ_{g from c to k} n_g − (n_c + n_k)/2)²  (ranks from the marginals of the values that were paired)
    interval  (c − k)²
    ratio     ((c − k)/(c + k))²                        (values of at least 0)

Our own code rather than the MIT ``krippendorff`` package: the formula is a few lines of numpy, the package is not a
dependency, and the published worked examples in the tests pin the result down.

**Undefined agreement.** When every pairable value is the same (a code nobody applied, or everyone applied
everywhere) the expected disagreement is 0 and α is 0/0; Krippendorff calls it undefined. Returning 1.0, as some
tools do, would report perfect reliability for data in which there was nothing to disagree about, and nan would
travel silently into tables and sums; so ``AgreementUndefined`` (a ``ValueError``) is raised, as it is when no unit
has two values, for the caller to show "not defined" with the reason. ``cohen_kappa`` does the same when both coders
put every unit in one and the same category (p_e = 1).

**Coded text as units** (``presence_matrix``): each coder's character ranges for ONE code become a 0/1 value per
character (coded with this code or not) — the character-by-character unitisation of NVivo's coding comparison
(MAXQDA instead matches segments that overlap by a chosen share). α per code is
``krippendorff_alpha(presence_matrix(ranges, length))``; α over all codes is α of each coder's rows for the codes
placed end to end (one unit per character and code). Its limits: every character weighs the same, so long passages
count more than short ones; characters that neither coder coded count as agreement, so the same coding scores higher
in a longer document; a boundary set a word apart is a disagreement on that word only; and overlapping or touching
ranges of one coder merge into one. It is NOT Krippendorff's unitising alphas (uα, cuα, |cuα: Krippendorff 1995,
2004; Krippendorff, Mathet, Bouvry & Widlöcher 2016), which judge the segments themselves — their number, boundaries
and gaps on a continuum.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from itertools import chain
from typing import NamedTuple, cast

import numpy as np
from django.utils.translation import gettext as _

NOMINAL, ORDINAL, INTERVAL, RATIO = "nominal", "ordinal", "interval", "ratio"
LEVELS = (NOMINAL, ORDINAL, INTERVAL, RATIO)

Value = Hashable | None
Range = tuple[int, int]  # (start, end) of characters, end excluded, as in text[start:end]


class AgreementUndefined(ValueError):
    """The data leave nothing to measure agreement on; the message says why, for the user."""


class Disagreement(NamedTuple):
    start: int
    end: int  # excluded
    coders: tuple[int, ...]  # positions in ``coders`` of those who coded this range; the others did not


def krippendorff_alpha(reliability_data: Sequence[Sequence[Value]], level: str = NOMINAL) -> float:
    """Krippendorff's alpha of the coders' values per unit (see the module's docstring)."""
    if level not in LEVELS:
        raise ValueError(_("Unknown level of measurement %(level)s: use nominal, ordinal, interval or ratio.")
                         % {"level": level})
    coders = [list(values) for values in reliability_data]
    if len(coders) < 2:
        raise ValueError(_("Agreement needs at least two coders."))
    unit_count = len(coders[0])
    for number, values in enumerate(coders, start=1):
        if len(values) != unit_count:
            raise ValueError(_("Coder %(coder)s has %(count)s values for %(units)s units.")
                             % {"coder": number, "count": len(values), "units": unit_count})
    units = [[value for value in unit if value is not None] for unit in zip(*coders, strict=True)]
    if level != NOMINAL:
        _check_numbers(chain.from_iterable(units), level)
    pairable = [unit for unit in units if len(unit) >= 2]
    if not pairable:
        raise AgreementUndefined(_("No unit has values from two coders, so there is nothing to compare."))
    values = list(dict.fromkeys(chain.from_iterable(pairable)))
    if len(values) < 2:
        raise AgreementUndefined(_("All coders gave every unit the same value, so agreement beyond chance cannot "
                                   "be measured."))
    if level != NOMINAL:
        values.sort(key=lambda value: cast(float, value))  # _check_numbers has made them real numbers

    index = {value: position for position, value in enumerate(values)}
    counts = np.zeros((len(pairable), len(values)))  # how often each unit got each value
    rows = np.repeat(np.arange(len(pairable)), [len(unit) for unit in pairable])
    columns = np.array([index[value] for value in chain.from_iterable(pairable)])
    np.add.at(counts, (rows, columns), 1)
    # Each unit adds its m_u·(m_u − 1) ordered pairs of values from different coders, weighted 1 / (m_u − 1).
    weighted = counts / (counts.sum(axis=1) - 1)[:, np.newaxis]
    coincidences = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    marginals = counts.sum(axis=0)
    differences = _squared_differences(values, marginals, level)
    observed = float((coincidences * differences).sum())
    expected = float((np.outer(marginals, marginals) * differences).sum())
    return 1 - (marginals.sum() - 1) * observed / expected


def _check_numbers(values: Iterable[Hashable], level: str) -> None:
    for value in values:
        if not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(_("At the %(level)s level every value must be a number, and %(value)s is not.")
                             % {"level": level, "value": value})
        if level == RATIO and value < 0:
            raise ValueError(_("Values on a ratio scale cannot be negative: %(value)s.") % {"value": value})


def _squared_differences(values: list[Hashable], marginals: np.ndarray, level: str) -> np.ndarray:
    """δ²_ck for every pair of the sorted (for nominal: any order) distinct values."""
    if level == NOMINAL:
        return 1 - np.eye(len(values))
    if level == ORDINAL:
        positions = np.arange(len(values))
        low, high = np.minimum.outer(positions, positions), np.maximum.outer(positions, positions)
        cumulative = np.cumsum(marginals)
        from_low_to_high = cumulative[high] - cumulative[low] + marginals[low]
        return np.asarray((from_low_to_high - np.add.outer(marginals, marginals) / 2) ** 2)
    numbers_ = np.asarray(values, dtype=float)
    difference = np.subtract.outer(numbers_, numbers_)
    if level == INTERVAL:
        return np.asarray(difference**2)
    total = np.add.outer(numbers_, numbers_)
    # c + k is 0 only for c = k = 0, whose difference is 0.
    return np.asarray(np.divide(difference, total, out=np.zeros_like(difference), where=total != 0) ** 2)


def cohen_kappa(a: Sequence[Value], b: Sequence[Value]) -> float:
    """Cohen's (1960) kappa of two coders' labels for the same units: (p_o − p_e) / (1 − p_e).

    A unit where either label is None (that coder did not code it) is left out.
    """
    if len(a) != len(b):
        raise ValueError(_("The two coders have %(first)s and %(second)s values; they need one each per unit.")
                         % {"first": len(a), "second": len(b)})
    pairs = [(first, second) for first, second in zip(a, b, strict=True) if first is not None and second is not None]
    if not pairs:
        raise AgreementUndefined(_("No unit has values from two coders, so there is nothing to compare."))
    # In whole numbers: κ = (n·agreements − Σ_c a_c·b_c) / (n² − Σ_c a_c·b_c), exact until the one division.
    count = len(pairs)
    agreements = sum(first == second for first, second in pairs)
    first_counts, second_counts = Counter(pair[0] for pair in pairs), Counter(pair[1] for pair in pairs)
    chance = sum(number * second_counts[label] for label, number in first_counts.items())
    if chance == count * count:
        raise AgreementUndefined(_("All coders gave every unit the same value, so agreement beyond chance cannot "
                                   "be measured."))
    return (count * agreements - chance) / (count * count - chance)


def presence_matrix(coders: Sequence[Iterable[Range]], length: int) -> list[list[int]]:
    """Per coder, 1 for each character of a text of ``length`` characters that the coder's ranges cover, else 0."""
    return _presence(coders, length).tolist()


def disagreements(coders: Sequence[Iterable[Range]], length: int) -> list[Disagreement]:
    """The longest ranges in which some but not all coders coded the text, each with the same coders throughout."""
    presence = _presence(coders, length)
    changes = (np.flatnonzero(np.any(presence[:, 1:] != presence[:, :-1], axis=0)) + 1).tolist()
    found = []
    for start, end in zip([0, *changes], [*changes, length], strict=True):
        if start == end:  # an empty text
            continue
        who = tuple(np.flatnonzero(presence[:, start]).tolist())
        if 0 < len(who) < len(presence):
            found.append(Disagreement(start, end, who))
    return found


def _presence(coders: Sequence[Iterable[Range]], length: int) -> np.ndarray:
    rows = np.zeros((len(coders), length), dtype=int)
    for row, ranges in zip(rows, coders, strict=True):
        starts_minus_ends = np.zeros(length + 1, dtype=int)
        for start, end in ranges:
            if not 0 <= start <= end <= length:
                raise ValueError(_("%(start)s–%(end)s is not a range within the text's %(length)s characters.")
                                 % {"start": start, "end": end, "length": length})
            starts_minus_ends[start] += 1
            starts_minus_ends[end] -= 1
        row[:] = np.cumsum(starts_minus_ends[:-1]) > 0
    return rows
