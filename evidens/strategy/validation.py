"""Validating the board's strategy options with stakeholders before it chooses: pure, no ORM.

    questionnaire(options, *, title, segments=())                          -> SurveyDefinition
    question_names(options)                                                -> dict name → (kind, key)
    segment_values(segments)                                               -> dict choice value → segment
    tally(options, responses, *, segments=(), threshold, comment_threshold) -> ValidationTally
    workshop_tally(entries)                                                -> dict condition → ConditionTally

**The questionnaire** is an ordinary survey of the surveys app, in Danish and English: a page on its purpose (with
"Hvad beskriver dig bedst?" when segments are given, so a respondent through an open link gets a segment too), a
page per option with each condition ("what would have to be true") as a statement on the standard agreement scale
of ``definition.likert_scale`` with "Ved ikke", and a page asking which option the respondent prefers. The status
quo has a page only when it has conditions, but is always among the preferences. What the board wrote (titles,
summaries, conditions, segments) stands in every language's slot as written, so the form is complete in both
languages; a translation can replace the English text in the builder.

**Counting.** A response's group is the segment it came with (its invitation's), else its answer to the segment
question, else none. For each condition ``n`` counts the answers on the scale: "Ved ikke" and no answer are left
out, as in the survey results. Agree is the scale's two agreeing steps, disagree its two disagreeing ones, and
``share`` is agree / n. The preference counts the answers naming one of the given options; answers about other
keys (an option withdrawn since) are left out, never an error.

**Anonymity** (the project's rule, with the threshold of ``surveys.results``: 5 unless the caller says otherwise, and
never below 3). A table (a condition, or the preference) shows nothing at all when fewer than ``threshold`` answered
it. Otherwise a group with fewer than ``threshold`` answers is suppressed (no counts), and since the "all" row is
shown, whatever the shown groups leave of it could be worked out by subtraction: while something is hidden (a
suppressed group, or respondents without a group) and that remainder is below ``threshold``, the smallest shown
group is suppressed as well. With exactly one small group this is the project's rule (suppress the smallest other
group too); it also covers two small groups whose sum is still small, and the respondents without a group, who
have no row but are in "all".

**Comments** carry their group only when the group has at least ``comment_threshold`` respondents (10, as free text
in the survey results, and never below ``threshold``), else they carry "". Since the unlabelled comments come from
the groups not named and the respondents without a group, that pool must be as large too: while it holds between
1 and ``comment_threshold`` − 1 respondents, the smallest named group is left unnamed as well. Comments are sorted
by group and text, so their order says nothing about who wrote them or when.

**Workshops** are not anonymous: their recorded counts are summed per condition and group with no suppression.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evidens.surveys import definition as d
from evidens.surveys.exporting import DANISH_LETTERS
from evidens.surveys.results import DEFAULT_THRESHOLD, FREE_TEXT_GROUP, LOWEST_THRESHOLD

SEGMENT_QUESTION = "background"  # not "segment": the surveys app keeps that name for the mailing segment
PREFERRED_QUESTION = "preferred"
CONDITION, COMMENT, PREFERRED = "condition", "comment", "preferred"

_SCALE = [choice.value for choice in d.likert_scale()]
DISAGREE = frozenset(_SCALE[:2])
AGREE = frozenset(_SCALE[-2:])

_INTRO = {
    "da": "Bestyrelsen overvejer flere mulige strategier og vil gerne høre, hvad du mener, før den vælger. For hver "
          "mulighed beskriver vi kort, hvad den går ud på, og hvad der skal være sandt, for at den kan lykkes. "
          "Svar på, hvor enig du er i hvert udsagn, og vælg »Ved ikke«, hvis du ikke har grundlag for at svare. "
          "Det tager omkring 5 minutter.",
    "en": "The board is considering several possible strategies and would like to hear what you think before it "
          "chooses. For each option we briefly describe what it involves and what would have to be true for it to "
          "succeed. Say how much you agree with each statement, and choose “Don't know” if you have no basis for "
          "answering. It takes about 5 minutes.",
}
_OPTION_LEAD = {
    "da": "Hvis muligheden skal lykkes, skal følgende være sandt. Hvor enig er du?",
    "en": "For this option to succeed, the following would have to be true. How much do you agree?",
}


def _both(text: str) -> d.Text:
    """What the board wrote, in every language's slot (see the module's docstring)."""
    return dict.fromkeys(d.LANGUAGES, text)


@dataclass(frozen=True)
class ConditionForValidation:
    key: int
    statement: str


@dataclass(frozen=True)
class OptionForValidation:
    key: int
    title: str
    summary: str
    is_status_quo: bool
    conditions: tuple[ConditionForValidation, ...]


def condition_question(key: int) -> str:
    return f"c{key}"


def comment_question(option: int) -> str:
    return f"comment_o{option}"


def preference_value(option: int) -> str:
    return f"o{option}"


# --- the questionnaire ------------------------------------------------------------------------------------------


def questionnaire(options: Sequence[OptionForValidation], *, title: str,
                  segments: Sequence[str] = ()) -> d.SurveyDefinition:
    """The validation survey (see the module's docstring); ValueError with ``definition.check``'s problems when the
    options cannot make one (no title, two conditions with the same key)."""
    intro = [d.Question("about", d.INFORMATION, label=dict(_INTRO))]
    values = segment_values(segments)
    if len(values) > 1:  # one segment is no question; its respondents arrive through their invitations
        intro.append(d.Question(SEGMENT_QUESTION, d.SINGLE_CHOICE,
                                label={"da": "Hvad beskriver dig bedst?", "en": "What describes you best?"},
                                choices=[d.Choice(value, _both(name)) for value, name in values.items()]))
    sections = [d.Section("intro", {"da": "Om undersøgelsen", "en": "About this survey"}, intro)]
    for option in options:
        if option.is_status_quo and not option.conditions:
            continue
        questions = [d.Question(condition_question(condition.key), d.LIKERT, label=_both(condition.statement),
                                choices=d.likert_scale(), dont_know=True)
                     for condition in option.conditions]
        questions.append(d.Question(comment_question(option.key), d.LONG_TEXT,
                                    label={"da": "Kommentarer til denne mulighed", "en": "Comments on this option"}))
        lead = _OPTION_LEAD if option.conditions else {}
        description = {language: "\n\n".join(part for part in (option.summary.strip(), lead.get(language, ""))
                                              if part)
                       for language in d.LANGUAGES}
        sections.append(d.Section(f"option_{option.key}", _both(option.title), questions,
                                  description={key: text for key, text in description.items() if text}))
    sections.append(d.Section("preference", {"da": "Din foretrukne mulighed", "en": "Your preferred option"}, [
        d.Question(PREFERRED_QUESTION, d.SINGLE_CHOICE,
                   label={"da": "Hvilken mulighed foretrækker du?", "en": "Which option do you prefer?"},
                   choices=[d.Choice(preference_value(option.key), _both(option.title)) for option in options])]))
    survey = d.SurveyDefinition(
        title=_both(title), sections=sections, languages=list(d.LANGUAGES),
        thanks={"da": "Tak for dine svar. De indgår i bestyrelsens valg af strategi.",
                "en": "Thank you for your answers. They will inform the board's choice of strategy."})
    problems = d.check(survey)
    if problems:
        raise ValueError(" ".join(f"{problem.where}: {problem.message}" if problem.where else problem.message
                                  for problem in problems))
    return survey


def question_names(options: Sequence[OptionForValidation]) -> dict[str, tuple[str, int]]:
    """Each counted question's name → (CONDITION, condition key), (COMMENT, option key) or (PREFERRED, 0): the
    preference belongs to no single option."""
    names: dict[str, tuple[str, int]] = {}
    for option in options:
        if option.is_status_quo and not option.conditions:
            continue
        names.update((condition_question(condition.key), (CONDITION, condition.key))
                     for condition in option.conditions)
        names[comment_question(option.key)] = (COMMENT, option.key)
    names[PREFERRED_QUESTION] = (PREFERRED, 0)
    return names


def segment_values(segments: Sequence[str]) -> dict[str, str]:
    """Each segment's choice value in the segment question → the segment, in the given order.

    A value is the name in lower-case ASCII letters, digits and _ (æ → ae, ø → oe, å → aa), with _2, _3, ...
    after a value already taken or reserved by the surveys app; blank and repeated names are left out. The same
    segments in the same order always give the same values, which is how ``tally`` reads the answers back.
    """
    values: dict[str, str] = {}
    for name in dict.fromkeys(segment.strip() for segment in segments):
        if not name:
            continue
        plain = unicodedata.normalize("NFKD", name.translate(DANISH_LETTERS).lower()).encode("ascii", "ignore")
        stem = re.sub(r"[^a-z0-9]+", "_", plain.decode()).strip("_") or "segment"
        value, number = stem, 1
        while value in values or value in (d.OTHER, d.DONT_KNOW):
            number += 1
            value = f"{stem}_{number}"
        values[value] = name
    return values


# --- counting the answers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupShare:
    """One group's answers to a condition; ``group`` "" is everyone. A suppressed group carries no numbers."""

    group: str
    n: int | None  # answers on the scale: "Ved ikke" and no answer are not counted
    agree: int | None
    disagree: int | None  # None also where only agreement was recorded (workshops)
    share: float | None  # agree / n, 0..1; None when suppressed or n is 0
    suppressed: bool


@dataclass(frozen=True)
class ConditionTally:
    condition: int
    groups: list[GroupShare]  # "all" (group "") first, then the groups in the order of the segments


@dataclass(frozen=True)
class PreferenceGroup:
    """One group's preferred options: counts and shares per option key, in the options' order; empty when
    suppressed."""

    group: str
    n: int | None
    counts: dict[int, int]
    shares: dict[int, float]
    suppressed: bool


@dataclass(frozen=True)
class PreferenceTally:
    groups: list[PreferenceGroup]  # "all" (group "") first


@dataclass(frozen=True)
class ValidationTally:
    responses: int
    conditions: dict[int, ConditionTally]  # condition key → its tally, in the options' order
    preference: PreferenceTally
    comments: dict[int, list[tuple[str, str]]]  # option key → (group, or "" when not named; text)


def tally(options: Sequence[OptionForValidation], responses: Iterable[tuple[str, Mapping[str, Any]]], *,
          segments: Sequence[str] = (), threshold: int = DEFAULT_THRESHOLD,
          comment_threshold: int = FREE_TEXT_GROUP) -> ValidationTally:
    """The survey's answers per condition, preference and comment (see the module's docstring).

    ``responses`` holds per response its segment ("" for none, e.g. an open link) and its answers as the surveys
    app stores them; ``segments`` are those the questionnaire was made with, to read the segment question's
    answers back (a value they do not name counts as that value). ValueError for a condition answer that is not on
    the scale.
    """
    threshold = max(threshold, LOWEST_THRESHOLD)
    comment_threshold = max(comment_threshold, threshold)
    names = segment_values(segments)
    rows = [(_group(segment, answers, names), answers) for segment, answers in responses]
    sizes = Counter(group for group, _answers in rows if group)
    known = list(names.values())
    order = [name for name in known if name in sizes] + sorted(set(sizes) - set(known))
    unsegmented = sum(1 for group, _answers in rows if not group)

    conditions = {condition.key: _condition_tally(condition.key, rows, order, threshold, unsegmented)
                  for option in options for condition in option.conditions}
    named = _named_for_comments(order, sizes, unsegmented, comment_threshold)
    comments = {}
    for option in options:
        found = [(group if group in named else "", text)
                 for group, answers in rows if (text := str(answers.get(comment_question(option.key)) or "").strip())]
        comments[option.key] = sorted(found, key=lambda item: (_position(item[0], order), item[1]))
    return ValidationTally(responses=len(rows), conditions=conditions,
                           preference=_preference_tally(options, rows, order, threshold, unsegmented),
                           comments=comments)


def _group(segment: str, answers: Mapping[str, Any], names: Mapping[str, str]) -> str:
    if segment:
        return segment
    value = answers.get(SEGMENT_QUESTION)
    return names.get(value, value) if isinstance(value, str) else ""


def _position(group: str, order: list[str]) -> int:
    return order.index(group) if group in order else len(order)


def _condition_tally(key: int, rows: list[tuple[str, Mapping[str, Any]]], order: list[str], threshold: int,
                     unsegmented: int) -> ConditionTally:
    name = condition_question(key)
    n: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    disagree: Counter[str] = Counter()
    for group, answers in rows:
        value = answers.get(name)
        if d.unanswered(value) or value == d.DONT_KNOW:
            continue
        if value not in _SCALE:
            raise ValueError(f"{name}: {value!r} is not on the agreement scale")
        for counts, counted in ((n, True), (agree, value in AGREE), (disagree, value in DISAGREE)):
            if counted:
                counts[""] += 1
                if group:
                    counts[group] += 1
    hidden = _suppressed(n[""], {group: n[group] for group in order}, threshold, unsegmented > 0)
    return ConditionTally(condition=key, groups=[
        GroupShare(group, None, None, None, None, True) if group in hidden else
        GroupShare(group, n[group], agree[group], disagree[group], agree[group] / n[group] if n[group] else None,
                   False)
        for group in ["", *order]])


def _preference_tally(options: Sequence[OptionForValidation], rows: list[tuple[str, Mapping[str, Any]]],
                      order: list[str], threshold: int, unsegmented: int) -> PreferenceTally:
    option_of = {preference_value(option.key): option.key for option in options}
    counts: dict[str, Counter[int]] = {group: Counter() for group in ["", *order]}
    for group, answers in rows:
        chosen = option_of.get(str(answers.get(PREFERRED_QUESTION) or ""))
        if chosen is not None:
            counts[""][chosen] += 1
            if group:
                counts[group][chosen] += 1
    n = {group: counts[group].total() for group in counts}
    hidden = _suppressed(n[""], {group: n[group] for group in order}, threshold, unsegmented > 0)
    return PreferenceTally(groups=[
        PreferenceGroup(group, None, {}, {}, True) if group in hidden else
        PreferenceGroup(group, n[group], {option.key: counts[group][option.key] for option in options},
                        {option.key: counts[group][option.key] / n[group] for option in options} if n[group] else {},
                        False)
        for group in counts])


def _suppressed(total: int, sizes: Mapping[str, int], threshold: int, ungrouped: bool) -> set[str]:
    """The groups to suppress ("" for the whole table) of a table whose groups answered ``sizes`` times of
    ``total``; ``ungrouped``: some respondents are in no group (see the module's docstring)."""
    if total < threshold:
        return {"", *sizes}
    hidden = {group for group, size in sizes.items() if size < threshold}
    shown = sorted((group for group in sizes if group not in hidden), key=lambda group: sizes[group])
    remainder = total - sum(sizes[group] for group in shown)
    while (hidden or ungrouped) and remainder < threshold and shown:
        smallest = shown.pop(0)
        hidden.add(smallest)
        remainder += sizes[smallest]
    return hidden


def _named_for_comments(order: list[str], sizes: Mapping[str, int], unsegmented: int, smallest: int) -> set[str]:
    """The groups whose comments may carry their name (see the module's docstring)."""
    named = sorted((group for group in order if sizes[group] >= smallest), key=lambda group: sizes[group])
    pool = unsegmented + sum(sizes[group] for group in order if group not in named)
    while 0 < pool < smallest and named:
        pool += sizes[named.pop(0)]
    return set(named)


# --- workshops --------------------------------------------------------------------------------------------------


def workshop_tally(entries: Iterable[tuple[int, str, int, int]]) -> dict[int, ConditionTally]:
    """Recorded workshop results (condition key, group, participants who agreed, participants asked) per condition:
    "all" first, then the groups in the order met, each summed over its entries. An entry with group "" counts in
    "all" only. Only agreement is recorded, so ``disagree`` is None."""
    agree: dict[int, Counter[str]] = {}
    asked: dict[int, Counter[str]] = {}
    for condition, group, agreed, participants in entries:
        if not 0 <= agreed <= participants:
            raise ValueError(f"condition {condition}, group {group!r}: {agreed} of {participants} cannot have agreed")
        for counts, number in ((agree, agreed), (asked, participants)):
            counts.setdefault(condition, Counter({"": 0}))[""] += number
            if group:
                counts[condition][group] += number
    return {condition: ConditionTally(condition=condition, groups=[
        GroupShare(group, n, agree[condition][group], None, agree[condition][group] / n if n else None, False)
        for group, n in asked[condition].items()]) for condition in asked}
