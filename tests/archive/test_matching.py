"""Matching the organisation names participants write in registrations to the stakeholder register.

The crucial property is that nothing is matched wrongly without anyone seeing it: names sharing only generic words,
names one changed letter apart, a name that is the start of another, all go to a person. The expected keys below
follow the rules as the module documents them, worked out by hand; the demo register and the generator's typed
variants (``evidens.demo.archive_texts._as_typed``) carry the truth of which organisation was meant.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidens.archive.matching import (
    MATCHED_CLOSE,
    MATCHED_EXACT,
    MATCHED_REMEMBERED,
    NOT_FOUND,
    UNCERTAIN,
    Match,
    OrganisationMatcher,
    name_key,
)
from evidens.demo import data
from evidens.demo.archive_texts import _STRANGERS, _as_typed, demo_activities
from evidens.demo.generator import Register, register_generate

STATUSES = {MATCHED_EXACT, MATCHED_REMEMBERED, MATCHED_CLOSE, UNCERTAIN, NOT_FOUND}


def candidate_ids(match: Match) -> list[int]:
    return [candidate.organisation_id for candidate in match.candidates]


def assert_not_matched(match: Match) -> None:
    assert match.status in {UNCERTAIN, NOT_FOUND}
    assert match.organisation_id is None


# --- name_key -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "key"), [
    # NFKC and casefold: full-width letters and capitals are the letters they show.
    ("ＢＯＬＩＧＳＥＬＳＫＡＢＥＴ SØHAVEN", "boligselskabet søhaven"),
    ("BOLIGFORENINGEN ØSTERBRO", "boligforeningen østerbro"),
    # ae, oe and aa are æ, ø and å.
    ("Naestved Almene Boliger", "næstved almene boliger"),
    ("Boligselskabet Koebenhavn", "boligselskabet københavn"),
    ("Boligselskabet Aabenraa", "boligselskabet åbenrå"),
    ("AEblehaven", "æblehaven"),
    ("Boligselskabet Åbenrå", "boligselskabet åbenrå"),
    # ä and ö are æ and ø; other accents are dropped, å keeps its ring.
    ("Bärbo Göteborg", "bærbo gøteborg"),
    ("Renovér Rådgivning", "renover rådgivning"),
    # The sector's abbreviations, definite first in a name and indefinite after a place name.
    ("Bf. Søhaven", "boligforeningen søhaven"),
    ("Boligforen. Søhaven", "boligforeningen søhaven"),
    ("Boligfor. Søhaven", "boligforeningen søhaven"),
    ("bf søhaven", "boligforeningen søhaven"),
    ("Himmerland Bf.", "himmerland boligforening"),
    ("Bs. Kronborg", "boligselskabet kronborg"),
    ("Boligselsk. Kronborg", "boligselskabet kronborg"),
    ("Boligsk. Kronborg", "boligselskabet kronborg"),
    ("Køge Boligselsk.", "køge boligselskab"),
    ("ABF Egeparken", "andelsboligforeningen egeparken"),
    ("Andelsboligfor. Egeparken", "andelsboligforeningen egeparken"),
    ("Faxe Alm. Boliger", "faxe almene boliger"),
    # ... only as whole words.
    ("Absalon Almindelige Bsx", "absalon almindelige bsx"),
    # Legal forms dropped, as whole words only.
    ("Nordlys Arkitekter A/S", "nordlys arkitekter"),
    ("Boligsocial Udvikling ApS", "boligsocial udvikling"),
    ("Tagstenen Byggefirma I/S", "tagstenen byggefirma"),
    ("Kapsel Aps.", "kapsel"),
    # Punctuation and hyphens separate words; & is "og"; a web address is its name.
    ("AL2-bolig", "al2 bolig"),
    ("Høje-Taastrup Boligselskab", "høje tåstrup boligselskab"),
    ("Fællesskab & By Rådgivning", "fællesskab og by rådgivning"),
    ("Domea.dk", "domea"),
    ("Himmerland Boligforening, Aalborg", "himmerland boligforening ålborg"),
    # Whitespace of any kind collapsed.
    ("  Boligforeningen \t Søhaven\u00a0 \n", "boligforeningen søhaven"),
    ("", ""),
    (" - . ", ""),
])
def test_name_key(written: str, key: str) -> None:
    assert name_key(written) == key


def test_the_spellings_of_one_name_share_its_key() -> None:
    spellings = ["Boligselskabet Østerhaven", "Bs. Østerhaven", "boligselskabet østerhaven", "BOLIGSELSK. ØSTERHAVEN",
                 "Boligselskabet Oesterhaven", "Boligsk. Oesterhaven", "Boligselskabet  Østerhaven ",
                 "Boligselskabet Østerhaven A/S"]
    assert {name_key(spelling) for spelling in spellings} == {"boligselskabet østerhaven"}


def test_aa_ae_oe_fold_to_danish_letters_not_the_other_way() -> None:
    # Folded to ASCII, "Østerbro" would be one letter from "Vesterbro" (oesterbro/vesterbro); as Danish letters
    # it stays two.
    assert name_key("Oesterbro") == name_key("Østerbro") == "østerbro"


@given(st.lists(st.sampled_from([*"aeoåæøÅÆØAEOäöébsfli/. -&_", "a/s", "aps", "ApS.", "bf", "bs", "abf", "alm",
                                 ".dk", "a.m.b.a."]), max_size=14).map("".join))
def test_name_key_of_a_key_is_the_key(text: str) -> None:
    # Remembered decisions are stored under keys and looked up again through name_key.
    key = name_key(text)
    assert name_key(key) == key


# --- statuses on hand-made registers --------------------------------------------------------------------------------


def test_blank_is_not_found_without_candidates() -> None:
    matcher = OrganisationMatcher({1: "Boligforeningen Søhaven"})
    for written in ("", "   ", " - "):
        assert matcher.match(written) == Match(written, NOT_FOUND, None, ())


def test_exact_match_by_key() -> None:
    matcher = OrganisationMatcher({1: "Boligforeningen Søhaven", 2: "Boligselskabet Søhaven"})
    match = matcher.match("BF. SOEHAVEN")
    assert (match.written, match.status, match.organisation_id) == ("BF. SOEHAVEN", MATCHED_EXACT, 1)
    assert [(candidate.organisation_id, candidate.name, candidate.score) for candidate in match.candidates] == [
        (1, "Boligforeningen Søhaven", 100.0)]


def test_exact_beats_a_close_name() -> None:
    # "Lindegården" is one letter from "Lundegården"; the written key is the first's exactly.
    matcher = OrganisationMatcher({1: "Andelsboligforeningen Lundegården", 2: "Andelsboligforeningen Lindegården"})
    match = matcher.match("ABF Lindegården")
    assert (match.status, match.organisation_id) == (MATCHED_EXACT, 2)


def test_two_organisations_with_one_key_are_uncertain() -> None:
    matcher = OrganisationMatcher({1: "Boligselskabet Kronborg", 2: "Boligselskabet Kronborg A/S", 3: "Tagly"})
    match = matcher.match("Bs. Kronborg")
    assert (match.status, match.organisation_id) == (UNCERTAIN, None)
    assert candidate_ids(match) == [1, 2]
    assert [candidate.score for candidate in match.candidates] == [100.0, 100.0]


def test_a_typing_error_is_matched_close() -> None:
    register = {1: "Boligforeningen Søhaven", 2: "Andelsboligforeningen Søhaven", 3: "Boligselskabet Kronborg"}
    matcher = OrganisationMatcher(register)
    for written, meant in [("Boligforeningen Søhavn", 1), ("Boligforeningen Søhaevn", 1),
                           ("Andelsboligforenigen Søhaven", 2), ("Boligselskabet Kronbrog", 3),
                           ("Bs. Kronbor", 3)]:
        match = matcher.match(written)
        assert (match.status, match.organisation_id) == (MATCHED_CLOSE, meant), written
        assert match.candidates[0].organisation_id == meant


def test_a_name_glued_to_a_generic_word_is_the_same_name() -> None:
    matcher = OrganisationMatcher({1: "AL2bolig", 2: "FSB"})
    for written in ("AL2 bolig", "AL2-bolig"):
        match = matcher.match(written)
        assert (match.status, match.organisation_id) == (MATCHED_CLOSE, 1)


def test_filler_words_may_be_left_out() -> None:
    matcher = OrganisationMatcher({1: "Den Almene Boligforening i Favrskov", 2: "Favrskov Almene Boliger"})
    match = matcher.match("Almene Boligforening Favrskov")
    assert (match.status, match.organisation_id) == (MATCHED_CLOSE, 1)


# --- never a silent wrong match -------------------------------------------------------------------------------------


def test_another_place_is_another_organisation() -> None:
    matcher = OrganisationMatcher({1: "Boligforeningen Østerbro"})
    match = matcher.match("Boligforeningen Vesterbro")
    assert_not_matched(match)
    assert candidate_ids(match) == [1]  # alike enough to show a reviewer
    assert_not_matched(OrganisationMatcher({1: "Boligforeningen Vesterbro"}).match("Boligforeningen Oesterbro"))


def test_an_extra_distinctive_word_is_another_organisation() -> None:
    match = OrganisationMatcher({1: "Boligselskabet Kronborg"}).match("Boligselskabet Kronborg Kyst")
    assert_not_matched(match)
    assert candidate_ids(match) == [1]


def test_a_name_that_is_the_start_of_another_is_not_matched() -> None:
    assert_not_matched(OrganisationMatcher({1: "Boligselskabet Kronborg Kyst"}).match("Boligselskabet Kronborg"))
    assert_not_matched(OrganisationMatcher({1: "Tagvang Boliger"}).match("Tagvang"))
    assert_not_matched(OrganisationMatcher({1: "Boligkontoret Danmark"}).match("Boligkontoret"))


def test_another_kind_of_organisation_with_the_same_place_is_another_organisation() -> None:
    assert_not_matched(OrganisationMatcher({1: "Boligforeningen Nordvest"}).match("Lejerforeningen Nordvest"))
    assert_not_matched(OrganisationMatcher({1: "Boligforeningen Søhaven"}).match("Andelsboligforeningen Søhaven"))
    assert_not_matched(OrganisationMatcher({1: "Boligselskabet København"}).match("København Almene Boliger"))


def test_short_names_must_be_spelt_exactly() -> None:
    assert_not_matched(OrganisationMatcher({1: "FAB"}).match("AAB"))
    assert_not_matched(OrganisationMatcher({1: "FSB"}).match("FBS"))
    assert OrganisationMatcher({1: "AAB", 2: "FAB"}).match("fab").organisation_id == 2


def test_a_changed_letter_is_another_name() -> None:
    # The sector's estate names differ from one another by one letter: a changed letter is not forgiven.
    assert_not_matched(OrganisationMatcher({1: "Boligselskabet Birkevang"}).match("Boligselskabet Kirkevang"))
    assert_not_matched(OrganisationMatcher({1: "Boligselskabet Strandparken"}).match("Boligselskabet Strandmarken"))


def test_generic_words_alone_name_nothing() -> None:
    register = {1: "Boligforeningen Søhaven", 2: "Boligforeningen Egehøj", 3: "Boligforeningen Lindebo"}
    assert OrganisationMatcher(register).match("Boligforeningen") == Match("Boligforeningen", NOT_FOUND, None, ())


def test_near_identical_register_names_are_uncertain() -> None:
    register = {1: "Boligforeningen Vejle Syd", 2: "Boligforeningen Vejen Syd", 3: "Boligforeningen Lejre Syd"}
    match = OrganisationMatcher(register).match("Boligforeningen Veje Syd")  # a letter left out of either
    assert_not_matched(match)
    assert set(candidate_ids(match)[:2]) == {1, 2}
    register = {1: "Andelsboligforeningen Lindegården", 2: "Andelsboligforeningen Lundegården"}
    match = OrganisationMatcher(register).match("Andelsboligforeningen Lndegården")
    assert_not_matched(match)
    assert set(candidate_ids(match)) == {1, 2}


def test_a_typo_that_makes_a_digraph_is_read_both_ways() -> None:
    # "Roehusene" is "Rosehusene" without its s, or "Røhusene" one letter from "Søhusene".
    register = {1: "Boligforeningen Rosehusene", 2: "Boligforeningen Søhusene"}
    match = OrganisationMatcher(register).match("Boligforeningen Roehusene")
    assert_not_matched(match)
    assert set(candidate_ids(match)) == {1, 2}


def test_candidates_best_first_and_at_most_three() -> None:
    register = {1: "Boligforeningen Egehaven", 2: "Boligforeningen Søhaven", 3: "Boligforeningen Søhaven Nord",
                4: "Boligforeningen Søvang", 5: "Andelsboligforeningen Søhaven", 6: "Boligselskabet Søhaven"}
    match = OrganisationMatcher(register).match("Boligforeningen Søhavne")
    assert match.status == MATCHED_CLOSE
    assert match.organisation_id == 2
    assert len(match.candidates) == 3
    scores = [candidate.score for candidate in match.candidates]
    assert scores == sorted(scores, reverse=True)
    assert match.candidates[0].organisation_id == 2


# --- remembered decisions -------------------------------------------------------------------------------------------


def test_a_remembered_organisation_wins_over_an_exact_match() -> None:
    register = {1: "Boligforeningen Søhaven", 2: "Andelsboligforeningen Søhaven"}
    matcher = OrganisationMatcher(register, remembered={name_key("Bf. Søhaven"): 2})
    match = matcher.match("Boligforeningen Søhaven")
    assert (match.status, match.organisation_id) == (MATCHED_REMEMBERED, 2)
    assert candidate_ids(match) == [2]


def test_a_remembered_not_in_the_register_wins_over_an_exact_match() -> None:
    matcher = OrganisationMatcher({1: "Boligforeningen Søhaven"}, remembered={"boligforeningen søhaven": None})
    assert matcher.match("Bf. Søhaven") == Match("Bf. Søhaven", NOT_FOUND, None, ())


def test_a_remembered_organisation_settles_an_uncertain_name() -> None:
    register = {1: "Boligforeningen Vejle Syd", 2: "Boligforeningen Vejen Syd"}
    matcher = OrganisationMatcher(register, remembered={name_key("Bf. Veje Syd"): 2})
    match = matcher.match("Boligforeningen Veje Syd")
    assert (match.status, match.organisation_id) == (MATCHED_REMEMBERED, 2)


def test_remembered_keys_are_read_through_name_key() -> None:
    # Stored under an older spelling of the key (two spaces), the decision still counts.
    matcher = OrganisationMatcher({1: "Tagly", 2: "Hjemly"}, remembered={"privat  konsulent": 2})
    assert matcher.match("Privat konsulent").organisation_id == 2


def test_remembered_decisions_that_disagree_under_one_key_are_both_dropped() -> None:
    register = {1: "Boligforeningen Søhaven", 2: "Andelsboligforeningen Søhaven"}
    matcher = OrganisationMatcher(register, remembered={"bf søhaven": 2, "boligforeningen søhaven": None})
    match = matcher.match("Bf. Søhaven")
    assert (match.status, match.organisation_id) == (MATCHED_EXACT, 1)


def test_a_remembered_organisation_no_longer_in_the_register_is_forgotten() -> None:
    matcher = OrganisationMatcher({1: "Boligforeningen Søhaven"}, remembered={"boligforeningen søhaven": 7})
    assert matcher.match("Bf. Søhaven").status == MATCHED_EXACT


# --- the demo register ----------------------------------------------------------------------------------------------


class _Enumerating(random.Random):
    """Makes ``_as_typed`` choose the typing error at ``position`` (among the letters it may change) and then the
    variant numbered ``variant``; IndexError when there is no such variant."""

    def __init__(self, position: int, variant: int) -> None:
        super().__init__(0)
        self.position, self.variant = position, variant

    def choice(self, seq: Sequence[object]) -> object:  # type: ignore[override]
        if seq and isinstance(seq[0], int):
            return seq[self.position % len(seq)]
        if self.variant >= len(seq):
            raise IndexError(self.variant)
        return seq[self.variant]


def typed_variants(name: str, names: set[str], positions: Sequence[int]) -> set[str]:
    """Every way ``_as_typed`` writes ``name`` (abbreviated, lower case, without æøå, with stray spaces), with
    the typing errors (letters swapped, a letter left out) at ``positions``."""
    variants = set()
    for position in positions:
        for variant in range(100):
            try:
                variants.add(_as_typed(_Enumerating(position, variant), name, names))
            except IndexError:
                break
    return variants


@pytest.fixture(scope="module")
def register() -> Register:
    return register_generate(random.Random(data.DEMO_SEED))


@pytest.fixture(scope="module")
def ids(register: Register) -> dict[str, int]:
    return {org.name: number for number, org in enumerate(register.organisations, start=1)}


@pytest.fixture(scope="module")
def matcher(ids: dict[str, int]) -> OrganisationMatcher:
    return OrganisationMatcher({number: name for name, number in ids.items()})


def test_every_typed_variant_of_a_demo_name_is_matched_right_or_left_to_a_person(
    ids: dict[str, int], matcher: OrganisationMatcher
) -> None:
    # Typing errors at three positions per name, drawn once: every position of every name (29,000 variants) takes
    # about twenty seconds.
    rng = random.Random(20)
    names = set(ids)
    statuses: Counter[str] = Counter()
    for name in sorted(names):
        for written in typed_variants(name, names, [rng.randrange(len(name)) for _ in range(3)]):
            match = matcher.match(written)
            statuses[match.status] += 1
            if match.organisation_id is not None:
                assert match.organisation_id == ids[name], (written, name, match)
            else:
                assert match.status == UNCERTAIN, (written, name, match)
                assert ids[name] in candidate_ids(match), (written, name, match)
    # Measured: about 98 % of the variants that are not exact are matched close; this guards against a matcher
    # that leaves every typo to a person.
    assert statuses[MATCHED_CLOSE] > 0.9 * (statuses[MATCHED_CLOSE] + statuses[UNCERTAIN])
    assert statuses[MATCHED_EXACT] > 0


def test_the_demo_registrations_are_matched_right_and_strangers_never(
    register: Register, ids: dict[str, int], matcher: OrganisationMatcher
) -> None:
    registrations = demo_activities(random.Random(data.DEMO_SEED), register).registrations
    for row in registrations:
        match = matcher.match(row.organisation)
        if row.canonical_organisation is None:
            assert match.organisation_id is None, row
        elif match.organisation_id is None:
            assert match.status == UNCERTAIN and ids[row.canonical_organisation] in candidate_ids(match), row
        else:
            assert match.organisation_id == ids[row.canonical_organisation], row
    for stranger in _STRANGERS:
        assert matcher.match(stranger).organisation_id is None


def test_matching_2000_names_against_500_organisations(register: Register) -> None:
    # Performance sanity, not a timed assertion: every name is scored against every organisation in rapidfuzz's
    # C++ (two cdist rows per name), so this is O(names × organisations) and takes about a second.
    names = [org.name for org in register.organisations[:500]]
    rng = random.Random(2000)
    written = []
    for number in range(2000):
        name = rng.choice(names)
        cut = rng.randrange(len(name))
        written.append(f"{name[:cut]}{name[cut + 1:]} {number}")  # all different: nothing comes from the cache
    matcher = OrganisationMatcher(dict(enumerate(names, start=1)))
    matches = [matcher.match(text) for text in written]
    assert all(match.status in STATUSES and len(match.candidates) <= 3 for match in matches)


@given(st.text(max_size=60))
def test_any_text_gets_a_well_formed_answer(text: str) -> None:
    match = OrganisationMatcher({1: "Boligforeningen Søhaven", 2: "AL2bolig", 3: "FSB"}).match(text)
    assert match.written == text and match.status in STATUSES
    assert (match.organisation_id is not None) == (match.status in {MATCHED_EXACT, MATCHED_REMEMBERED,
                                                                      MATCHED_CLOSE})
    scores = [candidate.score for candidate in match.candidates]
    assert len(scores) <= 3 and scores == sorted(scores, reverse=True)
