"""The demo's evidence base, built through the services: the board workshop of October 2020 (six challenges and
eleven assumptions, each with what would have to be true, what would confirm or refute it, the channels that can
test it and the board member who doubts it most), evidence saved from all four channels exactly as "Gem som
evidens" saves it, findings that say what that evidence shows, verdicts set against the proposals, and needs per
segment.

The figures in a finding are read from the view that was saved, so the finding and its evidence always agree.
The words around them ("largest", "as often", "held level") are what the demo data shows at full size and at the
test suite's small size; tests/demo/test_evidence_demo.py checks them against the channels' own data. Each
verdict is the proposal unless its reason says why the board departs from it; a build whose evidence no longer
proposes the planned verdict stops rather than write a verdict the data does not bear out.

Every change is recorded as the secretariat's (the actor), as in the rest of the demo: the secretariat entered
the board's workshop and verdicts and saved the analyst's evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from evidens.archive import evidence as archive_evidence
from evidens.archive import search as archive_search
from evidens.archive import selectors as archive_selectors
from evidens.archive.choices import ActivityKind
from evidens.archive.engagement import DEFAULT_CUTOFF
from evidens.coding import evidence as coding_evidence
from evidens.coding import selectors as coding_selectors
from evidens.coding import services as coding_services
from evidens.coding.models import Code, Coding
from evidens.demo import weblog
from evidens.demo.interview_texts import CODEBOOK
from evidens.evidence import selectors as evidence_selectors
from evidens.evidence import services as evidence_services
from evidens.evidence.models import Assumption, EvidenceItem, Finding, FindingStatus, Stance, Verdict
from evidens.interviews.models import ConsentScope, Interview
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.choices import StakeholderGroup
from evidens.stakeholders.selectors import SIZE_BANDS, size_band_label
from evidens.surveys import definition as survey_definition
from evidens.surveys import results as survey_results
from evidens.surveys import selectors as survey_selectors
from evidens.surveys import services as survey_services
from evidens.surveys.models import Survey
from evidens.webstats import sections as web_sections
from evidens.webstats import selectors as web_selectors
from evidens.webstats import services as web_services

SUPPORTS, CONTRADICTS, CONTEXT = Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT
DRAFT, REVIEWED, APPROVED = FindingStatus.DRAFT, FindingStatus.REVIEWED, FindingStatus.APPROVED

SMALL = "Små boligorganisationer"
OPERATIONS = "Driftsfolk"
DIRECTORS = "Direktører"
BOARDS = "Organisationsbestyrelser"
MEMBERS = "Alle medlemmer"
PARTNERS = "Partnere og kommuner"


# --- the board workshop -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssumptionPlan:
    key: str
    statement: str
    held_by: str
    importance: int
    must_be_true: str
    would_confirm: str
    would_refute: str
    channels: tuple[str, ...]
    sceptic: str  # the role (``data.DEMO_USERS``) of the board member who doubts it most


@dataclass(frozen=True)
class ChallengePlan:
    title: str
    description: str
    assumptions: tuple[AssumptionPlan, ...]


WORKSHOP: tuple[ChallengePlan, ...] = (
    ChallengePlan(
        "Medlemmerne bruger kun en del af det, vi laver",
        "Sekretariatet laver vejledninger, netværk, kurser og nyhedsbreve, men ved ikke, hvad medlemmerne faktisk "
        "bruger og sætter pris på.",
        (
            AssumptionPlan(
                "knowledge_bank", "Medlemmerne bruger primært vidensbanken på hjemmesiden.", "Sekretariatet", 4,
                "Vidensbanken skal stå for hovedparten af det, medlemmerne bruger: den største del af "
                "sidevisningerne, og det tilbud flest medlemmer har brugt.",
                "Vidensbanken har over halvdelen af sidevisningerne, og flere medlemmer har brugt den end "
                "nyhedsbrevet og netværkene.",
                "Andre dele af hjemmesiden og andre tilbud bruges af flere.",
                ("webstats", "surveys"), "steering"),
            AssumptionPlan(
                "networks", "Netværkene er det tilbud, medlemmerne værdsætter højest.", "Bestyrelsen", 5,
                "Medlemmerne skal både bruge netværkene og give dem en bedre vurdering end de øvrige tilbud.",
                "Netværkene får den bedste vurdering i spørgeskemaet, flest medlemsorganisationer deltager i dem, "
                "og medlemmerne nævner dem først i interviewene.",
                "Netværkene vurderes lavere end kurser, konferencer eller vidensbanken, eller kun få medlemmer "
                "deltager.",
                ("surveys", "archive", "interviews"), "board"),
        ),
    ),
    ChallengePlan(
        "Vi når ikke hele sektoren",
        "Omkring ti procent af boligorganisationerne er medlemmer. Bestyrelsen frygter, at foreningen især er for "
        "de store organisationer i hovedstadsområdet.",
        (
            AssumptionPlan(
                "small", "Vi når ikke de små boligorganisationer.", "Bestyrelsen", 5,
                "Små boligorganisationer (under 1.000 boliger) skal sjældnere være medlemmer, og de små medlemmer "
                "skal sjældnere deltage i foreningens aktiviteter.",
                "Få små organisationer er medlemmer, og de små medlemmer mangler på deltagerlisterne.",
                "De små medlemmer deltager lige så ofte som de store.",
                ("surveys", "archive", "interviews"), "board"),
            AssumptionPlan(
                "outsiders", "Uden for medlemskredsen kender man ikke AlmenNet.", "Sekretariatet", 3,
                "Kommuner, fonde, rådgivere, entreprenører og forskere skal kun have et begrænset kendskab til, "
                "hvad AlmenNet er og laver.",
                "Interessenter uden for medlemskredsen kan ikke sige, hvad AlmenNet står for.",
                "Ikke-medlemmer bruger jævnligt AlmenNets viden og kan beskrive foreningen.",
                ("surveys", "interviews"), "steering"),
        ),
    ),
    ChallengePlan(
        "Medlemskabet skal kunne betale sig",
        "Kontingentet drøftes hvert år i medlemmernes bestyrelser. Foreningen skal kunne vise, hvad medlemmerne "
        "får for pengene.",
        (
            AssumptionPlan(
                "fee", "Kontingentet svarer til den værdi, medlemmerne får.", "Bestyrelsen", 5,
                "Et klart flertal af medlemmerne skal mene, at medlemskabet er pengene værd – også de små.",
                "Et flertal er enige i, at medlemskabet er pengene værd, og ingen gruppe af medlemmer overvejer at "
                "melde sig ud på grund af prisen.",
                "Medlemmerne tvivler på værdien eller har overvejet at melde sig ud.",
                ("surveys", "interviews"), "board"),
            AssumptionPlan(
                "benchmarking", "De store medlemmer vil betale et højere kontingent for data og benchmarking.",
                "Sekretariatet", 3,
                "Store medlemmer skal være villige til at betale mere, hvis de får nøgletal at sammenligne sig med.",
                "Flere store medlemmer siger, at de vil betale mere for benchmarking, og spørgeskemaet viser det "
                "samme.",
                "Medlemmerne vil gerne have benchmarking, men ikke betale for den.",
                ("surveys", "interviews"), "steering"),
        ),
    ),
    ChallengePlan(
        "Vores viden når ikke frem",
        "Hjemmesiden og nyhedsbrevet er foreningens vigtigste kanaler, men ingen har undersøgt, om medlemmerne "
        "finder og læser det, vi udgiver.",
        (
            AssumptionPlan(
                "website", "Det er let at finde AlmenNets viden på hjemmesiden.", "Sekretariatet", 3,
                "Brugerne skal kunne finde vejledninger og værktøjer uden at ringe rundt eller google sig frem.",
                "Et flertal er enige i, at det er let at finde det, de søger.",
                "Brugerne fortæller, at de ikke kan finde det, de leder efter.",
                ("surveys", "interviews"), "steering"),
            AssumptionPlan(
                "newsletter", "Nyhedsbrevet er den kanal, der når flest medlemmer.", "Sekretariatet", 3,
                "Flere medlemmer skal få viden fra AlmenNet gennem nyhedsbrevet end gennem nogen anden kanal.",
                "Nyhedsbrevet er den kanal, flest medlemmer nævner.",
                "Medlemmerne får oftere viden gennem arrangementer, netværk eller hjemmesiden.",
                ("surveys", "interviews"), "board"),
        ),
    ),
    ChallengePlan(
        "Corona har ændret, hvordan vi mødes",
        "Fra marts 2020 blev de fysiske arrangementer aflyst eller flyttet online. Bestyrelsen skal beslutte, hvad "
        "der skal blive ved.",
        (
            AssumptionPlan(
                "lockdown", "Medlemmerne faldt fra, da de fysiske arrangementer blev aflyst under corona.",
                "Styregruppen", 4,
                "Efter marts 2020 skal færre organisationer have deltaget i aktiviteter, og brugen af hjemmesiden "
                "skal være faldet.",
                "Færre aktiviteter, færre deltagende organisationer og færre sidevisninger efter nedlukningen.",
                "Aktiviteterne og brugen af hjemmesiden holdt niveauet eller steg.",
                ("archive", "webstats", "interviews"), "board"),
            AssumptionPlan(
                "online", "Online-møder kan erstatte de fysiske netværksmøder.", "Sekretariatet", 3,
                "Online-møder skal samle lige så mange deltagere og give medlemmerne det samme som de fysiske møder.",
                "Lige så mange deltagere pr. møde online, og medlemmerne foretrækker online.",
                "Færre deltagere pr. møde online, og medlemmerne savner de fysiske møder.",
                ("archive", "interviews"), "steering"),
        ),
    ),
    ChallengePlan(
        "Hvilke emner skal vi stå for frem mod 2030?",
        "Foreningen kan ikke dække alt. Bestyrelsen vil vide, hvilke emner medlemmerne har mest brug for viden om.",
        (
            AssumptionPlan(
                "green", "Grøn omstilling er det emne, medlemmerne vil have mest viden om frem mod 2030.",
                "Bestyrelsen", 4,
                "Grøn omstilling skal ligge øverst, når medlemmerne prioriterer emner, og fylde mest, når de søger "
                "viden.",
                "Grøn omstilling rangeres højest i spørgeskemaet og nævnes af flest i interviewene.",
                "Andre emner prioriteres højere, eller der søges sjældent efter viden om grøn omstilling.",
                ("surveys", "interviews", "webstats"), "steering"),
        ),
    ),
)


@dataclass(frozen=True)
class VerdictPlan:
    verdict: str
    reason: str
    departs: bool = False  # the reason says why the board departs from the proposal


VERDICTS: dict[str, VerdictPlan] = {
    "knowledge_bank": VerdictPlan(
        Verdict.REFUTED,
        "Vidensbanken er hjemmesidens største indholdsområde, men den har under en fjerdedel af sidevisningerne, og "
        "færre medlemmer har brugt den end nyhedsbrevet. Medlemmerne bruger vidensbanken, men ikke primært."),
    "networks": VerdictPlan(
        Verdict.CONFIRMED,
        "Tre kanaler peger samme vej: netværksmøderne er den aktivitet, flest medlemsorganisationer deltager i, "
        "netværkene får den bedste vurdering i spørgeskemaet, og medlemmerne i interviewene fremhæver netværket "
        "som det, der gør medlemskabet værd."),
    "small": VerdictPlan(
        Verdict.PARTLY,
        "Få små boligorganisationer er medlemmer, og de små medlemmer i interviewene beskriver afstand og få "
        "ansatte som barrierer. Men de små organisationer, der er medlemmer, deltager lige så ofte som de store. "
        "Udfordringen er at få de små med, ikke at nå dem, der er med."),
    "outsiders": VerdictPlan(
        Verdict.CONFIRMED,
        "Vi afviger fra forslaget (delvist bekræftet): fundet, der taler imod, bygger på spørgeskemaet, som kun "
        "gik til personer i AlmenNets eget register – folk, der allerede kender foreningen. Det siger ikke noget om "
        "de kommuner, fonde, rådgivere og forskere, antagelsen handler om, og interviewene med dem peger "
        "samstemmende på, at de ikke kender AlmenNet.",
        departs=True),
    "fee": VerdictPlan(
        Verdict.PARTLY,
        "Et flertal af medlemmerne mener, at medlemskabet er pengene værd, men de små medlemmer i interviewene "
        "tvivler, og en af dem har været tæt på at melde sig ud. Kontingentet passer til de store og mellemstore "
        "medlemmer, ikke til de små."),
    "benchmarking": VerdictPlan(
        Verdict.UNRESOLVED,
        "Spørgeskemaet spurgte ikke om betalingsvilje, og fundet fra interviewene er endnu et udkast. Antagelsen "
        "skal testes – fx med et spørgsmål til de store medlemmer – før den kan bære en ny kontingentmodel."),
    "website": VerdictPlan(
        Verdict.REFUTED,
        "Under halvdelen af medlemmerne finder det let at finde det, de søger – det dårligste af de syv udsagn – og "
        "medlemmer i interviewene fortæller, at de har opgivet og googlet sig frem."),
    "newsletter": VerdictPlan(
        Verdict.CONFIRMED,
        "Nyhedsbrevet er den kanal, flest medlemmer får viden gennem, og medlemmerne i interviewene får det. Flere "
        "skimmer det dog kun; det taler for et kortere nyhedsbrev, ikke for at droppe det."),
    "lockdown": VerdictPlan(
        Verdict.REFUTED,
        "Medlemmerne faldt ikke fra: efter nedlukningen holdt AlmenNet flere aktiviteter om måneden, mange "
        "organisationer deltog online, og trafikken på hjemmesiden holdt niveauet med flere besøg i vidensbanken. "
        "Aktiviteten skiftede form."),
    "online": VerdictPlan(
        Verdict.REFUTED,
        "Online-aktiviteterne samlede færre deltagere pr. aktivitet end de fysiske, og medlemmerne i netværkene "
        "savner de fysiske møder, selv om de vil beholde noget online. Online kan supplere netværksmøderne, ikke "
        "erstatte dem."),
    "green": VerdictPlan(
        Verdict.PARTLY,
        "Grøn omstilling og renovering går igen i de fleste interview, men det hviler på én kanal: spørgeskemaets "
        "rangordning af emner er ikke gemt som evidens endnu, og fundet om søgningerne på hjemmesiden er et udkast. "
        "Emnet er vigtigt, men vi kan ikke sige, at det er det vigtigste."),
}

# (segment, need, the findings it rests on)
NEEDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (SMALL, "Tilbud, der ikke koster en hel rejsedag: online-møder og arrangementer vest for Storebælt.",
     ("interview_distance", "interview_online")),
    (SMALL, "Et kontingent, der passer til en organisation med få ansatte, og en grund til at blive medlem.",
     ("interview_fee", "survey_member_size")),
    (OPERATIONS, "Erfa-grupper og praktiske værktøjer som skabeloner og tjeklister.",
     ("survey_formats", "interview_networks")),
    (DIRECTORS, "Analyser og nøgletal, de kan sammenligne sig med og bruge i deres egen strategi.",
     ("survey_formats", "interview_benchmark")),
    (BOARDS, "Kurser for nye bestyrelsesmedlemmer.", ("survey_formats",)),
    (MEMBERS, "En hjemmeside, hvor vejledningerne er til at finde, og et kortere nyhedsbrev med det vigtigste først.",
     ("survey_website", "interview_website", "interview_newsletter")),
    (PARTNERS, "At vide, hvad AlmenNet står for, og hvordan de kan samarbejde med foreningen.",
     ("interview_outsiders",)),
)


# --- numbers in Danish --------------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    if value is None:
        raise RuntimeError("a share the demo's findings state is hidden or empty in the demo data")
    return f"{round(value)} %"


def _share(part: float, whole: float) -> str:
    return _percent(100 * part / whole if whole else None)


def _number(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def _times(count: int) -> str:
    return "én gang" if count == 1 else f"{_number(count)} gange"


def _decimal(value: float | None) -> str:
    if value is None:
        raise RuntimeError("a figure the demo's findings state is empty in the demo data")
    return f"{value:.1f}".replace(".", ",")


# --- saving evidence as the channels' "Gem som evidens" buttons do ------------------------------------------------


class _Survey:
    """The member survey's results page: one question as shown, compared by or filtered on one variable."""

    def __init__(self, process: StrategyProcess, actor: Any) -> None:
        self.process, self.actor = process, actor
        self.survey = Survey.objects.get(process=process)
        self.language = translation.get_language() or "da"
        self.data = survey_selectors.analysis_input(self.survey, weighted=False)

    def save(self, question: str, *, by: str = "", only: tuple[str, str] | None = None
             ) -> tuple[EvidenceItem, survey_results.QuestionView]:
        selection = survey_results.Selection(by=by, filters=dict([only]) if only else {})
        shown = survey_results.results(self.data.questionnaire, self.data.respondents, selection,
                                       anonymous=self.survey.anonymous, threshold=self.process.anonymity_threshold,
                                       language=self.language)
        view = next((view for view in shown.questions if view.result.name == question), None)
        if view is None:
            raise RuntimeError(f"the survey's results show nothing for {question}: {shown.hidden}")
        query = urlencode([*([("by", by)] if by else []), *([("filter", "=".join(only))] if only else [])])
        item = survey_services.result_evidence_save(
            survey=self.survey, questionnaire=self.data.questionnaire, actor=self.actor, view=view,
            selection=selection, responses=shown.responses,
            link=f"{reverse('surveys:results', args=[self.process.slug, self.survey.pk])}?{query}#r-{question}")
        return item, view

    def cell(self, view: survey_results.QuestionView, value: str, by: str, group: str) -> float | None:
        """The per cent giving ``value`` in the comparison's column for those who chose ``group`` in ``by``."""
        asked = self.data.questionnaire.question(by)
        label = next(survey_definition.text_in(choice.label, self.language) for choice in
                     (asked.choices if asked else []) if choice.value == group)
        if view.comparison is None:
            raise RuntimeError(f"{view.result.name} was saved without a comparison")
        index = next(index for index, option in enumerate(view.result.options) if option.value == value)
        column = next(column for column in view.comparison.groups if column.name == label)
        shown = None if column.suppressed else column.options[index]
        return None if shown is None else shown.percent


def _option(view: survey_results.QuestionView, value: str) -> float | None:
    return next(None if shown is None else shown.percent
                for option, shown in zip(view.result.options, view.options, strict=True) if option.value == value)


def _statement(view: survey_results.QuestionView, item: str) -> tuple[float, float, int]:
    """A matrix statement's per cent agreeing (4–5) and disagreeing (1–2) of those who took a stand, and how many
    answered "don't know"."""
    found = next(result for result in view.result.items if result.name == item)
    share = {option.value: option.percent or 0.0 for option in found.options}
    return share["4"] + share["5"], share["1"] + share["2"], found.dont_know


class _Web:
    """The web statistics pages for the data's last twelve months, the trend per month."""

    def __init__(self, process: StrategyProcess, actor: Any) -> None:
        self.process, self.actor = process, actor
        first, last = web_selectors.data_range(process)
        if first is None or last is None:
            raise RuntimeError("the demo's web log is not imported")
        first, last = web_sections.default_period(first, last)
        self.selection = web_sections.Selection(process=process, first=first, last=last, unit="month")

    def save(self, page: str, key: str) -> tuple[EvidenceItem, web_sections.Section]:
        item, section = web_services.section_evidence_save(process=self.process, actor=self.actor, page=page, key=key,
                                                           selection=self.selection)
        return item, section


class _Archive:
    """The archive's activity page (all records, the page's default cutoff), its document list and its search."""

    def __init__(self, process: StrategyProcess, actor: Any) -> None:
        self.process, self.actor = process, actor
        self.overview = archive_selectors.activity_overview(process, start=None, end=None, cutoff=DEFAULT_CUTOFF)

    def activities(self, view: str) -> EvidenceItem:
        return archive_evidence.activity_view_save(process=self.process, actor=self.actor, view=view,
                                                   overview=self.overview, query="")

    def documents(self) -> tuple[EvidenceItem, int]:
        """The documents per year and type, and how many they are."""
        item = archive_evidence.overview_save(process=self.process, actor=self.actor,
                                              filters=archive_search.NO_FILTERS)
        return item, sum(archive_selectors.per_year_and_type(self.process).values())

    def search(self, query: str) -> tuple[EvidenceItem, int]:
        """A search's first hits, and how many documents it finds."""
        item = archive_evidence.search_save(process=self.process, actor=self.actor, query=query,
                                            filters=archive_search.NO_FILTERS)
        return item, archive_search.search(self.process, query, count_cap=None).total


class _Interviews:
    """The coded interviews: a code, a code among one stakeholder group, or one quote."""

    def __init__(self, process: StrategyProcess, actor: Any, analyst: Any) -> None:
        self.process, self.actor = process, actor
        self.coder = analyst.get_username()
        self.codes = {code.key: Code.objects.get(process=process, name=code.name) for code in CODEBOOK}

    def code(self, key: str) -> tuple[EvidenceItem, int, int]:
        """The code with its passages, the number of texts it is in, and the number of texts."""
        item = coding_evidence.code_save(code=self.codes[key], actor=self.actor)
        segments = coding_selectors.segments(self.process, code=self.codes[key])
        return (item, len({segment.coding.document_id for segment in segments}),
                coding_selectors.documents(self.process).count())

    def cell(self, key: str, group: str) -> EvidenceItem:
        return coding_evidence.cell_save(code=self.codes[key], group=group, actor=self.actor)

    def quote(self, label: str, key: str, opening: str) -> EvidenceItem:
        """The analyst's coding of ``key`` in interview ``label`` that begins with ``opening``, marked as a quote
        (the interviewee allowed quotes without a name) and saved as one."""
        interview = Interview.objects.select_related("document").get(process=self.process, label=label)
        if interview.consent != ConsentScope.ANONYMOUS_QUOTES or interview.document is None:
            raise RuntimeError(f"{label} did not allow quotes")
        codings = Coding.objects.filter(document=interview.document, code=self.codes[key], coder_name=self.coder)
        coding = next(coding for coding in codings.select_related("document", "code")
                      if coding.passage.startswith(opening))
        if not coding.quote:
            coding_services.coding_quote_set(coding=coding, actor=self.actor, quote=True)
        return coding_evidence.quote_save(coding=coding, actor=self.actor)


@dataclass
class _Channels:
    survey: _Survey
    web: _Web
    archive: _Archive
    interviews: _Interviews


# --- findings: what the evidence shows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingPlan:
    key: str
    statement: str
    status: str
    evidence: tuple[tuple[EvidenceItem, str], ...]  # (item, stance on the finding)
    assumptions: tuple[tuple[str, str], ...]  # (assumption key, stance on it)
    segments: tuple[str, ...] = ()


def _supporting(*items: EvidenceItem) -> tuple[tuple[EvidenceItem, str], ...]:
    return tuple((item, SUPPORTS) for item in items)


def _use_findings(channels: _Channels) -> list[FindingPlan]:
    """Challenge 1: what the members use and value."""
    survey, archive, interviews = channels.survey, channels.archive, channels.interviews
    areas_item, areas = channels.web.save("content", "areas")
    views = {heading: sum(row[column] for row in areas.rows)
             for column, heading in enumerate(areas.headings) if column}
    total = sum(views.values())
    offers_item, offers = survey.save("offers_used", only=("member", "yes"))
    kinds = {kind.kind: kind for kind in archive.overview.kinds}
    networks = kinds[ActivityKind.NETWORK_MEETING]
    documents_item, documents = archive.documents()
    search_item, hits = archive.search("netværk")
    statements_item, statements = survey.save("statements", only=("member", "yes"))
    agree, _disagree, dont_know = _statement(statements, "networks")
    return [
        FindingPlan(
            "web_areas",
            f"Vidensbanken er hjemmesidens største indholdsområde, men den står kun for "
            f"{_share(views[weblog.KNOWLEDGE.name], total)} af sidevisningerne i det seneste år (oktober 2019–"
            f"september 2020). Nyhederne har {_share(views[weblog.NEWS.name], total)}, og "
            f"{_share(views.get(_('Outside the areas'), 0), total)} ligger uden for indholdsområderne: forsiden, "
            f"søgningen og siderne om foreningen.",
            APPROVED, _supporting(areas_item), (("knowledge_bank", CONTRADICTS),)),
        FindingPlan(
            "survey_offers",
            f"Blandt svarpersonerne fra medlemsorganisationer har {_percent(_option(offers, 'knowledge_bank'))} "
            f"brugt vidensbanken og hjemmesiden inden for det seneste år, mod "
            f"{_percent(_option(offers, 'newsletter'))} nyhedsbrevet og {_percent(_option(offers, 'networks'))} "
            f"netværkene.",
            APPROVED, _supporting(offers_item), (("knowledge_bank", CONTRADICTS),)),
        FindingPlan(
            "activity_kinds",
            f"Netværksmøderne er den aktivitet, flest medlemsorganisationer har deltaget i: {networks.members} af "
            f"{archive.overview.members} ({_percent(networks.percent)}) i 2018–2020, mod "
            f"{_percent(kinds[ActivityKind.SEMINAR].percent)} i årsseminaret, "
            f"{_percent(kinds[ActivityKind.WEBINAR].percent)} i webinarerne og "
            f"{_percent(kinds[ActivityKind.COURSE].percent)} i kurserne. Netværkene går også igen i arkivet: "
            f"søgningen »netværk« finder {_number(hits)} af dets {_number(documents)} daterede dokumenter.",
            APPROVED, ((archive.activities("kinds"), SUPPORTS), (search_item, SUPPORTS), (documents_item, CONTEXT)),
            (("networks", SUPPORTS),)),
        FindingPlan(
            "survey_networks",
            f"{_percent(agree)} af de medlemmer, der har taget stilling, er enige i, at netværkene giver dem nyttig "
            f"sparring med kolleger fra andre organisationer – den højeste andel blandt de syv udsagn om AlmenNet. "
            f"{dont_know} svarer »ved ikke«.",
            REVIEWED, _supporting(statements_item), (("networks", SUPPORTS),)),
        FindingPlan(
            "interview_networks",
            "Netværket er det, medlemmerne i interviewene selv fremhæver: en driftschef og en byggechef siger, at "
            "netværket alene er kontingentet værd, og en boligsocial projektleder, at netværket »reddede mit første "
            "år«.",
            REVIEWED, _supporting(
                interviews.cell("netvaerk", StakeholderGroup.MEMBER),
                interviews.quote("I05", "netvaerk", "Det boligsociale netværk, helt klart"),
                interviews.quote("I07", "kontingent", "For os er det ikke det store spørgsmål")),
            (("networks", SUPPORTS),), (OPERATIONS,)),
    ]


def _reach_findings(channels: _Channels) -> list[FindingPlan]:
    """Challenge 2: whom the association reaches."""
    survey, archive, interviews = channels.survey, channels.archive, channels.interviews
    by_size_item, by_size = survey.save("member", by="size")
    bands = {size_band_label(band): smallest for band, smallest in enumerate(SIZE_BANDS)}
    small = [row for row in archive.overview.by_size if row.group in bands and bands[row.group] < 1000]
    large = [row for row in archive.overview.by_size if row.group in bands and bands[row.group] >= 1000]
    small_members, small_reached = sum(row.members for row in small), sum(row.reached for row in small)
    large_members, large_reached = sum(row.members for row in large), sum(row.reached for row in large)
    channels_item, by_member = survey.save("channels", by="member")
    outside = 100 - (survey.cell(by_member, "none", "member", "no") or 0.0)
    return [
        FindingPlan(
            "survey_member_size",
            f"Kun {_percent(survey.cell(by_size, 'yes', 'size', 'under_500'))} af svarpersonerne fra organisationer "
            f"med under 500 boliger siger, at organisationen er medlem af AlmenNet, mod "
            f"{_percent(survey.cell(by_size, 'yes', 'size', 'from_10000'))} blandt dem med 10.000 boliger eller "
            f"flere.",
            APPROVED, _supporting(by_size_item), (("small", SUPPORTS),), (SMALL,)),
        FindingPlan(
            "activity_reach_size",
            f"De små medlemsorganisationer deltager lige så ofte som de store: {small_reached} af {small_members} "
            f"medlemmer med under 1.000 boliger ({_share(small_reached, small_members)}) har deltaget i mindst én "
            f"aktivitet i 2018–2020, mod {large_reached} af {large_members} "
            f"({_share(large_reached, large_members)}) med 1.000 boliger eller flere.",
            APPROVED, _supporting(archive.activities("reach")), (("small", CONTRADICTS),), (SMALL,)),
        FindingPlan(
            "interview_distance",
            "De små medlemmer i interviewene fortæller, at afstand og få ansatte holder dem væk: et møde i "
            "København koster en hel dag med fire timers kørsel hver vej, og kun én kan tage af sted, fordi "
            "kontoret skal passes.",
            REVIEWED, _supporting(interviews.quote("I04", "netvaerk", "Jamen, det meste foregår jo i København"),
                                  interviews.cell("netvaerk", StakeholderGroup.MEMBER)),
            (("small", SUPPORTS),), (SMALL,)),
        FindingPlan(
            "survey_nonmembers",
            f"{_percent(outside)} af svarpersonerne fra organisationer, der ikke er medlemmer, får viden fra "
            f"AlmenNet på en eller anden måde – oftest gennem nyhedsbrevet "
            f"({_percent(survey.cell(by_member, 'newsletter', 'member', 'no'))}) og hjemmesiden "
            f"({_percent(survey.cell(by_member, 'website', 'member', 'no'))}). Spørgeskemaet gik til personer i "
            f"AlmenNets eget register.",
            REVIEWED, _supporting(channels_item), (("outsiders", CONTRADICTS),)),
        FindingPlan(
            "interview_outsiders",
            "Uden for medlemskredsen kender man kun AlmenNet på afstand: en kommunal projektleder, to rådgivere, en "
            "entreprenør og en forsker fortæller, at deres kolleger ikke ved, hvad AlmenNet er – »hvis du spurgte "
            "tyve ingeniører i vores branche, så ville måske tre kunne sige hvad AlmenNet er«.",
            APPROVED, _supporting(*(interviews.cell("synlighed", group) for group in (
                StakeholderGroup.MUNICIPALITY, StakeholderGroup.ADVISER, StakeholderGroup.CONTRACTOR,
                StakeholderGroup.RESEARCH))),
            (("outsiders", SUPPORTS),), (PARTNERS,)),
    ]


def _fee_findings(channels: _Channels) -> list[FindingPlan]:
    """Challenge 3: what the membership is worth."""
    survey, interviews = channels.survey, channels.interviews
    statements_item, statements = survey.save("statements", only=("member", "yes"))
    agree, disagree, dont_know = _statement(statements, "value")
    return [
        FindingPlan(
            "survey_value",
            f"{_percent(agree)} af medlemmerne er enige i, at medlemskabet er pengene værd, og {_percent(disagree)} "
            f"er uenige; {dont_know} svarer »ved ikke«.",
            APPROVED, _supporting(statements_item), (("fee", SUPPORTS),)),
        FindingPlan(
            "interview_fee",
            "De små medlemmer i interviewene tvivler på, at kontingentet svarer til værdien: for dem er beløbet "
            "mærkbart, deres bestyrelser spørger hvert år, hvad de får for det, og den ene har været tæt på at "
            "melde sig ud. For de store er kontingentet småpenge.",
            REVIEWED, (*_supporting(interviews.cell("kontingent", StakeholderGroup.MEMBER),
                                    interviews.quote("I04", "kontingent", "Det ved jeg sgu ikke")),
                       (interviews.quote("I07", "kontingent", "For os er det ikke det store spørgsmål"), CONTEXT)),
            (("fee", CONTRADICTS),), (SMALL,)),
        FindingPlan(
            "interview_benchmark",
            "Tre store medlemmer – en direktør, en byggechef og en økonomichef – siger, at de gerne vil betale mere "
            "for fælles data: nøgletal, benchmarking eller et fælles måleprogram. Spørgeskemaet spurgte ikke om "
            "betalingsvilje.",
            DRAFT, _supporting(interviews.quote("I01", "kontingent", "Data. Lad mig sige det helt kort"),
                               interviews.quote("I03", "kontingent", "Ja, for os er det ikke et stort beløb"),
                               interviews.quote("I06", "kontingent", "Hvis kurserne forsvandt")),
            (("benchmarking", SUPPORTS),), (DIRECTORS,)),
    ]


def _communication_findings(channels: _Channels) -> list[FindingPlan]:
    """Challenge 4: whether the knowledge reaches the members."""
    survey, interviews = channels.survey, channels.interviews
    statements_item, statements = survey.save("statements", only=("member", "yes"))
    agree, disagree, _dont_know = _statement(statements, "website")
    channels_item, by_member = survey.save("channels", by="member")
    newsletter = interviews.cell("nyhedsbrev", StakeholderGroup.MEMBER)

    def members(value: str) -> str:
        return _percent(survey.cell(by_member, value, "member", "yes"))

    return [
        FindingPlan(
            "survey_website",
            f"Kun {_percent(agree)} af medlemmerne er enige i, at det er let at finde det, de søger, på hjemmesiden "
            f"– den laveste andel blandt de syv udsagn om AlmenNet; {_percent(disagree)} er uenige.",
            APPROVED, _supporting(statements_item), (("website", CONTRADICTS),), (MEMBERS,)),
        FindingPlan(
            "interview_website",
            "Medlemmer i interviewene kan ikke finde vejledningerne på hjemmesiden: en søgning giver fyrre "
            "resultater, halvdelen fra 2014, og en økonomichef endte med at google sig frem til en kommunes "
            "vejledning, selv om AlmenNet havde en.",
            REVIEWED, _supporting(newsletter, interviews.quote("I06", "nyhedsbrev", "Ja, eller bare bedre sortering")),
            (("website", CONTRADICTS),), (MEMBERS,)),
        FindingPlan(
            "survey_newsletter",
            f"{members('newsletter')} af medlemmerne får viden fra AlmenNet gennem nyhedsbrevet – flere end gennem "
            f"arrangementerne ({members('events')}), netværksmøderne ({members('networks')}) og hjemmesiden "
            f"({members('website')}).",
            APPROVED, _supporting(channels_item), (("newsletter", SUPPORTS),)),
        FindingPlan(
            "interview_newsletter",
            "Nyhedsbrevet når frem: fem af de otte medlemmer i interviewene får det og læser i hvert fald "
            "overskrifterne, men en direktør og en økonomichef skimmer det kun, fordi det er for langt og bredt.",
            REVIEWED, _supporting(newsletter, interviews.quote("I01", "nyhedsbrev", "Jeg skimmer det")),
            (("newsletter", SUPPORTS),), (DIRECTORS, MEMBERS)),
    ]


def _corona_findings(channels: _Channels) -> list[FindingPlan]:
    """Challenge 5: the lockdown of March 2020 and meeting online."""
    archive, interviews = channels.archive, channels.interviews
    change = archive.overview.change
    if change is None:
        raise RuntimeError("the demo's activity records are not imported")
    before, after = change.before, change.after
    trend_item, trend = channels.web.save("overview", "trend")
    areas_item, areas = channels.web.save("content", "areas")
    lockdown = weblog.LOCKDOWN.replace(day=1)  # the months from March 2020 count as after it
    views_before = [views for month, views, *_rest in trend.rows if month < lockdown]
    views_after = [views for month, views, *_rest in trend.rows if month >= lockdown]
    columns = {heading: column for column, heading in enumerate(areas.headings)}

    def area_share(name: str, *, after_lockdown: bool) -> str:
        rows = [row for row in areas.rows if (row[0] >= lockdown) == after_lockdown]
        return _share(sum(row[columns[name]] for row in rows), sum(sum(row[1:]) for row in rows))

    return [
        FindingPlan(
            "activity_change",
            f"Efter nedlukningen i marts 2020 holdt AlmenNet flere aktiviteter end før: "
            f"{_decimal(after.held_per_month)} om måneden mod {_decimal(before.held_per_month)}, og "
            f"{after.organisations} organisationer deltog på {after.months} måneder mod {before.organisations} på "
            f"de {before.months} måneder før. {_percent(after.online_percent)} af aktiviteterne var online, og de "
            f"samlede færre deltagere: {_decimal(after.participants_per_activity)} pr. aktivitet mod "
            f"{_decimal(before.participants_per_activity)} før.",
            APPROVED, _supporting(archive.activities("change")), (("lockdown", CONTRADICTS), ("online", CONTRADICTS))),
        FindingPlan(
            "web_trend",
            f"Trafikken på hjemmesiden holdt niveauet under nedlukningen: i gennemsnit "
            f"{_number(sum(views_after) / len(views_after))} sidevisninger om måneden i marts–september 2020 mod "
            f"{_number(sum(views_before) / len(views_before))} i oktober 2019–februar 2020. Vidensbankens andel af "
            f"sidevisningerne steg fra {area_share(weblog.KNOWLEDGE.name, after_lockdown=False)} til "
            f"{area_share(weblog.KNOWLEDGE.name, after_lockdown=True)}, mens arrangementernes faldt fra "
            f"{area_share(weblog.EVENTS.name, after_lockdown=False)} til "
            f"{area_share(weblog.EVENTS.name, after_lockdown=True)}.",
            REVIEWED, _supporting(trend_item, areas_item), (("lockdown", CONTRADICTS),)),
        FindingPlan(
            "interview_online",
            "Online-møderne under corona fik medlemmer langt fra København med – for en lille organisation i "
            "Vestjylland var det »første gang, vi rigtig var med til noget«. Men medlemmerne i netværkene savner de "
            "fysiske møder og vil have en blanding: et par møder i virkeligheden og resten online.",
            REVIEWED, _supporting(interviews.quote("I04", "digitalisering", "Det behøver ikke være så meget"),
                                  interviews.cell("digitalisering", StakeholderGroup.MEMBER)),
            (("lockdown", CONTRADICTS), ("online", CONTRADICTS)), (SMALL,)),
    ]


def _topic_findings(channels: _Channels) -> list[FindingPlan]:
    """Challenge 6: the topics towards 2030, and what each segment wants more of."""
    survey = channels.survey
    green_item, with_code, texts = channels.interviews.code("baeredygtighed")
    terms_item, terms = channels.web.save("sources", "search_terms")
    searched = {term: (rank, count) for rank, (term, count) in enumerate(terms.rows, start=1)}
    green = searched.get("grøn omstilling")
    green_text = (f"»grøn omstilling« er søgt {_times(green[1])} og er nr. {green[0]} blandt søgeordene"
                  if green else "»grøn omstilling« er ikke blandt de 50 hyppigste søgeord")
    top_term, top_count = terms.rows[0]
    formats_item, formats = survey.save("formats", by="role")

    def wanted(value: str, role: str) -> str:
        return _percent(survey.cell(formats, value, "role", role))

    return [
        FindingPlan(
            "interview_green",
            f"Grøn omstilling og renovering går igen i {with_code} af de {texts} interview, og flere nævner den "
            f"grønne omstilling som sektorens største udfordring frem mod 2030.",
            REVIEWED, _supporting(green_item), (("green", SUPPORTS),)),
        FindingPlan(
            "web_search_green",
            f"Søgningerne på hjemmesiden peger ikke på grøn omstilling: {green_text}, mens »{top_term}« er søgt "
            f"{_times(top_count)}. »Renovering« kan dog dække energirenovering, så fundet skal gennemgås.",
            DRAFT, _supporting(terms_item), (("green", CONTRADICTS),)),
        FindingPlan(
            "survey_formats",
            f"Segmenterne vil have forskellige tilbud: driftsfolk vil helst have flere erfa-grupper "
            f"({wanted('peer_groups', 'operations')}) og værktøjer og skabeloner ({wanted('tools', 'operations')}), "
            f"direktører analyser og tal om sektoren ({wanted('analyses', 'management')}), og medlemmer af "
            f"organisationsbestyrelser kurser ({wanted('courses', 'board')}).",
            REVIEWED, _supporting(formats_item), (), (OPERATIONS, DIRECTORS, BOARDS)),
    ]


FINDING_GROUPS: tuple[Callable[[_Channels], list[FindingPlan]], ...] = (
    _use_findings, _reach_findings, _fee_findings, _communication_findings, _corona_findings, _topic_findings)


# --- the build ----------------------------------------------------------------------------------------------------


def evidence_base_build(*, process: StrategyProcess, actor: Any, users: dict[str, Any], report: Any) -> None:
    """The workshop, the evidence, the findings, the verdicts and the needs, in that order."""
    steps = 2 + len(FINDING_GROUPS) + 2
    assumptions = _workshop(process, actor, users)
    report(1, steps)
    channels = _Channels(_Survey(process, actor), _Web(process, actor), _Archive(process, actor),
                         _Interviews(process, actor, users["analyst"]))
    report(2, steps)
    findings: dict[str, Finding] = {}
    for done, group in enumerate(FINDING_GROUPS, start=3):
        for plan in group(channels):
            findings[plan.key] = _finding_create(process, actor, plan, assumptions)
        report(done, steps)
    _verdicts_set(process, actor, assumptions)
    report(steps - 1, steps)
    for segment, statement, keys in NEEDS:
        evidence_services.need_create(process=process, actor=actor, segment=segment, statement=statement,
                                      findings=[findings[key] for key in keys])
    report(steps, steps)


def _workshop(process: StrategyProcess, actor: Any, users: dict[str, Any]) -> dict[str, Assumption]:
    made = {}
    for plan in WORKSHOP:
        challenge = evidence_services.challenge_create(process=process, actor=actor, title=plan.title,
                                                       description=plan.description)
        for assumption in plan.assumptions:
            made[assumption.key] = evidence_services.assumption_create(
                process=process, actor=actor, statement=assumption.statement, challenge=challenge,
                held_by=assumption.held_by, importance=assumption.importance,
                must_be_true=assumption.must_be_true, would_confirm=assumption.would_confirm,
                would_refute=assumption.would_refute, channels=list(assumption.channels),
                sceptic=users[assumption.sceptic])
    return made


def _finding_create(process: StrategyProcess, actor: Any, plan: FindingPlan, assumptions: dict[str, Assumption]
                    ) -> Finding:
    """A finding written as a draft with its evidence, then reviewed or approved, then brought to bear on the
    assumptions."""
    finding = evidence_services.finding_create(process=process, actor=actor, statement=plan.statement,
                                               segments=plan.segments)
    for item, stance in plan.evidence:
        evidence_services.finding_evidence_link(finding=finding, actor=actor, item=item, stance=stance)
    if plan.status != DRAFT:
        evidence_services.finding_update(finding=finding, actor=actor, statement=plan.statement,
                                         segments=plan.segments, status=plan.status)
    for key, stance in plan.assumptions:
        evidence_services.assumption_finding_link(assumption=assumptions[key], actor=actor, finding=finding,
                                                  stance=stance)
    return finding


def _verdicts_set(process: StrategyProcess, actor: Any, assumptions: dict[str, Assumption]) -> None:
    """Each planned verdict against what the findings now propose: a planned verdict that departs from the
    proposal without saying so would claim more than the demo data shows, so it stops the build."""
    proposals = {review.assumption.pk: review.proposal.verdict
                 for review in evidence_selectors.assumption_reviews(process)}
    for key, assumption in assumptions.items():
        plan, proposed = VERDICTS[key], proposals[assumption.pk]
        if (plan.verdict != proposed) != plan.departs:
            raise RuntimeError(f"the demo's evidence proposes {proposed} for “{assumption.statement}”, and the "
                               f"planned verdict {plan.verdict} {'was' if plan.departs else 'was not'} to depart "
                               f"from the proposal: update VERDICTS")
        evidence_services.verdict_set(assumption=assumption, actor=actor, verdict=plan.verdict, reason=plan.reason,
                                      proposed=proposed)
