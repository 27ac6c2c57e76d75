"""Fixed content of the AlmenNet 2030 demo: facts, tables and word lists.

Everything here is either public geography (the 98 Danish municipalities and their regions),
the real public organisations named in the brief (the steering group, Realdania), or invented.
Person names in the demo are combinations of common Danish first names and surnames; no real
person is meant. Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

DEMO_SEED = 2030
DEMO_SLUG = "almennet-2030"
DEMO_PASSWORD = "demo"  # noqa: S105 - the demo logins are public by design

# Region values as stored in ``evidens.stakeholders.models.Region``.
HOVEDSTADEN = "hovedstaden"
SJAELLAND = "sjaelland"
SYDDANMARK = "syddanmark"
MIDTJYLLAND = "midtjylland"
NORDJYLLAND = "nordjylland"


@dataclass(frozen=True)
class Municipality:
    name: str
    region: str
    population: int  # approximate, in thousands (around 2020); used only as a sampling weight
    kommune: str = ""  # the municipality's own name for itself, when not "<name> Kommune"

    @property
    def authority(self) -> str:
        return self.kommune or f"{self.name} Kommune"


# The 98 municipalities since 2007: 29 + 17 + 22 + 19 + 11.
MUNICIPALITIES: tuple[Municipality, ...] = (
    # Region Hovedstaden
    Municipality("Albertslund", HOVEDSTADEN, 28),
    Municipality("Allerød", HOVEDSTADEN, 26),
    Municipality("Ballerup", HOVEDSTADEN, 48),
    Municipality("Bornholm", HOVEDSTADEN, 39, "Bornholms Regionskommune"),
    Municipality("Brøndby", HOVEDSTADEN, 35),
    Municipality("Dragør", HOVEDSTADEN, 14),
    Municipality("Egedal", HOVEDSTADEN, 43),
    Municipality("Fredensborg", HOVEDSTADEN, 41),
    Municipality("Frederiksberg", HOVEDSTADEN, 104),
    Municipality("Frederikssund", HOVEDSTADEN, 45),
    Municipality("Furesø", HOVEDSTADEN, 41),
    Municipality("Gentofte", HOVEDSTADEN, 75),
    Municipality("Gladsaxe", HOVEDSTADEN, 69),
    Municipality("Glostrup", HOVEDSTADEN, 23),
    Municipality("Gribskov", HOVEDSTADEN, 41),
    Municipality("Halsnæs", HOVEDSTADEN, 31),
    Municipality("Helsingør", HOVEDSTADEN, 63),
    Municipality("Herlev", HOVEDSTADEN, 29),
    Municipality("Hillerød", HOVEDSTADEN, 51),
    Municipality("Hvidovre", HOVEDSTADEN, 53),
    Municipality("Høje-Taastrup", HOVEDSTADEN, 51),
    Municipality("Hørsholm", HOVEDSTADEN, 25),
    Municipality("Ishøj", HOVEDSTADEN, 23),
    Municipality("København", HOVEDSTADEN, 632, "Københavns Kommune"),
    Municipality("Lyngby-Taarbæk", HOVEDSTADEN, 56),
    Municipality("Rudersdal", HOVEDSTADEN, 56),
    Municipality("Rødovre", HOVEDSTADEN, 40),
    Municipality("Tårnby", HOVEDSTADEN, 43),
    Municipality("Vallensbæk", HOVEDSTADEN, 16),
    # Region Sjælland
    Municipality("Faxe", SJAELLAND, 36),
    Municipality("Greve", SJAELLAND, 50),
    Municipality("Guldborgsund", SJAELLAND, 61),
    Municipality("Holbæk", SJAELLAND, 72),
    Municipality("Kalundborg", SJAELLAND, 49),
    Municipality("Køge", SJAELLAND, 61),
    Municipality("Lejre", SJAELLAND, 28),
    Municipality("Lolland", SJAELLAND, 41),
    Municipality("Næstved", SJAELLAND, 83),
    Municipality("Odsherred", SJAELLAND, 33),
    Municipality("Ringsted", SJAELLAND, 35),
    Municipality("Roskilde", SJAELLAND, 88),
    Municipality("Slagelse", SJAELLAND, 79),
    Municipality("Solrød", SJAELLAND, 23),
    Municipality("Sorø", SJAELLAND, 30),
    Municipality("Stevns", SJAELLAND, 23),
    Municipality("Vordingborg", SJAELLAND, 45),
    # Region Syddanmark
    Municipality("Assens", SYDDANMARK, 41),
    Municipality("Billund", SYDDANMARK, 27),
    Municipality("Esbjerg", SYDDANMARK, 115),
    Municipality("Fanø", SYDDANMARK, 3),
    Municipality("Fredericia", SYDDANMARK, 51),
    Municipality("Faaborg-Midtfyn", SYDDANMARK, 51),
    Municipality("Haderslev", SYDDANMARK, 56),
    Municipality("Kerteminde", SYDDANMARK, 24),
    Municipality("Kolding", SYDDANMARK, 93),
    Municipality("Langeland", SYDDANMARK, 12),
    Municipality("Middelfart", SYDDANMARK, 39),
    Municipality("Nordfyn", SYDDANMARK, 29, "Nordfyns Kommune"),
    Municipality("Nyborg", SYDDANMARK, 32),
    Municipality("Odense", SYDDANMARK, 205),
    Municipality("Svendborg", SYDDANMARK, 59),
    Municipality("Sønderborg", SYDDANMARK, 74),
    Municipality("Tønder", SYDDANMARK, 37),
    Municipality("Varde", SYDDANMARK, 50),
    Municipality("Vejen", SYDDANMARK, 42),
    Municipality("Vejle", SYDDANMARK, 117),
    Municipality("Ærø", SYDDANMARK, 6),
    Municipality("Aabenraa", SYDDANMARK, 59),
    # Region Midtjylland
    Municipality("Favrskov", MIDTJYLLAND, 48),
    Municipality("Hedensted", MIDTJYLLAND, 46),
    Municipality("Herning", MIDTJYLLAND, 89),
    Municipality("Holstebro", MIDTJYLLAND, 58),
    Municipality("Horsens", MIDTJYLLAND, 90),
    Municipality("Ikast-Brande", MIDTJYLLAND, 41),
    Municipality("Lemvig", MIDTJYLLAND, 20),
    Municipality("Norddjurs", MIDTJYLLAND, 37),
    Municipality("Odder", MIDTJYLLAND, 23),
    Municipality("Randers", MIDTJYLLAND, 98),
    Municipality("Ringkøbing-Skjern", MIDTJYLLAND, 56),
    Municipality("Samsø", MIDTJYLLAND, 4),
    Municipality("Silkeborg", MIDTJYLLAND, 93),
    Municipality("Skanderborg", MIDTJYLLAND, 62),
    Municipality("Skive", MIDTJYLLAND, 46),
    Municipality("Struer", MIDTJYLLAND, 21),
    Municipality("Syddjurs", MIDTJYLLAND, 42),
    Municipality("Viborg", MIDTJYLLAND, 97),
    Municipality("Aarhus", MIDTJYLLAND, 350),
    # Region Nordjylland
    Municipality("Brønderslev", NORDJYLLAND, 36),
    Municipality("Frederikshavn", NORDJYLLAND, 60),
    Municipality("Hjørring", NORDJYLLAND, 64),
    Municipality("Jammerbugt", NORDJYLLAND, 38),
    Municipality("Læsø", NORDJYLLAND, 2),
    Municipality("Mariagerfjord", NORDJYLLAND, 42),
    Municipality("Morsø", NORDJYLLAND, 20),
    Municipality("Rebild", NORDJYLLAND, 30),
    Municipality("Thisted", NORDJYLLAND, 43),
    Municipality("Vesthimmerlands", NORDJYLLAND, 37),
    Municipality("Aalborg", NORDJYLLAND, 217),
)

MUNICIPALITY_BY_NAME = {m.name: m for m in MUNICIPALITIES}


# --- The process and its facts --------------------------------------------------------------

PROCESS_NAME = "AlmenNet 2030"
PROCESS_ORGANISATION = "AlmenNet"
PROCESS_PURPOSE = (
    "AlmenNet skal frem mod 2030 være den almene boligsektors fælles vidensforening, "
    "som medlemmerne bruger, når de udvikler deres boligområder. "
    "Strategiprocessen afdækker, hvad medlemmer og samarbejdspartnere faktisk bruger og har brug for, "
    "og afprøver bestyrelsens antagelser mod data fra webstatistik, arkiver, interviews og en "
    "spørgeskemaundersøgelse. "
    "På det grundlag vælger bestyrelsen en vidensbaseret strategi for foreningens rolle, ydelser og "
    "samarbejder frem mod 2030."
)
PROCESS_HORIZON = 2030
PROCESS_START = date(2020, 9, 1)
PROCESS_END = date(2021, 12, 31)
PROCESS_FUNDERS = "Realdania"
PROCESS_CONSULTANT = "JA Studio"
PROCESS_TOTAL_BUDGET = Decimal("492000")

# (category, budgeted, spent) — the process is underway: about a third is spent.
BUDGET_LINES: tuple[tuple[str, Decimal, Decimal], ...] = (
    ("Konsulentbistand", Decimal("240000"), Decimal("118500")),
    ("Workshops og møder", Decimal("62000"), Decimal("21400")),
    ("Spørgeskemaundersøgelse", Decimal("48000"), Decimal("6250")),
    ("Interviews", Decimal("56000"), Decimal("18900")),
    ("Formidling og rapport", Decimal("50000"), Decimal("0")),
    ("Uforudset", Decimal("36000"), Decimal("0")),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str  # ``evidens.processes.models.Role`` value
    first_name: str
    last_name: str
    email: str


# Invented people; the secretariat user is also the process's contact person.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("sekretariat", "secretariat", "Sanne", "Holmgaard Bech", "sanne.bech@almennet.example"),
    DemoUser("analytiker", "analyst", "Jonas", "Bækgaard Friis", "jonas.friis@almennet.example"),
    DemoUser("bestyrelse", "board", "Birgit", "Lindholm Toft", "birgit.toft@almennet.example"),
    DemoUser("styregruppe", "steering", "Henrik", "Vestergaard Krogh", "henrik.krogh@almennet.example"),
    DemoUser("laeser", "reader", "Camilla", "Frost Mathiasen", "camilla.mathiasen@almennet.example"),
)
CONTACT_USER = "sekretariat"


@dataclass(frozen=True)
class SteeringOrganisation:
    """A real public organisation in the steering group; sizes are illustrative, not official."""

    name: str
    kind: str  # ``OrganisationKind`` value
    municipality: str
    homes: int | None
    domain: str
    seat_person: str  # invented
    seat_role: str = ""


STEERING_GROUP: tuple[SteeringOrganisation, ...] = (
    SteeringOrganisation("KAB", "administration", "København", None, "kab.example", "Lone Kjeldsen Brix"),
    SteeringOrganisation("FSB", "housing", "København", 12300, "fsb.example", "Henrik Vestergaard Krogh",
                         "formand"),
    SteeringOrganisation("AL2bolig", "housing", "Aarhus", 4200, "al2bolig.example", "Peter Dalsgaard Holm"),
    SteeringOrganisation("Domea.dk", "administration", "København", None, "domea.example",
                         "Karina Munk Nissen"),
    SteeringOrganisation("FA09", "administration", "København", None, "fa09.example", "Thomas Brøgger Lund"),
    SteeringOrganisation("Boligkontoret Danmark", "administration", "Aarhus", None,
                         "boligkontoret.example", "Mette Skovbo Hansen"),
    SteeringOrganisation("Himmerland Boligforening", "housing", "Aalborg", 7600, "himmerland.example",
                         "Jens Overgaard Kirk"),
    SteeringOrganisation("Bygherreforeningen", "sector", "København", None, "bygherreforeningen.example",
                         "Anne Krogsgaard Winther"),
    SteeringOrganisation("BL", "sector", "København", None, "bl.example", "Søren Hedegaard Bak"),
)


@dataclass(frozen=True)
class PhasePlan:
    start: date
    end: date
    state: str  # ``PhaseState`` value
    description: str
    milestones: tuple[tuple[str, date, bool], ...]  # (name, due date, reached)


# One plan per default phase, in the default order.
PHASE_PLANS: tuple[PhasePlan, ...] = (
    PhasePlan(
        date(2020, 9, 1), date(2020, 10, 31), "done",
        "Bestyrelsen formulerer foreningens udfordringer og de antagelser, strategien hviler på.",
        (
            ("Opstartsmøde i styregruppen", date(2020, 9, 15), True),
            ("Bestyrelsesworkshop om udfordringer og antagelser", date(2020, 10, 8), True),
            ("Antagelser godkendt af styregruppen", date(2020, 10, 28), True),
        ),
    ),
    PhasePlan(
        date(2020, 11, 1), date(2021, 4, 30), "active",
        "Data fra webstatistik, arkiver, interviews og en spørgeskemaundersøgelse blandt medlemmer, "
        "partnere og andre interessenter.",
        (
            ("Webstatistik og arkivgennemgang afsluttet", date(2020, 12, 18), True),
            ("Interviews med interessenter gennemført", date(2021, 2, 26), False),
            ("Spørgeskema sendt til medlemmer og partnere", date(2020, 11, 24), True),
            ("Vidensrapport færdig", date(2021, 4, 30), False),
        ),
    ),
    PhasePlan(
        date(2021, 5, 1), date(2021, 8, 31), "not_started",
        "Strategimuligheder beskrives på grundlag af fundene, altid med status quo som én mulighed.",
        (
            ("Strategiseminar for bestyrelsen", date(2021, 6, 10), False),
            ("Udkast til strategimuligheder", date(2021, 8, 20), False),
        ),
    ),
    PhasePlan(
        date(2021, 9, 1), date(2021, 10, 31), "not_started",
        "Strategimulighederne afprøves hos medlemmer og samarbejdspartnere.",
        (
            ("Valideringsworkshop med medlemmer", date(2021, 9, 23), False),
            ("Styregruppemøde om valideringen", date(2021, 10, 21), False),
        ),
    ),
    PhasePlan(
        date(2021, 11, 1), date(2021, 12, 31), "not_started",
        "Bestyrelsen vælger strategi og begrunder valget.",
        (
            ("Bestyrelsesmøde: valg af strategi", date(2021, 11, 25), False),
            ("Strategi 2030 fremlagt for repræsentantskabet", date(2021, 12, 9), False),
        ),
    ),
)


# --- The register -------------------------------------------------------------------------

HOUSING_ORGANISATIONS = 540
TOTAL_HOMES = 590_000
MEMBERS = 55
PEOPLE = 2200
MEMBER_SINCE_FIRST = date(2008, 1, 1)
MEMBER_SINCE_LAST = date(2020, 6, 30)

REALDANIA = "Realdania"

# Segments a member survey would target.
SEGMENT_MANAGEMENT = "Direktion/ledelse"
SEGMENT_OPERATIONS = "Drift"
SEGMENT_LETTING = "Udlejning og beboerservice"
SEGMENT_BUILDING = "Byggeri og renovering"
SEGMENT_SOCIAL = "Boligsocial indsats"
SEGMENT_FINANCE = "Økonomi og administration"
SEGMENT_BOARD = "Organisationsbestyrelse"
SEGMENT_PARTNER = "Partner/rådgiver"
SEGMENT_MUNICIPALITY = "Kommune"

SEGMENTS = (
    SEGMENT_MANAGEMENT, SEGMENT_OPERATIONS, SEGMENT_LETTING, SEGMENT_BUILDING, SEGMENT_SOCIAL,
    SEGMENT_FINANCE, SEGMENT_BOARD, SEGMENT_PARTNER, SEGMENT_MUNICIPALITY,
)

ROLE_TITLES: dict[str, tuple[str, ...]] = {
    SEGMENT_MANAGEMENT: ("Direktør", "Administrerende direktør", "Forretningsfører", "Boligchef",
                         "Vicedirektør", "Afdelingschef"),
    SEGMENT_OPERATIONS: ("Driftschef", "Driftsleder", "Ejendomsmester", "Inspektør", "Driftskoordinator",
                         "Servicechef"),
    SEGMENT_LETTING: ("Udlejningschef", "Udlejningsmedarbejder", "Kundechef", "Kundeservicemedarbejder",
                      "Beboerkonsulent"),
    SEGMENT_BUILDING: ("Byggechef", "Projektleder, byggeri", "Renoveringschef", "Bygningskonstruktør",
                       "Projektchef, helhedsplaner"),
    SEGMENT_SOCIAL: ("Boligsocial leder", "Projektleder, boligsocial helhedsplan", "Beboerrådgiver",
                     "Boligsocial medarbejder"),
    SEGMENT_FINANCE: ("Økonomichef", "Regnskabschef", "Controller", "Administrationschef",
                      "Økonomimedarbejder"),
    SEGMENT_BOARD: ("Formand for organisationsbestyrelsen", "Næstformand", "Bestyrelsesmedlem"),
    SEGMENT_PARTNER: ("Partner", "Chefkonsulent", "Seniorrådgiver", "Specialkonsulent", "Analysechef",
                      "Projektleder"),
    SEGMENT_MUNICIPALITY: ("Boligkonsulent", "Chef for boligområdet", "Byplanlægger",
                           "Specialkonsulent, boligsocialt område", "Fuldmægtig"),
}

# Research roles read better with their own titles, still in the partner segment.
RESEARCH_TITLES = ("Seniorforsker", "Lektor", "Forsker", "Ph.d.-studerende")

# Weights of the segments for staff beyond the first two contacts of a housing organisation.
HOUSING_SEGMENT_WEIGHTS: tuple[tuple[str, float], ...] = (
    (SEGMENT_MANAGEMENT, 0.08),
    (SEGMENT_OPERATIONS, 0.22),
    (SEGMENT_LETTING, 0.15),
    (SEGMENT_BUILDING, 0.15),
    (SEGMENT_SOCIAL, 0.12),
    (SEGMENT_FINANCE, 0.13),
    (SEGMENT_BOARD, 0.15),
)
ADMINISTRATION_SEGMENT_WEIGHTS: tuple[tuple[str, float], ...] = (
    (SEGMENT_MANAGEMENT, 0.12),
    (SEGMENT_OPERATIONS, 0.22),
    (SEGMENT_LETTING, 0.2),
    (SEGMENT_BUILDING, 0.18),
    (SEGMENT_SOCIAL, 0.1),
    (SEGMENT_FINANCE, 0.18),
)

SOURCE_MEMBER_REGISTER = "Medlemsregister 2020"
SOURCE_NETWORK = "Netværksliste"
SOURCE_SEMINAR = "Deltagerliste, Årsseminar 2019"
SOURCE_PARTNERS = "Partnerliste"
SOURCE_MUNICIPALITIES = "Kommunekontakter"

DELETE_BY_REGISTER = date(2022, 12, 31)
DELETE_BY_SEMINAR = date(2021, 12, 31)

# Common Danish first names and surnames. Combinations are drawn at random: invented people.
FIRST_NAMES = (
    "Anne", "Kirsten", "Hanne", "Mette", "Anna", "Helle", "Susanne", "Lene", "Maria", "Marianne",
    "Lone", "Camilla", "Pia", "Louise", "Charlotte", "Tina", "Gitte", "Bente", "Jette", "Karen",
    "Signe", "Julie", "Ida", "Sofie", "Line", "Trine", "Christina", "Birgitte", "Inge", "Dorte",
    "Rikke", "Malene", "Stine", "Katrine", "Sara", "Emma", "Nanna", "Maja", "Cecilie", "Anne-Mette",
    "Mona", "Heidi", "Vibeke", "Lisbeth", "Eva", "Tove", "Birthe", "Annette", "Janni", "Laura",
    "Peter", "Jens", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Jan", "Niels", "Christian",
    "Martin", "Jørgen", "Anders", "Morten", "Jesper", "Hans", "Per", "Ole", "Mads", "Rasmus",
    "Kim", "Erik", "Poul", "Torben", "Kenneth", "Brian", "Steen", "Carsten", "Frank", "Allan",
    "Jakob", "Mikkel", "Kasper", "Jonas", "Simon", "Nikolaj", "Bo", "Claus", "Flemming", "Johnny",
    "Ib", "Bjarne", "Kristian", "Troels", "Mogens", "Dennis", "Jacob", "Emil", "Frederik", "Tobias",
    "Mohammed", "Ali", "Fatima", "Aisha", "Ahmet", "Zeynep", "Omar", "Layla", "Hassan", "Amina",
)
SURNAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
    "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Olesen",
    "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen", "Holm", "Kristiansen",
    "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen", "Mogensen", "Jespersen",
    "Nissen", "Lauridsen", "Frandsen", "Østergaard", "Jepsen", "Kjær", "Carlsen", "Vestergaard",
    "Jessen", "Nørgaard", "Dahl", "Christoffersen", "Skov", "Søndergaard", "Bertelsen", "Bruun",
    "Lassen", "Bach", "Gregersen", "Friis", "Johnsen", "Steffensen", "Kjeldsen", "Bech", "Krogh",
    "Lauritsen", "Danielsen", "Mathiesen", "Brandt", "Winther", "Toft", "Ravn", "Dam", "Holst",
    "Berg", "Schou", "Overgaard", "Kristoffersen", "Hermansen", "Thygesen", "Koch", "Thorsen",
    "Hedegaard", "Munk", "Bak", "Juhl", "Mølgaard", "Damgaard", "Kirkegaard", "Lindberg",
    "Ahmed", "Ali", "Yilmaz", "Hussein", "Khan",
)

# Parts of invented estate-like names ("Bøge" + "lunden" = "Bøgelunden").
NAME_PREFIXES = (
    "Bøge", "Linde", "Ege", "Aske", "Birke", "Hylde", "Rose", "Kløver", "Sol", "Strand", "Sø", "Eng",
    "Mark", "Skov", "Vang", "Lunde", "Hede", "Bakke", "Kilde", "Mølle", "Kirke", "Tofte", "Hav",
    "Fjord", "Nørre", "Sønder", "Vester", "Øster", "Grøn", "Kastanje", "Elme", "Poppel", "Valmue",
    "Lærke", "Svane", "Stjerne", "Ahorn", "Hassel", "Pile", "Rønne",
)
NAME_SUFFIXES = (
    "gården", "parken", "lunden", "haven", "vænget", "høj", "toften", "engen", "bakken", "husene",
    "vang", "dal", "holm", "skrænten", "marken", "bo", "byen", "agre",
)
# Housing-organisation name patterns: {place} is a municipality name, {word} an invented estate name.
PLACE_PATTERNS = (
    "Boligselskabet {place}",
    "{place} Almene Boliger",
    "{place} Boligselskab",
    "Den Almene Boligforening i {place}",
    "Boligforeningen {place} Nord",
    "Boligforeningen {place} Syd",
)
WORD_PATTERNS = (
    "Andelsboligforeningen {word}",
    "Boligforeningen {word}",
    "Boligselskabet {word}",
    "Den selvejende institution {word}",
)
# Invented one-word names in the style of the sector's larger organisations.
BRAND_WORDS = (
    "Lejvita", "Husnova", "Tagly", "Hjemvang", "Bonova", "Lejkreds", "Boliva", "Husvita", "Tagvang",
    "Hjemly", "Lejnova", "Bovest", "Husøst", "Taghus", "Hjemkreds",
)
BRAND_SUFFIXES = ("", " Bolig", " Boliger", " Almen")

# Abbreviations for e-mail domains.
DOMAIN_ABBREVIATIONS = (
    ("Den selvejende institution ", "si-"),
    ("Den Almene Boligforening i ", "dab-"),
    ("Andelsboligforeningen ", "abf-"),
    ("Boligforeningen ", "bf-"),
    ("Boligselskabet ", "bs-"),
    (" Almene Boliger", "-ab"),
    (" Boligselskab", "-bs"),
)

# Other stakeholders: (name, kind, municipality, contacts low, contacts high). All invented except
# Realdania and the steering group organisations (in STEERING_GROUP).
OTHER_ORGANISATIONS: tuple[tuple[str, str, str, int, int], ...] = (
    # administration organisations
    ("Fællesadministrationen Vest", "administration", "Herning", 6, 12),
    ("Boligadministration Nordjylland", "administration", "Aalborg", 5, 10),
    ("Almen Administration Fyn", "administration", "Odense", 6, 12),
    ("Sjællands Boligadministration", "administration", "Næstved", 5, 10),
    ("Trekantområdets Boligservice", "administration", "Kolding", 4, 9),
    ("Østjysk Fællesadministration", "administration", "Randers", 4, 9),
    # advisers
    ("Kvarterkontoret Rådgivning", "adviser", "København", 3, 6),
    ("Nordlys Arkitekter", "adviser", "Aarhus", 3, 6),
    ("Bygvis Ingeniører", "adviser", "Odense", 3, 6),
    ("Fællesskab & By Rådgivning", "adviser", "København", 2, 5),
    ("Tværsnit Analyse", "adviser", "Aarhus", 2, 5),
    ("Grønt Byrum Landskab", "adviser", "Aalborg", 2, 4),
    ("Boligsocial Udvikling ApS", "adviser", "Roskilde", 2, 5),
    ("Plan & Proces Konsulenterne", "adviser", "Vejle", 2, 4),
    ("Renovér Rådgivning", "adviser", "Esbjerg", 2, 4),
    ("Energiskifte Rådgivende Ingeniører", "adviser", "Silkeborg", 2, 5),
    ("Datagrund Analyse", "adviser", "Frederiksberg", 2, 4),
    ("Byrum og Beboere", "adviser", "Horsens", 2, 4),
    # contractors
    ("Murværk Vest Entreprise", "contractor", "Holstebro", 2, 4),
    ("Tagstenen Byggefirma", "contractor", "Slagelse", 2, 3),
    ("Fjordby Totalentreprise", "contractor", "Vejle", 2, 4),
    ("Nordsjællands Renovering", "contractor", "Hillerød", 2, 3),
    ("Klimaskærm Entreprise", "contractor", "Kolding", 2, 4),
    ("Fynske Byggeteam", "contractor", "Odense", 2, 3),
    ("Jyllands Elementbyg", "contractor", "Viborg", 2, 3),
    ("Storkøbenhavns Byggeservice", "contractor", "Hvidovre", 2, 4),
    ("Himmelbyg Entreprise", "contractor", "Aalborg", 1, 3),
    ("Sydkystens Murerfirma", "contractor", "Køge", 1, 3),
    # foundations
    (REALDANIA, "foundation", "København", 3, 5),
    ("Fonden for Gode Boligområder", "foundation", "København", 2, 4),
    ("Bolig og Fællesskab Fonden", "foundation", "Aarhus", 2, 3),
    ("Den Grønne Boligfond", "foundation", "Odense", 1, 3),
    # sector organisations
    ("Foreningen af Almene Driftsfolk", "sector", "Fredericia", 3, 6),
    ("Netværket for Boligsociale Medarbejdere", "sector", "Vejle", 3, 5),
    ("Landsforeningen for Beboerdemokrati", "sector", "København", 2, 5),
    ("Udlejningsnetværket", "sector", "Odense", 2, 4),
    ("Almene Byggeherrers Forum", "sector", "København", 2, 4),
    # research
    ("Institut for By- og Boligstudier", "research", "København", 3, 6),
    ("Center for Almene Boligområder", "research", "Aalborg", 2, 5),
    ("Forskningsenheden Bolig og Velfærd", "research", "Aarhus", 2, 4),
    ("Videnscenter for Byfornyelse", "research", "Odense", 2, 4),
    # other
    ("Beboernes Landsnetværk", "other", "Randers", 1, 3),
    ("Frivilligcentret Bydelen", "other", "Esbjerg", 1, 2),
    ("Ungdomsboligrådet", "other", "København", 1, 3),
    ("Seniorbo Netværket", "other", "Vejle", 1, 2),
    ("Boligforum for Udsatte", "other", "Aarhus", 1, 3),
)
OTHER_DOMAINS: dict[str, str] = {REALDANIA: "realdania.example"}

# Municipalities in the register as stakeholders: those with the most homes, this many.
MUNICIPALITY_STAKEHOLDERS = 24
MUNICIPALITY_CONTACTS = (2, 5)


# --- web statistics ---------------------------------------------------------------------------------

WEB_LOG_FIRST_DAY = date(2019, 10, 1)
WEB_LOG_LAST_DAY = date(2020, 9, 30)
# About 3 % of generated visits open only a document or a missing page, which are not page views: 49,500
# generated visits show as about 48,000 visits with about 125,000 page views.
WEB_LOG_VISITS = 49_500
WEB_PARTNER_HOSTS = ("bl.dk", "realdania.dk", "lbf.dk", "cfbu.dk")
