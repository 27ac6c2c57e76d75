"""Danish open answers: words, stop words, Snowball stems, keywords, phrases, TF-IDF per group and AFINN sentiment.

Expected stems come from Snowball's published test data, sentiment values from the lines of the AFINN file itself,
counts and TF-IDF weights are worked out by hand in the comments."""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.lang.da.stop_words import STOP_WORDS as SPACY_STOP_WORDS

from evidens.text.danish import (
    STOP_WORDS,
    Keyword,
    SentimentWord,
    afinn_lexicon_path,
    distinctive_terms,
    keywords,
    phrases,
    sentiment,
    stem,
    terms,
    tokens,
)

# --- words -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Vi ønsker mere beboerdemokrati og grøn omstilling – send en e-mail til sekretariatet inden 1. juni 2025!",
     ["vi", "ønsker", "mere", "beboerdemokrati", "og", "grøn", "omstilling", "send", "en", "e-mail", "til",
      "sekretariatet", "inden", "juni"]),
    ("Ærlig talt: større åbenhed og bedre økonomi.",
     ["ærlig", "talt", "større", "åbenhed", "og", "bedre", "økonomi"]),
    ("bolig- og byudvikling, beboere/lejere og/eller »almene« boliger",
     ["bolig", "og", "byudvikling", "beboere", "lejere", "og", "eller", "almene", "boliger"]),
    ("Se www.almennet.dk eller skriv til info@almennet.dk (svar inden 3 dage)",
     ["se", "eller", "skriv", "til", "svar", "inden", "dage"]),
    ("", []),
])
def test_tokens_are_lower_case_words_without_punctuation_numbers_or_links(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_stop_words_are_spacys_danish_list_and_a_few_survey_words() -> None:
    assert set(SPACY_STOP_WORDS) <= STOP_WORDS
    assert tokens("F.eks. bl.a. fx") == ["f.eks", "bl.a", "fx"]
    assert {"f.eks", "bl.a", "fx", "godt"} <= STOP_WORDS
    assert not {"beboerdemokrati", "grøn", "omstilling", "bolig"} & STOP_WORDS


def test_terms_leave_out_stop_words() -> None:
    # vi, har, ikke, nok, om, det are in spaCy's list; "fået" in the survey list; "information" has no Danish suffix.
    assert terms("Vi har ikke fået nok information om det").stems == ["information"]


def test_terms_show_each_stem_as_the_form_written_most_often() -> None:
    # Snowball: boliger -> bolig (step 1, "er") -> bol (step 3, "ig"); bolig -> bol (step 3).
    found = terms("Boliger, boliger og bolig")
    assert found.stems == ["bol", "bol", "bol"]
    assert found.representative == {"bol": "boliger"}


# --- stems -------------------------------------------------------------------------------------------------------

# snowballstem/snowball-data, commit 2d7b98a49736336fd63207bc6158bb9ab2d35302: danish/voc.txt and danish/output.txt
# hold each word and its stem on the same line, e.g. the run
#   voc.txt:    indsætter indsættes indtage indtagelse indtager indtages indtaget indtil indtog
#   output.txt: indsæt    indsæt    indtag  indtag     indtag   indtag   indtag   indtil indtog
# (the Snowball site's Danish sample vocabulary starts at "indtage"), and
#   voc.txt:    ansås antage antagelse antaget antal antallet
#   output.txt: anså  antag  antag     antag   antal antal
#   voc.txt:    bekymre bekymrede bekymrer bekymret bekymring bekymringen bekymringer
#   output.txt: bekymr  bekymred  bekymr   bekymr   bekymring bekymring   bekymring
#   voc.txt:    kærlig kærlige kærlighed kærligheden kærlighedens kærligheds kærlighedsgerninger
#   output.txt: kær    kær     kær       kær         kær          kær        kærlighedsgerning
SNOWBALL_DATA = [
    ("indtage", "indtag"), ("indtagelse", "indtag"), ("indtager", "indtag"), ("indtages", "indtag"),
    ("indtaget", "indtag"), ("indsættes", "indsæt"), ("antagelse", "antag"), ("antallet", "antal"),
    ("bekymrede", "bekymred"), ("bekymringer", "bekymring"), ("kærligheden", "kær"),
    ("kærlighedsgerninger", "kærlighedsgerning"), ("befolkningen", "befolkning"), ("indsamlingen", "indsamling"),
    ("krævede", "kræved"), ("arbejdere", "arbejd"), ("adlyder", "adlyd"), ("anbefalet", "anbefal"),
    ("abrahams", "abraham"),
    # The algorithm's own examples on the Snowball site (algorithms/danish/stemmer.html).
    ("friskt", "frisk"), ("bestemmelse", "bestem"),
]


@pytest.mark.parametrize(("word", "expected"), SNOWBALL_DATA)
def test_stem_matches_snowballs_published_danish_output(word: str, expected: str) -> None:
    assert stem(word) == expected


# --- keywords and phrases ----------------------------------------------------------------------------------------

ANSWERS = [
    "Netværksmøderne er det bedste ved AlmenNet. Vi savner flere netværksmøder om grøn omstilling.",
    "Grøn omstilling af boligerne er vigtig, og kurserne er gode.",
    "Mere om grøn omstilling og beboerdemokrati, tak.",
    "Beboerdemokrati skal styrkes. Flere kurser om beboerdemokrati!",
    "Hjemmesiden er svær at finde rundt på.",
    "Netværksmøder og kurser – mere af det.",
]
# Words left once stop words are out, answer by answer:
#   1 netværksmøderne bedste almennet savner netværksmøder grøn omstilling
#   2 grøn omstilling boligerne vigtig kurserne
#   3 grøn omstilling beboerdemokrati tak
#   4 beboerdemokrati styrkes kurser beboerdemokrati
#   5 hjemmesiden svær finde rundt
#   6 netværksmøder kurser
# Snowball: netværksmøderne ("erne") and netværksmøder ("er") -> netværksmød; kurserne, kurser -> kurs.
# Three occurrences each: grøn (answers 1 2 3), kurs (2 4 6), omstilling (1 2 3), beboerdemokrati (3 4 4),
# netværksmød (1 1 6); eleven other words once each.


def test_keywords_count_occurrences_and_answers_per_stem() -> None:
    found = keywords(ANSWERS)
    assert found[:5] == [
        Keyword("grøn", "grøn", 3, 3),
        Keyword("kurs", "kurser", 3, 3),  # "kurser" twice, "kurserne" once
        Keyword("omstilling", "omstilling", 3, 3),
        Keyword("beboerdemokrati", "beboerdemokrati", 3, 2),
        Keyword("netværksmød", "netværksmøder", 3, 2),  # "netværksmøder" twice, "netværksmøderne" once
    ]
    assert len(found) == 16
    assert all(keyword.count == keyword.documents == 1 for keyword in found[5:])
    assert {keyword.display for keyword in found[5:]} == {
        "bedste", "almennet", "savner", "boligerne", "vigtig", "tak", "styrkes", "hjemmesiden", "svær", "finde",
        "rundt"}
    assert keywords(ANSWERS, top=2) == found[:2]


def test_phrases_are_adjacent_non_stop_words_in_two_answers_or_more() -> None:
    # "grøn omstilling" in answers 1, 2, 3. "finde rundt" (answer 5) is in one answer only; "beboerdemokrati, tak"
    # is split by the comma; "savner flere" and "flere kurser" hold the stop word "flere".
    assert phrases(ANSWERS) == [Keyword("grøn omstilling", "grøn omstilling", 3, 3)]


def test_phrases_stop_at_punctuation_and_stop_words() -> None:
    assert phrases(["grøn omstilling. Boliger", "Grøn omstilling, boliger"]) == [
        Keyword("grøn omstilling", "grøn omstilling", 2, 2)]
    assert phrases(["udvikling af boliger", "udvikling af boliger"]) == []
    assert phrases(["grøn omstilling og grøn omstilling"]) == []


# --- distinctive terms -------------------------------------------------------------------------------------------


def test_distinctive_terms_rank_a_term_only_one_group_uses_first() -> None:
    groups = {
        "beboere": ["Parkering er et problem", "Parkering og boliger"],
        "medarbejdere": ["Boliger og kurser", "Boliger og kurser"],
    }
    # scikit-learn's smoothed idf over n = 2 groups: ln((1 + n) / (1 + df)) + 1, each group's vector scaled to 1.
    only_here = math.log(3 / 2) + 1  # df = 1
    everywhere = 1.0  # df = 2: bol (boliger)
    residents = {"parkering": 2 * only_here, "problem": only_here, "bol": everywhere}
    staff = {"kurs": 2 * only_here, "bol": 2 * everywhere}
    residents_norm = math.sqrt(sum(weight**2 for weight in residents.values()))
    staff_norm = math.sqrt(sum(weight**2 for weight in staff.values()))

    found = distinctive_terms(groups)

    assert [(term.term, term.display) for term in found["beboere"]] == [
        ("parkering", "parkering"), ("problem", "problem"), ("bol", "boliger")]
    assert [term.score for term in found["beboere"]] == pytest.approx(
        [weight / residents_norm for weight in residents.values()])
    assert [(term.term, term.display) for term in found["medarbejdere"]] == [("kurs", "kurser"), ("bol", "boliger")]
    assert [term.score for term in found["medarbejdere"]] == pytest.approx(
        [staff["kurs"] / staff_norm, staff["bol"] / staff_norm])
    assert distinctive_terms(groups, top=1)["beboere"] == found["beboere"][:1]


def test_distinctive_terms_of_groups_without_words() -> None:
    assert distinctive_terms({"tom": [], "stopord": ["og det er"]}) == {"tom": [], "stopord": []}


LEXICON = Path(__file__).resolve().parents[2] / "evidens" / "text" / "data" / "AFINN-da-32.txt"


# --- sentiment ---------------------------------------------------------------------------------------------------


def lexicon_value(entry: str) -> int:
    """The value on the entry's own line of AFINN-da-32.txt."""
    path = LEXICON
    values = [line.split("\t")[1] for line in path.read_text(encoding="utf-8").splitlines()
              if line.split("\t")[0] == entry]
    assert len(values) == 1, entry
    return int(values[0])


def test_the_lexicon_is_the_published_afinn_da_32_file() -> None:
    # The SHA-256 of AFINN-da-32.txt as the afinn 0.1 release on PyPI ships it (data/README.md).
    assert hashlib.sha256(LEXICON.read_bytes()).hexdigest() == (
        "3c00ad7d9ce24ff540016ae3f092ea87a404c5018b4464ef2136d62a4c4f2fa1")
    assert afinn_lexicon_path().samefile(LEXICON)


def test_sentiment_sums_the_lexicon_values() -> None:
    result = sentiment("Kurset var godt, og personalet var hjælpsomt men hjemmesiden er dårlig")
    # hjælpsomt is not in the lexicon; godt and dårlig are.
    assert result.words == [SentimentWord("godt", lexicon_value("godt"), False),
                            SentimentWord("dårlig", lexicon_value("dårlig"), False)]
    assert result.score == lexicon_value("godt") + lexicon_value("dårlig")
    assert result.per_word == result.score / 11


def test_negation_flips_the_next_sentiment_word_within_two_words() -> None:
    assert sentiment("Kurset var ikke godt").score == -lexicon_value("godt")
    assert sentiment("Kurset var ikke særlig godt").words == [SentimentWord("godt", -lexicon_value("godt"), True)]
    assert sentiment("Ingen problemer").score == -lexicon_value("problemer")
    assert sentiment("aldrig tilfreds").score == -lexicon_value("tilfreds")
    # Three words on is out of reach; punctuation ends the reach; only the first word after the negation flips.
    assert sentiment("ikke helt så godt").score == lexicon_value("godt")
    assert sentiment("Ikke. Godt.").score == lexicon_value("godt")
    assert sentiment("ikke glad og tilfreds").score == -lexicon_value("glad") + lexicon_value("tilfreds")


def test_lexicon_phrases_win_over_single_words() -> None:
    # The lexicon has "ikke god" as a phrase of its own, so its value counts, not a flipped "god".
    assert sentiment("Maden var ikke god").words == [SentimentWord("ikke god", lexicon_value("ikke god"), False)]
    # A negation inside a phrase still reaches the word after it.
    assert sentiment("Det fungerer ikke godt").score == lexicon_value("fungerer ikke") - lexicon_value("godt")
    assert sentiment("ikke-godkendt").score == lexicon_value("ikke-godkendt")


def test_sentiment_label_follows_the_score_per_word() -> None:
    filler = " og" * 39
    assert sentiment("godt" + filler).label == "positive"  # 3 / 40 words = 0.075
    assert sentiment("dårligt" + filler).label == "negative"  # -3 / 40
    assert sentiment("godt" + filler * 2).label == "neutral"  # 3 / 79 words < 0.05
    assert sentiment("godt men dårligt").label == "neutral"  # 3 - 3 = 0
    empty = sentiment("")
    assert (empty.score, empty.per_word, empty.label, empty.words) == (0, 0.0, "neutral", [])


# --- offline -----------------------------------------------------------------------------------------------------

OFFLINE_PROBE = """
import socket

def refuse(*args, **kwargs):
    raise OSError("network use attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from evidens.text import danish

answers = ["Grøn omstilling er godt", "Grøn omstilling og beboerdemokrati", "ikke særlig godt"]
assert danish.tokens(answers[0]) == ["grøn", "omstilling", "er", "godt"]
assert danish.keywords(answers)[0].display == "grøn"
assert danish.phrases(answers)[0].display == "grøn omstilling"
assert danish.distinctive_terms({"a": answers[:1], "b": answers[1:]})["b"]
assert danish.sentiment(answers[2]).score < 0
print("offline")
"""


def test_everything_runs_without_network_or_downloads(tmp_path: Path) -> None:
    offline = "http://127.0.0.1:9"
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_PROBE], capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "HTTP_PROXY": offline, "HTTPS_PROXY": offline},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offline"
