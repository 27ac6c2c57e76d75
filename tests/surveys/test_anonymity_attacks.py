"""An attacker with every view of an anonymous survey's results: does any small number follow from them?

The attacker asks for every unweighted view the results page offers — overall, compared by each variable,
filtered on each group it offers, with "Ved ikke" counted and not — and writes each published count (and each
mean, times its n) as a sum over the respondents' possible answer profiles. A number is given away when it is a
linear combination of the published ones: adding and subtracting tables, filters and totals. The secrets are
the counts the anonymity rules promise to keep: how many in a group (a value of a background variable, the
folded small ones and those without an answer included) gave an answer, where that is from 1 to 4, and any such
count of a group smaller than 5 — less what the overall result alone already says.

Not covered, and known to leak (docs/decisions.md, issue 4): a reader who also uses that no count is negative,
together with skip logic (not answering one question is an answer to another); weighted views beside
unweighted ones; and matrix, NPS and ranking numbers in a filtered view.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from django.utils import translation

from evidens.surveys import definition as d
from evidens.surveys import results
from evidens.surveys.results import NO_VALUE, Respondents, Selection
from tests.surveys.conftest import questionnaire

SURVEY = questionnaire()
THRESHOLD = 5
SEGMENTS = ("A", "B", "C", "D")
MEMBER = ("ja", "nej", "")
SCALE = ("1", "2", "3", "4", "5", d.DONT_KNOW, "")
CHANNELS: tuple[tuple[str, ...] | None, ...] = (None, ("web",), ("nyhedsbrev",), ("web", "nyhedsbrev"),
                                                  (d.OTHER,))
CHOICE_QUESTIONS = ("medlem", "tilfreds", "kanaler")


@dataclass(frozen=True)
class Profile:
    segment: str
    medlem: str
    tilfreds: str
    kanaler: tuple[str, ...] | None

    def answer(self) -> dict[str, Any]:
        return {"medlem": self.medlem or None, "tilfreds": self.tilfreds or None,
                "kanaler": list(self.kanaler) if self.kanaler else None}

    def raw(self, question: str) -> Any:
        return {"medlem": self.medlem, "tilfreds": self.tilfreds, "kanaler": self.kanaler}[question]

    def variable(self, name: str) -> str:
        return self.segment if name == results.SEGMENT else self.raw(name)


PROFILES = [Profile(*values) for values in itertools.product(SEGMENTS, MEMBER, SCALE, CHANNELS)]
Predicate = Callable[[Profile], bool]


def chose(question: str, value: str, include_dont_know: bool) -> Predicate:
    """Counted in the base of ``question`` with ``value`` among its answers."""
    def test(profile: Profile) -> bool:
        raw = profile.raw(question)
        if question == "kanaler":
            return bool(raw) and value in raw
        return raw == value and (value != d.DONT_KNOW or include_dont_know)
    return test


def in_base(question: str, include_dont_know: bool) -> Predicate:
    def test(profile: Profile) -> bool:
        raw = profile.raw(question)
        return bool(raw) and (include_dont_know or raw != d.DONT_KNOW)
    return test


class Attacker:
    """What the published numbers say, as equations over the number of respondents with each profile."""

    def __init__(self, people: list[Profile], *, anonymous: bool = True) -> None:
        self.people, self.anonymous = people, anonymous
        self.respondents = Respondents(answers=[person.answer() for person in people],
                                       segments=[person.segment for person in people])
        self.rows: list[np.ndarray] = []
        self.views = 0
        self._rank: int | None = None

    def publish(self, where: Predicate, weight: Callable[[Profile], float] = lambda _profile: 1.0) -> None:
        self.rows.append(np.array([weight(profile) if where(profile) else 0.0 for profile in PROFILES]))

    def read_every_view(self) -> None:
        variables = [name for name, _label in results.variables(SURVEY, "en")]
        choices = results.filter_choices(SURVEY, self.respondents, anonymous=self.anonymous, threshold=THRESHOLD,
                                         language="en")
        selections = [Selection()] + [Selection(by=name) for name in variables] + [
            Selection(filters={name: key}) for name, _label, keys in choices for key, _key_label in keys]
        for selection, dont_know in itertools.product(selections, (False, True)):
            self.read(Selection(by=selection.by, filters=selection.filters, include_dont_know=dont_know))

    def grouping(self, variable: str) -> results.Grouping:
        with translation.override("en"):
            return results.grouping(SURVEY, variable, self.respondents, anonymous=self.anonymous,
                                    threshold=THRESHOLD, language="en")

    def member_of(self, variable: str, key: str) -> Predicate:
        groups = self.grouping(variable)
        return lambda profile: groups.key(profile.answer(), profile.segment) == key

    def read(self, selection: Selection) -> None:
        shown = results.results(SURVEY, self.respondents, selection, anonymous=self.anonymous, threshold=THRESHOLD,
                                language="en")
        if not shown.questions:
            return
        self.views += 1
        selected: Predicate = lambda _profile: True  # noqa: E731
        for variable, key in selection.filters.items():
            selected = self.member_of(variable, key)
        self.publish(selected)
        document = results.results_json("attack", shown)
        for question in document["questions"]:
            if question["name"] in CHOICE_QUESTIONS:
                self.read_question(question, selected, selection)

    def read_question(self, question: dict[str, Any], selected: Predicate, selection: Selection) -> None:
        name, dont_know = question["name"], selection.include_dont_know
        if question["n"] is not None:
            self.publish(lambda p: selected(p) and in_base(name, dont_know)(p))
            self.publish(lambda p: selected(p) and not p.raw(name))
            self.publish(lambda p: selected(p) and p.raw(name) == d.DONT_KNOW)
        for option in question["options"]:
            if not option.get("suppressed"):
                self.publish(all_of(selected, chose(name, option["value"], dont_know)))
        if question.get("mean") is not None:  # mean × n is a sum of the scale's values
            self.publish(lambda p: selected(p) and in_base(name, False)(p) and p.raw(name) != d.DONT_KNOW,
                         weight=lambda p: float(p.raw(name)))
        if selection.by:
            with translation.override("en"):
                columns = results._column_labels(self.grouping(selection.by))
            labels = {label: key for key, label in columns.items()}
            for group in question.get("groups", []):
                member = self.member_of(selection.by, labels[group["group"]])
                if group["n"] is not None:
                    self.publish(all_of(selected, member, in_base(name, dont_know)))
                for option in group["options"]:
                    if not option.get("suppressed"):
                        self.publish(all_of(selected, member, chose(name, option["value"], dont_know)))

    def gives_away(self, secret: Predicate) -> bool:
        published = np.array(self.rows)
        target = np.array([1.0 if secret(profile) else 0.0 for profile in PROFILES])
        if self._rank is None:
            self._rank = int(np.linalg.matrix_rank(published))
        return bool(np.linalg.matrix_rank(np.vstack([published, target])) == self._rank)


def in_group(variable: str, value: str) -> Predicate:
    """Holds ``value`` for ``variable``; "" is no value, "Ved ikke" included."""
    def test(profile: Profile) -> bool:
        held = profile.variable(variable)
        return held == value or (not value and held == d.DONT_KNOW)
    return test


def all_of(*predicates: Predicate) -> Predicate:
    return lambda profile: all(predicate(profile) for predicate in predicates)


def answers_given(people: list[Profile], question: str) -> list[str]:
    given = set()
    for person in people:
        raw = person.raw(question)
        given |= set(raw) if question == "kanaler" and raw else {raw} if raw else set()
    return sorted(given - {d.DONT_KNOW})


def secrets(people: list[Profile]) -> Iterator[tuple[str, Predicate]]:
    """Each count the rules keep: a background value's (or no value's) respondents giving an answer, where that is
    from 1 to 4, or any count of a value held by fewer than 5 (of fewer than 5 without a value, those from 1). The
    counts of a "no answer" of at least 5 are published."""
    def count(where: Predicate) -> int:
        return sum(1 for person in people if where(person))

    for variable in (results.SEGMENT, "medlem", "tilfreds"):
        for value in sorted({person.variable(variable) for person in people} - {d.DONT_KNOW}):
            group = in_group(variable, value)
            size = count(group)
            if not value and size >= THRESHOLD:  # their number in each group is the base's complement
                continue
            for question in CHOICE_QUESTIONS:
                if question == variable:
                    continue
                for answer in answers_given(people, question):
                    where = all_of(group, chose(question, answer, False))
                    found = count(where)
                    # Nobody can point to one of those who left a question unanswered, so for them the rules
                    # keep which answers they gave, not which they did not.
                    if 0 < found < THRESHOLD or (size < THRESHOLD and (value or found)):
                        yield f"{variable}={value or 'no answer'} & {question}={answer}: {found}", where


def population(counts: dict[Profile, int]) -> list[Profile]:
    return [profile for profile, number in counts.items() for _ in range(number)]


def member(segment: str, scale: str, channels: tuple[str, ...] | None = ("web",), medlem: str = "ja") -> Profile:
    return Profile(segment, medlem, scale if medlem == "ja" else "", channels)


BUILT_TO_BREAK = {
    # Segment C has 2 respondents and is folded; D's 6 are folded with it. Among the members of A, 2 answered 1.
    # Three respondents did not say whether they are members: too few to show, so folded too.
    "folded segments and a few without a membership answer": population({
        member("A", "1"): 2, member("A", "4"): 9, member("A", "5", ("nyhedsbrev",)): 6,
        member("B", "2", ("web", "nyhedsbrev")): 7, member("B", "4"): 5, member("B", d.DONT_KNOW): 3,
        member("A", "", None, medlem="nej"): 8, member("B", "", ("nyhedsbrev",), medlem="nej"): 6,
        member("C", "5", (d.OTHER,)): 2,
        member("D", "3"): 4, member("D", "", None, medlem="nej"): 2,
        Profile("A", "", "", ("web",)): 2, Profile("B", "", "", None): 1,
    }),
    # A scale point only three chose overall (folded when comparing by the scale), and its mirror: comparing the
    # scale by membership, and membership by the scale, are two views of one table.
    "a rare scale point seen from both sides": population({
        member("A", "1"): 3, member("A", "3"): 8, member("A", "4"): 12, member("B", "5"): 9,
        member("B", "4"): 6, member("B", "2"): 5, member("A", "", None, medlem="nej"): 11,
        member("B", "", ("nyhedsbrev",), medlem="nej"): 4,
    }),
    # A rare answer, 1 (4 in all), folded with the next smallest, 2 (7): among members and non-members alike
    # they are enough to show as a sum (6 and 5), never each on its own.
    "a rare answer folded with another": population({
        member("A", "1"): 3, member("A", "2"): 3, member("A", "4"): 10, member("A", "5", ("nyhedsbrev",)): 5,
        Profile("B", "nej", "1", ("web",)): 1, Profile("B", "nej", "2", ("web",)): 4,
        Profile("B", "nej", "4", None): 6, Profile("B", "nej", "5", ("nyhedsbrev",)): 8,
        member("A", "", None, medlem="nej"): 6,
    }),
}


def already_known(people: list[Profile]) -> Attacker:
    """What no hiding can keep: the overall result, and that a group nobody in answered a question has a base of
    0 (skip logic says so: when only members are asked, the members' counts are the overall ones)."""
    attacker = Attacker(people)
    for dont_know in (False, True):
        attacker.read(Selection(include_dont_know=dont_know))
    for variable, question in itertools.product((results.SEGMENT, "medlem", "tilfreds"), CHOICE_QUESTIONS):
        for key in attacker.grouping(variable).labels:
            group = attacker.member_of(variable, key)
            if not any(group(person) and in_base(question, True)(person) for person in people):
                attacker.publish(all_of(group, in_base(question, True)))
    return attacker


def assert_nothing_given_away(people: list[Profile]) -> Attacker:
    attacker = Attacker(people)
    attacker.read_every_view()
    inevitable = already_known(people)
    leaks = [name for name, secret in secrets(people)
             if attacker.gives_away(secret) and not inevitable.gives_away(secret)]
    assert leaks == [], leaks
    return attacker


@pytest.mark.parametrize("case", sorted(BUILT_TO_BREAK))
def test_no_small_count_follows_from_every_view_together(case: str) -> None:
    attacker = assert_nothing_given_away(BUILT_TO_BREAK[case])
    assert attacker.views >= 10  # the views were shown, not all withheld


def test_no_small_count_follows_in_random_surveys() -> None:
    generator = random.Random(2026)
    for _ in range(6):
        weights = [generator.choice([0, 0, 0, 1, 2, 4]) for _ in PROFILES]
        counts = {profile: weight for profile, weight in zip(PROFILES, weights, strict=True)
                  if weight and (profile.medlem == "ja" or profile.tilfreds == "")}
        assert_nothing_given_away(population(counts))


@pytest.mark.parametrize("case", sorted(BUILT_TO_BREAK))
def test_the_attacker_finds_the_small_counts_when_nothing_is_hidden(case: str) -> None:
    # The check itself: the same views of the survey treated as identified give every secret away.
    people = BUILT_TO_BREAK[case]
    attacker = Attacker(people, anonymous=False)
    attacker.read_every_view()
    found = list(secrets(people))
    assert found and all(attacker.gives_away(secret) for _name, secret in found)


def test_a_filter_shows_only_what_the_comparison_shows_in_its_column() -> None:
    people = BUILT_TO_BREAK["folded segments and a few without a membership answer"]
    respondents = Respondents(answers=[person.answer() for person in people],
                              segments=[person.segment for person in people])
    compared = results.results(SURVEY, respondents, Selection(by="medlem"), anonymous=True, language="en")
    filtered = results.results(SURVEY, respondents, Selection(filters={"medlem": "ja"}), anonymous=True,
                               language="en")
    by_name = {view.result.name: view for view in compared.questions}
    for view in filtered.questions:
        comparison = by_name[view.result.name].comparison
        if comparison is None:
            continue
        column = next(group for group in comparison.groups if group.name == "Yes")
        assert view.suppressed == column.suppressed
        if not column.suppressed:
            assert [option is None for option in view.options] == [option is None for option in column.options]
            assert [option.count for option in view.options if option is not None] == [
                option.count for option in column.options if option is not None]
    tilfreds = next(view for view in filtered.questions if view.result.name == "tilfreds")
    assert tilfreds.options[0] is None  # the two members of A who answered 1
    assert tilfreds.result.mean is None  # the mean would weigh the hidden cells


def test_a_filter_and_a_comparison_together_are_refused() -> None:
    people = BUILT_TO_BREAK["a rare scale point seen from both sides"]
    respondents = Respondents(answers=[person.answer() for person in people],
                              segments=[person.segment for person in people])
    shown = results.results(SURVEY, respondents, Selection(by="segment", filters={"medlem": "ja"}), anonymous=True,
                            language="en")
    assert shown.questions == [] and "not both" in shown.hidden
    assert results.results(SURVEY, respondents, Selection(by="segment", filters={"medlem": "ja"}), anonymous=False,
                           language="en").questions


def test_few_without_a_value_are_folded_with_the_smallest_group() -> None:
    people = BUILT_TO_BREAK["folded segments and a few without a membership answer"]
    respondents = Respondents(answers=[person.answer() for person in people],
                              segments=[person.segment for person in people])
    with translation.override("en"):
        groups = results.grouping(SURVEY, "medlem", respondents, anonymous=True, threshold=THRESHOLD, language="en")
    assert groups.no_value_group == results.OTHER_GROUPS
    # 3 without an answer are too few; with "nej" (16), the smallest value, they make a group.
    assert dict(groups.labels) == {"ja": "Yes", results.OTHER_GROUPS: "Other groups and no answer"}
    assert NO_VALUE not in groups.labels


TWO_SCALES = d.SurveyDefinition(
    title={"da": "To skalaer"}, languages=["da"],
    sections=[d.Section("s", {"da": "S"}, [
        d.Question("a", d.LIKERT, {"da": "A"}, choices=d.likert_scale()),
        d.Question("b", d.LIKERT, {"da": "B"}, choices=d.likert_scale()),
    ])])


def shown_cells(shown: results.Results, question: str) -> dict[tuple[str, str], bool]:
    """(the question's value, the group's label) → shown, for the comparison of ``question``."""
    view = next(view for view in shown.questions if view.result.name == question)
    assert view.comparison is not None
    return {(option.value, group.name): not group.suppressed and group.options[row] is not None
            for group in view.comparison.groups for row, option in enumerate(view.result.options)}


def test_comparing_a_by_b_and_b_by_a_hides_the_same_cells() -> None:
    # Two views of one table: a cell hidden in one and shown in the other would undo the first's protection.
    generator = random.Random(7)
    labels = {choice.value: d.text_in(choice.label, "da") for choice in d.likert_scale()}
    with_hidden = 0
    for _ in range(80):
        shares_a, shares_b = [generator.random() for _ in labels], [generator.random() for _ in labels]
        answers = [{"a": generator.choices(list(labels), shares_a)[0],
                    "b": generator.choices(list(labels), shares_b)[0]} for _ in range(generator.randint(40, 200))]
        respondents = Respondents(answers=answers, segments=["S"] * len(answers))
        a_by_b = shown_cells(results.results(TWO_SCALES, respondents, Selection(by="b"), anonymous=True,
                                             language="da"), "a")
        b_by_a = shown_cells(results.results(TWO_SCALES, respondents, Selection(by="a"), anonymous=True,
                                             language="da"), "b")
        mirrored = {(a, labels[b]): b_by_a.get((b, labels[a])) for a, b in itertools.product(labels, labels)}
        common = {cell for cell in mirrored if cell in a_by_b and mirrored[cell] is not None}
        assert {cell: a_by_b[cell] for cell in common} == {cell: mirrored[cell] for cell in common}
        with_hidden += any(not a_by_b[cell] for cell in common)
    assert with_hidden > 20  # most tables had something to hide
