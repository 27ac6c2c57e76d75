"""The demo's member survey: AlmenNet's questionnaire as data, and made-up answers to it.

``member_survey`` is the questionnaire (Danish with English translations). ``survey_answers`` answers it
as one invented respondent would: each respondent gets a level of engagement with the association and
a general contentment, both drawn around values that depend on segment, membership and organisation
size, and every answer follows from those, so the demo's analysis finds the patterns a real survey of
the sector would show (members use more and are more satisfied, municipalities find the topics less
relevant to them, the website scores lowest). Skip logic is read from the questionnaire itself, so a
hidden question is never answered. ``response_probability`` says who answers at all.

Pure: no database, no clock, no global random generator.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from statistics import mean
from typing import Any, Protocol

from evidens.demo import data
from evidens.surveys import expressions
from evidens.surveys.definition import (
    DONT_KNOW,
    INFORMATION,
    INTEGER,
    LIKERT,
    LONG_TEXT,
    MATRIX,
    MULTIPLE_CHOICE,
    NPS,
    OTHER,
    RANKING,
    SINGLE_CHOICE,
    Choice,
    Item,
    Question,
    Section,
    SurveyDefinition,
    Text,
    copy_definition,
    likert_scale,
)

Answers = dict[str, Any]  # question name → answer, in the shapes ``evidens.surveys.definition`` describes

# The questionnaire goes out in March 2021 (the milestone in ``data.PHASE_PLANS``); membership years count to it.
FIELDWORK_YEAR = 2021

# Organisation kinds as stored in ``evidens.stakeholders.choices.OrganisationKind``.
HOUSING = "housing"
ADMINISTRATION = "administration"
MUNICIPALITY = "municipality"
ADVISER = "adviser"

NONE_OF_THEM = "none"
EXCLUSIVE_NONE = "not(selected(., 'none') and count-selected(.) > 1)"
USED_SOME_OFFER = "${member} != 'no' and not(selected(${offers_used}, 'none'))"


def _text(da: str, en: str) -> Text:
    return {"da": da, "en": en}


def _choices(*options: tuple[str, str, str]) -> list[Choice]:
    return [Choice(value, _text(da, en)) for value, da, en in options]


def _items(*entries: tuple[str, str, str]) -> list[Item]:
    return [Item(name, _text(da, en)) for name, da, en in entries]


TICK_ALL = _text("Sæt gerne flere krydser.", "Tick all that apply.")
NONE_ALONE = _text("»Ingen af dem« kan ikke vælges sammen med andre svar.",
                   "“None of them” cannot be combined with other answers.")

OFFERS = _choices(
    ("networks", "Netværk (fx driftsnetværk og erfa-grupper)", "Networks (e.g. operations networks and peer groups)"),
    ("conferences", "Konferencer", "Conferences"),
    ("courses", "Kurser og uddannelse", "Courses and training"),
    ("newsletter", "Nyhedsbrevet", "The newsletter"),
    ("knowledge_bank", "Vidensbanken og hjemmesiden", "The knowledge bank and the website"),
    ("theme_days", "Temadage", "Theme days"),
    (NONE_OF_THEM, "Ingen af dem", "None of them"),
)
EVENT_OFFERS = ("networks", "conferences", "courses", "theme_days")

CHANNELS = _choices(
    ("newsletter", "Nyhedsbrevet", "The newsletter"),
    ("website", "Hjemmesiden og vidensbanken", "The website and the knowledge bank"),
    ("linkedin", "LinkedIn", "LinkedIn"),
    ("events", "Konferencer, kurser og temadage", "Conferences, courses and theme days"),
    ("networks", "Netværksmøder", "Network meetings"),
    ("webinars", "Webinarer", "Webinars"),
    ("colleagues", "Kolleger, der giver viden videre", "Colleagues who pass knowledge on"),
)

STATEMENTS = _items(
    ("relevant", "AlmenNets tilbud er relevante for mit arbejde.", "AlmenNet's offers are relevant to my work."),
    ("useful", "Jeg kan bruge den viden, jeg får fra AlmenNet, i mit daglige arbejde.",
     "I can use the knowledge I get from AlmenNet in my daily work."),
    ("quality", "Kurser og konferencer har en høj faglig kvalitet.",
     "Courses and conferences are of a high professional standard."),
    ("networks", "Netværkene giver mig nyttig sparring med kolleger fra andre organisationer.",
     "The networks give me useful sparring with colleagues from other organisations."),
    ("website", "Det er let at finde det, jeg søger, på hjemmesiden.",
     "It is easy to find what I am looking for on the website."),
    ("topics", "AlmenNet tager de emner op, der fylder i min organisation.",
     "AlmenNet takes up the topics that matter in my organisation."),
    ("value", "Medlemskabet er pengene værd.", "The membership is worth the money."),
)

FOCUS_AREAS = _items(
    ("green_transition", "Grøn omstilling og energirenovering", "Green transition and energy renovation"),
    ("digitalisation", "Digitalisering og data", "Digitalisation and data"),
    ("tenant_democracy", "Beboerdemokrati", "Tenant democracy"),
    ("vulnerable_areas", "Udsatte boligområder og boligsocialt arbejde",
     "Vulnerable housing areas and social housing work"),
    ("construction", "Byggeri og renovering", "Construction and renovation"),
    ("finance", "Økonomi og styring", "Finance and management"),
    ("operations", "Effektiv drift", "Efficient operations"),
)

FORMATS = _choices(
    ("webinars", "Korte webinarer", "Short webinars"),
    ("peer_groups", "Erfa-grupper med kolleger", "Peer groups with colleagues"),
    ("tools", "Værktøjer og skabeloner", "Tools and templates"),
    ("courses", "Kurser", "Courses"),
    ("study_trips", "Studieture og besøg i boligområder", "Study trips and visits to estates"),
    ("analyses", "Analyser og tal om sektoren", "Analyses and figures about the sector"),
    ("podcasts", "Podcasts", "Podcasts"),
)

# Values are the register's organisation kinds, so an answer can be compared with the register.
ORGANISATION_TYPES = _choices(
    (HOUSING, "Almen boligorganisation", "Social housing organisation"),
    (ADMINISTRATION, "Administrationsselskab", "Administration company"),
    (MUNICIPALITY, "Kommune", "Municipality"),
    (ADVISER, "Rådgiver eller konsulentvirksomhed", "Adviser or consultancy"),
    ("contractor", "Entreprenør", "Contractor"),
    ("foundation", "Fond", "Foundation"),
    ("sector", "Interesse- eller brancheorganisation", "Interest group or trade association"),
    ("research", "Forskning eller uddannelse", "Research or education"),
)

# Bands rather than an exact number: an exact count of homes and a region would point out the
# largest organisations in an anonymous survey.
SIZE_BANDS: tuple[tuple[str, int], ...] = (  # (value, the smallest number of homes in the band)
    ("under_500", 0), ("from_500", 500), ("from_2000", 2000), ("from_5000", 5000), ("from_10000", 10_000),
)

ROLE_BY_SEGMENT: dict[str, str] = {
    data.SEGMENT_MANAGEMENT: "management",
    data.SEGMENT_OPERATIONS: "operations",
    data.SEGMENT_LETTING: "letting",
    data.SEGMENT_BUILDING: "building",
    data.SEGMENT_SOCIAL: "social",
    data.SEGMENT_FINANCE: "finance",
    data.SEGMENT_BOARD: "board",
    data.SEGMENT_PARTNER: "adviser",
    data.SEGMENT_MUNICIPALITY: "municipal",
}


# --- the questionnaire ------------------------------------------------------------------------------


def member_survey() -> SurveyDefinition:
    """AlmenNet's member survey. Each call gives an independent copy (the choice lists below are shared
    module constants), so a caller may change it freely."""
    return copy_definition(SurveyDefinition(
        title=_text("Medlemsundersøgelse 2020", "Member survey 2020"),
        languages=["da", "en"],
        intro=_text(
            "AlmenNet er i gang med at lægge en strategi frem mod 2030. Vi vil gerne vide, hvordan du bruger "
            "foreningens tilbud, hvad du er tilfreds med, og hvad AlmenNet bør arbejde med i de kommende år. "
            "Du kan svare, uanset om din organisation er medlem eller ej. Det tager omkring ti minutter.",
            "AlmenNet is preparing a strategy towards 2030. We would like to know how you use the association's "
            "offers, what you are satisfied with, and what AlmenNet should work on in the coming years. "
            "You can answer whether or not your organisation is a member. It takes about ten minutes.",
        ),
        thanks=_text(
            "Tak for dine svar! De indgår i den vidensrapport, som AlmenNets bestyrelse bygger sin strategi "
            "frem mod 2030 på.",
            "Thank you for your answers! They become part of the knowledge report on which AlmenNet's board "
            "bases its strategy towards 2030.",
        ),
        privacy=_text(
            "Undersøgelsen er anonym: Vi spørger ikke om dit navn eller din organisations navn, og dine svar "
            "bliver ikke koblet til dig. Svarene bruges kun i AlmenNets strategiproces frem mod 2030. Har du "
            "spørgsmål til undersøgelsen eller til behandlingen af svarene, er du velkommen til at kontakte "
            "AlmenNets sekretariat.",
            "The survey is anonymous: we do not ask for your name or your organisation's name, and your answers "
            "are not linked to you. The answers are used only in AlmenNet's strategy process towards 2030. "
            "If you have questions about the survey or about how we handle the answers, please contact "
            "AlmenNet's secretariat.",
        ),
        sections=[
            _membership_section(),
            _satisfaction_section(),
            _channels_section(),
            _needs_section(),
            _recommendation_section(),
            _background_section(),
        ],
    ))


def _membership_section() -> Section:
    return Section(
        name="membership",
        title=_text("Om dit medlemskab", "About your membership"),
        description=_text("Først nogle spørgsmål om, hvordan du og din organisation bruger AlmenNet.",
                          "First, a few questions about how you and your organisation use AlmenNet."),
        questions=[
            Question(
                name="member", type=SINGLE_CHOICE, required=True,
                label=_text("Er din organisation medlem af AlmenNet?", "Is your organisation a member of AlmenNet?"),
                choices=_choices(("yes", "Ja", "Yes"), ("no", "Nej", "No"), ("not_sure", "Ved ikke", "Don't know")),
            ),
            Question(
                name="member_years", type=SINGLE_CHOICE, relevance="${member} = 'yes'",
                label=_text("Hvor længe har din organisation været medlem?",
                            "How long has your organisation been a member?"),
                choices=_choices(
                    ("under_2", "Under 2 år", "Less than 2 years"),
                    ("from_2", "2–5 år", "2–5 years"),
                    ("from_6", "6–10 år", "6–10 years"),
                    ("over_10", "Mere end 10 år", "More than 10 years"),
                    ("not_sure", "Ved ikke", "Don't know"),
                ),
            ),
            Question(
                name="offers_used", type=MULTIPLE_CHOICE, required=True, relevance="${member} != 'no'",
                label=_text("Hvilke af AlmenNets tilbud har du brugt inden for det seneste år?",
                            "Which of AlmenNet's offers have you used in the past year?"),
                hint=TICK_ALL, choices=OFFERS, constraint=EXCLUSIVE_NONE, constraint_message=NONE_ALONE,
            ),
            Question(
                name="use_frequency", type=SINGLE_CHOICE, relevance=USED_SOME_OFFER,
                label=_text("Hvor ofte bruger du et eller flere af AlmenNets tilbud?",
                            "How often do you use one or more of AlmenNet's offers?"),
                choices=_choices(
                    ("weekly", "Hver uge", "Every week"),
                    ("monthly", "Hver måned", "Every month"),
                    ("few_times_a_year", "Nogle gange om året", "A few times a year"),
                    ("yearly_or_less", "En gang om året eller sjældnere", "Once a year or less"),
                ),
            ),
            Question(
                name="events_attended", type=INTEGER, minimum=1, maximum=50,
                relevance=" or ".join(f"selected(${{offers_used}}, '{offer}')" for offer in EVENT_OFFERS),
                label=_text("Hvor mange af AlmenNets arrangementer har du deltaget i inden for det seneste år?",
                            "How many AlmenNet events have you attended in the past year?"),
                hint=_text("Kurser, konferencer, temadage og netværksmøder. Et skøn er fint.",
                           "Courses, conferences, theme days and network meetings. An estimate is fine."),
                constraint=". >= 1 and . <= 50",
                constraint_message=_text("Skriv et antal mellem 1 og 50.", "Enter a number between 1 and 50."),
            ),
        ],
    )


def _satisfaction_section() -> Section:
    return Section(
        name="satisfaction",
        title=_text("Tilfredshed", "Satisfaction"),
        relevance=USED_SOME_OFFER,
        description=_text("Svar ud fra dine egne erfaringer med AlmenNet.",
                          "Answer from your own experience with AlmenNet."),
        questions=[
            Question(
                name="statements", type=MATRIX, dont_know=True, choices=likert_scale(), items=STATEMENTS,
                label=_text("Hvor enig eller uenig er du i følgende udsagn om AlmenNet?",
                            "How much do you agree or disagree with the following statements about AlmenNet?"),
            ),
            Question(
                name="knowledge_applied", type=LIKERT, dont_know=True, choices=likert_scale(),
                label=_text("Inden for det seneste år har jeg ændret en arbejdsgang eller truffet en beslutning "
                            "på grundlag af viden fra AlmenNet.",
                            "In the past year I have changed a way of working or made a decision based on "
                            "knowledge from AlmenNet."),
            ),
            Question(
                name="overall_satisfaction", type=LIKERT, required=True,
                label=_text("Hvor tilfreds er du alt i alt med AlmenNet?",
                            "Overall, how satisfied are you with AlmenNet?"),
                choices=_choices(
                    ("1", "Meget utilfreds", "Very dissatisfied"),
                    ("2", "Utilfreds", "Dissatisfied"),
                    ("3", "Hverken tilfreds eller utilfreds", "Neither satisfied nor dissatisfied"),
                    ("4", "Tilfreds", "Satisfied"),
                    ("5", "Meget tilfreds", "Very satisfied"),
                ),
            ),
            Question(
                # An unanswered question reads as '' and '' <= 2 holds as text, so the first test keeps the
                # follow-up hidden until the satisfaction question is answered.
                name="improvement", type=LONG_TEXT,
                relevance="${overall_satisfaction} != '' and ${overall_satisfaction} <= 2",
                label=_text("Hvad skulle der til, for at du blev mere tilfreds?",
                            "What would it take for you to be more satisfied?"),
            ),
        ],
    )


def _channels_section() -> Section:
    return Section(
        name="knowledge_channels",
        title=_text("Kanaler", "Channels"),
        description=_text("Hvordan hører du om AlmenNets viden og aktiviteter?",
                          "How do you hear about AlmenNet's knowledge and activities?"),
        questions=[
            Question(
                name="channels", type=MULTIPLE_CHOICE, required=True, other=True, hint=TICK_ALL,
                label=_text("Hvordan får du viden fra AlmenNet?", "How do you get knowledge from AlmenNet?"),
                choices=[*CHANNELS, *_choices((NONE_OF_THEM, "Jeg får ikke viden fra AlmenNet",
                                               "I don't get knowledge from AlmenNet"))],
                constraint=EXCLUSIVE_NONE,
                constraint_message=_text("»Jeg får ikke viden fra AlmenNet« kan ikke vælges sammen med andre svar.",
                                         "“I don't get knowledge from AlmenNet” cannot be combined with other "
                                         "answers."),
            ),
            Question(
                name="preferred_channel", type=SINGLE_CHOICE, relevance="count-selected(${channels}) > 1",
                label=_text("Hvilken af dem foretrækker du?", "Which of them do you prefer?"),
                choices=CHANNELS, constraint="selected(${channels}, .)",
                constraint_message=_text("Vælg en af de kanaler, du satte kryds ved i det forrige spørgsmål.",
                                         "Choose one of the channels you ticked in the previous question."),
            ),
            Question(
                name="newsletter_reading", type=SINGLE_CHOICE, relevance="selected(${channels}, 'newsletter')",
                label=_text("Hvor meget af nyhedsbrevet læser du som regel?",
                            "How much of the newsletter do you usually read?"),
                choices=_choices(
                    ("most", "Det meste", "Most of it"),
                    ("some", "Et par artikler", "A couple of articles"),
                    ("headlines", "Kun overskrifterne", "Only the headlines"),
                    ("rarely", "Jeg åbner det sjældent", "I rarely open it"),
                ),
            ),
        ],
    )


def _needs_section() -> Section:
    return Section(
        name="needs",
        title=_text("Behov og ønsker for fremtiden", "Needs and wishes for the future"),
        description=_text("AlmenNets bestyrelse skal prioritere foreningens indsats frem mod 2030. Her kan du "
                          "fortælle, hvad der er vigtigst for dig.",
                          "AlmenNet's board has to set the association's priorities towards 2030. Here you can "
                          "tell us what matters most to you."),
        questions=[
            Question(
                name="focus_areas", type=RANKING, required=True, items=FOCUS_AREAS,
                label=_text("Hvilke emner bør AlmenNet især arbejde med frem mod 2030?",
                            "Which topics should AlmenNet focus on towards 2030?"),
                hint=_text("Sæt emnerne i rækkefølge, så det vigtigste står øverst.",
                           "Put the topics in order, with the most important at the top."),
            ),
            Question(
                name="formats", type=MULTIPLE_CHOICE,
                label=_text("Hvilke former for tilbud vil du gerne have flere af?",
                            "Which kinds of offers would you like more of?"),
                hint=_text("Vælg højst tre.", "Choose up to three."),
                choices=FORMATS, constraint="count-selected(.) <= 3",
                constraint_message=_text("Vælg højst tre.", "Choose no more than three."),
            ),
            Question(
                name="future_role", type=SINGLE_CHOICE,
                label=_text("Hvilken rolle bør AlmenNet først og fremmest have i 2030?",
                            "What should AlmenNet's main role be in 2030?"),
                choices=_choices(
                    ("knowledge_hub", "At samle og formidle viden", "To collect and share knowledge"),
                    ("network", "At skabe netværk på tværs af organisationer",
                     "To build networks across organisations"),
                    ("development", "At udvikle nye løsninger sammen med medlemmerne",
                     "To develop new solutions together with the members"),
                    ("training", "At uddanne medarbejdere og bestyrelser", "To train staff and boards"),
                ),
            ),
            Question(
                name="wishes", type=LONG_TEXT,
                label=_text("Har du ønsker eller idéer til AlmenNets arbejde i de kommende år?",
                            "Do you have wishes or ideas for AlmenNet's work in the coming years?"),
            ),
        ],
    )


def _recommendation_section() -> Section:
    return Section(
        name="recommendation",
        title=_text("Anbefaling", "Recommendation"),
        questions=[
            Question(
                name="nps", type=NPS, required=True, minimum=0, maximum=10,
                label=_text("Hvor sandsynligt er det, at du vil anbefale AlmenNet til en kollega?",
                            "How likely are you to recommend AlmenNet to a colleague?"),
                hint=_text("0 = slet ikke sandsynligt, 10 = meget sandsynligt",
                           "0 = not at all likely, 10 = extremely likely"),
            ),
            Question(
                name="nps_reason", type=LONG_TEXT,
                label=_text("Hvorfor?", "Why?"),
                hint=_text("Skriv gerne med dine egne ord.", "Feel free to use your own words."),
            ),
        ],
    )


def _background_section() -> Section:
    return Section(
        name="background",
        title=_text("Baggrund", "Background"),
        questions=[
            Question(
                name="background_intro", type=INFORMATION,
                label=_text("Til sidst et par spørgsmål om dig og din organisation. Svarene bruges kun til at "
                            "sammenligne grupper af svar.",
                            "Finally, a few questions about you and your organisation. The answers are only used "
                            "to compare groups of answers."),
            ),
            Question(
                name="organisation_type", type=SINGLE_CHOICE, required=True, other=True,
                label=_text("Hvilken type organisation arbejder du i?",
                            "What type of organisation do you work in?"),
                choices=ORGANISATION_TYPES,
            ),
            Question(
                name="size", type=SINGLE_CHOICE,
                relevance=f"${{organisation_type}} = '{HOUSING}' or ${{organisation_type}} = '{ADMINISTRATION}'",
                label=_text("Hvor mange boliger ejer eller administrerer din organisation?",
                            "How many homes does your organisation own or administer?"),
                choices=_choices(
                    ("under_500", "Under 500", "Fewer than 500"),
                    ("from_500", "500–1.999", "500–1,999"),
                    ("from_2000", "2.000–4.999", "2,000–4,999"),
                    ("from_5000", "5.000–9.999", "5,000–9,999"),
                    ("from_10000", "10.000 eller flere", "10,000 or more"),
                ),
            ),
            Question(
                name="role", type=SINGLE_CHOICE, required=True, other=True,
                label=_text("Hvad er din rolle?", "What is your role?"),
                choices=_choices(
                    ("management", "Direktion eller ledelse", "Executive or management"),
                    ("operations", "Drift", "Operations and maintenance"),
                    ("letting", "Udlejning og beboerservice", "Letting and tenant services"),
                    ("building", "Byggeri og renovering", "Construction and renovation"),
                    ("social", "Boligsocialt arbejde", "Social housing work"),
                    ("finance", "Økonomi og administration", "Finance and administration"),
                    ("board", "Medlem af en organisationsbestyrelse", "Member of a housing organisation's board"),
                    ("adviser", "Rådgiver eller konsulent", "Adviser or consultant"),
                    ("municipal", "Medarbejder i en kommune", "Municipal employee"),
                ),
            ),
            Question(
                name="region", type=SINGLE_CHOICE, required=True,
                label=_text("I hvilken region ligger din organisation?", "In which region is your organisation?"),
                choices=_choices(
                    (data.HOVEDSTADEN, "Region Hovedstaden", "Capital Region of Denmark"),
                    (data.SJAELLAND, "Region Sjælland", "Region Zealand"),
                    (data.SYDDANMARK, "Region Syddanmark", "Region of Southern Denmark"),
                    (data.MIDTJYLLAND, "Region Midtjylland", "Central Denmark Region"),
                    (data.NORDJYLLAND, "Region Nordjylland", "North Denmark Region"),
                ),
            ),
        ],
    )


# --- who answers ------------------------------------------------------------------------------------

# Non-members' chance of answering, by segment. Members answer more often (``MEMBER_RESPONSE_FACTOR``);
# across the demo register's mix (a third of the people work in member organisations) about 35 % answer.
RESPONSE_RATES: dict[str, float] = {
    data.SEGMENT_MANAGEMENT: 0.34,
    data.SEGMENT_OPERATIONS: 0.25,
    data.SEGMENT_LETTING: 0.28,
    data.SEGMENT_BUILDING: 0.32,
    data.SEGMENT_SOCIAL: 0.36,
    data.SEGMENT_FINANCE: 0.27,
    data.SEGMENT_BOARD: 0.30,
    data.SEGMENT_PARTNER: 0.25,
    data.SEGMENT_MUNICIPALITY: 0.20,
}
OTHER_SEGMENT_RESPONSE_RATE = 0.25
MEMBER_RESPONSE_FACTOR = 1.5


def response_probability(segment: str, *, member: bool = False) -> float:
    """The chance that someone in ``segment`` (a ``data.SEGMENT_*``) answers, higher in a member organisation."""
    rate = RESPONSE_RATES.get(segment, OTHER_SEGMENT_RESPONSE_RATE)
    return rate * MEMBER_RESPONSE_FACTOR if member else rate


# --- who they are -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RespondentProfile:
    segment: str  # a ``data.SEGMENT_*``
    organisation_kind: str  # an ``OrganisationKind`` value
    is_member: bool
    homes: int | None = None
    region: str = ""  # a ``Region`` value
    role_title: str = ""
    member_since: date | None = None


class PersonLike(Protocol):
    @property
    def segment(self) -> str: ...

    @property
    def role_title(self) -> str: ...


class OrganisationLike(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def is_member(self) -> bool: ...

    @property
    def homes(self) -> int | None: ...

    @property
    def region(self) -> str: ...

    @property
    def member_since(self) -> date | None: ...


def respondent_profile(person: PersonLike, organisation: OrganisationLike) -> RespondentProfile:
    """The profile of a person in the register (the generator's rows or the stakeholder models)."""
    return RespondentProfile(segment=person.segment, organisation_kind=organisation.kind,
                             is_member=organisation.is_member, homes=organisation.homes,
                             region=organisation.region, role_title=person.role_title,
                             member_since=organisation.member_since)


# --- what they think --------------------------------------------------------------------------------

# How engaged a segment is with the association (0–1), before membership and size.
ENGAGEMENT: dict[str, float] = {
    data.SEGMENT_MANAGEMENT: 0.55,
    data.SEGMENT_OPERATIONS: 0.45,
    data.SEGMENT_LETTING: 0.45,
    data.SEGMENT_BUILDING: 0.5,
    data.SEGMENT_SOCIAL: 0.6,
    data.SEGMENT_FINANCE: 0.4,
    data.SEGMENT_BOARD: 0.45,
    data.SEGMENT_PARTNER: 0.35,
    data.SEGMENT_MUNICIPALITY: 0.3,
}
# Contentment on the five-point scale: a sector-wide level, then a shift by segment.
CONTENTMENT = 3.7
CONTENTMENT_SHIFT: dict[str, float] = {
    data.SEGMENT_SOCIAL: 0.1,
    data.SEGMENT_BOARD: 0.1,
    data.SEGMENT_PARTNER: -0.15,
    data.SEGMENT_MUNICIPALITY: -0.35,
}

# The chance of having used each offer in the past year, for a respondent of average engagement.
OFFER_USE: dict[str, dict[str, float]] = {
    data.SEGMENT_MANAGEMENT: {"networks": 0.45, "conferences": 0.6, "courses": 0.2, "newsletter": 0.75,
                              "knowledge_bank": 0.4, "theme_days": 0.35},
    data.SEGMENT_OPERATIONS: {"networks": 0.55, "conferences": 0.2, "courses": 0.35, "newsletter": 0.55,
                              "knowledge_bank": 0.35, "theme_days": 0.45},
    data.SEGMENT_LETTING: {"networks": 0.4, "conferences": 0.2, "courses": 0.4, "newsletter": 0.6,
                           "knowledge_bank": 0.45, "theme_days": 0.35},
    data.SEGMENT_BUILDING: {"networks": 0.35, "conferences": 0.35, "courses": 0.25, "newsletter": 0.6,
                            "knowledge_bank": 0.6, "theme_days": 0.5},
    data.SEGMENT_SOCIAL: {"networks": 0.6, "conferences": 0.4, "courses": 0.3, "newsletter": 0.65,
                          "knowledge_bank": 0.5, "theme_days": 0.45},
    data.SEGMENT_FINANCE: {"networks": 0.4, "conferences": 0.2, "courses": 0.45, "newsletter": 0.55,
                           "knowledge_bank": 0.4, "theme_days": 0.25},
    data.SEGMENT_BOARD: {"networks": 0.15, "conferences": 0.35, "courses": 0.5, "newsletter": 0.6,
                         "knowledge_bank": 0.2, "theme_days": 0.3},
    data.SEGMENT_PARTNER: {"networks": 0.2, "conferences": 0.45, "courses": 0.1, "newsletter": 0.7,
                           "knowledge_bank": 0.45, "theme_days": 0.3},
    data.SEGMENT_MUNICIPALITY: {"networks": 0.15, "conferences": 0.35, "courses": 0.1, "newsletter": 0.6,
                                "knowledge_bank": 0.35, "theme_days": 0.3},
}
USUAL_OFFER_USE = {"networks": 0.35, "conferences": 0.35, "courses": 0.3, "newsletter": 0.65,
                   "knowledge_bank": 0.4, "theme_days": 0.35}

# How a statement scores relative to the respondent's contentment: everywhere, then in a segment.
STATEMENT_SHIFT = {"relevant": 0.1, "useful": 0.0, "quality": 0.2, "networks": 0.3, "website": -0.6,
                   "topics": -0.1, "value": -0.2}
STATEMENT_SEGMENT_SHIFT: dict[str, dict[str, float]] = {
    data.SEGMENT_MUNICIPALITY: {"relevant": -0.4, "topics": -0.6},
    data.SEGMENT_PARTNER: {"value": -0.3, "topics": -0.2},
    data.SEGMENT_BOARD: {"quality": 0.2, "website": -0.3},
    data.SEGMENT_OPERATIONS: {"networks": 0.2},
}
# Who can judge the membership fee.
KNOWS_THE_PRICE = frozenset({data.SEGMENT_MANAGEMENT, data.SEGMENT_FINANCE, data.SEGMENT_BOARD})

# How much a segment cares about each focus area; green transition is high on everyone's list.
FOCUS_WEIGHTS: dict[str, dict[str, float]] = {
    data.SEGMENT_MANAGEMENT: {"green_transition": 3, "digitalisation": 2.5, "finance": 2, "vulnerable_areas": 1.5,
                              "construction": 1.5, "operations": 1.2},
    data.SEGMENT_OPERATIONS: {"operations": 3.5, "digitalisation": 2.5, "green_transition": 2, "construction": 1.2},
    data.SEGMENT_LETTING: {"digitalisation": 2.5, "vulnerable_areas": 2, "tenant_democracy": 1.5, "operations": 1.5},
    data.SEGMENT_BUILDING: {"construction": 3.5, "green_transition": 3, "digitalisation": 1.2},
    data.SEGMENT_SOCIAL: {"vulnerable_areas": 4, "tenant_democracy": 2, "green_transition": 1.2},
    data.SEGMENT_FINANCE: {"finance": 3.5, "digitalisation": 2.5, "operations": 1.5},
    data.SEGMENT_BOARD: {"tenant_democracy": 3.5, "green_transition": 2, "finance": 2, "vulnerable_areas": 1.3},
    data.SEGMENT_PARTNER: {"green_transition": 3, "construction": 2.5, "digitalisation": 2},
    data.SEGMENT_MUNICIPALITY: {"vulnerable_areas": 3.5, "construction": 2, "green_transition": 2},
}
FOCUS_BASE_WEIGHT = {"green_transition": 1.8}

FORMAT_WEIGHTS: dict[str, dict[str, float]] = {
    data.SEGMENT_MANAGEMENT: {"analyses": 3, "peer_groups": 2},
    data.SEGMENT_OPERATIONS: {"peer_groups": 3, "tools": 3, "courses": 1.5},
    data.SEGMENT_LETTING: {"tools": 2.5, "courses": 2, "webinars": 1.5},
    data.SEGMENT_BUILDING: {"tools": 2.5, "study_trips": 2.5},
    data.SEGMENT_SOCIAL: {"peer_groups": 3, "study_trips": 2},
    data.SEGMENT_FINANCE: {"tools": 3, "courses": 2},
    data.SEGMENT_BOARD: {"courses": 3.5, "study_trips": 2, "webinars": 0.5},
    data.SEGMENT_PARTNER: {"analyses": 3, "webinars": 2, "podcasts": 1.5},
    data.SEGMENT_MUNICIPALITY: {"analyses": 3, "webinars": 2},
}
ROLE_WEIGHTS: dict[str, dict[str, float]] = {
    data.SEGMENT_MANAGEMENT: {"development": 3},
    data.SEGMENT_OPERATIONS: {"network": 4},
    data.SEGMENT_SOCIAL: {"network": 3.5},
    data.SEGMENT_BOARD: {"training": 3.5},
    data.SEGMENT_FINANCE: {"training": 2.5},
    data.SEGMENT_PARTNER: {"development": 3},
    data.SEGMENT_MUNICIPALITY: {"knowledge_hub": 4.5},
}
USUAL_ROLE_WEIGHT = {"knowledge_hub": 3, "network": 2.5, "development": 1.5, "training": 1.5}
PREFERRED_CHANNEL_WEIGHT = {"newsletter": 3, "events": 2.5, "networks": 2.5, "website": 2, "webinars": 1.5,
                            "linkedin": 1, "colleagues": 1}


# --- what they write --------------------------------------------------------------------------------


SMALL_HOMES = 1000  # "a small organisation like ours": fewer homes than this
OUTSIDE_CAPITAL = frozenset({data.SJAELLAND, data.SYDDANMARK, data.MIDTJYLLAND, data.NORDJYLLAND})
WEST_OF_STOREBAELT = frozenset({data.SYDDANMARK, data.MIDTJYLLAND, data.NORDJYLLAND})


@dataclass(frozen=True)
class Phrase:
    """A sentence a respondent might write, and who might write it (an empty condition: anyone)."""

    text: str
    segments: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    small: bool = False  # only someone from a housing organisation with fewer than SMALL_HOMES homes

    def fits(self, respondent: RespondentProfile) -> bool:
        return ((not self.segments or respondent.segment in self.segments)
                and (not self.regions or respondent.region in self.regions)
                and (not self.small or 0 < (respondent.homes or 0) < SMALL_HOMES))


def _anyone(*texts: str) -> tuple[Phrase, ...]:
    return tuple(Phrase(text) for text in texts)


def _segment(segment: str, *texts: str) -> tuple[Phrase, ...]:
    return tuple(Phrase(text, segments=frozenset({segment})) for text in texts)


WISHES = (
    *_anyone(
        "Flere korte webinarer, som man kan nå i en travl hverdag.",
        "Gør det lettere at finde gamle oplæg og præsentationer på hjemmesiden.",
        "Hold fast i årskonferencen, den er årets højdepunkt for os.",
        "Mere om, hvad andre boligorganisationer konkret har gjort, og mindre teori.",
        "En oversigt over alle netværk, og hvem man kan kontakte i hvert af dem.",
        "Optag gerne oplæggene, så kolleger, der ikke kunne deltage, kan se dem bagefter.",
        "Mere om grøn omstilling, fx solceller, varmepumper og cirkulært byggeri.",
        "Erfaringer med digitalisering, fx digitale afstemninger ved afdelingsmøder.",
    ),
    Phrase("Flere arrangementer vest for Storebælt – det er langt at tage til København for en temadag.",
           regions=WEST_OF_STOREBAELT),
    Phrase("Flere eksempler fra mindre boligorganisationer, ikke kun fra de store i hovedstaden.", small=True),
    *_segment(
        data.SEGMENT_BOARD,
        "Flere kurser for nye bestyrelsesmedlemmer.",
        "Et kort introduktionsforløb om økonomi for afdelingsbestyrelser.",
        "Arrangementer om aftenen eller i weekenden, så vi frivillige kan deltage.",
        "Materiale om beboerdemokrati, som vi kan dele ud på afdelingsmøderne.",
        "Hjælp til at få yngre beboere til at stille op til bestyrelsen.",
    ),
    *_segment(
        data.SEGMENT_OPERATIONS,
        "Mere om digitale driftsværktøjer og erfaringerne med dem.",
        "Temadage om affaldssortering og grønne driftsløsninger.",
        "Erfa-møder om samarbejdet mellem ejendomskontoret og afdelingsbestyrelsen.",
        "Kurser i konflikthåndtering for ejendomsfunktionærer.",
    ),
    Phrase("Et netværk for driftsledere i mindre boligorganisationer.",
           segments=frozenset({data.SEGMENT_OPERATIONS}), small=True),
    *_segment(
        data.SEGMENT_LETTING,
        "Mere om udlejningsregler og fleksibel udlejning.",
        "Erfaringsudveksling om beboerservice og digital selvbetjening.",
        "Et kursus i den svære samtale med beboere, der er kommet bagud med huslejen.",
    ),
    *_segment(
        data.SEGMENT_BUILDING,
        "Mere om energirenovering og erfaringer med helhedsplaner.",
        "En database med erfaringer fra renoveringsprojekter, så vi ikke begynder forfra hver gang.",
        "Viden om bæredygtige byggematerialer og totaløkonomi.",
        "Temadage om udbud og samarbejde med entreprenører.",
    ),
    *_segment(
        data.SEGMENT_SOCIAL,
        "Flere netværksmøder for boligsociale medarbejdere.",
        "Viden om, hvad der virker i de udsatte boligområder – og om det, der ikke virker.",
        "Mere fokus på ensomhed og trivsel blandt ældre beboere.",
        "Fælles redskaber til at måle effekten af boligsociale indsatser.",
    ),
    *_segment(
        data.SEGMENT_FINANCE,
        "Kurser i budgetlægning og regnskab for nye medarbejdere.",
        "Nøgletal for drift og økonomi, som kan sammenlignes på tværs af organisationer.",
        "Mere om de nye regler for henlæggelser og langtidsbudgetter.",
    ),
    *_segment(
        data.SEGMENT_MANAGEMENT,
        "Analyser af sektorens udvikling frem mod 2030, som vi kan bruge i vores egen strategi.",
        "Et lederforum, hvor direktører kan drøfte fælles udfordringer i fortrolighed.",
        "AlmenNet bør samarbejde mere med BL og Landsbyggefonden, så vi undgår dobbeltarbejde.",
        "Mere om ledelse af forandringer og om at rekruttere dygtige medarbejdere.",
    ),
    *_segment(
        data.SEGMENT_MUNICIPALITY,
        "Mere viden om samarbejdet mellem kommuner og boligorganisationer, fx om styringsdialogen.",
        "Åbn flere arrangementer for kommunale medarbejdere.",
        "Viden om anvisning og boligsociale hensyn i kommunerne.",
    ),
    *_segment(
        data.SEGMENT_PARTNER,
        "Flere muligheder for rådgivere og leverandører for at møde boligorganisationerne.",
        "Del gerne data og analyser, så vi kan bruge dem i vores rådgivning.",
        "Tydeligere aftaler om, hvad man kan bidrage med som partner.",
    ),
)
# Added to the wishes of someone who only skims the newsletter or rarely opens it.
NEWSLETTER_COMPLAINTS = (
    "Nyhedsbrevet er for langt – gør det kortere, og skriv det vigtigste først.",
    "Nyhedsbrevet kommer for tit; én gang om måneden ville være nok.",
    "Det ville hjælpe, hvis man kunne vælge, hvilke emner nyhedsbrevet skal handle om.",
)

PROMOTER_REASONS = (
    *_anyone(
        "Jeg får altid noget med hjem, som jeg kan bruge i mit arbejde.",
        "Konferencerne er godt tilrettelagt, og oplægsholderne er dygtige.",
        "Det er det bedste sted at møde kolleger fra andre boligorganisationer.",
        "AlmenNet samler viden, som vi ikke selv har tid til at finde.",
        "Vi har fået mange gode idéer fra de andre i netværket.",
        "Folkene i sekretariatet er altid hjælpsomme.",
        "Vidensbanken sparer mig for meget tid.",
        "De var hurtige til at flytte arrangementerne online under corona.",
    ),
    *_segment(data.SEGMENT_BOARD, "Kurserne har gjort mig meget bedre til at være bestyrelsesmedlem."),
    *_segment(data.SEGMENT_OPERATIONS, "Driftsnetværket har været guld værd for mig som ny driftsleder."),
    *_segment(data.SEGMENT_SOCIAL, "Netværket for boligsociale medarbejdere er uundværligt i vores arbejde."),
)
PASSIVE_REASONS = (
    *_anyone(
        "Godt, men vi bruger ikke tilbuddene så meget, som vi burde.",
        "Kvaliteten svinger meget fra arrangement til arrangement.",
        "Jeg kender ikke tilbuddene godt nok til at anbefale dem.",
        "Det er fint, men meget af det kan vi også få andre steder.",
        "Hjemmesiden er svær at finde rundt på.",
        "Fint fagligt niveau, men emnerne gentager sig fra år til år.",
    ),
    Phrase("Gode arrangementer, men de ligger næsten altid i København.", regions=OUTSIDE_CAPITAL),
    Phrase("Det er dyrt for en lille boligorganisation som vores.", small=True),
)
DETRACTOR_REASONS = (
    *_anyone(
        "Vi får ikke nok ud af medlemskabet i forhold til prisen.",
        "Jeg hører sjældent fra AlmenNet og ved ikke rigtig, hvad de laver.",
        "Det er uklart, hvad AlmenNet kan, som BL ikke allerede gør.",
        "Arrangementerne er for lange og for teoretiske.",
        "Nyhedsbrevet er for langt, og jeg når sjældent at læse det.",
    ),
    Phrase("For meget fokus på hovedstadsområdet.", regions=OUTSIDE_CAPITAL),
    Phrase("Tilbuddene passer ikke til en lille organisation som vores.", small=True),
    *_segment(data.SEGMENT_MUNICIPALITY, "Som kommune føler vi os ikke som en del af målgruppen."),
    *_segment(data.SEGMENT_PARTNER, "Som rådgiver er det svært at se, hvad vi får ud af at deltage."),
)
IMPROVEMENTS = (
    *_anyone(
        "Mere praktisk viden og færre lange oplæg.",
        "En hjemmeside, hvor man kan søge efter emne.",
        "At man bliver hørt, når man foreslår emner til temadage.",
        "Bedre opfølgning efter konferencerne med materialer og deltagerlister.",
        "Tydelig besked om, hvad medlemskabet giver adgang til.",
    ),
    Phrase("Arrangementer i hele landet, ikke kun i København.", regions=OUTSIDE_CAPITAL),
    Phrase("Lavere priser på kurser for små boligorganisationer.", small=True),
)
OTHER_CHANNELS = ("Fagbladet BOLIGEN", "Omtale i fagpressen", "Facebook", "Via vores administrationsselskab",
                  "Repræsentantskabsmødet")
OTHER_ORGANISATION_TYPES = ("Beboerforening", "Frivillig forening", "Landsdækkende netværk",
                            "Selvejende institution")


# --- answering --------------------------------------------------------------------------------------


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _ordered_by_weight(rng: random.Random, weights: Mapping[str, float]) -> list[str]:
    """All keys in a random order in which heavier ones tend to come first (keys u ** (1 / w))."""
    keys = {name: rng.random() ** (1.0 / weight) for name, weight in weights.items()}
    return sorted(keys, key=lambda name: -keys[name])


def _scale_value(rng: random.Random, centre: float, spread: float) -> str:
    return str(round(_clamp(rng.gauss(centre, spread), 1, 5)))


def _size_band(homes: int) -> str:
    return next(value for value, smallest in reversed(SIZE_BANDS) if homes >= smallest)


class _Answering:
    """One respondent going through the questionnaire: traits drawn once, then one method per question.

    A method returns the answers it gives (its own, and the "Andet, skriv:" text under ``<name>.other``),
    or nothing when the respondent leaves an optional question blank.
    """

    def __init__(self, rng: random.Random, respondent: RespondentProfile) -> None:
        self.rng = rng
        self.respondent = respondent
        self.answers: Answers = {}
        segment = respondent.segment
        centre = ENGAGEMENT.get(segment, 0.35) + (0.12 if respondent.is_member else -0.1) + self._size_effect()
        self.engagement = _clamp(rng.gauss(centre, 0.15), 0.0, 1.0)
        contentment = (CONTENTMENT + CONTENTMENT_SHIFT.get(segment, 0.0) + (0.25 if respondent.is_member else -0.1)
                       + 0.8 * (self.engagement - 0.5))
        self.contentment = rng.gauss(contentment, 0.55)

    def _size_effect(self) -> float:
        """Large organisations have staff who follow the association more closely."""
        if self.respondent.organisation_kind == ADMINISTRATION:
            return 0.05
        if self.respondent.homes:
            return _clamp(0.06 * math.log10(self.respondent.homes / 1000), -0.12, 0.12)
        return 0.0

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def writes(self, phrases: Sequence[Phrase], probability: float, second: float = 0.25) -> str | None:
        """With ``probability``, one sentence (sometimes two) from those that fit the respondent; else None."""
        if not self.chance(probability):
            return None
        fitting = [phrase.text for phrase in phrases if phrase.fits(self.respondent)]
        count = 2 if self.chance(second) and len(fitting) > 1 else 1
        return " ".join(self.rng.sample(fitting, count))

    def used(self, offer: str) -> bool:
        return offer in self.answers.get("offers_used", [])

    # --- membership ---

    def member(self) -> Answers:
        respondent = self.respondent
        if respondent.is_member:
            unsure = 0.0 if respondent.segment in (data.SEGMENT_MANAGEMENT, data.SEGMENT_BOARD) else 0.08
            weights = {"yes": 1 - unsure, "not_sure": unsure}
        elif respondent.organisation_kind in (HOUSING, ADMINISTRATION):
            weights = {"no": 0.8, "not_sure": 0.15, "yes": 0.05}  # a few mistake another association for AlmenNet
        else:
            weights = {"no": 0.85, "not_sure": 0.15}
        return {"member": _weighted(self.rng, weights)}

    def member_years(self) -> Answers:
        if self.chance(0.03):
            return {}
        since = self.respondent.member_since
        if since is None or self.chance(0.05):
            return {"member_years": "not_sure"}
        years = FIELDWORK_YEAR - since.year
        band = "under_2" if years < 2 else "from_2" if years <= 5 else "from_6" if years <= 10 else "over_10"
        return {"member_years": band}

    def offers_used(self) -> Answers:
        chances = OFFER_USE.get(self.respondent.segment, USUAL_OFFER_USE)
        factor = 0.45 + 1.1 * self.engagement
        chosen = [choice.value for choice in OFFERS
                  if choice.value in chances and self.chance(min(0.95, chances[choice.value] * factor))]
        return {"offers_used": chosen or [NONE_OF_THEM]}

    def use_frequency(self) -> Answers:
        if self.chance(0.03):
            return {}
        score = self.engagement + 0.04 * len(self.answers["offers_used"]) + self.rng.gauss(0, 0.12)
        bands = ((0.85, "weekly"), (0.6, "monthly"), (0.3, "few_times_a_year"))
        return {"use_frequency": next((value for floor, value in bands if score > floor), "yearly_or_less")}

    def events_attended(self) -> Answers:
        if self.chance(0.08):
            return {}
        per_offer = {"networks": (2, 6), "conferences": (1, 2), "courses": (1, 3), "theme_days": (1, 3)}
        count = sum(self.rng.randint(*per_offer[offer]) for offer in EVENT_OFFERS if self.used(offer))
        return {"events_attended": min(50, count)}

    # --- satisfaction ---

    def statements(self) -> Answers:
        segment = self.respondent.segment
        not_judged = {
            "quality": 0.65 if not any(self.used(offer) for offer in ("courses", "conferences", "theme_days")) else 0,
            "networks": 0.75 if not self.used("networks") else 0,
            "website": 0.35 if not self.used("knowledge_bank") else 0,
            "value": 0.4 if segment not in KNOWS_THE_PRICE else 0,
        }
        shifts = STATEMENT_SEGMENT_SHIFT.get(segment, {})
        values = {}
        for item in STATEMENTS:
            if self.chance(max(0.03, not_judged.get(item.name, 0))):
                values[item.name] = DONT_KNOW
            else:
                centre = self.contentment + STATEMENT_SHIFT[item.name] + shifts.get(item.name, 0.0)
                values[item.name] = _scale_value(self.rng, centre, 0.75)
        return {"statements": values}

    def knowledge_applied(self) -> Answers:
        if self.chance(0.04):
            return {}
        if self.chance(0.07):
            return {"knowledge_applied": DONT_KNOW}
        centre = 2.4 + 1.6 * self.engagement + 0.3 * (self.contentment - CONTENTMENT)
        return {"knowledge_applied": _scale_value(self.rng, centre, 0.8)}

    def overall_satisfaction(self) -> Answers:
        scores = [int(value) for value in self.answers.get("statements", {}).values() if value != DONT_KNOW]
        centre = (self.contentment + mean(scores)) / 2 if scores else self.contentment
        return {"overall_satisfaction": _scale_value(self.rng, centre, 0.45)}

    def improvement(self) -> Answers:
        text = self.writes(IMPROVEMENTS, 0.7, second=0.2)
        return {"improvement": text} if text else {}

    # --- channels ---

    def channels(self) -> Answers:
        segment = self.respondent.segment
        if self.answers.get("offers_used", [NONE_OF_THEM]) != [NONE_OF_THEM]:
            chances = {
                "newsletter": 0.9 if self.used("newsletter") else 0.1,
                "website": 0.85 if self.used("knowledge_bank") else 0.1,
                "events": 0.9 if any(self.used(offer) for offer in ("conferences", "courses", "theme_days")) else 0,
                "networks": 0.9 if self.used("networks") else 0,
                "linkedin": 0.3 if segment in (data.SEGMENT_MANAGEMENT, data.SEGMENT_PARTNER) else 0.15,
                "webinars": 0.25,
                "colleagues": 0.45 if segment in (data.SEGMENT_BOARD, data.SEGMENT_OPERATIONS) else 0.25,
            }
        else:  # no offers used, or not asked about them: hears of AlmenNet now and then
            chances = {"newsletter": 0.35, "website": 0.3, "linkedin": 0.25, "events": 0.2, "colleagues": 0.2,
                       "webinars": 0.05}
        chosen = [choice.value for choice in CHANNELS if self.chance(chances.get(choice.value, 0))]
        if self.chance(0.04):
            return {"channels": [*chosen, OTHER], "channels.other": self.rng.choice(OTHER_CHANNELS)}
        return {"channels": chosen or [NONE_OF_THEM]}

    def preferred_channel(self) -> Answers:
        ticked = [value for value in self.answers["channels"] if value in PREFERRED_CHANNEL_WEIGHT]
        if not ticked or self.chance(0.04):
            return {}
        return {"preferred_channel": _weighted(self.rng, {value: PREFERRED_CHANNEL_WEIGHT[value] for value in ticked})}

    def newsletter_reading(self) -> Answers:
        if self.chance(0.04):
            return {}
        engagement = self.engagement
        weights = {"most": 0.15 + 0.4 * engagement, "some": 0.4, "headlines": 0.3 - 0.2 * engagement,
                   "rarely": 0.15 - 0.1 * engagement}
        return {"newsletter_reading": _weighted(self.rng, weights)}

    # --- needs ---

    def focus_areas(self) -> Answers:
        weights = {item.name: FOCUS_BASE_WEIGHT.get(item.name, 1.0) for item in FOCUS_AREAS}
        weights.update(FOCUS_WEIGHTS.get(self.respondent.segment, {}))
        return {"focus_areas": _ordered_by_weight(self.rng, weights)}

    def formats(self) -> Answers:
        if self.chance(0.15):
            return {}
        weights = {choice.value: 1.0 for choice in FORMATS}
        weights.update(FORMAT_WEIGHTS.get(self.respondent.segment, {}))
        count = self.rng.choice((1, 2, 2, 3, 3, 3))
        chosen = set(_ordered_by_weight(self.rng, weights)[:count])
        return {"formats": [choice.value for choice in FORMATS if choice.value in chosen]}

    def future_role(self) -> Answers:
        if self.chance(0.06):
            return {}
        weights = {**USUAL_ROLE_WEIGHT, **ROLE_WEIGHTS.get(self.respondent.segment, {})}
        return {"future_role": _weighted(self.rng, weights)}

    def wishes(self) -> Answers:
        text = self.writes(WISHES, 0.2 + 0.3 * self.engagement, second=0.3)
        if self.answers.get("newsletter_reading") in ("headlines", "rarely") and self.chance(0.35):
            complaint = self.rng.choice(NEWSLETTER_COMPLAINTS)
            text = f"{text} {complaint}" if text else complaint
        return {"wishes": text} if text else {}

    # --- recommendation ---

    def nps(self) -> Answers:
        satisfaction = self.answers.get("overall_satisfaction")
        level = int(satisfaction) if satisfaction else self.contentment
        centre = 2.2 * (level - 1) + 1.4 + (0.4 if self.respondent.is_member else 0.0)
        return {"nps": round(_clamp(self.rng.gauss(centre, 1.1), 0, 10))}

    def nps_reason(self) -> Answers:
        score = self.answers["nps"]
        if score >= 9:
            text = self.writes(PROMOTER_REASONS, 0.45)
        elif score >= 7:
            text = self.writes(PASSIVE_REASONS, 0.35)
        else:
            text = self.writes(DETRACTOR_REASONS, 0.6)
        return {"nps_reason": text} if text else {}

    # --- background ---

    def organisation_type(self) -> Answers:
        kind = self.respondent.organisation_kind
        if any(choice.value == kind for choice in ORGANISATION_TYPES):
            return {"organisation_type": kind}
        return {"organisation_type": OTHER, "organisation_type.other": self.rng.choice(OTHER_ORGANISATION_TYPES)}

    def size(self) -> Answers:
        if self.chance(0.05):
            return {}
        homes = self.respondent.homes
        if homes:
            return {"size": _size_band(homes)}
        # Administration companies run many organisations' homes; the register does not hold their count.
        return {"size": _weighted(self.rng, {"from_10000": 0.55, "from_5000": 0.3, "from_2000": 0.15})}

    def role(self) -> Answers:
        respondent = self.respondent
        role = ROLE_BY_SEGMENT.get(respondent.segment)
        if role == "adviser" and respondent.organisation_kind != ADVISER and respondent.role_title:
            role = None  # a researcher or a foundation's staff describes the role in their own words
        if role is None:
            return {"role": OTHER, "role.other": respondent.role_title or "Konsulent"}
        return {"role": role}

    def region(self) -> Answers:
        regions = (data.HOVEDSTADEN, data.SJAELLAND, data.SYDDANMARK, data.MIDTJYLLAND, data.NORDJYLLAND)
        region = self.respondent.region
        return {"region": region if region in regions else self.rng.choice(regions)}


# How each question that takes an answer is answered.
ANSWERERS: dict[str, Callable[[_Answering], Answers]] = {
    "member": _Answering.member,
    "member_years": _Answering.member_years,
    "offers_used": _Answering.offers_used,
    "use_frequency": _Answering.use_frequency,
    "events_attended": _Answering.events_attended,
    "statements": _Answering.statements,
    "knowledge_applied": _Answering.knowledge_applied,
    "overall_satisfaction": _Answering.overall_satisfaction,
    "improvement": _Answering.improvement,
    "channels": _Answering.channels,
    "preferred_channel": _Answering.preferred_channel,
    "newsletter_reading": _Answering.newsletter_reading,
    "focus_areas": _Answering.focus_areas,
    "formats": _Answering.formats,
    "future_role": _Answering.future_role,
    "wishes": _Answering.wishes,
    "nps": _Answering.nps,
    "nps_reason": _Answering.nps_reason,
    "organisation_type": _Answering.organisation_type,
    "size": _Answering.size,
    "role": _Answering.role,
    "region": _Answering.region,
}


@cache
def _questionnaire() -> SurveyDefinition:
    """The questionnaire the answers follow, built once: it is only read."""
    return member_survey()


def survey_answers(rng: random.Random, respondent: RespondentProfile, *, pages: int | None = None) -> Answers:
    """The answers ``respondent`` gives to ``member_survey()``; with ``pages``, only those on the first
    ``pages`` pages they were shown (someone who gave up). The same generator state gives the same answers,
    and a partial response is the beginning of the full one."""
    answering = _Answering(rng, respondent)
    shown = 0
    for section in _questionnaire().sections:
        if pages is not None and shown >= pages:
            break
        if not expressions.holds(section.relevance, answering.answers):
            continue
        shown += 1
        for question in section.questions:
            if question.answers and expressions.holds(question.relevance, answering.answers):
                answering.answers.update(ANSWERERS[question.name](answering))
    return answering.answers
