"""AlmenNet's archive for the demo: about 500 short Danish documents from 2005 to 2020, and the records of about
75 events 2018–2020 with about 2,000 registrations.

``demo_documents(rng)`` returns the files as bytes in the formats an archive holds (DOCX, ODT, PPTX, XLSX, HTML,
text, e-mail), each with its title, date, type and themes as ground truth, so the import, the search and the
topic model can be checked against what was meant. The texts are composed from sentence templates per theme;
which themes are written about follows the years (digitalisation and the green transition rise after 2015,
integrated renewal plans fill the 2010s, corona and online meetings arrive in March 2020). Three files are
broken on purpose and four are exact copies of others, so an import shows its failures and duplicates.

``demo_activities(rng, register)`` returns events and registrations with the organisation names of the demo
register, some of them abbreviated or misspelt as registration lists are; from 11 March 2020 physical events
are cancelled or moved online.

Pure: no database, no clock, no global random generator; the same generator state gives the same bytes.
"""

from __future__ import annotations

import html
import io
import random
import re
import struct
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from evidens.demo import data
from evidens.demo.generator import OrganisationRow, Register, apportion
from evidens.stakeholders.exporting import write_csv

ZONE = ZoneInfo("Europe/Copenhagen")
FIRST_DAY = date(2005, 1, 1)
LAST_DAY = date(2020, 11, 30)  # the archive was gathered in December 2020
LOCKDOWN = date(2020, 3, 11)  # Denmark closed down on the evening of 11 March 2020

DOCUMENTS = 493  # readable, distinct files; with the broken files and the copies the archive holds 500

# Document types: the values of ``evidens.archive.models.DocumentType``.
MINUTES = "minutes"
REPORT = "report"
NEWSLETTER = "newsletter"
COURSE_MATERIAL = "course_material"
GUIDE = "guide"
BOARD_PAPER = "board_paper"
OTHER = "other"
DOC_TYPES = (MINUTES, REPORT, NEWSLETTER, COURSE_MATERIAL, GUIDE, BOARD_PAPER, OTHER)

Kind = Literal["docx", "odt", "pptx", "xlsx", "html", "text", "eml"]
KINDS: tuple[Kind, ...] = ("docx", "odt", "pptx", "xlsx", "html", "text", "eml")

# Why a broken file cannot be read.
TRUNCATED = "truncated"
NOT_A_ZIP = "not_a_zip"
EMPTY = "empty"

RENOVATION = "renovering"
GREEN = "grøn omstilling"
DIGITAL = "digitalisering"
DEMOCRACY = "beboerdemokrati"
SOCIAL = "boligsocial indsats"
OPERATIONS = "drift og vedligehold"
FINANCE = "økonomi og administration"
LETTING = "udlejning"
BUILDING = "byggeri"
NETWORKS = "netværk og erfa"


@dataclass(frozen=True)
class DemoDocument:
    filename: str  # a path inside the archive folder, e.g. "2014/referater/..."
    content: bytes
    kind: Kind
    title: str
    date: date
    doc_type: str
    themes: tuple[str, ...]
    expected_failure: str | None = None  # TRUNCATED, NOT_A_ZIP or EMPTY for the files broken on purpose
    duplicate_of: str | None = None  # the file name whose bytes this file repeats


# --- Danish dates and numbers -------------------------------------------------------------------------------------

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def danish_date(day: date) -> str:
    """``date(2020, 11, 24)`` -> ``"24. november 2020"``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _workday(rng: random.Random, first: date, last: date) -> date:
    """A weekday between ``first`` and ``last``, rarely in July."""
    while True:
        day = first + timedelta(days=rng.randint(0, (last - first).days))
        if day.weekday() < 5 and (day.month != 7 or rng.random() < 0.15):
            return day


# --- what the documents are about ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Era:
    first: date
    last: date

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


def _years(first: int, last: int = 2020) -> Era:
    return Era(date(first, 1, 1), date(last, 12, 31))


ALWAYS = _years(2005)
COVID = Era(LOCKDOWN + timedelta(days=1), date(2020, 12, 31))
BEFORE_COVID = Era(FIRST_DAY, LOCKDOWN)

Pool = tuple[tuple[Era, str], ...]


@dataclass(frozen=True)
class _Theme:
    name: str
    weights: tuple[float, float, float, float]  # how much is written about it in 2005, 2010, 2015 and 2020
    topics: Pool  # noun phrases for titles and headings
    sentences: Pool
    advice: Pool  # short imperative lines for lists and slides

    def weight(self, year: int) -> float:
        position = min(max((year - 2005) / 5, 0.0), 3.0)
        low = min(int(position), 2)
        share = position - low
        return self.weights[low] * (1 - share) + self.weights[low + 1] * share


# Slots in templates: {org} a housing organisation, {estate} an estate, {place} a municipality, {person} a name,
# {few} two to six in words, {n} 5–40, {many} 40–400, {pct} a percentage, {mio} millions, {homes} a number of homes,
# {kroner} an amount, {year}/{next_year} the document's year and the next, {month} a month, {network} a network,
# {city} a city abroad, {funder} a foundation.
THEMES: tuple[_Theme, ...] = (
    _Theme(
        RENOVATION, (1.0, 1.3, 1.3, 1.0),
        topics=(
            (ALWAYS, "renovering"), (_years(2009), "helhedsorienteret renovering"), (ALWAYS, "genhusning"),
            (ALWAYS, "beboerinddragelse i renoveringer"), (ALWAYS, "tilstandsvurderinger"),
            (ALWAYS, "renovering af køkkener og bad"), (ALWAYS, "fugt og skimmel"), (_years(2010), "helhedsplaner"),
            (ALWAYS, "tilgængelighed i ældre byggeri"), (ALWAYS, "renoveringer med beboerne boende"),
        ),
        sentences=(
            (ALWAYS, "{org} har i {year} sat gang i renoveringen af {estate}, hvor {homes} boliger får nye "
                     "facader, vinduer og badeværelser."),
            (ALWAYS, "Erfaringerne viser, at en renovering går lettere, når beboerne inddrages tidligt i "
                     "processen."),
            (ALWAYS, "Mange boligorganisationer står over for store renoveringer i de kommende år, især i "
                     "byggeriet fra 1960'erne og 1970'erne."),
            (ALWAYS, "Landsbyggefondens renoveringsstøtte er afgørende for, at renoveringerne kan gennemføres "
                     "uden store huslejestigninger."),
            (ALWAYS, "Under renoveringen blev {n} familier genhuset i andre afdelinger."),
            (ALWAYS, "Genhusning er en af de største udfordringer ved en omfattende renovering, især for ældre "
                     "beboere."),
            (ALWAYS, "Flere deltagere fremhævede, at køkkener og bad ofte kan renoveres, mens beboerne bliver "
                     "boende."),
            (ALWAYS, "En god renoveringssag begynder med en grundig tilstandsvurdering af bygningerne."),
            (ALWAYS, "Fugt og skimmel i kældre og badeværelser var baggrunden for den store renovering i "
                     "{place}."),
            (ALWAYS, "Renoveringerne i {estate} blev afsluttet {few} måneder senere end planlagt på grund af "
                     "uforudsete skader i tagkonstruktionen."),
            (ALWAYS, "Byggeudvalget har holdt tæt kontakt til beboerne under hele renoveringen."),
            (ALWAYS, "Tilgængelighed indgår nu som et fast hensyn, når boligerne renoveres."),
            (ALWAYS, "Der blev fundet asbest og PCB i fuger og gulve, og det forsinkede arbejdet."),
            (ALWAYS, "Den samlede renovering er budgetteret til {mio} mio. kr., og Landsbyggefonden dækker "
                     "størstedelen."),
            (ALWAYS, "Beboerne i {estate} stemte ja til renoveringen på et ekstraordinært afdelingsmøde."),
            (ALWAYS, "Netværket drøftede, hvordan man prioriterer mellem klimaskærm og indvendige forbedringer, "
                     "når pengene ikke rækker til det hele."),
            (ALWAYS, "Det er vigtigt at informere beboerne løbende, når byggepladsen flytter fra blok til blok."),
            (ALWAYS, "Boligorganisationen har ansat en beboerkoordinator, der følger renoveringen tæt."),
            (_years(2010), "Helhedsplanen for {estate} kombinerer en fysisk renovering med en boligsocial "
                           "indsats."),
            (_years(2010), "En helhedsplan med renoveringsstøtte tager ofte fem til ti år fra den første idé til "
                           "indflytningen."),
            (_years(2012), "Ved store renoveringer sammenlægges små lejligheder ofte til familieboliger."),
            (_years(2016), "Renoveringen skal samtidig nedbringe energiforbruget med mindst {pct} procent."),
            (COVID, "Renoveringerne fortsatte under nedlukningen, men arbejdet inde i boligerne blev sat på "
                    "pause i nogle uger."),
        ),
        advice=(
            (ALWAYS, "Inddrag beboerne, før projektet ligger fast"), (ALWAYS, "Få lavet en grundig "
             "tilstandsvurdering"), (ALWAYS, "Læg en realistisk tidsplan for genhusningen"),
            (ALWAYS, "Aftal faste informationsmøder under byggeriet"), (ALWAYS, "Sæt penge af til uforudsete "
             "udgifter"), (ALWAYS, "Tænk tilgængelighed ind fra begyndelsen"),
            (_years(2010), "Koordinér renoveringen med den boligsociale helhedsplan"),
        ),
    ),
    _Theme(
        GREEN, (0.25, 0.45, 0.9, 1.7),
        topics=(
            (_years(2014), "grøn omstilling"), (ALWAYS, "energibesparelser"), (_years(2012), "affaldssortering"),
            (_years(2012), "solceller"), (_years(2012), "klimatilpasning"), (_years(2010), "bæredygtigt byggeri"),
            (_years(2016), "FN's verdensmål"), (_years(2017), "cirkulært byggeri"), (ALWAYS, "energirenovering"),
            (_years(2005, 2013), "miljø i afdelingerne"), (_years(2015), "bæredygtighed i driften"),
        ),
        sentences=(
            (_years(2012), "{org} har vedtaget en bæredygtighedsstrategi med konkrete mål for energi, vand og "
                           "affald."),
            (ALWAYS, "Energiforbruget i afdelingerne er faldet med {pct} procent, siden de første "
                     "energirenoveringer blev gennemført."),
            (_years(2012), "Flere afdelinger har fået solceller på tagene, og strømmen bruges i vaskerier og "
                           "fællesarealer."),
            (_years(2016), "FN's verdensmål bruges som ramme for den grønne omstilling hos {org}."),
            (_years(2017), "Sortering af affald i flere fraktioner stiller nye krav til affaldsøerne i "
                           "boligområderne."),
            (_years(2014), "Der er stor interesse for bæredygtighedscertificering af både nybyggeri og "
                           "renoveringer."),
            (_years(2017), "Cirkulært byggeri og genbrug af materialer var et gennemgående tema på dagen."),
            (_years(2012), "Klimatilpasning med regnbede og faskiner er blevet en del af mange helhedsplaner."),
            (_years(2012), "Efter skybruddet i 2011 har flere boligorganisationer investeret i lokal håndtering "
                           "af regnvand."),
            (ALWAYS, "Grønne fællesarealer har betydning for både biodiversiteten og trivslen blandt beboerne."),
            (ALWAYS, "Udskiftning af gamle ventilationsanlæg giver ofte store besparelser på elforbruget."),
            (ALWAYS, "Det er en udfordring at finansiere grønne investeringer uden at hæve huslejen."),
            (ALWAYS, "Ejendomsfunktionærerne spiller en central rolle, når grønne vaner skal forankres i "
                     "afdelingen."),
            (_years(2015), "Netværket vil samle erfaringer med varmepumper og fjernvarme i ældre byggeri."),
            (ALWAYS, "Energimærkningen af afdelingerne viser store forskelle mellem byggeperioderne."),
            (_years(2015), "Sekretariatet har udarbejdet et katalog med {n} konkrete tiltag, der kan mindske "
                           "udledningen af CO2."),
            (ALWAYS, "LED-belysning i opgange og kældre er et af de tiltag, der hurtigst tjener sig hjem."),
            (_years(2015), "En grøn omstilling af driften kræver data om forbruget i hver enkelt afdeling."),
            (_years(2005, 2012), "Energibesparelser i den almene sektor er blevet et politisk fokusområde."),
            (ALWAYS, "Miljøarbejdet i afdelingerne bygger i høj grad på frivillige beboeres engagement."),
            (_years(2018), "Den grønne omstilling var det tema, flest medlemmer ønskede mere viden om i "
                           "medlemsundersøgelsen."),
            (_years(2019), "Elbiler og ladestandere på parkeringspladserne er et nyt spørgsmål for mange "
                           "afdelingsbestyrelser."),
        ),
        advice=(
            (ALWAYS, "Kortlæg forbruget af vand, varme og el"), (ALWAYS, "Start med tiltag, der tjener sig hjem"),
            (ALWAYS, "Inddrag ejendomsfunktionærerne fra begyndelsen"), (_years(2012), "Gør affaldssorteringen "
             "nem for beboerne"), (_years(2015), "Sæt mål for udledningen af CO2"),
            (ALWAYS, "Fortæl beboerne om resultaterne"),
        ),
    ),
    _Theme(
        DIGITAL, (0.2, 0.35, 0.8, 1.8),
        topics=(
            (ALWAYS, "digitalisering"), (_years(2010), "digital selvbetjening"), (_years(2015), "beboerapps"),
            (_years(2017), "persondata"), (_years(2015), "data i driften"), (COVID, "digitale afdelingsmøder"),
            (_years(2005, 2011), "hjemmesider"), (ALWAYS, "it-systemer"),
            (_years(2012), "digital kommunikation med beboerne"), (COVID, "online møder"),
        ),
        sentences=(
            (_years(2010), "{org} har indført digital selvbetjening, så beboerne kan bestille reparationer på "
                           "nettet."),
            (_years(2015), "Den nye beboerapp er taget i brug i {n} afdelinger."),
            (_years(2012), "Digital post har ændret kommunikationen med beboerne, men ikke alle læser den."),
            (_years(2014), "Mange ejendomsfunktionærer bruger nu tablets til syn ved fraflytning."),
            (ALWAYS, "Digitaliseringen af driften kræver, at medarbejderne bliver fortrolige med de nye "
                     "systemer."),
            (_years(2015), "Data om henvendelser og reparationer kan bruges til at planlægge vedligeholdelsen "
                           "bedre."),
            (_years(2017), "Persondataforordningen stiller nye krav til, hvordan boligorganisationerne "
                           "behandler oplysninger om beboerne."),
            (ALWAYS, "Ældre beboere uden computer må ikke blive glemt, når kommunikationen digitaliseres."),
            (_years(2013), "Netværket for it-ansvarlige har udvekslet erfaringer med overgangen til nye "
                           "økonomisystemer."),
            (COVID, "Digitale afdelingsmøder blev afprøvet for første gang i år, med blandede erfaringer."),
            (COVID, "Under nedlukningen flyttede en stor del af arbejdet i administrationen hjem, og møderne blev "
                    "holdt på Teams."),
            (ALWAYS, "Hjemmesiden er blevet den vigtigste kanal for information til afdelingsbestyrelserne."),
            (_years(2016), "Sensorer i kældre og tekniske rum kan advare om vandskader, før de bliver dyre."),
            (_years(2015), "Der er brug for fælles standarder for data på tværs af boligorganisationerne."),
            (_years(2016), "Sekretariatet har lanceret en digital vidensbank med skabeloner og vejledninger."),
            (_years(2005, 2010), "Flere boligorganisationer har fået egen hjemmeside, og beboerne kan nu se "
                                 "ledige boliger på nettet."),
            (_years(2005, 2010), "E-mail er i stigende grad ved at erstatte brevene til "
                                 "afdelingsbestyrelserne."),
            (_years(2014), "Elektroniske nøgler og adgangssystemer har mindsket udgifterne til låsesmed."),
            (COVID, "Webinarerne har nået deltagere, som sjældent kommer til de fysiske arrangementer."),
            (_years(2018), "Mange boligorganisationer er i gang med at samle deres systemer på én platform."),
            (ALWAYS, "Det kræver både tid og uddannelse at få det fulde udbytte af et nyt it-system."),
        ),
        advice=(
            (ALWAYS, "Begynd med beboernes behov, ikke med teknikken"), (ALWAYS, "Uddan medarbejderne i de nye "
             "systemer"), (ALWAYS, "Bevar en analog vej for dem, der ikke er på nettet"),
            (_years(2017), "Gennemgå jeres behandling af persondata"), (_years(2015), "Brug data til at "
             "planlægge driften"), (COVID, "Afprøv det digitale møde, før det gælder"),
        ),
    ),
    _Theme(
        DEMOCRACY, (1.0, 0.9, 0.8, 0.8),
        topics=(
            (ALWAYS, "beboerdemokrati"), (ALWAYS, "afdelingsmøder"), (ALWAYS, "afdelingsbestyrelser"),
            (ALWAYS, "rekruttering af beboerdemokrater"), (ALWAYS, "urafstemninger"), (ALWAYS, "husorden"),
            (ALWAYS, "råderet"), (ALWAYS, "samarbejdet med organisationsbestyrelsen"),
        ),
        sentences=(
            (ALWAYS, "Afdelingsmødet er beboerdemokratiets vigtigste forum, men fremmødet er ofte lavt."),
            (ALWAYS, "I {estate} deltog {many} husstande i det ordinære afdelingsmøde, og det er det højeste "
                     "antal i mange år."),
            (ALWAYS, "Nye medlemmer af afdelingsbestyrelserne efterspørger et introduktionskursus."),
            (ALWAYS, "Det er svært at rekruttere yngre beboere til afdelingsbestyrelserne."),
            (ALWAYS, "Organisationsbestyrelsen har drøftet, hvordan samarbejdet med afdelingsbestyrelserne kan "
                     "styrkes."),
            (ALWAYS, "Beboerdemokratiet sikrer, at beboerne har indflydelse på budget, husorden og "
                     "vedligeholdelse."),
            (ALWAYS, "Urafstemninger kan være et supplement, når mange beboere ikke kan deltage i "
                     "afdelingsmødet."),
            (ALWAYS, "En god dagsorden og en tydelig dirigent gør afdelingsmøderne mere konstruktive."),
            (ALWAYS, "Repræsentantskabet godkendte de nye vedtægter uden ændringer."),
            (ALWAYS, "Kurset for afdelingsbestyrelser gennemgik reglerne om budget, regnskab og råderet."),
            (ALWAYS, "Flere afdelinger har gode erfaringer med temamøder før det ordinære afdelingsmøde."),
            (ALWAYS, "Som boligorganisation har man pligt til at støtte afdelingsbestyrelsernes arbejde."),
            (ALWAYS, "Beboerdemokraterne bruger i gennemsnit {few} timer om ugen på det frivillige arbejde."),
            (COVID, "Afdelingsmøderne i foråret blev udskudt på grund af forsamlingsforbuddet."),
            (COVID, "Digitale afdelingsmøder giver nye muligheder, men rejser også spørgsmål om afstemninger og "
                    "deltagelse."),
            (ALWAYS, "Beboerklagenævnet i {place} behandlede {n} sager om husorden og naboskab sidste år."),
            (ALWAYS, "Frivillige beboere står bag en stor del af aktiviteterne i beboerhusene."),
            (ALWAYS, "Det blev foreslået at oversætte indkaldelserne til afdelingsmøder til flere sprog."),
            (_years(2010), "Styringsdialogen mellem kommunen og boligorganisationen bør også inddrage "
                           "beboerdemokraterne."),
            (ALWAYS, "En ny afdelingsbestyrelse har brug for et godt overblik over afdelingens økonomi."),
            (ALWAYS, "Husordenen blev revideret efter en lang debat om grill på altanerne."),
        ),
        advice=(
            (ALWAYS, "Send indkaldelsen ud i god tid"), (ALWAYS, "Hold dagsordenen kort og konkret"),
            (ALWAYS, "Byd nye beboere velkommen i beboerdemokratiet"), (ALWAYS, "Vælg en erfaren dirigent"),
            (ALWAYS, "Fortæl, hvad bestyrelsen har opnået i årets løb"), (COVID, "Aftal reglerne for digitale "
             "afstemninger på forhånd"),
        ),
    ),
    _Theme(
        SOCIAL, (0.6, 1.2, 1.3, 1.0),
        topics=(
            (ALWAYS, "boligsocial indsats"), (_years(2008), "boligsociale helhedsplaner"), (ALWAYS, "tryghed"),
            (ALWAYS, "beboerrådgivning"), (ALWAYS, "unge i boligområderne"), (ALWAYS, "udsatte boligområder"),
            (_years(2005, 2010), "kvarterløft"), (ALWAYS, "forebyggelse af udsættelser"),
            (ALWAYS, "ensomhed blandt ældre beboere"), (_years(2018), "udviklingsplaner"),
        ),
        sentences=(
            (_years(2008), "Den boligsociale helhedsplan i {place} omfatter lektiecaféer, jobvejledning og "
                           "aktiviteter for børn og unge."),
            (_years(2008), "Landsbyggefonden finansierer {pct} procent af udgifterne til den boligsociale "
                           "indsats."),
            (ALWAYS, "Beboerrådgiverne hjælper beboere med gæld, huslejerestancer og kontakten til kommunen."),
            (ALWAYS, "Tryghedsvandringer i boligområdet har ført til bedre belysning og færre utrygge steder."),
            (ALWAYS, "Samarbejdet med kommunen, skolerne og politiet er afgørende for en vellykket boligsocial "
                     "indsats."),
            (ALWAYS, "Evalueringen viser, at flere unge i området er kommet i uddannelse eller job."),
            (_years(2010), "Listen over udsatte boligområder har skabt usikkerhed blandt beboerne."),
            (_years(2018), "Udviklingsplanerne for de udsatte boligområder kræver, at andelen af almene "
                           "familieboliger nedbringes."),
            (_years(2005, 2010), "Kvarterløftet i {place} har vist, at fysiske og sociale tiltag skal gå hånd i "
                                 "hånd."),
            (_years(2010), "Fritidsjob til unge har været en af de mest virkningsfulde aktiviteter i "
                           "helhedsplanen."),
            (ALWAYS, "Ensomhed blandt ældre beboere er et voksende problem i mange afdelinger."),
            (COVID, "Frivillige naboer hjalp ældre beboere med indkøb under nedlukningen."),
            (ALWAYS, "En fælles indsats mod udsættelser har mere end halveret antallet af fogedsager."),
            (_years(2012), "Medarbejderne i den boligsociale indsats efterspørger mere viden om effekt og "
                           "dokumentation."),
            (ALWAYS, "Netværket for boligsociale medarbejdere mødes fire gange om året og deler metoder og "
                     "erfaringer."),
            (_years(2012), "Den boligsociale indsats skal forankres i driften, når helhedsplanen udløber."),
            (ALWAYS, "Sproget kan være en barriere, når boligorganisationen skal informere beboerne om nye "
                     "tiltag."),
            (ALWAYS, "Beboerhuset er blevet et samlingssted for både børnefamilier og ældre."),
            (_years(2014), "En boligsocial medarbejder i {estate} har startet et netværk for enlige forsørgere."),
        ),
        advice=(
            (ALWAYS, "Tag udgangspunkt i beboernes egne ressourcer"), (ALWAYS, "Lav klare aftaler med "
             "kommunen"), (ALWAYS, "Mål effekten af indsatsen"), (ALWAYS, "Inddrag frivillige fra området"),
            (_years(2012), "Planlæg forankringen fra første dag"), (ALWAYS, "Hold fast i de aktiviteter, der "
             "virker"),
        ),
    ),
    _Theme(
        OPERATIONS, (1.1, 1.0, 1.0, 0.9),
        topics=(
            (ALWAYS, "drift og vedligehold"), (ALWAYS, "vedligeholdelsesplaner"), (_years(2012), "fællesdrift"),
            (_years(2015), "effektivisering af driften"), (ALWAYS, "ejendomsfunktionærernes arbejdsmiljø"),
            (ALWAYS, "fraflytningssyn"), (ALWAYS, "grønne områder"), (ALWAYS, "vaskerier"),
            (ALWAYS, "indkøb og udbud"), (ALWAYS, "rengøring af fællesarealer"),
        ),
        sentences=(
            (ALWAYS, "Driftscheferne drøftede, hvordan man bedst tilrettelægger den planlagte og periodiske "
                     "vedligeholdelse."),
            (ALWAYS, "Vedligeholdelsesplanerne skal opdateres, så de afspejler bygningernes faktiske tilstand."),
            (_years(2012), "Fællesdrift på tværs af afdelingerne har givet besparelser på maskiner og indkøb."),
            (_years(2016), "Målet om effektivisering i den almene sektor lægger pres på driftsbudgetterne."),
            (ALWAYS, "Ejendomsfunktionærernes arbejdsmiljø blev drøftet, især tunge løft og alenearbejde."),
            (_years(2014), "Et fraflytningssyn tager i gennemsnit {n} minutter, når det gennemføres "
                           "digitalt."),
            (ALWAYS, "Vinterberedskab og glatførebekæmpelse koster mere end budgetteret i de fleste afdelinger."),
            (ALWAYS, "De grønne områder udgør en stor del af driftsudgifterne i mange boligafdelinger."),
            (ALWAYS, "En fælles indkøbsaftale på rengøringsmidler og materiel er under forberedelse."),
            (ALWAYS, "Byggeskadefonden har gennemført eftersyn i {n} afdelinger i {place}."),
            (ALWAYS, "God service over for beboerne begynder med et velfungerende ejendomskontor."),
            (ALWAYS, "Flere deltagere efterlyste sammenligninger af driftsudgifterne på tværs af "
                     "boligorganisationerne."),
            (ALWAYS, "Opsparingen til planlagt vedligeholdelse er for lav i en del af de ældre afdelinger."),
            (ALWAYS, "Rotter i kældrene kræver et tæt samarbejde med kommunens skadedyrsbekæmpelse."),
            (ALWAYS, "Driftslederen fortalte om erfaringerne med at organisere driften i teams."),
            (ALWAYS, "Vaskerierne i afdelingerne moderniseres gradvist med nye maskiner og bookingsystemer."),
            (ALWAYS, "Rengøringen af opgangene var et tilbagevendende emne i beboernes henvendelser."),
            (COVID, "Under corona blev rengøringen af dørhåndtag, trapper og vaskerier øget markant."),
            (ALWAYS, "Driften i {estate} er lagt sammen med nabobebyggelsen, så de deler ejendomskontor."),
        ),
        advice=(
            (ALWAYS, "Hold vedligeholdelsesplanen opdateret"), (ALWAYS, "Sammenlign jeres udgifter med andres"),
            (ALWAYS, "Planlæg arbejdet, så tunge løft undgås"), (ALWAYS, "Giv beboerne svar hurtigt"),
            (_years(2012), "Overvej fællesdrift med nabobebyggelser"), (ALWAYS, "Saml indkøbene i færre aftaler"),
        ),
    ),
    _Theme(
        FINANCE, (0.9, 1.0, 1.0, 0.8),
        topics=(
            (ALWAYS, "økonomi og administration"), (ALWAYS, "budget og regnskab"), (ALWAYS, "huslejefastsættelse"),
            (ALWAYS, "dispositionsfonden"), (_years(2010), "nøgletal"), (_years(2010), "styringsdialog"),
            (ALWAYS, "administrationsbidrag"), (ALWAYS, "huslejerestancer"), (ALWAYS, "trækningsret"),
        ),
        sentences=(
            (ALWAYS, "Regnskabet for sidste år viser et overskud på {kroner} kr., som overføres til foreningens "
                     "egenkapital."),
            (ALWAYS, "Huslejestigningerne i afdelingerne skal holdes på et niveau, som beboerne kan betale."),
            (ALWAYS, "Administrationsbidraget blev sammenlignet på tværs af {n} boligorganisationer."),
            (ALWAYS, "Dispositionsfonden bruges til at støtte afdelinger med særlige økonomiske udfordringer."),
            (ALWAYS, "Budgetprocessen for {next_year} begynder i august med møder i alle afdelingsbestyrelser."),
            (ALWAYS, "Landsbyggefondens regler om trækningsret har betydning for finansieringen af "
                     "forbedringsarbejder."),
            (ALWAYS, "Revisionen havde ingen væsentlige bemærkninger til årsregnskabet."),
            (ALWAYS, "Huslejerestancerne er steget svagt i løbet af året."),
            (ALWAYS, "Kontingentet for medlemskab af AlmenNet fastholdes uændret for {next_year}."),
            (_years(2010), "Sekretariatet har udarbejdet nøgletal for administration og drift, som medlemmerne "
                           "kan sammenligne sig med."),
            (ALWAYS, "Et fælles indkøbsfællesskab kan nedbringe udgifterne til forsikringer og revision."),
            (ALWAYS, "For en lille boligorganisation kan udgifterne til revision og it være en tung post."),
            (_years(2016), "Aftalen om effektivisering betyder, at sektorens driftsudgifter skal nedbringes med "
                           "1,5 mia. kr. om året frem mod 2020."),
            (_years(2006, 2008), "Kommunalreformen har ændret samarbejdet om tilsynet med "
                                 "boligorganisationerne."),
            (_years(2010), "Styringsdialogen med kommunen tager udgangspunkt i boligorganisationens nøgletal."),
            (_years(2008, 2011), "Finanskrisen har gjort det dyrere at låne til nybyggeri og renovering."),
            (ALWAYS, "Sekretariatets udgifter til husleje og it ligger inden for budgettet."),
            (ALWAYS, "{funder} har bevilget {mio} mio. kr. til udviklingsprojektet."),
            (COVID, "Flere afdelinger har aftalt afdragsordninger med beboere, der har mistet indtægter under "
                    "corona."),
            (ALWAYS, "Huslejen i {estate} stiger med {few} procent som følge af de nye lån."),
        ),
        advice=(
            (ALWAYS, "Læg budgettet i god tid før afdelingsmødet"), (ALWAYS, "Forklar huslejeændringer i et "
             "enkelt sprog"), (ALWAYS, "Følg restancerne måned for måned"), (_years(2010), "Brug nøgletallene "
             "i styringsdialogen"), (ALWAYS, "Spørg revisor, når reglerne er uklare"),
        ),
    ),
    _Theme(
        LETTING, (0.8, 0.8, 0.7, 0.6),
        topics=(
            (ALWAYS, "udlejning"), (ALWAYS, "fleksibel udlejning"), (ALWAYS, "ventelister"),
            (_years(2015), "kombineret udlejning"), (ALWAYS, "kommunal anvisning"), (ALWAYS, "fraflytning"),
            (ALWAYS, "ungdomsboliger"), (ALWAYS, "ældreboliger"), (_years(2008), "boligsøgning på nettet"),
        ),
        sentences=(
            (ALWAYS, "Ventelisterne er lange i de større byer, mens enkelte afdelinger i yderområderne har "
                     "tomme boliger."),
            (ALWAYS, "Udlejningschefer fra {n} boligorganisationer deltog i mødet om fleksibel udlejning."),
            (_years(2015), "Kombineret udlejning giver kommunen mulighed for at anvise færre boliger i udsatte "
                           "områder."),
            (ALWAYS, "Fraflytningsprocenten er faldet i de afdelinger, hvor nye beboere får en grundig "
                     "velkomst."),
            (ALWAYS, "Den kommunale anvisning udgør omkring en fjerdedel af udlejningen."),
            (_years(2008), "Boligsøgning på nettet har gjort det nemmere for boligsøgende at holde deres "
                           "opskrivning ajour."),
            (_years(2010), "Flere boligorganisationer har tilsluttet sig en fælles boligportal."),
            (ALWAYS, "Udlejningen af ungdomsboliger følger egne regler og kræver dokumentation for uddannelse."),
            (ALWAYS, "Tomgangsleje i de tungt udlejelige afdelinger belaster boligorganisationens økonomi."),
            (ALWAYS, "Reglerne om fortrinsret for familier med børn blev gennemgået på kurset."),
            (_years(2012), "Boligorganisationerne oplever stigende efterspørgsel efter små og billige boliger."),
            (COVID, "Fremvisninger af ledige boliger blev under nedlukningen erstattet af videoer og virtuelle "
                    "rundvisninger."),
            (_years(2012), "Ældreboliger og seniorbofællesskaber er i vækst, og ventelisterne til dem er lange."),
            (ALWAYS, "Udlejningsaftalen med kommunen forhandles hvert fjerde år."),
            (ALWAYS, "Nye beboere får et velkomstbrev og tilbud om et besøg af en beboerrådgiver."),
            (ALWAYS, "Bytteboliger og intern oprykning giver beboerne mulighed for at finde en bolig, der passer "
                     "bedre."),
        ),
        advice=(
            (ALWAYS, "Hold ventelisten ajour"), (ALWAYS, "Giv nye beboere en god velkomst"),
            (ALWAYS, "Lav en klar udlejningsaftale med kommunen"), (ALWAYS, "Følg op på fraflytninger"),
            (ALWAYS, "Gør det nemt at søge bolig"),
        ),
    ),
    _Theme(
        BUILDING, (0.6, 0.6, 0.8, 0.8),
        topics=(
            (ALWAYS, "almene nybyggerier"), (ALWAYS, "maksimumsbeløbet"), (ALWAYS, "bygherrerollen"),
            (ALWAYS, "totalentreprise"), (_years(2010), "partnering"), (_years(2016), "byggeri i træ"),
            (_years(2015), "almene boliger i lokalplaner"), (ALWAYS, "mangelgennemgang"),
        ),
        sentences=(
            (ALWAYS, "{org} opfører {homes} nye almene familieboliger i {place} med indflytning i {next_year}."),
            (ALWAYS, "Maksimumsbeløbet for almene boliger gør det svært at bygge i de store byer."),
            (_years(2015), "Kommunen kan kræve op til 25 procent almene boliger i nye lokalplaner."),
            (ALWAYS, "Byggeriet blev udbudt i totalentreprise, og der kom {few} tilbud."),
            (_years(2016), "Almene byggerier i træ har fået stor opmærksomhed i de seneste år."),
            (ALWAYS, "Nybyggeriet rummer både familieboliger, ungdomsboliger og almene ældreboliger."),
            (ALWAYS, "Bygherrerådgiveren gennemgik tidsplanen og de største risici i projektet."),
            (ALWAYS, "Skema B blev godkendt af kommunalbestyrelsen i {month}."),
            (ALWAYS, "Det almene nybyggeri skal leve op til de skærpede energikrav i bygningsreglementet."),
            (ALWAYS, "Byggeudvalget har besøgt tre nyere almene byggerier for at hente inspiration."),
            (_years(2010), "Partnering og tidlig inddragelse af entreprenøren giver færre fejl og mangler."),
            (ALWAYS, "Et- og femårsgennemgangen af byggeriet viste kun mindre mangler."),
            (COVID, "Byggepladserne fortsatte under nedlukningen, men med ekstra krav om afstand og hygiejne."),
            (ALWAYS, "Almene boliger med en rimelig husleje er en forudsætning for blandede byer."),
            (_years(2013), "Grundpriserne i hovedstadsområdet er steget markant."),
        ),
        advice=(
            (ALWAYS, "Afklar bygherrens rolle tidligt"), (ALWAYS, "Hold øje med maksimumsbeløbet"),
            (ALWAYS, "Inddrag driften i projekteringen"), (ALWAYS, "Planlæg mangelgennemgangen"),
            (_years(2010), "Overvej partnering"),
        ),
    ),
    _Theme(
        NETWORKS, (0.5, 0.6, 0.7, 0.8),
        topics=(
            (ALWAYS, "erfaringsudveksling"), (ALWAYS, "netværkssamarbejde"), (ALWAYS, "studieture"),
            (ALWAYS, "årsseminaret"), (ALWAYS, "nye netværk"), (COVID, "online netværksmøder"),
        ),
        sentences=(
            (ALWAYS, "Netværket mødes {few} gange om året på skift hos medlemmerne."),
            (ALWAYS, "Værten for mødet viste rundt i {estate} og fortalte om afdelingens historie."),
            (ALWAYS, "Deltagerne lagde vægt på, at netværket giver plads til at dele både gode og dårlige "
                     "erfaringer."),
            (ALWAYS, "ERFA-gruppen har udarbejdet en fælles tjekliste, som ligger på hjemmesiden."),
            (ALWAYS, "Det blev aftalt at invitere en ekstern oplægsholder til næste møde."),
            (ALWAYS, "Nye medlemmer af netværket blev budt velkommen."),
            (ALWAYS, "Mødet havde {n} deltagere fra boligorganisationer i hele landet."),
            (ALWAYS, "Evalueringen af netværket viser, at deltagerne især sætter pris på det faglige "
                     "fællesskab."),
            (COVID, "Netværksmøderne holdes indtil videre online."),
            (COVID, "Online møderne har givet flere deltagere, men mindre tid til den uformelle snak."),
            (ALWAYS, "Netværkets koordinationsgruppe planlægger programmet for det kommende år."),
            (ALWAYS, "Flere deltagere ønskede kortere møder med et skarpere fagligt fokus."),
            (ALWAYS, "Årsseminaret samlede {many} deltagere fra hele landet."),
            (ALWAYS, "Sekretariatet faciliterer netværkene og sørger for referater og opfølgning."),
            (BEFORE_COVID, "Studieturen til {city} gav inspiration til arbejdet med boligområderne."),
            (ALWAYS, "Netværket for {network} har fået {few} nye medlemmer i år."),
        ),
        advice=(
            (ALWAYS, "Del både succeser og fejl"), (ALWAYS, "Skiftes til at være vært"),
            (ALWAYS, "Aftal et tema for hvert møde"), (ALWAYS, "Følg op på aftalerne fra sidste møde"),
        ),
    ),
)
THEME_BY_NAME = {theme.name: theme for theme in THEMES}
THEME_NAMES = tuple(theme.name for theme in THEMES)

# The networks and ERFA groups AlmenNet runs, with the segment their members work in.
ACTIVITY_NETWORKS: tuple[tuple[str, str, str], ...] = (
    ("Netværk for driftschefer", data.SEGMENT_OPERATIONS, OPERATIONS),
    ("Netværk for boligsociale medarbejdere", data.SEGMENT_SOCIAL, SOCIAL),
    ("Netværk for udlejningschefer", data.SEGMENT_LETTING, LETTING),
    ("Netværk for økonomichefer", data.SEGMENT_FINANCE, FINANCE),
    ("Netværk for byggeafdelinger", data.SEGMENT_BUILDING, BUILDING),
)
_NETWORK_AUDIENCES = ("driftschefer", "boligsociale medarbejdere", "udlejningschefer", "økonomichefer",
                      "byggeafdelinger", "kommunikationsmedarbejdere", "it-ansvarlige", "direktører",
                      "energiansvarlige", "beboerrådgivere")
_FUNDERS = ("Realdania", "Landsbyggefonden", "Fonden for Gode Boligområder", "Den Grønne Boligfond",
            "Bolig og Fællesskab Fonden")
_CITIES = ("Malmø", "Hamborg", "Amsterdam", "Wien", "Oslo", "Berlin", "Göteborg")
_SEMINAR_PLACES = ("Nyborg", "Kolding", "Vejle", "Middelfart", "Odense", "Horsens", "Aarhus")
_MEETING_PLACES = ("København", "Vejle", "Odense", "Aarhus", "Kolding", "Aalborg", "Roskilde",
                   "Fredericia", "Herning", "Næstved")
_ONLINE_PLACES = ("Online (Teams)", "Online (Zoom)")


# --- composing a document --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str | int, ...], ...]  # the first row holds the column names


Block = Heading | Paragraph | Items | Table


@dataclass(frozen=True)
class Draft:
    """A document before it is written in a format."""

    title: str
    day: date
    doc_type: str
    themes: tuple[str, ...]
    blocks: tuple[Block, ...]


def _words(text: str) -> int:
    return len(text.split())


def _block_words(block: Block) -> int:
    if isinstance(block, Heading | Paragraph):
        return _words(block.text)
    if isinstance(block, Items):
        return sum(_words(item) for item in block.items)
    return sum(_words(str(cell)) for row in block.rows for cell in row)


def draft_words(draft: Draft) -> int:
    return _words(draft.title) + sum(_block_words(block) for block in draft.blocks)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Composer:
    """Fills templates for one document: slots get fresh values, and no template is used twice."""

    _SLOT = re.compile(r"\{(\w+)\}")

    def __init__(self, rng: random.Random, day: date, organisations: Sequence[str]) -> None:
        self.rng = rng
        self.day = day
        self.organisations = organisations
        self.used: set[str] = set()
        self.themes: list[str] = []
        self._slots: dict[str, Callable[[], str]] = {
            "org": lambda: rng.choice(organisations),
            "estate": lambda: rng.choice(data.NAME_PREFIXES) + rng.choice(data.NAME_SUFFIXES),
            "place": lambda: rng.choice(data.MUNICIPALITIES).name,
            "person": lambda: f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.SURNAMES)}",
            "few": lambda: rng.choice(("to", "tre", "fire", "fem", "seks")),
            "n": lambda: str(rng.randint(5, 40)),
            "many": lambda: str(rng.randint(40, 400)),
            "pct": lambda: str(rng.choice((5, 8, 10, 12, 15, 20, 25, 30, 35, 40))),
            "mio": lambda: str(rng.choice((12, 18, 25, 40, 65, 90, 120, 180, 250, 400))),
            "homes": lambda: str(rng.randint(3, 65) * 10),
            "kroner": lambda: _thousands(rng.randint(20, 250) * 1000),
            "year": lambda: str(day.year),
            "next_year": lambda: str(day.year + 1),
            "month": lambda: MONTHS[rng.randrange(12)],
            "network": lambda: rng.choice(_NETWORK_AUDIENCES),
            "city": lambda: rng.choice(_CITIES),
            "funder": lambda: rng.choice(_FUNDERS),
        }

    def fill(self, template: str) -> str:
        return self._SLOT.sub(lambda match: self._slots[match.group(1)](), template)

    def _fresh(self, pool: Pool, count: int) -> list[str]:
        """Up to ``count`` of the templates in ``pool`` that belong to the document's day and are not used yet."""
        candidates = [text for era, text in pool if era.covers(self.day) and text not in self.used]
        chosen = self.rng.sample(candidates, min(count, len(candidates)))
        self.used.update(chosen)
        return [self.fill(text) for text in chosen]

    def note(self, theme: str) -> None:
        """Record ``theme`` as one the document is about."""
        if theme not in self.themes:
            self.themes.append(theme)

    def sentences(self, theme: str, count: int, *, top_up: bool = True) -> list[str]:
        self.note(theme)
        found = self._fresh(THEME_BY_NAME[theme].sentences, count)
        if len(found) < count and top_up:  # a long text has used up the theme: a neighbouring one fills in
            neighbour = _themes_for(self.rng, self.day.year, 2, theme)[1]
            found += self.sentences(neighbour, count - len(found), top_up=False)
        return found

    def paragraph(self, theme: str, count: int, *, lead: str = "") -> Paragraph:
        return Paragraph(" ".join(([lead] if lead else []) + self.sentences(theme, count)))

    def advice(self, theme: str, count: int) -> list[str]:
        self.note(theme)
        return self._fresh(THEME_BY_NAME[theme].advice, count)

    def topic(self, theme: str) -> str:
        self.note(theme)
        topics = [text for era, text in THEME_BY_NAME[theme].topics if era.covers(self.day)]
        return self.rng.choice(topics)

    def pick(self, options: Sequence[str]) -> str:
        """One of ``options`` not used yet in this document (they may repeat once all are used), unfilled."""
        fresh = [option for option in options if option not in self.used] or list(options)
        choice = self.rng.choice(fresh)
        self.used.add(choice)
        return choice

    def say(self, options: Sequence[str]) -> str:
        return self.fill(self.pick(options))

    def titled(self, options: Sequence[str], topic: str) -> str:
        """One of ``options`` with ``{topic}`` (or ``{Topic}``, capitalised) and the other slots filled."""
        return self.fill(self.pick(options).replace("{topic}", topic).replace("{Topic}", _capital(topic)))

    def person(self) -> str:
        return self._slots["person"]()

    def online(self) -> bool:
        return COVID.covers(self.day)


def _themes_for(rng: random.Random, year: int, count: int, first: str | None = None) -> list[str]:
    chosen = [first] if first else []
    while len(chosen) < count:
        candidates = [theme for theme in THEMES if theme.name not in chosen]
        chosen.append(rng.choices(candidates, weights=[theme.weight(year) for theme in candidates])[0].name)
    return chosen


def _date_line(composer: _Composer, prefix: str) -> Paragraph:
    return Paragraph(f"{prefix} {danish_date(composer.day)}".strip())


_OPENINGS = (
    "Dagsordenen blev godkendt uden bemærkninger.",
    "Formanden bød velkommen, og dagsordenen blev godkendt.",
    "Dagsordenen blev godkendt med en tilføjelse under eventuelt.",
    "{person} bød velkommen og præsenterede dagens program.",
)
_DECISIONS = (
    "Bestyrelsen tog orienteringen til efterretning.",
    "Det blev besluttet, at sekretariatet udarbejder et oplæg til næste møde.",
    "Punktet blev udsat til næste møde.",
    "{person} undersøger sagen og vender tilbage.",
    "Der var enighed om at samle erfaringerne i et kort notat.",
    "Forslaget blev vedtaget.",
    "Der var enighed om at arbejde videre med sagen i en arbejdsgruppe.",
    "Indstillingen blev godkendt med de bemærkninger, der kom frem på mødet.",
    "Sekretariatet sender materialet ud sammen med referatet.",
    "Drøftelsen fortsætter på næste møde, hvor {person} holder et kort oplæg.",
)
_ITEM_HEADINGS = ("Status på {topic}", "Orientering om {topic}", "Drøftelse af {topic}", "Erfaringer med {topic}",
                  "{Topic}", "Oplæg om {topic}")
_MISCELLANEOUS = (
    "Der var ingen bemærkninger under eventuelt.",
    "{person} orienterede kort om det kommende årsseminar.",
    "Det blev nævnt, at hjemmesiden får nyt design i løbet af året.",
    "Der blev spurgt til tilmeldingen til efterårets kurser.",
    "Ingen punkter.",
)


def _minutes(composer: _Composer, rng: random.Random) -> Draft:
    day = composer.day
    roll = rng.random()
    network = ""
    if roll < 0.35:
        title = f"Referat af bestyrelsesmøde {danish_date(day)}"
        themes = _themes_for(rng, day.year, rng.randint(2, 4))
    elif roll < 0.75:
        network, _segment, theme = rng.choice(ACTIVITY_NETWORKS)
        title = f"Referat: {network}, møde {danish_date(day)}"
        themes = list(dict.fromkeys([NETWORKS, *_themes_for(rng, day.year, rng.randint(1, 2), theme)]))
    elif roll < 0.9:
        theme = _themes_for(rng, day.year, 1)[0]
        title = f"Referat fra ERFA-mødet om {composer.topic(theme)}"
        themes = [NETWORKS, theme]
    else:
        theme = _themes_for(rng, day.year, 1)[0]
        title = f"Referat af styregruppemøde i projektet om {composer.topic(theme)}"
        themes = [theme]
    place = rng.choice(_ONLINE_PLACES) if composer.online() else rng.choice(_MEETING_PLACES)
    blocks: list[Block] = []
    if rng.random() < 0.92:
        blocks.append(Paragraph(f"Mødedato: {WEEKDAYS[day.weekday()]} den {danish_date(day)}, "
                                f"kl. {rng.choice(('9.30', '10.00', '13.00'))}"))
    blocks.append(Paragraph(f"Sted: {place}"))
    attendees = [f"{composer.person()} ({rng.choice(composer.organisations)})" for _ in range(rng.randint(4, 9))]
    blocks.append(Paragraph("Deltagere: " + ", ".join(attendees)))
    if rng.random() < 0.6:
        blocks.append(Paragraph(f"Afbud: {composer.person()}"))
    blocks.append(Paragraph(f"Referent: {composer.person()}"))
    blocks += [Heading("1. Godkendelse af dagsorden"), Paragraph(composer.say(_OPENINGS))]
    number = 2
    for theme in themes:
        if theme == NETWORKS and network:
            blocks += [Heading(f"{number}. Nyt fra netværket"), composer.paragraph(NETWORKS, rng.randint(1, 3))]
        else:
            blocks += [Heading(f"{number}. {composer.titled(_ITEM_HEADINGS, composer.topic(theme))}"),
                       composer.paragraph(theme, rng.randint(2, 4)), Paragraph(composer.say(_DECISIONS))]
        number += 1
    next_meeting = _workday(rng, day + timedelta(days=30), day + timedelta(days=120))
    blocks += [Heading(f"{number}. Eventuelt"), Paragraph(composer.say(_MISCELLANEOUS)),
               Heading(f"{number + 1}. Næste møde"), Paragraph(f"Næste møde holdes {danish_date(next_meeting)}.")]
    return Draft(title, day, MINUTES, tuple(composer.themes), tuple(blocks))


_REPORT_TITLES = ("{Topic} – erfaringer fra {n} boligorganisationer", "Evaluering af {topic}",
                  "Kortlægning af {topic} i den almene sektor", "{Topic} i praksis", "Rapport om {topic}")
_REPORT_INTROS = (
    "Denne rapport samler erfaringerne fra {n} boligorganisationer.",
    "Formålet med projektet har været at undersøge, hvad der virker, og hvad der kan gøres bedre.",
    "Rapporten henvender sig til ledere, medarbejdere og beboerdemokrater i boligorganisationerne.",
    "Projektet er gennemført med støtte fra {funder}.",
)
_REPORT_METHODS = (
    "Der er gennemført {n} interviews med medarbejdere, beboere og samarbejdspartnere.",
    "Undersøgelsen bygger på en spørgeskemaundersøgelse blandt medlemmerne med {many} besvarelser.",
    "Projektgruppen har besøgt {few} afdelinger og talt med beboere og ejendomsfunktionærer.",
    "Resultaterne er drøftet på to workshops med deltagere fra netværkene.",
    "Data fra Landsbyggefonden er brugt til at sammenligne afdelingerne.",
)


def _report(composer: _Composer, rng: random.Random) -> Draft:
    themes = _themes_for(rng, composer.day.year, rng.randint(1, 2))
    topic = composer.topic(themes[0])
    title = composer.titled(_REPORT_TITLES, topic)
    blocks: list[Block] = []
    if rng.random() < 0.9:
        blocks.append(_date_line(composer, rng.choice(("København,", "Udgivet", "Dato:"))))
    blocks += [Heading("Resumé"), Paragraph(" ".join([composer.say(_REPORT_INTROS),
                                                      *composer.sentences(themes[0], 2)])),
               Heading("Baggrund"), composer.paragraph(themes[0], rng.randint(2, 4))]
    if rng.random() < 0.7:
        blocks += [Heading("Metode"), Paragraph(" ".join(composer.say(_REPORT_METHODS)
                                                         for _ in range(rng.randint(2, 3))))]
    blocks.append(Heading("Resultater"))
    for theme in themes:
        for _ in range(rng.randint(1, 2)):
            blocks.append(composer.paragraph(theme, rng.randint(3, 5)))
    if rng.random() < 0.6:
        blocks.append(Table((("Nøgletal", "Antal"),
                             ("Boligorganisationer i undersøgelsen", rng.randint(6, 40)),
                             ("Afdelinger", rng.randint(12, 160)), ("Interviews", rng.randint(8, 45)),
                             ("Besvarelser", rng.randint(80, 900)))))
    blocks += [Heading("Anbefalinger"), Items(tuple(composer.advice(themes[-1], rng.randint(3, 5))))]
    return Draft(title, composer.day, REPORT, tuple(composer.themes), tuple(blocks))


_HEADLINES = ("Ny vejledning om {topic}", "Stor interesse for {topic}", "Erfaringer med {topic}",
              "{Topic} på dagsordenen", "Netværk sætter fokus på {topic}", "Temadag om {topic}",
              "Ny rapport om {topic}", "Fem spørgsmål om {topic}", "{Topic}: nye tal", "Godt i gang med {topic}")
_COVID_HEADLINES = ("Webinar om {topic}", "{Topic} under corona", "Sådan klarer I {topic} på afstand")
_GREETINGS = {1: "Godt nytår", 6: "God sommer", 12: "Velkommen til årets sidste nyhedsbrev"}
_NEWSLETTER_INTROS = (
    "Her er de seneste nyheder fra AlmenNet og netværkene.",
    "I dette nummer kan du læse om nye værktøjer, kurser og erfaringer fra medlemmerne.",
    "Der er sket meget siden sidst, og her får du et overblik.",
    "Husk at tilmelde dig efterårets kurser og netværksmøder.",
    "Sekretariatet har fået mange henvendelser fra medlemmerne, og her svarer vi på nogle af dem.",
)


def _headline(composer: _Composer, theme: str) -> str:
    patterns = _HEADLINES + _COVID_HEADLINES if composer.online() else _HEADLINES
    return composer.titled(patterns, composer.topic(theme))


def _calendar(composer: _Composer, rng: random.Random, themes: Sequence[str]) -> Items:
    lines = []
    day = composer.day
    for _ in range(rng.randint(2, 4)):
        day = _workday(rng, day + timedelta(days=7), day + timedelta(days=40))
        network = rng.choice(ACTIVITY_NETWORKS)[0]
        what = rng.choice((network, "Kursus for nye afdelingsbestyrelser", "ERFA-møde",
                           f"Temadag om {composer.topic(rng.choice(themes))}"))
        where = "online" if composer.online() else rng.choice(_MEETING_PLACES)
        lines.append(f"{danish_date(day)}: {what}, {where}")
    return Items(tuple(lines))


def _newsletter(composer: _Composer, rng: random.Random) -> Draft:
    day = composer.day
    # Monthly until 2012, then whenever there is news.
    title = (f"Nyhedsbrev {MONTHS[day.month - 1]} {day.year}" if day.year < 2012
             else f"AlmenNet Nyt, {danish_date(day)}")
    blocks: list[Block] = []
    if rng.random() < 0.9:
        blocks.append(_date_line(composer, ""))
    greeting = _GREETINGS.get(day.month) or rng.choice(("Kære medlemmer", "Kære læser"))
    blocks.append(Paragraph(f"{greeting}. " + " ".join(
        [composer.say(_NEWSLETTER_INTROS)]
        + (["Arrangementerne holdes indtil videre online, og sekretariatet arbejder hjemmefra."]
           if composer.online() else []))))
    themes = _themes_for(rng, day.year, rng.randint(3, 5))
    for theme in themes:
        blocks += [Heading(_headline(composer, theme)), composer.paragraph(theme, rng.randint(2, 3))]
    blocks += [Heading("Kalender"), _calendar(composer, rng, themes),
               Paragraph("Med venlig hilsen sekretariatet")]
    return Draft(title, day, NEWSLETTER, tuple(composer.themes), tuple(blocks))


_COURSE_TITLES = ("Kursus i {topic}", "Introduktion til {topic}", "{Topic} for ejendomsfunktionærer",
                  "{Topic} for afdelingsbestyrelser", "Temadag om {topic}", "Masterclass: {topic}")
_EXERCISES = (
    "Drøft i grupper, hvordan I arbejder med emnet i jeres egen afdeling.",
    "Find tre ting, I vil afprøve, når I kommer hjem.",
    "Beskriv en sag, der gik godt, og en, der gik skidt. Hvad var forskellen?",
    "Lav en kort handlingsplan for de næste tre måneder.",
)


def _course(composer: _Composer, rng: random.Random) -> Draft:
    day = composer.day
    themes = _themes_for(rng, day.year, rng.randint(1, 2))
    topic = composer.topic(themes[0])
    title = composer.titled(_COURSE_TITLES, topic)
    place = rng.choice(_ONLINE_PLACES) if composer.online() else rng.choice(_MEETING_PLACES)
    blocks: list[Block] = [Paragraph(f"{danish_date(day)} · {place} · AlmenNet")] if rng.random() < 0.92 else []
    blocks += [Heading("Formål"), Paragraph(f"Kurset giver deltagerne viden om {topic} og redskaber, de kan "
                                            "bruge i hverdagen. " + composer.sentences(themes[0], 1)[0])]
    blocks += [Heading("Program"), Items((
        "09.30 Velkomst og kaffe", f"10.00 Oplæg: {_capital(topic)} i praksis", "11.15 Gruppearbejde",
        "12.15 Frokost", f"13.00 Erfaringer fra {rng.choice(composer.organisations)}",
        "14.30 Opsamling og evaluering"))]
    for theme in [*themes, themes[0]]:
        lines = composer.advice(theme, rng.randint(2, 3)) + composer.sentences(theme, rng.randint(1, 2))
        blocks += [Heading(_capital(composer.topic(theme))), Items(tuple(lines))]
    blocks += [Heading("Øvelse"), Paragraph(composer.say(_EXERCISES))]
    return Draft(title, day, COURSE_MATERIAL, tuple(composer.themes), tuple(blocks))


_GUIDE_TITLES = ("Vejledning om {topic}", "Sådan arbejder I med {topic}", "Guide til {topic} for "
                 "afdelingsbestyrelser", "Tjekliste: {topic}", "{Topic} – trin for trin", "Spørgsmål og svar om "
                 "{topic}")


def _guide(composer: _Composer, rng: random.Random) -> Draft:
    themes = _themes_for(rng, composer.day.year, rng.randint(1, 2))
    topic = composer.topic(themes[0])
    title = composer.titled(_GUIDE_TITLES, topic)
    blocks: list[Block] = []
    if rng.random() < 0.85:
        blocks.append(_date_line(composer, rng.choice(("Opdateret", "Senest opdateret", "Dato:"))))
    blocks += [composer.paragraph(themes[0], rng.randint(2, 4)), Heading("Hvorfor er det vigtigt?"),
               composer.paragraph(themes[-1], rng.randint(2, 4)), Heading("Sådan gør I"),
               Items(tuple(composer.advice(themes[0], rng.randint(3, 6))), numbered=True)]
    if len(themes) > 1 or rng.random() < 0.5:
        blocks += [Heading("Gode råd"), Items(tuple(composer.advice(themes[-1], rng.randint(2, 3))))]
    blocks += [Heading("Læs mere"), Paragraph(f"Find skabeloner og flere eksempler om {topic} i vidensbanken på "
                                              "almennet.dk, eller kontakt sekretariatet.")]
    return Draft(title, composer.day, GUIDE, tuple(composer.themes), tuple(blocks))


def _board_paper(composer: _Composer, rng: random.Random) -> Draft:
    day = composer.day
    themes = _themes_for(rng, day.year, rng.randint(1, 2), FINANCE if rng.random() < 0.3 else None)
    roll = rng.random()
    blocks: list[Block] = []
    if rng.random() < 0.9:
        blocks.append(Paragraph(f"Bestyrelsesmøde den {danish_date(day)}, punkt {rng.randint(3, 9)}"))
    if roll < 0.2:
        title = f"Årsberetning {day.year - 1}"
        blocks.append(Paragraph(f"I {day.year - 1} har AlmenNet haft travlt med netværk, kurser og "
                                "udviklingsprojekter."))
        for theme in dict.fromkeys([*themes, *_themes_for(rng, day.year, 2)]):
            blocks += [Heading(_capital(composer.topic(theme))), composer.paragraph(theme, 2)]
    elif roll < 0.35:
        title = f"Handlingsplan {day.year + 1}"
        blocks.append(Paragraph("Handlingsplanen beskriver sekretariatets vigtigste opgaver i det kommende år."))
        for theme in dict.fromkeys([*themes, *_themes_for(rng, day.year, 1)]):
            blocks += [Heading(_capital(composer.topic(theme))), Items(tuple(composer.advice(theme, 3))),
                       composer.paragraph(theme, rng.randint(1, 3))]
    else:
        topic = composer.topic(themes[0])
        title = rng.choice((f"Indstilling om {topic}", f"Notat til bestyrelsen om {topic}",
                            f"Status på {topic}"))
        blocks += [Heading("Baggrund"), composer.paragraph(themes[0], rng.randint(2, 4)),
                   Heading("Sagsfremstilling"), composer.paragraph(themes[-1], rng.randint(3, 5)),
                   composer.paragraph(themes[0], rng.randint(1, 3)),
                   Heading("Økonomi"), composer.paragraph(FINANCE, rng.randint(1, 2)),
                   Heading("Indstilling"), Paragraph(f"Sekretariatet indstiller, at bestyrelsen godkender "
                                                     f"oplægget om {topic}.")]
    return Draft(title, day, BOARD_PAPER, tuple(composer.themes), tuple(blocks))


def _other(composer: _Composer, rng: random.Random) -> Draft:
    day = composer.day
    theme = _themes_for(rng, day.year, 1)[0]
    roll = rng.random()
    blocks: list[Block] = []
    if rng.random() < 0.85:
        blocks.append(_date_line(composer, "Dato:"))
    if roll < 0.35:
        title = f"Pressemeddelelse: {_headline(composer, theme)}"
        blocks += [composer.paragraph(theme, rng.randint(3, 5)), composer.paragraph(theme, rng.randint(2, 4)),
                   Paragraph(f"Yderligere oplysninger: {composer.person()}, AlmenNet.")]
    elif roll < 0.7:
        topic = composer.topic(theme)
        title = (f"Invitation til årsseminar {day.year}" if rng.random() < 0.3
                 else f"Invitation til temadag om {topic}")
        where = "online" if composer.online() else f"i {rng.choice(_SEMINAR_PLACES)}"
        when = _workday(rng, day + timedelta(days=20), day + timedelta(days=60))
        blocks += [Paragraph(f"AlmenNet inviterer til en dag om {topic} den {danish_date(when)} {where}."),
                   composer.paragraph(theme, rng.randint(3, 5)),
                   Heading("Dagens pointer"), Items(tuple(composer.advice(theme, 3))),
                   Paragraph("Tilmelding på almennet.dk senest to uger før. Deltagelse er gratis for "
                             "medlemmer.")]
    else:
        topic = composer.topic(theme)
        title = rng.choice((f"Notat om {topic}", f"Høringssvar om {topic}", f"Mødenoter: {topic}"))
        second = _themes_for(rng, day.year, 2, theme)[1]
        blocks += [composer.paragraph(theme, rng.randint(3, 5)), composer.paragraph(theme, rng.randint(2, 4)),
                   composer.paragraph(second, rng.randint(2, 4))]
    return Draft(title, day, OTHER, tuple(composer.themes), tuple(blocks))


# Drafts meant for a spreadsheet: a table with a few lines around it.


def _participant_list(composer: _Composer, rng: random.Random, doc_type: str) -> Draft:
    if doc_type == OTHER:
        composer.note(NETWORKS)
        event = "årsseminaret"
        title = f"Deltagerliste: årsseminar {composer.day.year}"
    else:
        topic = composer.topic(_themes_for(rng, composer.day.year, 1)[0])
        event = f"kurset om {topic}"
        title = f"Deltagerliste: {topic}"
    rows: list[tuple[str | int, ...]] = [("Navn", "Organisation", "Stilling", "Fremmøde")]
    for _ in range(rng.randint(12, 30)):
        segment = rng.choice(data.SEGMENTS[:7])
        rows.append((composer.person(), rng.choice(composer.organisations),
                     rng.choice(data.ROLE_TITLES[segment]), "ja" if rng.random() < 0.88 else "nej"))
    blocks: list[Block] = [Paragraph(f"Dato: {danish_date(composer.day)}"), Table(tuple(rows)),
                           Paragraph(f"Deltagerlisten bruges til evaluering af {event}.")]
    return Draft(title, composer.day, doc_type, tuple(composer.themes), tuple(blocks))


# (line, income (1) or cost (-1), range in thousands of kroner, remarks one of which may stand beside it)
_BUDGET_LINES: tuple[tuple[str, int, tuple[int, int], tuple[str, ...]], ...] = (
    ("Kontingenter", 1, (1800, 2600), ("Uændret kontingent", "To nye medlemmer i løbet af året",
                                       "Ét medlem har meldt sig ud")),
    ("Kursusindtægter", 1, (300, 800), ("Færre kurser end planlagt", "Flere deltagere pr. kursus",
                                        "Nye kurser i foråret")),
    ("Projektmidler", 1, (200, 1500), ("Bevilling fra fond", "Projektet forlænget et år",
                                       "Afventer svar på ansøgning")),
    ("Løn og pension", -1, (2200, 3200), ("Overenskomstregulering", "En ny projektmedarbejder",
                                          "Vakant stilling i tre måneder")),
    ("Husleje", -1, (250, 400), ("Ny lejekontrakt", "Fælles kontor med andre foreninger", "Uændret")),
    ("IT og hjemmeside", -1, (80, 300), ("Ny hjemmeside", "Licenser til mødesystem", "Drift af vidensbanken")),
    ("Netværk og arrangementer", -1, (100, 300), ("Forplejning og lokaler", "Flere møder online", "Studietur")),
    ("Revision og forsikring", -1, (50, 120), ("Nyt revisionsfirma", "Uændret", "Ny ansvarsforsikring")),
    ("Årsseminar", -1, (200, 450), ("Deltagerbetaling dækker det meste", "Nyt konferencested", "Oplægsholdere")),
)


def _budget(composer: _Composer, rng: random.Random) -> Draft:
    """The budget for next year in the autumn, the accounts for last year in the spring, a follow-up between."""
    day = composer.day
    if day.month >= 9:
        title, now, before = f"Budget {day.year + 1} for AlmenNet", f"Budget {day.year + 1}", f"Budget {day.year}"
    elif day.month <= 4:
        title, now, before = f"Regnskab {day.year - 1}", f"Regnskab {day.year - 1}", f"Budget {day.year - 1}"
    else:
        quarter = (day.month - 1) // 3
        title, now, before = (f"Budgetopfølgning {quarter}. kvartal {day.year}", f"Forventet {day.year}",
                              f"Budget {day.year}")
    rows: list[tuple[str | int, ...]] = [("Post", now, before, "Bemærkning")]
    for line, sign, (low, high), remarks in _BUDGET_LINES:
        amount = rng.randint(low, high) * 1000
        remark = rng.choice(remarks) if rng.random() < 0.7 else ""
        rows.append((line, sign * amount, sign * round(amount * rng.uniform(0.9, 1.05) / 1000) * 1000, remark))
    blocks: list[Block] = [Paragraph(f"Behandlet på bestyrelsesmødet den {danish_date(composer.day)}"),
                           Table(tuple(rows)), composer.paragraph(FINANCE, rng.randint(3, 5), lead="Noter:")]
    return Draft(title, composer.day, BOARD_PAPER, tuple(composer.themes), tuple(blocks))


def _spreadsheet(composer: _Composer, rng: random.Random, doc_type: str) -> Draft:
    if doc_type == BOARD_PAPER:
        return _budget(composer, rng)
    return _participant_list(composer, rng, doc_type)


_COMPOSERS: dict[str, Callable[[_Composer, random.Random], Draft]] = {
    MINUTES: _minutes, REPORT: _report, NEWSLETTER: _newsletter, COURSE_MATERIAL: _course, GUIDE: _guide,
    BOARD_PAPER: _board_paper, OTHER: _other,
}
_TYPE_SHARES = {MINUTES: 0.24, REPORT: 0.10, NEWSLETTER: 0.16, COURSE_MATERIAL: 0.12, GUIDE: 0.12,
                BOARD_PAPER: 0.12, OTHER: 0.14}
_KIND_SHARES: dict[str, dict[Kind, float]] = {
    MINUTES: {"docx": 0.5, "odt": 0.15, "text": 0.25, "eml": 0.1},
    REPORT: {"docx": 0.5, "html": 0.35, "odt": 0.15},
    NEWSLETTER: {"eml": 0.6, "html": 0.4},
    COURSE_MATERIAL: {"pptx": 0.3, "docx": 0.5, "xlsx": 0.2},
    GUIDE: {"html": 0.5, "docx": 0.25, "text": 0.25},
    BOARD_PAPER: {"docx": 0.5, "xlsx": 0.1, "odt": 0.15, "text": 0.25},
    OTHER: {"html": 0.45, "eml": 0.25, "text": 0.25, "xlsx": 0.05},
}
_FOLDERS = {MINUTES: "referater", REPORT: "rapporter", NEWSLETTER: "nyhedsbreve", COURSE_MATERIAL: "kurser",
            GUIDE: "vejledninger", BOARD_PAPER: "bestyrelse", OTHER: "diverse"}
_MIN_WORDS, _MAX_WORDS = 90, 560  # leaves room for what a format adds around the text (80–600 in the file)


def _compose(rng: random.Random, day: date, doc_type: str, kind: Kind, organisations: Sequence[str]) -> Draft:
    """A draft of ``doc_type`` for ``kind``; one that came out too short or too long is drawn again."""
    for _attempt in range(20):
        composer = _Composer(rng, day, organisations)
        draft = (_spreadsheet(composer, rng, doc_type) if kind == "xlsx"
                 else _COMPOSERS[doc_type](composer, rng))
        if _MIN_WORDS <= draft_words(draft) <= _MAX_WORDS:
            return draft
    raise RuntimeError("Could not compose a document of the right length")  # pragma: no cover


def _document_organisations(rng: random.Random) -> list[str]:
    """Names the texts mention: the steering group's organisations and invented ones in the register's style."""
    names = [org.name for org in data.STEERING_GROUP if org.kind in {"housing", "administration"}]
    for _ in range(30):
        if rng.random() < 0.5:
            names.append(rng.choice(data.PLACE_PATTERNS).format(place=rng.choice(data.MUNICIPALITIES).name))
        else:
            word = rng.choice(data.NAME_PREFIXES) + rng.choice(data.NAME_SUFFIXES)
            names.append(rng.choice(data.WORD_PATTERNS[:3]).format(word=word))
    return sorted(set(names))


def _strategy_brief(day: date) -> Draft:
    """The board paper that started the strategy process the demo is about."""
    budget = [("Post", "Budget (kr.)")] + [(category, int(amount)) for category, amount, _spent in
                                           data.BUDGET_LINES]
    steering = ", ".join(org.name for org in data.STEERING_GROUP)
    blocks: tuple[Block, ...] = (
        Paragraph(f"Bestyrelsesmøde den {danish_date(day)}, punkt 5"),
        Heading("Formål"), Paragraph(data.PROCESS_PURPOSE),
        Heading("Organisering"),
        Paragraph(f"Processen ledes af en styregruppe med repræsentanter for {steering}. {data.PROCESS_CONSULTANT} "
                  f"bistår som konsulent. Processen løber fra {danish_date(data.PROCESS_START)} til "
                  f"{danish_date(data.PROCESS_END)}."),
        Heading("Økonomi"),
        Paragraph(f"{data.PROCESS_FUNDERS} har bevilget {_thousands(int(data.PROCESS_TOTAL_BUDGET))} kr. til "
                  "processen."),
        Table(tuple(budget)),
        Heading("Indstilling"),
        Paragraph("Sekretariatet indstiller, at bestyrelsen godkender kommissoriet og udpeger styregruppen."),
    )
    return Draft(f"Kommissorium for strategiprocessen {data.PROCESS_NAME}", day, BOARD_PAPER,
                 (FINANCE, NETWORKS), blocks)


# --- writing the formats --------------------------------------------------------------------------------------------

_AUTHOR = "AlmenNet"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def _zip_at(content: bytes, moment: datetime) -> bytes:
    """The zip ``content`` with every entry's time set to ``moment``.

    The writers stamp each entry with the clock, which would give the same document other bytes on every run.
    The time and date sit at fixed places in each local header and central directory entry (APPNOTE.TXT 4.3.7
    and 4.3.12), so they are overwritten there and nothing is compressed again.
    """
    stamp = struct.pack("<HH", moment.hour << 11 | moment.minute << 5 | moment.second // 2,
                        (moment.year - 1980) << 9 | moment.month << 5 | moment.day)
    patched = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        entries = archive.infolist()
        central = archive.start_dir
    for entry in entries:
        patched[entry.header_offset + 10:entry.header_offset + 14] = stamp
    for _entry in entries:
        assert patched[central:central + 4] == b"PK\x01\x02"
        patched[central + 12:central + 16] = stamp
        name, extra, comment = struct.unpack("<HHH", patched[central + 28:central + 34])
        central += 46 + name + extra + comment
    return bytes(patched)


def _cell_text(cell: str | int) -> str:
    return _thousands(cell) if isinstance(cell, int) else cell


def _docx_paragraph(text: str, style: str = "") -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _docx_table(rows: Sequence[Sequence[str | int]]) -> str:
    width = 9000 // len(rows[0])  # twentieths of a point across the page's text width
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in rows[0])
    cells = "".join(
        "<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                           f"{_docx_paragraph(_cell_text(cell))}</w:tc>" for cell in row) + "</w:tr>"
        for row in rows)
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{cells}</w:tbl>")


class _DocxWriter:
    """One python-docx document, emptied and refilled for every file.

    Opening the template and python-docx's ``add_paragraph`` (half a millisecond a paragraph) made the archive
    take seconds, so the body is parsed from WordprocessingML in one piece, and the template's styles are cut
    down to the few used here, which keeps each file small and quick to save.
    """

    _STYLES = ("Normal", "Title", "Heading 1", "List Bullet", "List Number", "Table Grid")

    def __init__(self) -> None:
        import docx
        from docx.oxml.ns import qn

        self.document = docx.Document()
        part = self.document.part
        for rel_id, rel in list(part.rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
                part.rels.pop(rel_id)
        package_rels = part.package.rels
        for rel_id, rel in list(package_rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                package_rels.pop(rel_id)
        styles = self.document.styles.element
        keep = {self.document.styles[name].style_id for name in self._STYLES}
        by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
        pending = list(keep)
        while pending:  # keep what the kept styles are based on or linked to
            style = by_id[pending.pop()]
            for reference in ("w:basedOn", "w:link", "w:next"):
                target = style.find(qn(reference))
                if target is not None and target.get(qn("w:val")) not in keep:
                    keep.add(target.get(qn("w:val")))
                    pending.append(target.get(qn("w:val")))
        for style_id, style in by_id.items():
            if style_id not in keep and style.get(qn("w:default")) != "1":
                styles.remove(style)
        latent = styles.find(qn("w:latentStyles"))
        if latent is not None:
            styles.remove(latent)

    def write(self, draft: Draft) -> bytes:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        parts = [_docx_paragraph(draft.title, "Title")]
        for block in draft.blocks:
            if isinstance(block, Heading):
                parts.append(_docx_paragraph(block.text, "Heading1"))
            elif isinstance(block, Paragraph):
                parts.append(_docx_paragraph(block.text))
            elif isinstance(block, Items):
                style = "ListNumber" if block.numbered else "ListBullet"
                parts.extend(_docx_paragraph(item, style) for item in block.items)
            else:
                parts.append(_docx_table(block.rows))
        document = self.document
        body = document.element.body
        for child in list(body):
            if child is not body.sectPr:
                body.remove(child)
        for child in list(parse_xml(f"<w:body {nsdecls('w')}>{''.join(parts)}</w:body>")):
            body.sectPr.addprevious(child)
        properties = document.core_properties
        properties.title = draft.title
        properties.author = properties.last_modified_by = _AUTHOR
        properties.comments = ""
        properties.language = "da-DK"
        properties.revision = 1
        properties.created = properties.modified = _moment(draft.day)
        buffer = io.BytesIO()
        document.save(buffer)
        return _zip_at(buffer.getvalue(), _moment(draft.day))


class _PptxWriter:
    """One python-pptx presentation, emptied and refilled for every file; the slide layouts not used here and
    the printer settings are taken out of the template, so each file is quick to save."""

    def __init__(self) -> None:
        import pptx

        self.presentation = pptx.Presentation()
        layouts = self.presentation.slide_layouts
        for layout in list(layouts)[2:]:
            layouts.remove(layout)
        part = self.presentation.part
        for rel_id, rel in list(part.rels.items()):
            if rel.reltype.endswith("/printerSettings"):
                part.drop_rel(rel_id)

    def _clear(self) -> None:
        slide_ids = self.presentation.slides._sldIdLst
        for slide_id in list(slide_ids):
            slide_ids.remove(slide_id)
            self.presentation.part.drop_rel(slide_id.rId)

    def write(self, draft: Draft) -> bytes:
        self._clear()
        presentation = self.presentation
        title_layout, content_layout = presentation.slide_layouts[0], presentation.slide_layouts[1]
        cover = presentation.slides.add_slide(title_layout)
        cover.shapes.title.text = draft.title
        sections: list[tuple[str, list[str]]] = []
        subtitle: list[str] = []
        for block in draft.blocks:
            if isinstance(block, Heading):
                sections.append((block.text, []))
                continue
            lines = (block.items if isinstance(block, Items) else
                     [block.text] if isinstance(block, Paragraph) else
                     [" – ".join(_cell_text(cell) for cell in row) for row in block.rows])
            (sections[-1][1] if sections else subtitle).extend(lines)
        cover.placeholders[1].text = "\n".join(subtitle) or _AUTHOR
        for heading, lines in sections:
            slide = presentation.slides.add_slide(content_layout)
            slide.shapes.title.text = heading
            frame = slide.placeholders[1].text_frame
            frame.text = lines[0] if lines else ""
            for line in lines[1:]:
                frame.add_paragraph().text = line
        properties = presentation.core_properties
        properties.title = draft.title
        properties.author = properties.last_modified_by = _AUTHOR
        properties.language = "da-DK"
        properties.revision = 1
        properties.created = properties.modified = _moment(draft.day)
        buffer = io.BytesIO()
        presentation.save(buffer)
        return _zip_at(buffer.getvalue(), _moment(draft.day))


def _xlsx_bytes(sheet_title: str, rows: Sequence[Sequence[Any]], *, title: str, day: date,
                bold_rows: Iterable[int] = (0,)) -> bytes:
    """A one-sheet workbook, written row by row and saved without the clock (``Workbook.save`` stamps the time
    of saving)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\\/*?:\[\]]", "", sheet_title.split(":")[0])[:31])
    widths: dict[int, int] = {}
    for row in rows:
        for column, value in enumerate(row, start=1):
            widths[column] = max(widths.get(column, 10), min(60, len(str(value)) + 2))
    for column, width in widths.items():  # a streamed sheet takes its widths before its rows
        sheet.column_dimensions[get_column_letter(column)].width = width
    bold = set(bold_rows)
    for index, row in enumerate(rows):
        if index in bold:
            cells = [WriteOnlyCell(sheet, value=value) for value in row]
            for cell in cells:
                cell.font = Font(bold=True)
            sheet.append(cells)
        else:
            sheet.append(list(row))
    moment = datetime.combine(day, time(9, 0))  # openpyxl takes UTC as naive datetimes
    workbook.properties.title = title
    workbook.properties.creator = workbook.properties.lastModifiedBy = _AUTHOR
    workbook.properties.created = workbook.properties.modified = moment
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(workbook, archive).save()  # closes the archive
    return _zip_at(buffer.getvalue(), _moment(day))


def _spreadsheet_bytes(draft: Draft) -> bytes:
    rows: list[Sequence[Any]] = [[draft.title]]
    bold = [0]
    for block in draft.blocks:
        if isinstance(block, Table):
            bold.append(len(rows))
            rows.extend(block.rows)
        elif isinstance(block, Items):
            rows.extend([item] for item in block.items)
        else:
            rows.append([block.text])
    return _xlsx_bytes(draft.title, rows, title=draft.title, day=draft.day, bold_rows=bold)


_ODT_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)
_ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
    'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODT_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODT_NAMESPACES} office:version="1.3">'
    "<office:styles>"
    '<style:style style:name="Standard" style:family="paragraph"/>'
    '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">'
    '<style:text-properties fo:font-size="24pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
    'style:parent-style-name="Standard" style:default-outline-level="1">'
    '<style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>'
    "</office:styles></office:document-styles>"
)


def _odt_paragraph(text: str, style: str = "Standard") -> str:
    return f"<text:p text:style-name={quoteattr(style)}>{escape(text)}</text:p>"


def _odt_bytes(draft: Draft) -> bytes:
    """An OpenDocument text as LibreOffice writes it: ``mimetype`` first and stored, then the XML parts."""
    body = [_odt_paragraph(draft.title, "Title")]
    for block in draft.blocks:
        if isinstance(block, Heading):
            body.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{escape(block.text)}'
                        "</text:h>")
        elif isinstance(block, Paragraph):
            body.append(_odt_paragraph(block.text))
        elif isinstance(block, Items):
            items = "".join(f"<text:list-item>{_odt_paragraph(item)}</text:list-item>" for item in block.items)
            body.append(f"<text:list>{items}</text:list>")
        else:
            columns = len(block.rows[0])
            rows = "".join("<table:table-row>" + "".join(
                f'<table:table-cell office:value-type="string">{_odt_paragraph(_cell_text(cell))}'
                "</table:table-cell>" for cell in row) + "</table:table-row>" for row in block.rows)
            body.append(f'<table:table table:name="Tabel1"><table:table-column '
                        f'table:number-columns-repeated="{columns}"/>{rows}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODT_NAMESPACES} '
               f'office:version="1.3"><office:body><office:text>{"".join(body)}</office:text></office:body>'
               "</office:document-content>")
    stamp = _moment(draft.day).strftime("%Y-%m-%dT%H:%M:%S")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODT_NAMESPACES} '
            f'office:version="1.3"><office:meta><dc:title>{escape(draft.title)}</dc:title>'
            f"<meta:initial-creator>{_AUTHOR}</meta:initial-creator><dc:creator>{_AUTHOR}</dc:creator>"
            f"<meta:creation-date>{stamp}</meta:creation-date><dc:date>{stamp}</dc:date>"
            "<dc:language>da-DK</dc:language>"
            "<meta:generator>LibreOffice/6.4</meta:generator></office:meta></office:document-meta>")
    when = _moment(draft.day).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", date_time=when), "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)
        for name, text in (("content.xml", content), ("styles.xml", _ODT_STYLES), ("meta.xml", meta),
                           ("META-INF/manifest.xml", _ODT_MANIFEST)):
            archive.writestr(zipfile.ZipInfo(name, date_time=when), text, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _html_body(draft: Draft) -> str:
    parts = [f"<h1>{html.escape(draft.title)}</h1>"]
    for block in draft.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h2>{html.escape(block.text)}</h2>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Items):
            tag = "ol" if block.numbered else "ul"
            items = "".join(f"<li>{html.escape(item)}</li>" for item in block.items)
            parts.append(f"<{tag}>{items}</{tag}>")
        else:
            head, *rows = block.rows
            header = "".join(f"<th>{html.escape(_cell_text(cell))}</th>" for cell in head)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell_text(cell))}</td>" for cell in row) + "</tr>"
                           for row in rows)
            parts.append(f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>")
    return "\n".join(parts)


def _html_bytes(draft: Draft) -> bytes:
    """A page from the website, with its menu and footer around the text."""
    return (
        '<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(draft.title)} | AlmenNet</title>\n"
        f'<meta name="date" content="{draft.day.isoformat()}">\n</head>\n<body>\n'
        '<nav><a href="/">Forside</a> <a href="/nyheder/">Nyheder</a> <a href="/viden/">Viden</a> '
        '<a href="/kurser/">Kurser</a> <a href="/netvaerk/">Netværk</a></nav>\n'
        f"<main>\n{_html_body(draft)}\n</main>\n"
        "<footer>AlmenNet – vidensforening for den almene boligsektor</footer>\n</body>\n</html>\n"
    ).encode()


def _text(draft: Draft, *, markdown: bool) -> str:
    lines = [f"# {draft.title}", ""] if markdown else [draft.title, "-" * len(draft.title), ""]
    for block in draft.blocks:
        if isinstance(block, Heading):
            lines += [f"## {block.text}" if markdown else block.text.upper(), ""]
        elif isinstance(block, Paragraph):
            lines += [block.text, ""]
        elif isinstance(block, Items):
            lines += [f"{number}. {item}" if block.numbered else f"- {item}"
                      for number, item in enumerate(block.items, start=1)] + [""]
        else:
            lines += [" | ".join(_cell_text(cell) for cell in row) for row in block.rows] + [""]
    return "\n".join(lines)


def _eml_bytes(draft: Draft, rng: random.Random) -> bytes:
    message = EmailMessage()
    sender = ("AlmenNet <newsletter@almennet.example>" if draft.doc_type != MINUTES
              else "AlmenNet sekretariatet <sekretariat@almennet.example>")
    message["Subject"] = draft.title
    message["From"] = sender
    message["To"] = "medlemmer@almennet.example" if draft.doc_type != MINUTES else "netvaerk@almennet.example"
    moment = datetime.combine(draft.day, time(8, rng.randrange(60)), tzinfo=ZONE)
    message["Date"] = format_datetime(moment)
    message["Message-ID"] = f"<{moment:%Y%m%d%H%M}.{rng.randrange(10**8):08d}@almennet.example>"
    message.set_content(_text(draft, markdown=False))
    if draft.doc_type == NEWSLETTER:
        message.add_alternative(f'<!DOCTYPE html>\n<html lang="da"><body>\n{_html_body(draft)}\n</body></html>\n',
                                subtype="html")
        # Left to itself the generator draws the boundary from the global random generator.
        message.set_boundary(f"=_almennet_{rng.randrange(10**12):012d}")
    return message.as_bytes()


_EXTENSIONS: dict[Kind, tuple[str, ...]] = {"docx": (".docx",), "odt": (".odt",), "pptx": (".pptx",),
                                            "xlsx": (".xlsx",), "html": (".html", ".htm"), "text": (".txt", ".md"),
                                            "eml": (".eml",)}


class _Writers:
    def __init__(self) -> None:
        self._docx: _DocxWriter | None = None
        self._pptx: _PptxWriter | None = None

    def write(self, draft: Draft, kind: Kind, extension: str, rng: random.Random) -> bytes:
        if kind == "docx":
            self._docx = self._docx or _DocxWriter()
            return self._docx.write(draft)
        if kind == "pptx":
            self._pptx = self._pptx or _PptxWriter()
            return self._pptx.write(draft)
        if kind == "xlsx":
            return _spreadsheet_bytes(draft)
        if kind == "odt":
            return _odt_bytes(draft)
        if kind == "html":
            return _html_bytes(draft)
        if kind == "eml":
            return _eml_bytes(draft, rng)
        return _text(draft, markdown=extension == ".md").encode()


# --- the archive ---------------------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\*?"<>|]+')


def _filename(draft: Draft, extension: str, rng: random.Random, taken: set[str]) -> str:
    stem = _UNSAFE.sub("", draft.title.replace(":", " -").replace("/", "-")).strip(" .-")[:80].rstrip(" .-")
    if rng.random() < 0.5:
        stem = f"{draft.day.isoformat()} {stem}"
    folder = f"{draft.day.year}/{_FOLDERS[draft.doc_type]}"
    name, number = f"{folder}/{stem}{extension}", 2
    while name in taken:
        name, number = f"{folder}/{stem} ({number}){extension}", number + 1
    taken.add(name)
    return name


def _days(rng: random.Random) -> list[date]:
    """The documents' dates: more in recent years."""
    years = range(FIRST_DAY.year, LAST_DAY.year + 1)
    counts = apportion(DOCUMENTS - 1, [12 + 2.4 * (year - FIRST_DAY.year) for year in years])
    days = []
    for year, count in zip(years, counts, strict=True):
        last = min(date(year, 12, 20), LAST_DAY)
        days += [_workday(rng, date(year, 1, 5), last) for _ in range(count)]
    return sorted(days)


def demo_documents(rng: random.Random) -> list[DemoDocument]:
    """About 500 files of AlmenNet's archive 2005–2020, in date order; the last seven are the broken files and
    the copies."""
    organisations = _document_organisations(rng)
    writers = _Writers()
    taken: set[str] = set()
    documents: list[DemoDocument] = []
    doc_types = list(_TYPE_SHARES)
    strategy_day = date(2020, 6, 18)
    drafts: list[tuple[Draft, Kind]] = []
    for day in _days(rng):
        doc_type = rng.choices(doc_types, weights=list(_TYPE_SHARES.values()))[0]
        kinds = _KIND_SHARES[doc_type]
        kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
        drafts.append((_compose(rng, day, doc_type, kind, organisations), kind))
    drafts.append((_strategy_brief(strategy_day), "docx"))
    drafts.sort(key=lambda pair: pair[0].day)
    for draft, kind in drafts:
        extension = rng.choice(_EXTENSIONS[kind])
        content = writers.write(draft, kind, extension, rng)
        documents.append(DemoDocument(filename=_filename(draft, extension, rng, taken), content=content,
                                      kind=kind, title=draft.title, date=draft.day, doc_type=draft.doc_type,
                                      themes=draft.themes))
    return documents + _broken(rng, documents, taken) + _copies(rng, documents, taken)


def _broken(rng: random.Random, documents: Sequence[DemoDocument], taken: set[str]) -> list[DemoDocument]:
    """A DOCX cut off half way, a "workbook" that is a CSV file, and an empty text file."""
    source = rng.choice([document for document in documents if document.kind == "docx"])
    cut = replace(source, filename=source.filename.replace(".docx", " (gammel version).docx"),
                  content=source.content[: len(source.content) // 2], expected_failure=TRUNCATED)
    day = date(2016, 9, 14)
    lines = ["Deltagerliste;;", "Navn;Organisation;Fremmøde"] + [
        f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.SURNAMES)};{rng.choice(data.STEERING_GROUP).name};ja"
        for _ in range(8)]
    not_a_workbook = DemoDocument(
        filename=f"{day.year}/kurser/Deltagerliste kursus september.xlsx",
        content="\r\n".join(lines).encode("cp1252"), kind="xlsx", title="Deltagerliste", date=day,
        doc_type=COURSE_MATERIAL, themes=(), expected_failure=NOT_A_ZIP)
    empty = DemoDocument(filename="2012/diverse/Noter.txt", content=b"", kind="text", title="Noter",
                         date=date(2012, 3, 2), doc_type=OTHER, themes=(), expected_failure=EMPTY)
    broken = [cut, not_a_workbook, empty]
    taken.update(document.filename for document in broken)
    return broken


def _copies(rng: random.Random, documents: Sequence[DemoDocument], taken: set[str]) -> list[DemoDocument]:
    """Four files saved twice under other names, as happens when folders are copied around."""
    copies = []
    for kind, pattern in (("docx", "{folder}/Kopi af {name}"), ("html", "{folder}/gemt/{name}"),
                          ("eml", "{folder}/{stem} (1){suffix}"), ("xlsx", "{folder}/{stem} - kopi{suffix}")):
        original = rng.choice([document for document in documents if document.kind == kind])
        folder, _, name = original.filename.rpartition("/")
        stem, dot, suffix = name.rpartition(".")
        filename = pattern.format(folder=folder, name=name, stem=stem, suffix=dot + suffix)
        taken.add(filename)
        copies.append(replace(original, filename=filename, duplicate_of=original.filename))
    return copies


# --- activities -----------------------------------------------------------------------------------------------------

SEMINAR = "årsseminar"
NETWORK_MEETING = "netværksmøde"
ERFA_MEETING = "erfa-møde"
COURSE = "kursus"
WEBINAR = "webinar"
PHYSICAL = "fysisk"
ONLINE = "online"
HELD = "gennemført"
CANCELLED = "aflyst"


@dataclass(frozen=True)
class DemoEvent:
    event_id: str
    title: str
    kind: str  # SEMINAR, NETWORK_MEETING, ERFA_MEETING, COURSE or WEBINAR
    network: str  # the network or ERFA group holding the meeting; "" for others
    day: date
    place: str
    form: str  # PHYSICAL or ONLINE
    status: str  # HELD or CANCELLED


@dataclass(frozen=True)
class DemoRegistration:
    registration_id: str
    event_id: str
    organisation: str  # as the participant wrote it
    role_title: str
    segment: str
    registered: date
    attended: bool
    canonical_organisation: str | None  # the register's name for it (None: not in the register); not exported


ActivityTable = Literal["events", "registrations"]

_EVENT_HEADERS = ("Arrangement-ID", "Titel", "Type", "Netværk", "Dato", "Sted", "Form", "Status")
_REGISTRATION_HEADERS = ("Tilmeldings-ID", "Arrangement-ID", "Organisation", "Stilling", "Målgruppe",
                         "Tilmeldt", "Deltog")


@dataclass(frozen=True)
class DemoActivities:
    events: tuple[DemoEvent, ...]
    registrations: tuple[DemoRegistration, ...] = field(repr=False)

    def rows(self, table: ActivityTable) -> tuple[tuple[str, ...], list[list[str | date]]]:
        """Column names and rows as a registration system exports them."""
        if table == "events":
            return _EVENT_HEADERS, [[event.event_id, event.title, event.kind, event.network, event.day,
                                     event.place, event.form, event.status] for event in self.events]
        return _REGISTRATION_HEADERS, [
            [row.registration_id, row.event_id, row.organisation, row.role_title, row.segment, row.registered,
             "ja" if row.attended else "nej"] for row in self.registrations]

    def to_csv(self, table: ActivityTable) -> bytes:
        """CSV for Danish Excel (``;`` between columns, UTF-8 with BOM)."""
        headers, rows = self.rows(table)
        return write_csv(headers, rows)

    def to_xlsx(self, table: ActivityTable) -> bytes:
        headers, rows = self.rows(table)
        title = "Arrangementer 2018–2020" if table == "events" else "Tilmeldinger 2018–2020"
        return _xlsx_bytes(title, [headers, *rows], title=title, day=date(2020, 12, 1))


# Courses offered (title, segment); a year's programme is drawn from them.
_COURSES = (
    ("Kursus for nye afdelingsbestyrelser", data.SEGMENT_BOARD),
    ("Budget og regnskab i afdelingen", data.SEGMENT_FINANCE),
    ("Vedligeholdelsesplaner i praksis", data.SEGMENT_OPERATIONS),
    ("Reglerne for udlejning", data.SEGMENT_LETTING),
    ("Byggesagens faser", data.SEGMENT_BUILDING),
    ("Konflikthåndtering for ejendomsfunktionærer", data.SEGMENT_OPERATIONS),
    ("Boligsocialt arbejde – introduktion", data.SEGMENT_SOCIAL),
    ("Grøn drift og energistyring", data.SEGMENT_OPERATIONS),
    ("Ledelse i driften", data.SEGMENT_MANAGEMENT),
    ("Digital kommunikation med beboerne", data.SEGMENT_LETTING),
)
_ERFA_GROUPS = (("ERFA-gruppe om boligsociale helhedsplaner", data.SEGMENT_SOCIAL, 2018),
                ("ERFA-gruppe om digital drift", data.SEGMENT_OPERATIONS, 2018),
                ("ERFA-gruppe om grøn drift", data.SEGMENT_OPERATIONS, 2019))
_WEBINARS_2019 = ("Nye regler for affaldssortering", "Persondata i boligorganisationen")
_WEBINARS_2020 = ("Digitale afdelingsmøder", "Corona og driften", "Genhusning under corona",
                  "Huslejerestancer og corona", "Grøn omstilling af driften", "Ledelse på afstand",
                  "Udlejning uden fremvisning", "Frivillige og naboskab", "Renoveringer under corona",
                  "Budget 2021 i afdelingerne")
_MIXED_SEGMENTS = ((data.SEGMENT_MANAGEMENT, 0.3), (data.SEGMENT_OPERATIONS, 0.15), (data.SEGMENT_LETTING, 0.1),
                   (data.SEGMENT_BUILDING, 0.15), (data.SEGMENT_SOCIAL, 0.12), (data.SEGMENT_FINANCE, 0.08),
                   (data.SEGMENT_BOARD, 0.1))


@dataclass(frozen=True)
class _Plan:
    """An event and who it is for: the registrations are drawn from this."""

    event: DemoEvent
    segment: str | None  # None: a mix of segments
    audience: str  # "members" (networks, ERFA), "sector" (courses) or "open" (seminars, webinars)
    registrations: int
    announced: date  # the first day one can register


def _event_plans(rng: random.Random) -> list[_Plan]:
    plans: list[_Plan] = []

    def add(title: str, kind: str, network: str, day: date, segment: str | None, audience: str,
            size: tuple[int, int], lead_days: int) -> None:
        announced = day - timedelta(days=lead_days)
        registrations = rng.randint(*size)
        form, status = PHYSICAL, HELD
        if kind == WEBINAR:
            form = ONLINE
        elif day > LOCKDOWN:
            registrations = int(registrations * rng.uniform(0.55, 0.75))  # fewer sign up after the lockdown
            if (LOCKDOWN - announced).days >= 14 and day < date(2020, 6, 1) and rng.random() < 0.5:
                # Cancelled: only those who signed up before the lockdown are on the list.
                status = CANCELLED
                registrations = int(registrations * (LOCKDOWN - announced).days / lead_days)
            elif day < date(2020, 8, 15) or rng.random() < 0.8:
                form = ONLINE
        place = (rng.choice(_ONLINE_PLACES) if form == ONLINE
                 else rng.choice(_SEMINAR_PLACES) if kind == SEMINAR else rng.choice(_MEETING_PLACES))
        event = DemoEvent("", title, kind, network, day, place, form, status)
        plans.append(_Plan(event, segment, audience, registrations, announced))

    for year in (2018, 2019, 2020):
        seminar_day = _workday(rng, date(year, 5, 20), date(year, 6, 5))
        if year < 2020:
            add(f"Årsseminar {year}", SEMINAR, "", seminar_day, None, "open", (195, 235), 120)
        else:  # planned for May and cancelled in March, then held online in the autumn
            plans.append(_Plan(DemoEvent("", f"Årsseminar {year}", SEMINAR, "", seminar_day,
                                         rng.choice(_SEMINAR_PLACES), PHYSICAL, CANCELLED),
                               None, "open", rng.randint(70, 95), seminar_day - timedelta(days=120)))
            online_day = _workday(rng, date(2020, 10, 20), date(2020, 11, 6))
            plans.append(_Plan(DemoEvent("", f"Årsseminar {year} – online", SEMINAR, "", online_day,
                                         rng.choice(_ONLINE_PLACES), ONLINE, HELD),
                               None, "open", rng.randint(100, 130), online_day - timedelta(days=45)))
        for network, segment, _theme in ACTIVITY_NETWORKS:
            for first, last in ((date(year, 2, 1), date(year, 5, 15)), (date(year, 9, 1), date(year, 11, 25))):
                add(network, NETWORK_MEETING, network, _workday(rng, first, last), segment, "members", (14, 24), 45)
        for group, segment, since in _ERFA_GROUPS:
            if year >= since:
                add(group, ERFA_MEETING, group, _workday(rng, date(year, 3, 1), date(year, 11, 20)), segment,
                    "members", (10, 16), 45)
        courses = rng.sample(_COURSES, 7 if year < 2020 else 5)
        for index, (title, segment) in enumerate(courses):
            if year < 2020:
                first, last = (date(year, 1, 15), date(year, 6, 15)) if index < 4 else (date(year, 9, 1),
                                                                                       date(year, 11, 30))
            else:  # two before the lockdown, one in the spring after it, two in the autumn
                first, last = ((date(2020, 1, 13), date(2020, 3, 6)), (date(2020, 3, 16), date(2020, 5, 29)),
                               (date(2020, 9, 1), date(2020, 11, 27)))[min(index // 2, 2) if index < 3 else 2]
            add(title, COURSE, "", _workday(rng, first, last), segment, "sector", (13, 23), 60)
        webinars = _WEBINARS_2019 if year == 2019 else _WEBINARS_2020 if year == 2020 else ()
        for title in webinars:
            first = date(2019, 4, 1) if year == 2019 else LOCKDOWN + timedelta(days=10)
            add(f"Webinar: {title}", WEBINAR, "", _workday(rng, first, date(year, 11, 27)), None, "open",
                (30, 50) if year == 2019 else (28, 52), 21)
    plans.sort(key=lambda plan: (plan.event.day, plan.event.title))
    numbers: Counter[int] = Counter()
    numbered = []
    for plan in plans:
        year = plan.event.day.year
        numbers[year] += 1
        numbered.append(replace(plan, event=replace(plan.event, event_id=f"{year}-{numbers[year]:02d}")))
    return numbered


class _Engagement:
    """How likely each organisation is to sign people up: some members are very active, a few never come."""

    def __init__(self, rng: random.Random, register: Register) -> None:
        members = [org for org in register.organisations if org.is_member]
        never = set(rng.sample([org.name for org in members if org.kind == "housing"], 7))
        self.members = [(org, 0.0 if org.name in never else rng.lognormvariate(0, 1.1) * (org.homes or 3000) ** 0.3)
                        for org in members]
        housing = [org for org in register.organisations
                   if org.kind in {"housing", "administration"} and not org.is_member]
        self.others = [(org, rng.lognormvariate(0, 0.8) * (org.homes or 1) ** 0.3 if rng.random() < 0.2 else 0.0)
                       for org in housing]
        partners = [org for org in register.organisations if org.kind not in {"housing", "administration"}
                    and not org.is_member]
        self.partners = [(org, rng.lognormvariate(0, 0.7)) for org in partners]

    def pick(self, rng: random.Random, audience: str) -> OrganisationRow:
        shares = {"members": (0.92, 0.08, 0.0), "sector": (0.68, 0.27, 0.05), "open": (0.58, 0.24, 0.18)}[audience]
        pool = rng.choices((self.members, self.others, self.partners), weights=shares)[0]
        return rng.choices([org for org, _ in pool], weights=[weight for _, weight in pool])[0]


def _segment_for(rng: random.Random, org: OrganisationRow, wanted: str | None) -> tuple[str, str]:
    """(role title, segment) of someone from ``org`` signing up for an event aimed at ``wanted``."""
    if org.kind == "municipality":
        segment = data.SEGMENT_MUNICIPALITY
    elif org.kind not in {"housing", "administration"}:
        segment = data.SEGMENT_PARTNER
    elif wanted and rng.random() < 0.85:
        segment = wanted
    else:
        segment = rng.choices([name for name, _ in _MIXED_SEGMENTS], weights=[w for _, w in _MIXED_SEGMENTS])[0]
    titles = data.RESEARCH_TITLES if org.kind == "research" else data.ROLE_TITLES[segment]
    return rng.choice(titles), segment


_ABBREVIATIONS = (("Boligselskabet ", ("Boligselsk. ", "Bs. ", "Boligsk. ")),
                  ("Boligforeningen ", ("Boligforen. ", "Bf. ", "Boligfor. ")),
                  ("Andelsboligforeningen ", ("Andelsboligfor. ", "ABF ")),
                  ("Den Almene Boligforening i ", ("Almene Boligforening ", "Den almene boligforening i ")),
                  (" Almene Boliger", (" Alm. Boliger", " almene boliger")),
                  (" Boligselskab", (" Boligselsk.", " boligselskab")),
                  ("Domea.dk", ("Domea", "domea.dk")), ("AL2bolig", ("AL2 bolig", "AL2-bolig")),
                  ("Himmerland Boligforening", ("Himmerland Bolig", "Himmerland Boligforening, Aalborg")),
                  ("Boligkontoret Danmark", ("Boligkontoret", "Boligkontoret DK")))
_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_STRANGERS = ("Privat", "Selvstændig konsulent", "Beboer uden organisation", "Lejerforeningen Nordvest",
              "Boligselskabet Kronborg Kyst")


def _as_typed(rng: random.Random, name: str, names: set[str]) -> str:
    """How a participant may write their organisation's name: abbreviated, in other case, without æøå, with a
    typo or a stray space. Never another organisation's exact name."""
    variants = [name.replace(long, short) for long, shorts in _ABBREVIATIONS if long in name for short in shorts]
    variants += [name.lower(), name.translate(_ASCII), name + " ", name.replace(" ", "  ", 1)]
    letters = [index for index in range(1, len(name) - 1) if name[index].isalpha() and name[index + 1].isalpha()]
    if letters:
        index = rng.choice(letters)
        variants += [name[:index] + name[index + 1] + name[index] + name[index + 2:], name[:index] + name[index + 1:]]
    variants = [variant for variant in variants if variant != name and variant not in names]
    return rng.choice(variants) if variants else name


def demo_activities(rng: random.Random, register: Register) -> DemoActivities:
    """About 75 events 2018–2020 and about 2,000 registrations from the organisations in ``register``."""
    plans = _event_plans(rng)
    engagement = _Engagement(rng, register)
    names = {org.name for org in register.organisations}
    registrations: list[DemoRegistration] = []
    for plan in plans:
        event = plan.event
        last_day = min(event.day - timedelta(days=1), LOCKDOWN) if event.status == CANCELLED else event.day
        turnout = 0.0 if event.status == CANCELLED else 0.62 if event.kind == WEBINAR else (
            0.74 if event.form == ONLINE else 0.88)
        for _ in range(plan.registrations):
            registered = plan.announced + timedelta(days=int((last_day - plan.announced).days * rng.random() ** 0.6))
            if rng.random() < 0.004:
                typed, canonical, segment = rng.choice(_STRANGERS), None, data.SEGMENT_PARTNER
                role = rng.choice(data.ROLE_TITLES[segment])
            else:
                org = engagement.pick(rng, plan.audience)
                role, segment = _segment_for(rng, org, plan.segment)
                canonical = org.name
                typed = _as_typed(rng, org.name, names) if rng.random() < 0.07 else org.name
            registrations.append(DemoRegistration(
                registration_id=f"T{len(registrations) + 1:05d}", event_id=event.event_id, organisation=typed,
                role_title=role, segment=segment, registered=registered, attended=rng.random() < turnout,
                canonical_organisation=canonical))
    return DemoActivities(events=tuple(plan.event for plan in plans), registrations=tuple(registrations))
