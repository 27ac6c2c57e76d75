"""The demo's 20 stakeholder interviews as data: the transcripts in ``interviews/I01.txt`` … ``I20.txt``, the
codebook of ten themes, the interview guide in two versions, and how a second coder differs from the first.

A transcript file is a header of ``key: value`` lines, an empty line, and one line per speaker turn; after an
interviewee's turn a line ``[koder: key, key]`` names the codes the turn is about (the keys of ``CODEBOOK``).
Pure: no Django models, so the files can be checked without a database.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

TRANSCRIPTS = Path(__file__).parent / "interviews"
DOUBLE_CODED = ("I03", "I09", "I13", "I17")


@dataclass(frozen=True)
class DemoCode:
    key: str
    name: str
    description: str
    keywords: str
    parent: str = ""


CODEBOOK: tuple[DemoCode, ...] = (
    DemoCode("vidensdeling", "Vidensdeling", "Deling af viden, vejledninger, eksempler og hjemmesidens videnbase.",
             "viden, vidensdeling, vejledning, eksempel, videnbase"),
    DemoCode("erfa", "Erfaringsudveksling", "Organisationer lærer af hinanden; erfaringer deles på tværs.",
             "erfaring, erfaringsudveksling, lære af hinanden, sparring", parent="vidensdeling"),
    DemoCode("netvaerk", "Netværk", "AlmenNets netværk, at møde kolleger, årsseminaret som mødested.",
             "netværk, netværksmøde, årsseminar, kolleger"),
    DemoCode("synlighed", "Synlighed og kommunikation",
             "Hvor synligt AlmenNet er, hvem der kender det, og dets stemme i sektoren og offentligheden.",
             "synlig, synlighed, kendt, kendskab, stemme, usynlig"),
    DemoCode("nyhedsbrev", "Nyhedsbrev og hjemmeside", "Nyhedsbrevet og hjemmesiden som kanaler.",
             "nyhedsbrev, hjemmeside, website, søgning", parent="synlighed"),
    DemoCode("vaerktoejer", "Værktøjer og vejledninger",
             "Praktiske værktøjer, skabeloner, beregnere og tjeklister.",
             "værktøj, skabelon, tjekliste, beregner, vejledning"),
    DemoCode("partnerskaber", "Partnerskaber",
             "Samarbejde med kommuner, fonde, universiteter og andre organisationer.",
             "partnerskab, samarbejde, kommune, fond, universitet"),
    DemoCode("baeredygtighed", "Bæredygtighed og renovering",
             "Grøn omstilling, energirenovering og vedligehold af bygninger.",
             "bæredygtighed, grøn omstilling, renovering, energi, klima, vedligehold"),
    DemoCode("digitalisering", "Digitalisering", "Digitale værktøjer, data, benchmarking, online kurser og møder.",
             "digital, data, benchmarking, online, Teams, nøgletal"),
    DemoCode("kontingent", "Værdi for kontingentet", "Om medlemskabet er pengene værd, og hvad man får for det.",
             "kontingent, pris, værd, betale, medlemskab"),
    DemoCode("beboerdemokrati", "Beboerdemokrati og inddragelse",
             "Beboerdemokratiet og inddragelse af beboere og deres bestyrelser.",
             "beboer, beboerdemokrati, afdelingsbestyrelse, inddragelse, afdelingsmøde"),
    DemoCode("kompetencer", "Kurser og kompetencer",
             "Kurser, uddannelse og kompetenceudvikling for medarbejdere og bestyrelser.",
             "kursus, uddannelse, kompetence, efteruddannelse"),
)

GUIDE_TITLE = "Interviewguide, AlmenNet 2030"
GUIDE_V1 = """Om dig og din organisation
- Hvad er din rolle, og hvad er dine vigtigste opgaver?
- Hvor godt kender du AlmenNet?
Brug af AlmenNet i dag
- Hvad bruger I, og hvor ofte?
- Hvad virker godt, og hvad virker mindre godt?
Viden og netværk
- Hvor henter I viden, og hvem lærer I af?
Fremtiden frem mod 2030
- Hvad er de største udfordringer i sektoren?
- Hvad skal AlmenNet gøre mere af, og hvad mindre af?
Afrunding
- Hvad er dit vigtigste råd til bestyrelsen?
"""
GUIDE_V2 = GUIDE_V1.replace("Fremtiden frem mod 2030", """Synlighed
- Kender andre i din organisation og dit netværk AlmenNet?
- Hvad står AlmenNet for i dine øjne?
Fremtiden frem mod 2030""").replace("Afrunding", """Værdi for pengene
- Er kontingentet pengene værd? Hvad ville få jer til at melde jer ind eller ud?
Afrunding""")

_TURN = re.compile(r"^([^:\n]{1,40}): (.*)$")
_CODES = re.compile(r"^\[koder: ([^\]]*)\]$")


@dataclass
class Turn:
    speaker: str
    start: int
    end: int
    codes: list[str] = field(default_factory=list)


@dataclass
class DemoInterview:
    header: dict[str, str]
    text: str
    turns: list[Turn]

    @property
    def label(self) -> str:
        return self.header["label"]


def read_transcript_file(path: Path) -> DemoInterview:
    head, _blank, body = path.read_text(encoding="utf-8").partition("\n\n")
    header = dict(line.split(": ", 1) for line in head.splitlines())
    text_lines: list[str] = []
    turns: list[Turn] = []
    position = 0
    for line in body.strip().splitlines():
        codes = _CODES.match(line)
        if codes:
            turns[-1].codes = [key.strip() for key in codes.group(1).split(",") if key.strip()]
            continue
        turn = _TURN.match(line)
        if turn is None:
            raise ValueError(f"{path.name}: not a turn: {line[:60]}")
        start = position + len(turn.group(1)) + 2
        turns.append(Turn(turn.group(1), start, start + len(turn.group(2))))
        text_lines.append(line)
        position += len(line) + 1
    return DemoInterview(header, "\n".join(text_lines), turns)


def demo_interviews() -> list[DemoInterview]:
    return [read_transcript_file(path) for path in sorted(TRANSCRIPTS.glob("I[0-9][0-9].txt"))]


def sentences_of(text: str, start: int, end: int) -> list[tuple[int, int]]:
    found = []
    for match in re.finditer(r"[^.!?]+[.!?]*", text[start:end]):
        stripped = match.group().strip()
        if stripped:
            offset = start + match.start() + match.group().index(stripped)
            found.append((offset, offset + len(stripped)))
    return found


def second_coder_ranges(rng: random.Random, interview: DemoInterview, turn: Turn) -> list[tuple[str, int, int]]:
    """How a second careful coder codes the same turn: mostly the same, sometimes only the sentences that carry
    the theme, now and then a code left out or one more added."""
    coded: list[tuple[str, int, int]] = []
    sentences = sentences_of(interview.text, turn.start, turn.end)
    for key in turn.codes:
        if rng.random() < 0.12:
            continue
        if len(sentences) > 2 and rng.random() < 0.3:
            first = rng.randrange(0, len(sentences) - 1)
            last = rng.randrange(first, len(sentences))
            coded.append((key, sentences[first][0], sentences[last][1]))
        else:
            coded.append((key, turn.start, turn.end))
    if rng.random() < 0.1:
        extra = rng.choice([code.key for code in CODEBOOK if code.key not in turn.codes])
        coded.append((extra, turn.start, turn.end))
    return coded
