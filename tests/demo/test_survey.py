"""The demo's member survey and its made-up answers.

The questionnaire's required shape (title, six sections, Danish and English) comes from the issue's
brief. Generated answers are checked by a small validator written here from the rules in
``evidens.surveys.definition`` (answer shapes) and ``evidens.surveys.expressions`` (skip logic and
constraints), not from the generator's code. Respondents are drawn from the demo's own register, so
the segment mix is the one the demo surveys: 2,200 people, a third of them in member organisations.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import pytest

from evidens.demo import data
from evidens.demo.generator import Register, register_generate
from evidens.demo.survey import (
    ANSWERERS,
    DETRACTOR_REASONS,
    IMPROVEMENTS,
    NEWSLETTER_COMPLAINTS,
    PASSIVE_REASONS,
    PROMOTER_REASONS,
    WISHES,
    Phrase,
    RespondentProfile,
    member_survey,
    respondent_profile,
    response_probability,
    survey_answers,
)
from evidens.stakeholders.choices import OrganisationKind, Region
from evidens.surveys.definition import (
    DONT_KNOW,
    INTEGER,
    LIKERT,
    LONG_TEXT,
    MATRIX,
    MULTIPLE_CHOICE,
    NPS,
    OTHER,
    RANKING,
    SINGLE_CHOICE,
    Question,
    SurveyDefinition,
    Text,
    check,
)
from evidens.surveys.expressions import holds

SAMPLE_SIZE = 1000


@pytest.fixture(scope="module")
def register() -> Register:
    return register_generate(random.Random(data.DEMO_SEED))


@pytest.fixture(scope="module")
def profiles(register: Register) -> list[RespondentProfile]:
    organisations = {org.name: org for org in register.organisations}
    return [respondent_profile(person, organisations[person.organisation]) for person in register.people]


@pytest.fixture(scope="module")
def sample(profiles: list[RespondentProfile]) -> list[tuple[RespondentProfile, dict[str, Any]]]:
    rng = random.Random(20210301)
    chosen = rng.sample(profiles, SAMPLE_SIZE)
    return [(profile, survey_answers(rng, profile)) for profile in chosen]


# --- a validator written from the definition's rules --------------------------------------------------


def _allowed(question: Question) -> set[str]:
    values = {choice.value for choice in question.choices}
    if question.other:
        values.add(OTHER)
    if question.dont_know:
        values.add(DONT_KNOW)
    return values


def _value_problems(question: Question, value: Any) -> list[str]:
    allowed = _allowed(question)
    if question.type in (SINGLE_CHOICE, LIKERT):
        return [] if isinstance(value, str) and value in allowed else [f"{value!r} is not a choice"]
    if question.type == MULTIPLE_CHOICE:
        if not isinstance(value, list) or not value:
            return ["not a non-empty list"]
        problems = [f"{item!r} is not a choice" for item in value if item not in allowed]
        return problems + (["a choice twice"] if len(set(value)) != len(value) else [])
    items = {item.name for item in question.items}
    if question.type == MATRIX:
        if not isinstance(value, dict) or not set(value) <= items:
            return ["not a mapping of the statements"]
        scale = {choice.value for choice in question.choices} | ({DONT_KNOW} if question.dont_know else set())
        return [f"{item}: {answer!r} is not on the scale" for item, answer in value.items() if answer not in scale]
    if question.type == RANKING:
        ok = isinstance(value, list) and len(value) == len(items) and set(value) == items
        return [] if ok else ["not a ranking of every entry"]
    if question.type in (NPS, INTEGER):
        if not isinstance(value, int) or isinstance(value, bool):
            return ["not a whole number"]
        low = question.minimum if question.minimum is not None else value
        high = question.maximum if question.maximum is not None else value
        return [] if low <= value <= high else [f"{value} is out of range"]
    if question.type == LONG_TEXT:
        return [] if isinstance(value, str) and value.strip() else ["empty text"]
    return [f"unexpected type {question.type}"]


def answer_problems(definition: SurveyDefinition, answers: Mapping[str, Any], *, complete: bool = True) -> list[str]:
    """What is wrong with ``answers``: hidden questions answered, required ones missing (``complete``),
    values of the wrong shape, "Andet" texts without "Andet" or the reverse, constraints that fail."""
    problems: list[str] = []
    known: set[str] = set()
    for section in definition.sections:
        section_shown = holds(section.relevance, answers)
        for question in section.questions:
            if not question.answers:
                continue
            name, other_key = question.name, f"{question.name}.other"
            known |= {name, other_key}
            if not (section_shown and holds(question.relevance, answers)):
                if name in answers or other_key in answers:
                    problems.append(f"{name}: answered but hidden")
                continue
            if name not in answers:
                if question.required and complete:
                    problems.append(f"{name}: required but not answered")
                continue
            value = answers[name]
            problems.extend(f"{name}: {problem}" for problem in _value_problems(question, value))
            chose_other = value == OTHER or (isinstance(value, list) and OTHER in value)
            other_text = answers.get(other_key)
            if chose_other != (isinstance(other_text, str) and bool(other_text.strip())):
                problems.append(f"{name}: 'Andet' and its text do not go together")
            if question.constraint and not holds(question.constraint, answers, current=value):
                problems.append(f"{name}: constraint {question.constraint!r} fails for {value!r}")
    problems.extend(f"{key}: not a question" for key in answers if key not in known)
    return problems


def test_the_validator_finds_each_kind_of_mistake() -> None:
    survey = member_survey()
    focus_areas = survey.question("focus_areas")
    assert focus_areas is not None
    valid: dict[str, Any] = {
        "member": "yes", "offers_used": ["courses"], "events_attended": 2, "overall_satisfaction": "4",
        "channels": ["newsletter"], "focus_areas": [item.name for item in focus_areas.items],
        "nps": 9, "organisation_type": "municipality", "role": "municipal", "region": "sjaelland",
    }
    assert answer_problems(survey, valid) == []
    mistakes = {
        "hidden": {**valid, "member": "no"},  # offers_used and satisfaction are then hidden yet answered
        "required": {key: value for key, value in valid.items() if key != "nps"},
        "choice": {**valid, "region": "skaane"},
        "range": {**valid, "nps": 11},
        "constraint": {**valid, "offers_used": ["none", "courses"]},
        "other without text": {**valid, "channels": ["newsletter", OTHER]},
        "text without other": {**valid, "channels.other": "Facebook"},
        "ranking": {**valid, "focus_areas": ["finance"]},
        "unknown": {**valid, "favourite_colour": "grøn"},
    }
    for mistake, answers in mistakes.items():
        assert answer_problems(survey, answers) != [], mistake


def _texts(definition: SurveyDefinition) -> Iterator[tuple[str, Text]]:
    """Every text of the questionnaire, with where it is."""
    yield "title", definition.title
    yield "intro", definition.intro
    yield "thanks", definition.thanks
    yield "privacy", definition.privacy
    for section in definition.sections:
        yield f"{section.name}.title", section.title
        if section.description:
            yield f"{section.name}.description", section.description
        for question in section.questions:
            yield f"{question.name}.label", question.label
            if question.hint:
                yield f"{question.name}.hint", question.hint
            if question.constraint:
                yield f"{question.name}.constraint_message", question.constraint_message
            for choice in question.choices:
                yield f"{question.name}.{choice.value}", choice.label
            for item in question.items:
                yield f"{question.name}.{item.name}", item.label


ALL_PHRASES: tuple[Phrase, ...] = (*WISHES, *PROMOTER_REASONS, *PASSIVE_REASONS, *DETRACTOR_REASONS, *IMPROVEMENTS)


# --- the questionnaire --------------------------------------------------------------------------------


def test_the_questionnaire_checks_clean() -> None:
    assert check(member_survey()) == []


def test_title_languages_and_sections_follow_the_brief() -> None:
    survey = member_survey()
    assert survey.title["da"] == "Medlemsundersøgelse 2020"
    assert survey.languages == ["da", "en"]
    assert [section.title["da"] for section in survey.sections] == [
        "Om dit medlemskab", "Tilfredshed", "Kanaler", "Behov og ønsker for fremtiden", "Anbefaling", "Baggrund",
    ]
    answered = [question for _section, question in survey.questions() if question.answers]
    assert 20 <= len(answered) <= 24


def test_every_text_is_in_danish_and_english() -> None:
    missing = [where for where, text in _texts(member_survey())
               if not text.get("da", "").strip() or not text.get("en", "").strip()]
    assert missing == []


def test_the_question_types_the_brief_asks_for() -> None:
    survey = member_survey()
    types = Counter(question.type for _section, question in survey.questions())
    for kind in (SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT, MATRIX, RANKING, NPS, LONG_TEXT, INTEGER):
        assert types[kind] >= 1, kind
    matrix = next(question for _section, question in survey.questions() if question.type == MATRIX)
    assert matrix.dont_know
    channels = survey.question("channels")
    assert channels is not None and channels.type == MULTIPLE_CHOICE and channels.other
    nps = survey.question("nps")
    assert nps is not None and (nps.minimum, nps.maximum) == (0, 10)
    assert survey.question("nps_reason") is not None


def test_the_regions_and_organisation_types_are_the_registers() -> None:
    survey = member_survey()
    region = survey.question("region")
    organisation_type = survey.question("organisation_type")
    assert region is not None and organisation_type is not None
    assert [choice.value for choice in region.choices] == list(Region.values)
    assert {choice.label["da"] for choice in region.choices} == {
        "Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland", "Region Nordjylland"}
    # Every kind but "other", which the "Andet, skriv:" option covers.
    assert {choice.value for choice in organisation_type.choices} == set(OrganisationKind.values) - {"other"}
    assert organisation_type.other


def test_non_members_skip_the_questions_on_use_and_satisfaction() -> None:
    survey = member_survey()
    satisfaction = survey.section("satisfaction")
    offers_used = survey.question("offers_used")
    assert satisfaction is not None and offers_used is not None
    non_member: dict[str, Any] = {"member": "no"}
    assert not holds(offers_used.relevance, non_member)
    assert not holds(satisfaction.relevance, non_member)
    user: dict[str, Any] = {"member": "yes", "offers_used": ["courses"]}
    assert holds(offers_used.relevance, user)
    assert holds(satisfaction.relevance, user)
    # A member who used nothing has nothing to be satisfied with.
    assert not holds(satisfaction.relevance, {"member": "yes", "offers_used": ["none"]})


def test_the_follow_up_appears_only_after_low_satisfaction() -> None:
    follow_up = member_survey().question("improvement")
    assert follow_up is not None
    shown = {value: holds(follow_up.relevance, {"overall_satisfaction": value}) for value in "12345"}
    assert shown == {"1": True, "2": True, "3": False, "4": False, "5": False}
    assert not holds(follow_up.relevance, {})  # not before the satisfaction question is answered


def test_constraints_reject_what_they_should_with_danish_messages() -> None:
    survey = member_survey()
    offers_used, preferred = survey.question("offers_used"), survey.question("preferred_channel")
    events, formats = survey.question("events_attended"), survey.question("formats")
    assert offers_used and preferred and events and formats
    assert not holds(offers_used.constraint, {}, current=["none", "courses"])
    assert holds(offers_used.constraint, {}, current=["none"])
    assert holds(offers_used.constraint, {}, current=["courses", "newsletter"])
    assert not holds(preferred.constraint, {"channels": ["newsletter", "website"]}, current="linkedin")
    assert holds(preferred.constraint, {"channels": ["newsletter", "website"]}, current="website")
    assert [holds(events.constraint, {}, current=value) for value in (0, 1, 50, 51)] == [False, True, True, False]
    assert not holds(formats.constraint, {}, current=["webinars", "tools", "courses", "podcasts"])
    assert events.constraint_message["da"] == "Skriv et antal mellem 1 og 50."
    assert "»Ingen af dem«" in offers_used.constraint_message["da"]


def test_skip_logic_in_several_places() -> None:
    survey = member_survey()
    conditional = [question.name for _section, question in survey.questions() if question.relevance]
    assert len(conditional) >= 3
    assert any(section.relevance for section in survey.sections)


def test_intro_thanks_and_privacy_say_what_they_must() -> None:
    survey = member_survey()
    privacy = survey.privacy
    assert "anonym" in privacy["da"] and "strategiproces" in privacy["da"] and "sekretariat" in privacy["da"]
    assert "anonymous" in privacy["en"] and "strategy process" in privacy["en"] and "secretariat" in privacy["en"]
    assert survey.intro["da"] and survey.thanks["da"].startswith("Tak")


def test_danish_texts_use_danish_letters_and_english_texts_do_not() -> None:
    texts = list(_texts(member_survey()))
    danish = " ".join(text["da"] for _where, text in texts) + " " + " ".join(phrase.text for phrase in ALL_PHRASES)
    assert {"æ", "ø", "å"} <= set(danish.lower())
    # "ae", "oe" and "aa" stand in for æ, ø and å when a keyboard lacks them; "beboer" (resident) is the
    # one Danish word here that has "oe" of its own.
    substitutes = sorted({word for word in re.findall(r"\w+", danish)
                          if re.search("ae|oe|aa", word.lower()) and not word.lower().startswith("beboer")})
    assert substitutes == []
    english = [where for where, text in texts if re.search("[æøåÆØÅ]", text["en"])]
    assert english == []
    labels = {where: text["da"] for where, text in texts}
    assert labels["focus_areas.green_transition"] == "Grøn omstilling og energirenovering"
    assert labels["focus_areas.finance"] == "Økonomi og styring"
    assert labels["overall_satisfaction.label"] == "Hvor tilfreds er du alt i alt med AlmenNet?"
    assert labels["nps_reason.label"] == "Hvorfor?"


def test_each_call_gives_an_independent_copy() -> None:
    first = member_survey()
    channels = first.question("channels")
    assert channels is not None
    channels.choices[0].label["da"] = "Ændret"
    first.sections.pop()
    second = member_survey()
    assert len(second.sections) == 6
    assert [question.choices[0].label["da"] for question in (second.question("channels"), first.question(
        "preferred_channel")) if question is not None] == ["Nyhedsbrevet", "Nyhedsbrevet"]


# --- who answers ------------------------------------------------------------------------------------


def test_about_a_third_of_the_demo_register_answers(profiles: list[RespondentProfile]) -> None:
    expected = statistics.mean(response_probability(profile.segment, member=profile.is_member)
                               for profile in profiles)
    assert 0.33 <= expected <= 0.37
    members = [response_probability(profile.segment, member=True) for profile in profiles if profile.is_member]
    assert 0.40 <= statistics.mean(members) <= 0.50


def test_members_answer_more_often_and_municipalities_least() -> None:
    for segment in data.SEGMENTS:
        assert 0 < response_probability(segment) < response_probability(segment, member=True) < 1
    lowest = min(data.SEGMENTS, key=response_probability)
    assert lowest == data.SEGMENT_MUNICIPALITY
    assert 0 < response_probability("Et segment, registret ikke kender") < 1


# --- the answers ------------------------------------------------------------------------------------


def test_every_generated_answer_set_keeps_the_rules(sample: list[tuple[RespondentProfile, dict[str, Any]]]) -> None:
    survey = member_survey()
    failures = {index: problems for index, (_profile, answers) in enumerate(sample)
                if (problems := answer_problems(survey, answers))}
    assert failures == {}


def test_every_conditional_question_is_both_shown_and_hidden_in_the_sample(
    sample: list[tuple[RespondentProfile, dict[str, Any]]],
) -> None:
    survey = member_survey()
    for section, question in survey.questions():
        if not question.answers:
            continue
        answered = sum(question.name in answers for _profile, answers in sample)
        assert answered > 0, question.name
        if question.relevance or section.relevance:
            hidden = sum(not (holds(section.relevance, answers) and holds(question.relevance, answers))
                         for _profile, answers in sample)
            assert hidden > 0, question.name


def test_every_choice_is_used_somewhere(sample: list[tuple[RespondentProfile, dict[str, Any]]]) -> None:
    survey = member_survey()
    for question_name in ("offers_used", "channels", "member", "role", "organisation_type", "size", "region"):
        question = survey.question(question_name)
        assert question is not None
        given: set[str] = set()
        for _profile, answers in sample:
            value = answers.get(question_name)
            given.update(value if isinstance(value, list) else [value] if value else [])
        expected = {choice.value for choice in question.choices}
        assert expected <= given, (question_name, expected - given)


def test_every_question_that_takes_an_answer_has_a_way_to_be_answered() -> None:
    survey = member_survey()
    assert set(ANSWERERS) == {question.name for _section, question in survey.questions() if question.answers}


def test_the_same_generator_state_gives_the_same_answers(profiles: list[RespondentProfile]) -> None:
    profile = profiles[0]
    assert survey_answers(random.Random(5), profile) == survey_answers(random.Random(5), profile)
    answers = [survey_answers(random.Random(seed), profile) for seed in range(20)]
    assert len({repr(item) for item in answers}) > 15


def test_a_partial_response_is_the_beginning_of_the_full_one(profiles: list[RespondentProfile]) -> None:
    survey = member_survey()
    order = [question.name for _section, question in survey.questions()]
    for index, profile in enumerate(profiles[::20]):
        full = survey_answers(random.Random(index), profile)
        shown_sections = [section for section in survey.sections if holds(section.relevance, full)]
        assert survey_answers(random.Random(index), profile, pages=0) == {}
        for pages in range(1, len(shown_sections) + 1):
            partial = survey_answers(random.Random(index), profile, pages=pages)
            assert answer_problems(survey, partial, complete=False) == []
            assert all(full[key] == value for key, value in partial.items())
            reached = {question.name for section in shown_sections[:pages] for question in section.questions}
            assert {key.split(".")[0] for key in partial} <= reached
            assert reached & {name for name in order if name in full} <= {key.split(".")[0] for key in partial}
        assert survey_answers(random.Random(index), profile, pages=len(shown_sections)) == full


def test_profiles_outside_the_register_still_give_valid_answers() -> None:
    survey = member_survey()
    unusual = [
        RespondentProfile(segment="", organisation_kind="other", is_member=False),
        RespondentProfile(segment=data.SEGMENT_PARTNER, organisation_kind="research", is_member=False,
                          region=data.NORDJYLLAND, role_title="Lektor"),
        RespondentProfile(segment=data.SEGMENT_MANAGEMENT, organisation_kind="housing", is_member=True,
                          homes=None, region="", member_since=None),
        RespondentProfile(segment=data.SEGMENT_FINANCE, organisation_kind="administration", is_member=True,
                          region=data.SYDDANMARK, member_since=date(2020, 6, 1)),
    ]
    rng = random.Random(11)
    for profile in unusual:
        for _attempt in range(100):
            answers = survey_answers(rng, profile)
            assert answer_problems(survey, answers) == [], profile
    other_kind = survey_answers(random.Random(3), unusual[0])
    assert other_kind["organisation_type"] == OTHER and other_kind["organisation_type.other"]
    researcher = survey_answers(random.Random(3), unusual[1])
    assert researcher["role"] == OTHER and researcher["role.other"] == "Lektor"


def test_answers_match_the_register(sample: list[tuple[RespondentProfile, dict[str, Any]]]) -> None:
    for profile, answers in sample:
        assert answers["region"] == profile.region
        assert answers["organisation_type"] == profile.organisation_kind
        if profile.organisation_kind == "housing" and profile.homes and "size" in answers:
            band = answers["size"]
            floor = {"under_500": 0, "from_500": 500, "from_2000": 2000, "from_5000": 5000, "from_10000": 10000}
            ceiling = {"under_500": 499, "from_500": 1999, "from_2000": 4999, "from_5000": 9999, "from_10000": 10**9}
            assert floor[band] <= profile.homes <= ceiling[band]
    members = [answers["member"] for profile, answers in sample if profile.is_member]
    assert Counter(members)["yes"] > 0.85 * len(members)
    assert all(answers["member"] != "yes" for profile, answers in sample
               if profile.organisation_kind in ("municipality", "adviser", "contractor"))


def test_members_are_more_satisfied_and_recommend_more(sample: list[tuple[RespondentProfile, dict[str, Any]]]) -> None:
    def net_promoter(scores: list[int]) -> float:
        return 100 * (sum(score >= 9 for score in scores) - sum(score <= 6 for score in scores)) / len(scores)

    members = [answers["nps"] for profile, answers in sample if profile.is_member]
    others = [answers["nps"] for profile, answers in sample if not profile.is_member]
    assert net_promoter(members) > net_promoter(others) + 20
    assert net_promoter(members) > 0
    satisfied = [int(answers["overall_satisfaction"]) for _profile, answers in sample
                 if "overall_satisfaction" in answers]
    assert 3.4 <= statistics.mean(satisfied) <= 4.3


def test_patterns_by_segment_and_size(profiles: list[RespondentProfile]) -> None:
    rng = random.Random(77)
    municipal = [profile for profile in profiles if profile.segment == data.SEGMENT_MUNICIPALITY]
    housing = [profile for profile in profiles if profile.organisation_kind == "housing" and profile.is_member]

    def topics_scores(group: list[RespondentProfile]) -> list[int]:
        scores = []
        for profile in group:
            answers = survey_answers(rng, profile)
            value = answers.get("statements", {}).get("topics", DONT_KNOW)
            if value != DONT_KNOW:
                scores.append(int(value))
        return scores

    # Municipal staff rarely see the satisfaction page (few say their organisation is a member): ask often.
    municipal_scores = topics_scores(municipal * 10)
    housing_scores = topics_scores(housing)
    assert len(municipal_scores) > 30
    assert statistics.mean(municipal_scores) < statistics.mean(housing_scores) - 0.5

    def offers(group: list[RespondentProfile]) -> float:
        counts = []
        for profile in group:
            used = survey_answers(rng, profile).get("offers_used", ["none"])
            counts.append(0 if used == ["none"] else len(used))
        return statistics.mean(counts)

    large = [profile for profile in housing if (profile.homes or 0) >= 5000]
    small = [profile for profile in housing if (profile.homes or 0) < 1000]
    assert offers(large * 3) > offers(small * 3) + 0.3

    social = [profile for profile in profiles if profile.segment == data.SEGMENT_SOCIAL]
    firsts = Counter(survey_answers(rng, profile)["focus_areas"][0] for profile in social * 3)
    assert firsts.most_common(1)[0][0] == "vulnerable_areas"


def test_free_text_comes_from_fitting_sentences(sample: list[tuple[RespondentProfile, dict[str, Any]]]) -> None:
    pools = {
        "wishes": [*WISHES, *(Phrase(text) for text in NEWSLETTER_COMPLAINTS)],
        "nps_reason": [*PROMOTER_REASONS, *PASSIVE_REASONS, *DETRACTOR_REASONS],
        "improvement": list(IMPROVEMENTS),
    }
    for profile, answers in sample:
        for name, pool in pools.items():
            if name not in answers:
                continue
            rest, sentences = answers[name], 0
            while rest:
                phrase = next((phrase for phrase in pool if rest.startswith(phrase.text)), None)
                assert phrase is not None and phrase.fits(profile), (name, rest, profile)
                rest, sentences = rest[len(phrase.text):].lstrip(), sentences + 1
            assert 1 <= sentences <= 3


def test_some_leave_the_open_questions_blank_and_some_write_two_sentences(
    sample: list[tuple[RespondentProfile, dict[str, Any]]],
) -> None:
    wishes = [answers.get("wishes") for _profile, answers in sample]
    written = [text for text in wishes if text]
    assert 0.2 * len(wishes) < len(written) < 0.8 * len(wishes)
    assert any(text.count(". ") >= 1 for text in written)
    reasons = [answers.get("nps_reason") for _profile, answers in sample]
    assert 0.2 * len(reasons) < sum(bool(text) for text in reasons) < 0.8 * len(reasons)
    assert len(set(written)) > 40


def test_the_sentence_pools_are_large_and_varied() -> None:
    sentences = [phrase.text for phrase in ALL_PHRASES] + list(NEWSLETTER_COMPLAINTS)
    assert len(set(sentences)) == len(sentences) >= 60
    assert all(sentence[0].isupper() and sentence[-1] in ".!?" for sentence in sentences)
    assert "Flere kurser for nye bestyrelsesmedlemmer." in sentences
    assert any(sentence.startswith("Nyhedsbrevet er for langt") for sentence in sentences)
    bound = [phrase for phrase in ALL_PHRASES if phrase.segments or phrase.regions or phrase.small]
    assert len(bound) > 20
    # A region-bound complaint never comes from the capital region itself.
    capital = RespondentProfile(segment=data.SEGMENT_BOARD, organisation_kind="housing", is_member=True,
                                homes=12000, region=data.HOVEDSTADEN)
    assert not any("København" in phrase.text and phrase.fits(capital) for phrase in ALL_PHRASES)
