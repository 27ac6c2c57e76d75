"""The content of the demo's strategy work, as plain data: the four strategy options AlmenNet's board chose between
in the autumn of 2021, the seven criteria they were scored on, the six board members with their weights and scores,
three scenarios, the stakeholder validation round and the board's decision.

Demo data in Danish, not interface text, so nothing here is translated. What each option's conditions rest on is
quoted word for word from the board's assumptions and the findings in ``evidence_build.py``: the demo finds those
rows by their statement. Pure: no Django, no models.

The scores make a close call on purpose: under the board's combined weights the network option and the knowledge
hub are near each other at the top and the status quo last, and the chair's and one other member's own weights put
the hub first. tests/demo/test_strategy_content.py checks this with ``evidens.strategy.mcda``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from evidens.demo.data import (
    SEGMENT_BOARD,
    SEGMENT_MANAGEMENT,
    SEGMENT_MUNICIPALITY,
    SEGMENT_OPERATIONS,
    SEGMENT_PARTNER,
)


@dataclass(frozen=True)
class ConditionText:
    """What would have to be true for an option to work, and the assumptions and findings that bear on it."""

    statement: str
    assumptions: tuple[str, ...]  # statements of assumptions in evidence_build.py
    findings: tuple[str, ...]  # statements of findings in evidence_build.py


@dataclass(frozen=True)
class OptionText:
    key: str
    title: str
    is_status_quo: bool
    summary: str
    ambition: str
    where_to_play: str
    how_to_win: str
    capabilities: str
    partnerships: str
    costs: str
    income: str
    fee: str
    risks: str
    conditions: tuple[ConditionText, ...]
    first_draft: dict[str, str] = field(default_factory=dict)  # field -> its earlier wording, for a version history


@dataclass(frozen=True)
class CriterionText:
    key: str
    group: str
    name: str
    description: str
    benefit: bool  # False: a higher score is worse (a cost criterion)
    scale: tuple[str, str, str, str, str]  # what a score of 1, 2, 3, 4 and 5 means


@dataclass(frozen=True)
class BoardMemberText:
    key: str
    name: str
    title: str
    username: str | None  # the demo login of the one member who has one
    method: str  # "direct", "swing" or "ahp"
    points: dict[str, float] = field(default_factory=dict)  # criterion -> points (direct, swing: the top one 100)
    judgements: dict[tuple[str, str], float] = field(default_factory=dict)  # (a, b) -> how much a over b (ahp)


@dataclass(frozen=True)
class ScoreText:
    member: str
    option: str
    criterion: str
    value: int  # 1..5, read with the criterion's scale
    reason: str = ""


@dataclass(frozen=True)
class ConditionCheck:
    """How many of each segment at the validation workshop agreed that a condition of an option holds."""

    option: str
    condition: str  # the condition's statement
    agree: dict[str, float]  # segment -> share agreeing, 0..1


@dataclass(frozen=True)
class CommentText:
    option: str
    segment: str
    text: str


@dataclass(frozen=True)
class ValidationText:
    title: str
    held_on: date
    participants: dict[str, int]  # segment -> people taking part
    checks: tuple[ConditionCheck, ...]
    comments: tuple[CommentText, ...]
    summary: str


@dataclass(frozen=True)
class DissentText:
    member: str
    vote: str  # "against" or "abstain"
    reason: str


@dataclass(frozen=True)
class DecisionText:
    option: str
    meeting: str
    decided_on: date
    votes_for: int
    votes_against: int
    votes_abstain: int
    dissent: tuple[DissentText, ...]
    rationale: str
    goals: tuple[tuple[str, str, str, date], ...]  # (goal, measure, target, deadline)


# --- what the conditions rest on, word for word from evidence_build.py ---------------------------------------------

_ASSUMPTIONS: dict[str, str] = {
    "knowledge_bank": "Medlemmerne bruger primært vidensbanken på hjemmesiden.",
    "networks": "Netværkene er det tilbud, medlemmerne værdsætter højest.",
    "small": "Vi når ikke de små boligorganisationer.",
    "outsiders": "Uden for medlemskredsen kender man ikke AlmenNet.",
    "fee": "Kontingentet svarer til den værdi, medlemmerne får.",
    "benchmarking": "De store medlemmer vil betale et højere kontingent for data og benchmarking.",
    "website": "Det er let at finde AlmenNets viden på hjemmesiden.",
    "newsletter": "Nyhedsbrevet er den kanal, der når flest medlemmer.",
    "lockdown": "Medlemmerne faldt fra, da de fysiske arrangementer blev aflyst under corona.",
    "online": "Online-møder kan erstatte de fysiske netværksmøder.",
    "green": "Grøn omstilling er det emne, medlemmerne vil have mest viden om frem mod 2030.",
}

# Only findings whose statement is fixed text: the others carry figures read from the demo data when it is built.
_FINDINGS: dict[str, str] = {
    "interview_networks": (
        "Netværket er det, medlemmerne i interviewene selv fremhæver: en driftschef og en byggechef siger, at "
        "netværket alene er kontingentet værd, og en boligsocial projektleder, at netværket »reddede mit første "
        "år«."),
    "interview_distance": (
        "De små medlemmer i interviewene fortæller, at afstand og få ansatte holder dem væk: et møde i "
        "København koster en hel dag med fire timers kørsel hver vej, og kun én kan tage af sted, fordi "
        "kontoret skal passes."),
    "interview_outsiders": (
        "Uden for medlemskredsen kender man kun AlmenNet på afstand: en kommunal projektleder, to rådgivere, en "
        "entreprenør og en forsker fortæller, at deres kolleger ikke ved, hvad AlmenNet er – »hvis du spurgte "
        "tyve ingeniører i vores branche, så ville måske tre kunne sige hvad AlmenNet er«."),
    "interview_fee": (
        "De små medlemmer i interviewene tvivler på, at kontingentet svarer til værdien: for dem er beløbet "
        "mærkbart, deres bestyrelser spørger hvert år, hvad de får for det, og den ene har været tæt på at "
        "melde sig ud. For de store er kontingentet småpenge."),
    "interview_benchmark": (
        "Tre store medlemmer – en direktør, en byggechef og en økonomichef – siger, at de gerne vil betale mere "
        "for fælles data: nøgletal, benchmarking eller et fælles måleprogram. Spørgeskemaet spurgte ikke om "
        "betalingsvilje."),
    "interview_website": (
        "Medlemmer i interviewene kan ikke finde vejledningerne på hjemmesiden: en søgning giver fyrre "
        "resultater, halvdelen fra 2014, og en økonomichef endte med at google sig frem til en kommunes "
        "vejledning, selv om AlmenNet havde en."),
    "interview_newsletter": (
        "Nyhedsbrevet når frem: fem af de otte medlemmer i interviewene får det og læser i hvert fald "
        "overskrifterne, men en direktør og en økonomichef skimmer det kun, fordi det er for langt og bredt."),
    "interview_online": (
        "Online-møderne under corona fik medlemmer langt fra København med – for en lille organisation i "
        "Vestjylland var det »første gang, vi rigtig var med til noget«. Men medlemmerne i netværkene savner de "
        "fysiske møder og vil have en blanding: et par møder i virkeligheden og resten online."),
}


def _condition(statement: str, assumptions: tuple[str, ...], findings: tuple[str, ...] = ()) -> ConditionText:
    """A condition resting on the assumptions and findings with these keys in evidence_build.py."""
    return ConditionText(statement, tuple(_ASSUMPTIONS[key] for key in assumptions),
                         tuple(_FINDINGS[key] for key in findings))


# --- the options -----------------------------------------------------------------------------------------------------

STATUS_QUO, HUB, NETWORK, DIGITAL = "status_quo", "videnshub", "netvaerk", "digital"

OPTIONS: tuple[OptionText, ...] = (
    OptionText(
        key=STATUS_QUO,
        title="Fortsæt som i dag",
        is_status_quo=True,
        summary="AlmenNet fortsætter med de tilbud, foreningen har i dag: vidensbanken, nyhedsbrevet, seks netværk, "
                "kurser, temadage og årsseminaret, betalt af kontingent og kursusindtægter.",
        ambition="At fastholde medlemmerne og de kendte tilbud med en sund økonomi og et kontingent, der ikke stiger.",
        where_to_play="De nuværende medlemmer, især de store og mellemstore boligorganisationer, med hele bredden af "
                      "emner fra drift og udlejning til byggeri og beboerdemokrati.",
        how_to_win="Ved at levere de kendte tilbud stabilt og i god kvalitet og lade tilbuddene følge, hvad "
                   "medlemmerne efterspørger fra år til år.",
        capabilities="Sekretariatets nuværende seks årsværk; ingen nye kompetencer.",
        partnerships="Som i dag: samarbejde med BL og enkelte fonde om konkrete projekter, fra sag til sag.",
        costs="Uændrede driftsudgifter på ca. 6,2 mio. kr. om året.",
        income="Kontingent (ca. 3,9 mio. kr.), kurser og temadage (ca. 1,6 mio. kr.) og projektmidler "
               "(ca. 0,7 mio. kr.) om året.",
        fee="Uændret; reguleres kun med nettoprisindekset.",
        risks="Medlemmerne oplever ikke noget nyt, og de små organisationer melder sig ud, når kontingentet drøftes "
              "i deres bestyrelser. Uden for medlemskredsen forbliver AlmenNet ukendt, og kursusindtægterne, der "
              "faldt under corona, kommer ikke nødvendigvis tilbage.",
        conditions=(
            _condition("Medlemmerne skal fortsat mene, at kontingentet er pengene værd – også de små.",
                       ("fee",), ("interview_fee",)),
            _condition("Medlemmerne skal kunne finde og bruge den viden, foreningen allerede udgiver.",
                       ("knowledge_bank", "website"), ("interview_website",)),
            _condition("Medlemmerne skal blive ved med at deltage, sådan som de gjorde under nedlukningen.",
                       ("lockdown",), ("interview_online",)),
        ),
        first_draft={
            "risks": "Medlemmerne oplever ikke noget nyt, og nogle melder sig ud.",
        },
    ),
    OptionText(
        key=HUB,
        title="Sektorens videnscenter",
        is_status_quo=False,
        summary="AlmenNet bliver den almene sektors samlende videnscenter: sammen med BL, Landsbyggefonden, "
                "Realdania og to universiteter samler foreningen data, analyser og erfaringer om drift, renovering "
                "og grøn omstilling og stiller dem til rådighed for hele sektoren.",
        ambition="I 2030 er AlmenNet det sted, boligorganisationer, kommuner og fonde henter viden om den almene "
                 "sektor, og foreningens nøgletal bruges i hele sektoren.",
        where_to_play="Hele den almene sektor – medlemmer og ikke-medlemmer, kommuner, fonde og rådgivere – inden for "
                      "tre temaer: grøn omstilling og renovering, drift og økonomi, og boligsociale indsatser.",
        how_to_win="Ved at samle sektorens data i et fælles benchmarkingprogram, udgive analyser, som ingen andre "
                   "laver, og have partnere, der både bruger og finansierer videnscentret.",
        capabilities="To nye analytikere med data- og forskningskompetencer, en kommunikationsmedarbejder og en ny "
                     "hjemmeside med en vidensbank, der er til at søge i.",
        partnerships="Et partnerskab med BL og Landsbyggefonden om data, en flerårig bevilling fra Realdania eller "
                     "en anden fond og et samarbejde med to universiteter om analyser.",
        costs="Driftsudgifterne stiger til ca. 8,5 mio. kr. om året; heraf 1,5 mio. kr. til analyse og data. Den nye "
              "hjemmeside koster 0,5 mio. kr. i 2022.",
        income="En fondsbevilling på ca. 1,5 mio. kr. om året i fem år, abonnement på benchmarking for de store "
               "medlemmer, kontingent og kurser.",
        fee="Kontingentet stiger ca. 10 %; medlemmer med over 5.000 boliger betaler et tillæg for benchmarking.",
        risks="Strategien hviler på en fondsbevilling, der ikke er givet, og på at de store medlemmer vil betale for "
              "data. De små medlemmer kan opleve, at foreningen bliver mere for sektoren end for dem.",
        conditions=(
            _condition("De store medlemmer skal ville betale ekstra for data og benchmarking.",
                       ("benchmarking",), ("interview_benchmark",)),
            _condition("Kommuner, fonde og rådgivere skal lære AlmenNet at kende og se en grund til at samarbejde "
                       "med foreningen.", ("outsiders",), ("interview_outsiders",)),
            _condition("Grøn omstilling skal være det emne, sektoren har mest brug for viden om.", ("green",)),
            _condition("Videnscentrets viden skal kunne findes, også af dem, der ikke kender AlmenNet i forvejen.",
                       ("website", "knowledge_bank"), ("interview_website",)),
        ),
        first_draft={
            "ambition": "I 2030 er AlmenNet Danmarks førende videnscenter for almene boliger.",
            "fee": "Kontingentet stiger ca. 15 % for alle medlemmer.",
        },
    ),
    OptionText(
        key=NETWORK,
        title="Netværk først",
        is_status_quo=False,
        summary="AlmenNet bygger foreningen op om netværkene: flere ERFA-grupper for driftsfolk, ledere og "
                "bestyrelser i alle landsdele, med en blanding af fysiske møder og online-møder, og med "
                "sekretariatet som facilitator og formidler af det, grupperne lærer.",
        ambition="I 2030 er alle medlemmer med i mindst én ERFA-gruppe, og mindst halvdelen af de små medlemmer "
                 "deltager jævnligt.",
        where_to_play="Medlemmerne og de boligorganisationer, der kunne blive det – med vægt på driftsfolk, små "
                      "organisationer og nye bestyrelsesmedlemmer i hele landet.",
        how_to_win="Ved at give en sparring med kolleger, som ingen andre tilbyder: faste grupper med en tovholder, "
                   "to fysiske møder om året øst og vest for Storebælt og resten online, og korte notater, der deler "
                   "gruppernes erfaringer med alle medlemmer.",
        capabilities="Facilitering og netværksledelse (én ny netværkskonsulent), et enkelt system til grupper og "
                     "tilmeldinger, og tovholdere blandt medlemmerne.",
        partnerships="Samarbejde med Foreningen af Almene Driftsfolk og med boligorganisationer i landsdelene om "
                     "mødesteder; BL som partner om kurser for nye bestyrelsesmedlemmer.",
        costs="Driftsudgifterne stiger til ca. 7,0 mio. kr. om året, mest til en netværkskonsulent og møder.",
        income="Kontingent, deltagerbetaling for fysiske møder og kurser, og en mindre fondsbevilling til at starte "
               "grupper i Vest- og Nordjylland.",
        fee="Et nyt kontingent efter størrelse: medlemmer med under 1.000 boliger betaler mindre, de største ca. "
            "5 % mere.",
        risks="Strategien afhænger af, at medlemmerne selv vil bære grupperne som tovholdere, og at online-møderne "
              "kan holde fast i dem, der bor langt fra København. AlmenNets synlighed uden for medlemskredsen vokser "
              "ikke af sig selv.",
        conditions=(
            _condition("Medlemmerne skal værdsætte netværkene højere end foreningens øvrige tilbud.",
                       ("networks",), ("interview_networks",)),
            _condition("De små organisationer skal kunne deltage uden at bruge en hel rejsedag.",
                       ("small", "online"), ("interview_distance", "interview_online")),
            _condition("Et kontingent efter størrelse skal kunne holde på de små medlemmer.",
                       ("fee",), ("interview_fee",)),
        ),
        first_draft={
            "ambition": "I 2030 er alle medlemmer med i mindst én ERFA-gruppe.",
            "fee": "Uændret kontingent.",
            "how_to_win": "Ved at oprette flere netværk og holde flere netværksmøder.",
        },
    ),
    OptionText(
        key=DIGITAL,
        title="Slank digital videnstjeneste",
        is_status_quo=False,
        summary="AlmenNet bliver en slank, digital videnstjeneste: en ny hjemmeside med en vidensbank, der er let at "
                "søge i, et kortere nyhedsbrev, webinarer og online-kurser. De fysiske arrangementer skæres ned til "
                "årsseminaret.",
        ambition="I 2030 finder alle i den almene sektor svar på deres faglige spørgsmål hos AlmenNet på under fem "
                 "minutter.",
        where_to_play="Alle medarbejdere og bestyrelsesmedlemmer i den almene sektor, der søger viden online – "
                      "medlemmer og ikke-medlemmer – med vejledninger, skabeloner og værktøjer.",
        how_to_win="Ved at være hurtigst og lettest at bruge: opdaterede vejledninger, en god søgning, korte webinarer "
                   "og et nyhedsbrev med det vigtigste først.",
        capabilities="Digital redaktion og webudvikling (én ny stilling) og færre kræfter på arrangementer; "
                     "sekretariatet går fra seks til fem årsværk.",
        partnerships="Indholdssamarbejde med BL og rådgivere om vejledninger; en leverandør af en platform til "
                     "online-kurser.",
        costs="Driftsudgifterne falder til ca. 5,6 mio. kr. om året efter en engangsinvestering på 0,8 mio. kr. i "
              "hjemmeside og kursusplatform.",
        income="Kontingent og betaling for online-kurser; færre indtægter fra fysiske kurser og temadage.",
        fee="Uændret, og et lavere kontingent for medlemmer med under 500 boliger.",
        risks="Online kan ikke erstatte netværksmøderne, som medlemmerne sætter højest, og foreningen kan miste det, "
              "der gør den til mere end en hjemmeside. Indtægterne fra fysiske kurser forsvinder hurtigere, end "
              "online-kurserne vokser.",
        conditions=(
            _condition("Medlemmerne skal bruge vidensbanken og kunne finde det, de søger.",
                       ("knowledge_bank", "website"), ("interview_website",)),
            _condition("Webinarer og online-møder skal kunne erstatte de fysiske møder.",
                       ("online", "lockdown"), ("interview_online",)),
            _condition("Nyhedsbrevet skal nå medlemmerne og blive læst.",
                       ("newsletter",), ("interview_newsletter",)),
        ),
        first_draft={
            "summary": "AlmenNet lukker de fysiske arrangementer og flytter alt online.",
        },
    ),
)


# --- the criteria ----------------------------------------------------------------------------------------------------

VALUE, ECONOMY, FEASIBILITY = "Værdi for medlemmerne", "Økonomi", "Gennemførlighed og risiko"

CRITERIA: tuple[CriterionText, ...] = (
    CriterionText(
        "nytte", VALUE, "Nytte i hverdagen",
        "Hvor meget medlemmernes medarbejdere og bestyrelser får ud af tilbuddene i deres daglige arbejde.",
        True,
        ("Medlemmerne mærker ingen forskel i deres arbejde",
         "Enkelte medlemmer får lidt ud af det",
         "Nyttigt for en del medlemmer, men ikke noget, de ville savne",
         "De fleste medlemmer bruger det jævnligt i deres arbejde",
         "Medlemmerne ville savne det med det samme – det gør deres arbejde bedre")),
    CriterionText(
        "bredde", VALUE, "Når hele sektoren",
        "Om tilbuddene når små og store boligorganisationer i hele landet – ikke kun de store i hovedstadsområdet – "
        "og både driftsfolk, ledere og bestyrelser.",
        True,
        ("Kun få store medlemmer i hovedstadsområdet",
         "Mest de store medlemmer og dem tæt på København",
         "Store og mellemstore i hele landet, men få små",
         "De fleste medlemmer, også de små, men ikke alle faggrupper",
         "Små og store i hele landet og alle faggrupper, også ikke-medlemmer")),
    CriterionText(
        "gennemslag", VALUE, "Gennemslag i sektoren",
        "Om kommuner, fonde, BL, Landsbyggefonden og rådgivere kender AlmenNet og bruger foreningens viden, så "
        "medlemmerne får en stemme uden for deres egen kreds.",
        True,
        ("Kendt af næsten ingen uden for medlemskredsen",
         "Kendt af enkelte samarbejdspartnere",
         "Kendt af de nærmeste partnere og nogle kommuner",
         "En naturlig samarbejdspartner for fonde, kommuner og BL",
         "Den stemme, sektoren og dens partnere spørger først")),
    CriterionText(
        "oekonomi", ECONOMY, "Robust økonomi",
        "Om foreningens økonomi kan bære strategien frem mod 2030 uden at hvile på én indtægtskilde.",
        True,
        ("Underskud inden for få år eller afhængig af én bevilling",
         "Balance kun med stramme budgetter og ingen buffer",
         "Balance med en lille buffer",
         "Flere indtægtskilder og en buffer til det uforudsete",
         "Flere solide indtægtskilder og plads til at investere i nyt")),
    CriterionText(
        "kontingent", ECONOMY, "Kontingentstigning",
        "Hvor meget medlemmernes kontingent skal stige for at betale for strategien. En høj score er en stor "
        "stigning.",
        False,
        ("Ingen stigning ud over den årlige regulering",
         "En stigning på op til 5 %",
         "En stigning på 5–15 %",
         "En stigning på 15–25 %",
         "En stigning på over 25 %")),
    CriterionText(
        "kapacitet", FEASIBILITY, "Sekretariatets kapacitet",
        "Om sekretariatet har folk og kompetencer til at gennemføre strategien, uden at andre opgaver lider.",
        True,
        ("Kræver et helt nyt sekretariat",
         "Kræver flere nye stillinger og kompetencer, vi ikke har i dag",
         "Kræver en ny stilling eller at flere opgaver prioriteres ned",
         "Kan løftes med små omprioriteringer",
         "Kan løftes af sekretariatet, som det er i dag")),
    CriterionText(
        "risiko", FEASIBILITY, "Risiko",
        "Risikoen for, at strategien ikke holder frem mod 2030: at finansieringen udebliver, at medlemmerne ikke "
        "bakker op, eller at foreningen mister sin relevans. En høj score er en høj risiko.",
        False,
        ("Meget lav: afhænger kun af det, foreningen selv styrer",
         "Lav: få afhængigheder, og de kan håndteres",
         "Middel: afhænger af enkelte partnere eller af medlemmernes opbakning",
         "Høj: afhænger af flere partnere og ny finansiering, eller foreningen taber terræn",
         "Meget høj: afhænger af store bevillinger, der ikke er givet")),
)


# --- the board -------------------------------------------------------------------------------------------------------

BOARD: tuple[BoardMemberText, ...] = (
    BoardMemberText(
        "holst", "Lars Østergaard Holst", "Formand, administrerende direktør i Boligselskabet Øresundskysten",
        None, "ahp",
        judgements={
            ("nytte", "bredde"): 2, ("nytte", "gennemslag"): 1, ("nytte", "oekonomi"): 1, ("nytte", "kontingent"): 5,
            ("nytte", "kapacitet"): 1, ("nytte", "risiko"): 1,
            ("bredde", "gennemslag"): 1 / 3, ("bredde", "oekonomi"): 1 / 4, ("bredde", "kontingent"): 2,
            ("bredde", "kapacitet"): 1 / 2, ("bredde", "risiko"): 2,
            ("gennemslag", "oekonomi"): 1, ("gennemslag", "kontingent"): 6, ("gennemslag", "kapacitet"): 2,
            ("gennemslag", "risiko"): 3,
            ("oekonomi", "kontingent"): 5, ("oekonomi", "kapacitet"): 1, ("oekonomi", "risiko"): 2,
            ("kontingent", "kapacitet"): 1 / 4, ("kontingent", "risiko"): 1 / 3,
            ("kapacitet", "risiko"): 2,
        }),
    # The demo's board login. One slip (capacity far above everyday use) makes her judgements inconsistent, so her
    # page has a judgement to revise.
    BoardMemberText(
        "toft", "Birgit Lindholm Toft",
        "Næstformand, beboervalgt formand for organisationsbestyrelsen i Boligforeningen Ådalen",
        "bestyrelse", "ahp",
        judgements={
            ("nytte", "bredde"): 1, ("nytte", "gennemslag"): 4, ("nytte", "oekonomi"): 3, ("nytte", "kontingent"): 1,
            ("nytte", "kapacitet"): 1 / 4, ("nytte", "risiko"): 3,
            ("bredde", "gennemslag"): 3, ("bredde", "oekonomi"): 2, ("bredde", "kontingent"): 1 / 2,
            ("bredde", "kapacitet"): 3, ("bredde", "risiko"): 2,
            ("gennemslag", "oekonomi"): 1, ("gennemslag", "kontingent"): 1 / 3, ("gennemslag", "kapacitet"): 1,
            ("gennemslag", "risiko"): 1 / 2,
            ("oekonomi", "kontingent"): 1 / 2, ("oekonomi", "kapacitet"): 1, ("oekonomi", "risiko"): 1,
            ("kontingent", "kapacitet"): 3, ("kontingent", "risiko"): 2,
            ("kapacitet", "risiko"): 2,
        }),
    BoardMemberText(
        "thygesen", "Karen Bruun Thygesen", "Bestyrelsesmedlem, direktør i Boligforeningen Limfjordsbo (620 boliger)",
        None, "direct",
        points={"nytte": 20, "bredde": 20, "gennemslag": 5, "oekonomi": 10, "kontingent": 30, "kapacitet": 5,
                "risiko": 10}),
    BoardMemberText(
        "kjaer", "Mogens Bach Kjær", "Bestyrelsesmedlem, driftschef i Boligselskabet Kronjylland",
        None, "swing",
        points={"nytte": 100, "bredde": 60, "gennemslag": 30, "oekonomi": 40, "kontingent": 50, "kapacitet": 70,
                "risiko": 40}),
    BoardMemberText(
        "mikkelsen", "Hanne Lund Mikkelsen", "Bestyrelsesmedlem, økonomidirektør i Vestegnens Boligadministration",
        None, "direct",
        points={"nytte": 15, "bredde": 10, "gennemslag": 10, "oekonomi": 25, "kontingent": 15, "kapacitet": 5,
                "risiko": 20}),
    BoardMemberText(
        "winther", "Layla Ahmed Winther", "Bestyrelsesmedlem, boligsocial chef i Fynsk Almen Bolig",
        None, "ahp",
        judgements={
            ("nytte", "bredde"): 1, ("nytte", "gennemslag"): 1 / 2, ("nytte", "oekonomi"): 1 / 2,
            ("nytte", "kontingent"): 3, ("nytte", "kapacitet"): 1, ("nytte", "risiko"): 2,
            ("bredde", "gennemslag"): 1 / 2, ("bredde", "oekonomi"): 1, ("bredde", "kontingent"): 3,
            ("bredde", "kapacitet"): 1, ("bredde", "risiko"): 2,
            ("gennemslag", "oekonomi"): 2, ("gennemslag", "kontingent"): 4, ("gennemslag", "kapacitet"): 2,
            ("gennemslag", "risiko"): 2,
            ("oekonomi", "kontingent"): 1, ("oekonomi", "kapacitet"): 1, ("oekonomi", "risiko"): 1,
            ("kontingent", "kapacitet"): 1, ("kontingent", "risiko"): 1 / 2,
            ("kapacitet", "risiko"): 1,
        }),
)


# --- the scores ------------------------------------------------------------------------------------------------------


def _member_scores(member: str, rows: dict[str, str], reasons: dict[tuple[str, str], str]) -> tuple[ScoreText, ...]:
    """One member's scores: per option a row of values in the order of CRITERIA ("-" where the member gave none),
    and reasons per (option, criterion)."""
    keys = [criterion.key for criterion in CRITERIA]
    scores = {(option, criterion): value
              for option, row in rows.items() for criterion, value in zip(keys, row.split(), strict=True)}
    unscored = [cell for cell in reasons if scores.get(cell, "-") == "-"]
    if unscored:
        raise ValueError(f"{member} gives reasons for scores that are not there: {unscored}")
    return tuple(ScoreText(member, option, criterion, int(value), reasons.get((option, criterion), ""))
                 for (option, criterion), value in scores.items() if value != "-")


SCORES: tuple[ScoreText, ...] = (
    # columns: nytte bredde gennemslag oekonomi kontingent kapacitet risiko
    *_member_scores("holst", {
        STATUS_QUO: "3 2 1 2 1 4 4",
        HUB: "4 4 5 5 3 2 3",
        NETWORK: "4 3 2 3 2 3 2",
        DIGITAL: "3 4 2 3 1 3 3",
    }, {
        (STATUS_QUO, "gennemslag"): "Uden for medlemskredsen kender man os ikke i dag, og status quo ændrer ikke på "
                                    "det.",
        (STATUS_QUO, "kontingent"): "Kontingentet står stille – det er den eneste klare fordel ved status quo.",
        (STATUS_QUO, "risiko"): "Den største risiko er at stå stille, mens medlemmerne spørger, hvad de får for "
                                "pengene.",
        (HUB, "gennemslag"): "Et fælles videnscenter med BL og Landsbyggefonden gør os til den stemme, kommuner og "
                             "fonde spørger først.",
        (HUB, "oekonomi"): "Flere ben at stå på: fondsmidler, abonnement på benchmarking og kontingent.",
        (HUB, "kapacitet"): "Vi skal ansætte analytikere, og det tager tid at finde de rigtige.",
        (NETWORK, "gennemslag"): "Netværkene er gode for medlemmerne, men ingen uden for kredsen hører om dem.",
        (DIGITAL, "nytte"): "En bedre hjemmeside er nødvendig, men den er ikke en strategi i sig selv.",
        (DIGITAL, "kontingent"): "Billigere drift, så kontingentet kan holdes i ro.",
    }),
    *_member_scores("toft", {
        STATUS_QUO: "3 2 2 2 1 4 3",
        HUB: "4 3 5 4 4 2 4",
        NETWORK: "5 3 3 3 2 3 2",
        DIGITAL: "2 4 2 2 1 3 3",
    }, {
        (STATUS_QUO, "bredde"): "Vi ser de samme store organisationer til hvert arrangement.",
        (STATUS_QUO, "kontingent"): "Ingen stigning, og det betyder noget, for kontingentet betales i sidste ende af "
                                    "beboerne over huslejen.",
        (HUB, "gennemslag"): "Med BL, Landsbyggefonden og Realdania om bordet bliver foreningen svær at komme uden "
                             "om.",
        (HUB, "kontingent"): "10 % mere og et tillæg for de store ender på beboernes husleje.",
        (HUB, "risiko"): "Det hele hviler på en fondsbevilling, vi ikke har fået endnu.",
        (NETWORK, "nytte"): "Netværkene er det, folk taler om bagefter. Det er der, viden bliver til praksis.",
        (NETWORK, "bredde"): "Flere grupper i hele landet hjælper, men beboervalgte kan sjældent komme til møder i "
                             "dagtimerne.",
        (DIGITAL, "nytte"): "Beboervalgte lærer ved at mødes, ikke ved at læse vejledninger på nettet.",
        (DIGITAL, "oekonomi"): "Når kurser og temadage forsvinder, forsvinder en stor del af indtægterne også.",
        (DIGITAL, "kontingent"): "Ingen stigning – måske endda et lavere kontingent for de mindste.",
    }),
    *_member_scores("thygesen", {
        STATUS_QUO: "2 1 2 3 1 4 3",
        HUB: "3 2 4 4 5 2 -",
        NETWORK: "5 4 3 3 2 3 2",
        DIGITAL: "3 5 2 3 1 3 3",
    }, {
        (STATUS_QUO, "nytte"): "Vi bruger nyhedsbrevet og en enkelt vejledning om året. Det er for lidt til prisen.",
        (STATUS_QUO, "bredde"): "Fra Limfjorden er et møde i København en hel dag. Som foreningen er i dag, er den "
                                "ikke for os.",
        (STATUS_QUO, "kontingent"): "Kontingentet stiger ikke, men det er allerede mærkbart for en organisation på "
                                    "vores størrelse.",
        (HUB, "bredde"): "Benchmarking og analyser er for de store. Vi har ikke folk til at bruge dem.",
        (HUB, "kontingent"): "10 % mere og et tillæg for data, vi ikke har brug for. Det kan min bestyrelse ikke "
                             "forsvare.",
        (NETWORK, "nytte"): "En ERFA-gruppe med andre små organisationer er lige præcis det, vi mangler.",
        (NETWORK, "bredde"): "Møder vest for Storebælt og online gør, at vi faktisk kan være med.",
        (NETWORK, "kontingent"): "Et kontingent efter størrelse gør det lettere for os at blive i foreningen.",
        (DIGITAL, "nytte"): "Praktisk, men vi mister kollegerne, og det er dem, vi ringer til, når det brænder på.",
        (DIGITAL, "bredde"): "Alt kan bruges hjemmefra, så afstanden betyder ikke noget.",
        (DIGITAL, "kontingent"): "Uændret eller lavere kontingent for de små.",
    }),
    *_member_scores("kjaer", {
        STATUS_QUO: "3 2 2 2 1 4 3",
        HUB: "4 3 - 4 3 2 3",
        NETWORK: "5 3 3 3 3 2 2",
        DIGITAL: "3 3 2 3 2 4 3",
    }, {
        (STATUS_QUO, "kontingent"): "Ingen ændring i kontingentet.",
        (STATUS_QUO, "kapacitet"): "Sekretariatet kender opgaverne og kan fortsætte uden nye folk.",
        (HUB, "nytte"): "Nøgletal for driften ville vi bruge; i dag sammenligner vi os kun med naboorganisationen.",
        (HUB, "kapacitet"): "Det kræver folk med data og analyse, som sekretariatet ikke har i dag.",
        (NETWORK, "nytte"): "Driftsfolk lærer mest af andre driftsfolk. ERFA-grupperne er det, vi kommer efter.",
        (NETWORK, "kontingent"): "Møderne og en netværkskonsulent skal betales af nogen; jeg tror, stigningen bliver "
                                 "større end 5 %.",
        (NETWORK, "kapacitet"): "Én netværkskonsulent rækker ikke til grupper i hele landet.",
        (DIGITAL, "kontingent"): "Hjemmeside og kursusplatform koster også penge, før besparelserne kommer.",
        (DIGITAL, "kapacitet"): "Kan klares med én ny stilling.",
    }),
    *_member_scores("mikkelsen", {
        STATUS_QUO: "2 2 2 2 1 4 4",
        HUB: "4 4 5 4 3 2 5",
        NETWORK: "- 3 3 3 2 3 2",
        DIGITAL: "3 4 2 4 1 4 2",
    }, {
        (STATUS_QUO, "oekonomi"): "Kursusindtægterne faldt under corona, og de kommer ikke alle tilbage.",
        (STATUS_QUO, "kontingent"): "Ingen stigning – men heller ingen plan for de faldende kursusindtægter.",
        (STATUS_QUO, "risiko"): "Budgettet for 2022 hænger kun sammen, hvis ingen melder sig ud.",
        (HUB, "gennemslag"): "Ingen tvivl: med partnerne bliver vi synlige i hele sektoren.",
        (HUB, "oekonomi"): "Flere indtægtskilder – hvis bevillingen kommer.",
        (HUB, "risiko"): "En fondsbevilling på 1,5 mio. kr. om året er ikke givet, og uden den går regnestykket ikke "
                         "op.",
        (NETWORK, "oekonomi"): "Betales af kontingentet som i dag. Det er stabilt, men der er ingen buffer.",
        (DIGITAL, "oekonomi"): "Den sundeste økonomi af de fire, når investeringen i hjemmesiden er betalt.",
        (DIGITAL, "kontingent"): "Lavere driftsudgifter giver plads til at holde kontingentet i ro.",
        (DIGITAL, "risiko"): "Vi styrer det selv; den eneste afhængighed er leverandøren af kursusplatformen.",
    }),
    *_member_scores("winther", {
        STATUS_QUO: "2 2 1 2 1 4 3",
        HUB: "5 4 5 4 3 3 3",
        NETWORK: "4 3 3 3 2 3 2",
        DIGITAL: "2 3 2 3 1 - 3",
    }, {
        (STATUS_QUO, "nytte"): "De boligsociale medarbejdere henter mest deres viden andre steder.",
        (STATUS_QUO, "gennemslag"): "Kommunerne kender os ikke. I de boligsociale partnerskaber er vi fraværende.",
        (STATUS_QUO, "kontingent"): "Kontingentet er uændret, men det er prisen for at stå stille.",
        (HUB, "nytte"): "Data og analyser om de boligsociale indsatser er netop det, vi mangler, når vi søger "
                        "Landsbyggefonden.",
        (HUB, "bredde"): "Kommuner og ikke-medlemmer får også adgang til viden om de almene boligområder.",
        (HUB, "gennemslag"): "Et videnscenter med fonde og universiteter giver os en plads ved bordet, når "
                             "kommunerne lægger planer.",
        (NETWORK, "gennemslag"): "Godt for medlemmerne, men det gør os ikke mere synlige udadtil.",
        (DIGITAL, "nytte"): "Boligsocialt arbejde handler om relationer; det lærer man ikke på et webinar.",
        (DIGITAL, "kontingent"): "Billigere at drive, så kontingentet kan holdes nede.",
    }),
)


# --- scenarios -------------------------------------------------------------------------------------------------------

SCENARIOS: tuple[tuple[str, str, str], ...] = (
    ("fondsstoette", "Fondsstøtte fortsætter",
     "Realdania og de andre fonde bliver ved med at støtte udvikling i den almene sektor, og AlmenNet kan få en "
     "flerårig bevilling til et udviklingsprojekt."),
    ("faerre_medlemmer", "Medlemstallet falder 10 %",
     "Seks af de 55 medlemmer melder sig ud inden 2025, mest små organisationer, og kontingentindtægten falder "
     "tilsvarende."),
    ("digital_omstilling", "Digital omstilling accelererer",
     "Online-møder og digitale værktøjer bliver hverdag i boligorganisationerne, og flere medarbejdere forventer at "
     "kunne finde viden og lære online."),
)

# How well each option does if the scenario comes true, 1 (badly) to 5 (well).
SCENARIO_SCORES: dict[tuple[str, str], int] = {
    (STATUS_QUO, "fondsstoette"): 2, (STATUS_QUO, "faerre_medlemmer"): 1, (STATUS_QUO, "digital_omstilling"): 2,
    (HUB, "fondsstoette"): 5, (HUB, "faerre_medlemmer"): 2, (HUB, "digital_omstilling"): 4,
    (NETWORK, "fondsstoette"): 3, (NETWORK, "faerre_medlemmer"): 4, (NETWORK, "digital_omstilling"): 3,
    (DIGITAL, "fondsstoette"): 2, (DIGITAL, "faerre_medlemmer"): 3, (DIGITAL, "digital_omstilling"): 5,
}


# --- the validation round --------------------------------------------------------------------------------------------

_PARTICIPANTS: dict[str, int] = {
    SEGMENT_MANAGEMENT: 8,
    SEGMENT_OPERATIONS: 11,
    SEGMENT_BOARD: 7,
    SEGMENT_PARTNER: 5,
    SEGMENT_MUNICIPALITY: 4,
}


def _check(option: str, condition: int, *agreeing: int) -> ConditionCheck:
    """The option's condition number ``condition`` (from 1) and how many agreed per segment, in the order of
    ``_PARTICIPANTS``."""
    statement = next(text for text in OPTIONS if text.key == option).conditions[condition - 1].statement
    return ConditionCheck(option, statement, {segment: count / people for (segment, people), count
                                              in zip(_PARTICIPANTS.items(), agreeing, strict=True)})


VALIDATION = ValidationText(
    title="Valideringsworkshop med medlemmer og samarbejdspartnere",
    held_on=date(2021, 9, 23),
    participants=_PARTICIPANTS,
    checks=(
        # segments: ledelse, drift, organisationsbestyrelse, partner/rådgiver, kommune
        _check(STATUS_QUO, 1, 4, 5, 3, 2, 1),
        _check(STATUS_QUO, 2, 2, 3, 2, 1, 1),
        _check(STATUS_QUO, 3, 5, 6, 4, 3, 2),
        _check(HUB, 1, 6, 3, 2, 3, 3),
        _check(HUB, 2, 7, 6, 4, 4, 4),
        _check(HUB, 3, 6, 8, 5, 4, 3),
        _check(HUB, 4, 5, 5, 3, 3, 2),
        _check(NETWORK, 1, 6, 10, 6, 3, 2),
        _check(NETWORK, 2, 5, 8, 5, 3, 2),
        _check(NETWORK, 3, 5, 7, 5, 2, 2),
        _check(DIGITAL, 1, 4, 5, 3, 3, 2),
        _check(DIGITAL, 2, 2, 3, 1, 2, 2),
        _check(DIGITAL, 3, 5, 6, 4, 3, 2),
    ),
    comments=(
        CommentText(STATUS_QUO, SEGMENT_OPERATIONS, "Vi kender tilbuddene, og de virker. Men der sker ikke noget nyt."),
        CommentText(STATUS_QUO, SEGMENT_BOARD, "Vores bestyrelse spørger hvert år, hvad vi får for kontingentet. Det "
                                               "svar bliver ikke lettere at give."),
        CommentText(STATUS_QUO, SEGMENT_MANAGEMENT, "Status quo er et fravalg, ikke en strategi."),
        CommentText(STATUS_QUO, SEGMENT_MUNICIPALITY, "Vi ved stadig ikke, hvad AlmenNet kan hjælpe kommunerne med."),
        CommentText(HUB, SEGMENT_MANAGEMENT, "Benchmarking vil vi gerne betale for – hvis tallene er gode nok til at "
                                             "bruge i vores egen styring."),
        CommentText(HUB, SEGMENT_PARTNER, "Et fælles videnscenter ville vi bruge, men det må ikke blive endnu en "
                                          "rapportfabrik."),
        CommentText(HUB, SEGMENT_MUNICIPALITY, "Ét sted at hente tal om de almene boligområder ville være en stor "
                                               "hjælp for os."),
        CommentText(HUB, SEGMENT_OPERATIONS, "Det lyder som noget for de store. Hvad får en ejendomsmester ud af det?"),
        CommentText(HUB, SEGMENT_BOARD, "Hvad sker der, når fondsbevillingen slutter?"),
        CommentText(NETWORK, SEGMENT_OPERATIONS, "ERFA-gruppen er grunden til, at vi er medlemmer. Flere grupper vest "
                                                 "for Storebælt – ja tak."),
        CommentText(NETWORK, SEGMENT_BOARD, "Et netværk for nye bestyrelsesmedlemmer ville have hjulpet mig det første "
                                            "år."),
        CommentText(NETWORK, SEGMENT_MANAGEMENT, "Grupperne skal have tovholdere, og dem har vi ikke mange af. Hvem "
                                                 "skal bære dem?"),
        CommentText(NETWORK, SEGMENT_PARTNER, "Vi vil gerne holde oplæg for grupperne, men hvordan kommer vi ind?"),
        CommentText(NETWORK, SEGMENT_MUNICIPALITY, "Godt for medlemmerne, men vi hører nok ikke mere fra AlmenNet af "
                                                   "den grund."),
        CommentText(DIGITAL, SEGMENT_OPERATIONS, "En hjemmeside, hvor man kan finde vejledningerne, er det første, der "
                                                 "skal laves – uanset strategi."),
        CommentText(DIGITAL, SEGMENT_BOARD, "Vi prøvede webinarer under corona. Man lærer ikke hinanden at kende på en "
                                            "skærm."),
        CommentText(DIGITAL, SEGMENT_MANAGEMENT, "Slankt er fint, men så er der ikke meget forening tilbage."),
        CommentText(DIGITAL, SEGMENT_PARTNER, "Et kortere nyhedsbrev med det vigtigste først ville vi læse."),
    ),
    summary="35 deltagere fra medlemsorganisationer, kommuner og rådgivere afprøvede de fire strategimuligheder på "
            "valideringsworkshoppen 23. september 2021 i Fredericia, de fleste fysisk og nogle online. For hver "
            "mulighed tog deltagerne stilling til, om det, der skal være sandt, faktisk er sandt. »Netværk først« "
            "fik den bredeste opbakning: ni ud af ti driftsfolk og de fleste bestyrelsesmedlemmer er enige i, at "
            "netværkene er det vigtigste, foreningen tilbyder, men flere spurgte, hvem der skal være tovholdere. "
            "»Sektorens videnscenter« fik opbakning fra ledere, rådgivere og kommuner, mens driftsfolk og "
            "bestyrelser tvivlede på, at de store medlemmer vil betale for data, og på, hvad der sker, når "
            "fondsbevillingen slutter. Under en tredjedel tror, at online-møder kan erstatte de fysiske møder, og "
            "det svækker den digitale mulighed. Til gengæld var der bred enighed om, at hjemmesiden skal gøres til "
            "at finde rundt i, uanset hvilken strategi bestyrelsen vælger. Flere foreslog at kombinere netværkene med "
            "et mindre datasamarbejde for de store medlemmer.",
)


# --- the decision ----------------------------------------------------------------------------------------------------

DECISION = DecisionText(
    option=NETWORK,
    meeting="Bestyrelsesmøde 25. november 2021",
    decided_on=date(2021, 11, 25),
    votes_for=4,
    votes_against=1,
    votes_abstain=1,
    dissent=(
        DissentText(
            "winther", "against",
            "Stemte imod. Netværksmodellen gør foreningen stærkere indadtil, men ikke mere synlig for kommuner og "
            "fonde, og chancen for et fælles videnscenter med BL og Landsbyggefonden kommer ikke igen. Ønskede "
            "videnscentret med netværkene som ét af tre spor."),
        DissentText(
            "mikkelsen", "abstain",
            "Undlod at stemme. Støtter retningen, men vil se et budget for netværkskonsulenten og den nye "
            "kontingentmodel, før hun kan stemme for. Finder den digitale mulighed økonomisk sundest."),
    ),
    rationale="Bestyrelsen vælger »Netværk først« som AlmenNets strategi frem mod 2030. Valget hviler på det, "
              "evidensen viser tydeligst: netværkene er det tilbud, medlemmerne værdsætter højest, og det, de selv "
              "fremhæver som grunden til at være medlem. »Netværk først« og »Sektorens videnscenter« lå tæt i "
              "bestyrelsens samlede vurdering, og med formandens og et andet bestyrelsesmedlems egne vægte ligger "
              "videnscentret øverst; forskellen er et spørgsmål om prioritering, ikke om fakta. Afgørende var, at "
              "videnscentret hviler på en fondsbevilling og på de store medlemmers betalingsvilje, som ingen af dem "
              "er afprøvet, mens netværksmodellen bygger på det, medlemmerne allerede bruger. Valideringsworkshoppen "
              "gav netværksmodellen den bredeste opbakning, især blandt driftsfolk og organisationsbestyrelser. "
              "Status quo er fravalgt, fordi den hverken når de små organisationer eller gør foreningen kendt uden "
              "for medlemskredsen. Bestyrelsen vil i 2022 afprøve de store medlemmers betalingsvilje for "
              "benchmarking, så et datasamarbejde kan lægges til senere, og den nye hjemmeside gennemføres under "
              "alle omstændigheder.",
    goals=(
        ("Alle medlemmer er med i netværkene",
         "Andel af medlemsorganisationerne med mindst én deltager i en ERFA-gruppe i løbet af året",
         "Mindst 80 %", date(2023, 12, 31)),
        ("De små medlemmer deltager",
         "Andel af medlemmerne med under 1.000 boliger, der har deltaget i mindst ét netværksmøde i løbet af året",
         "Mindst 60 %", date(2023, 12, 31)),
        ("Netværk i hele landet",
         "Antal ERFA-grupper med faste fysiske møder vest for Storebælt",
         "Mindst fire grupper", date(2022, 12, 31)),
        ("Et kontingent, der passer til de små",
         "Ny kontingentmodel efter størrelse vedtaget af repræsentantskabet",
         "Vedtaget", date(2022, 5, 31)),
        ("Medlemskabet er pengene værd",
         "Andel af medlemmerne i den årlige medlemsundersøgelse, der er enige i, at medlemskabet er pengene værd",
         "Mindst 75 %, også blandt de små medlemmer", date(2024, 6, 30)),
        ("Gruppernes viden når alle medlemmer",
         "Antal notater fra ERFA-grupperne i vidensbanken",
         "Mindst ét om måneden", date(2022, 12, 31)),
    ),
)

