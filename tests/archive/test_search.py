"""Danish full-text search over the archive, on the database the suite runs on (SQLite's FTS5 with our stems, or
PostgreSQL's danish configuration). Documents are written here, so every expected hit is known by reading them."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from evidens.archive import search
from evidens.archive import views as archive_views
from evidens.archive.models import ArchiveDocument, DocumentStatus, Theme
from evidens.processes.models import StrategyProcess
from tests.conftest import Cast

TEXTS = {
    "netværk": ("Referat af netværksmøde", date(2019, 3, 5), "minutes",
                "Boligorganisationerne drøftede renoveringer af afdelingerne og den grønne omstilling."),
    "guide": ("Vejledning om renovering", date(2016, 6, 1), "guide",
              "En boligorganisation kan spare energi ved renovering. Grøn omstilling kræver planlægning."),
    "kursus": ("Kursus i budget", date(2019, 9, 12), "course_material",
               "Kurset handler om økonomi, budget og regnskab for afdelingsbestyrelser. Grønt regnskab nævnes."),
    "spredt": ("Nyhedsbrev marts", date(2020, 3, 20), "newsletter",
               "Det grønne område blev ryddet. Omstilling til online møder på grund af corona."),
    "html": ("Om <script>", date(2010, 1, 1), "other",
             "Teksten nævner <script>alert(1)</script> og renoveringen af taget."),
}


def _document(process: StrategyProcess, key: str) -> ArchiveDocument:
    title, day, doc_type, text = TEXTS[key]
    document = ArchiveDocument(process=process, title=title, date=day, doc_type=doc_type, text=text,
                               original_name=f"{key}.txt", sha256=key.ljust(64, "0"), status=DocumentStatus.READY)
    document.file.save(f"{key}.txt", ContentFile(text.encode()), save=False)
    document.save()
    search.index(document)
    return document


@pytest.fixture
def archive(cast: Cast) -> dict[str, ArchiveDocument]:
    return {key: _document(cast.process, key) for key in TEXTS}


def _titles(process: StrategyProcess, query: str, **filters: Any) -> set[str]:
    return {hit.document.title for hit in search.search(process, query, filters=search.Filters(**filters)).hits}


def test_inflected_forms_find_each_other(cast: Cast, archive: dict[str, ArchiveDocument]) -> None:
    # boligorganisation (guide) and boligorganisationerne (netværk) share the stem "boligorganisation".
    assert _titles(cast.process, "boligorganisation") == {"Referat af netværksmøde", "Vejledning om renovering"}
    assert _titles(cast.process, "boligorganisationerne") == {"Referat af netværksmøde", "Vejledning om renovering"}
    # renovering (guide, title), renoveringer (netværk), renoveringen (html).
    assert _titles(cast.process, "renoveringer") == {"Referat af netværksmøde", "Vejledning om renovering",
                                                     "Om <script>"}


def test_all_words_must_occur_and_a_phrase_must_stand_together(cast: Cast,
                                                               archive: dict[str, ArchiveDocument]) -> None:
    # "grønne omstilling" (netværk) and "Grøn omstilling" (guide) stand together; the newsletter has "grønne" and
    # "Omstilling" in different sentences, so it has both words but not the phrase.
    assert _titles(cast.process, "grøn omstilling") == {"Referat af netværksmøde", "Vejledning om renovering",
                                                        "Nyhedsbrev marts"}
    assert _titles(cast.process, '"grøn omstilling"') == {"Referat af netværksmøde", "Vejledning om renovering"}


def test_no_hits_on_unrelated_words_or_parts_of_compounds(cast: Cast, archive: dict[str, ArchiveDocument]) -> None:
    assert _titles(cast.process, "organisation") == set()  # compounds are not split (documented)
    assert _titles(cast.process, "bolig") == set()
    assert _titles(cast.process, "renovering budget") == set()  # no document has both
    assert _titles(cast.process, "bolig*") == {"Referat af netværksmøde", "Vejledning om renovering"}


def test_the_title_weighs_more_than_the_text(cast: Cast, archive: dict[str, ArchiveDocument]) -> None:
    hits = search.search(cast.process, "renovering").hits
    assert hits[0].document.title == "Vejledning om renovering"  # in its title and its text


def test_filters_by_type_year_and_theme(cast: Cast, archive: dict[str, ArchiveDocument]) -> None:
    assert _titles(cast.process, "renovering", doc_type="minutes") == {"Referat af netværksmøde"}
    assert _titles(cast.process, "renovering", year=2016) == {"Vejledning om renovering"}
    theme = Theme.objects.create(process=cast.process, name="byggeri")
    archive["html"].themes.add(theme)
    assert _titles(cast.process, "renovering", theme_id=theme.pk) == {"Om <script>"}


def test_another_process_and_deleted_documents_are_not_found(cast: Cast,
                                                             archive: dict[str, ArchiveDocument]) -> None:
    assert search.search(cast.other_process, "renovering").total == 0
    archive["guide"].delete()  # the index row goes with it
    assert "Vejledning om renovering" not in _titles(cast.process, "renovering")
    assert search.search(cast.process, "renovering").total == 2


def test_snippets_mark_the_matches_and_escape_the_text(cast: Cast, archive: dict[str, ArchiveDocument]) -> None:
    (hit,) = search.search(cast.process, "renovering", filters=search.Filters(doc_type="other")).hits
    assert "<mark>renoveringen</mark>" in hit.snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit.snippet and "<script>" not in hit.snippet
    (kursus,) = search.search(cast.process, "regnskab").hits
    assert kursus.snippet.count("<mark>") == 2  # "regnskab" and "regnskab" in "Grønt regnskab"


@pytest.mark.parametrize("query", ['"', "AND", "OR NOT", "(renovering", "renovering)", "*", "NEAR(a b)", "'",
                                   "title:renovering", "-renovering", "^renovering", "æøå*"])
def test_search_syntax_in_a_query_is_only_words(cast: Cast, archive: dict[str, ArchiveDocument], query: str) -> None:
    results = search.search(cast.process, query)  # must not raise a database error
    assert results.total >= 0


def test_the_query_is_parsed_into_stems_prefixes_and_phrases() -> None:
    parsed = search.parse('Renoveringerne "grøn omstilling" bolig* og')
    assert parsed.words == ("renovering", "og")
    assert parsed.phrases == (("grøn", "omstilling"),)
    assert parsed.prefixes == ("bolig",)


def test_the_count_stops_at_the_cap_and_says_so(cast: Cast, archive: dict[str, ArchiveDocument]) -> None:
    # "renoveringer" is in three documents (netværk, guide and html; see test_inflected_forms_find_each_other).
    capped = search.search(cast.process, "renoveringer", limit=1, count_cap=2)
    assert (capped.total, capped.count_capped, len(capped.hits)) == (2, True, 1)
    exact = search.search(cast.process, "renoveringer", limit=1, count_cap=3)
    assert (exact.total, exact.count_capped) == (3, False)
    for uncapped in (search.search(cast.process, "renoveringer", count_cap=None),
                     search.search(cast.process, "renoveringer")):
        assert (uncapped.total, uncapped.count_capped) == (3, False)


def test_the_search_page_says_more_than_the_cap(cast: Cast, archive: dict[str, ArchiveDocument], client_for: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    url = reverse("archive:search", args=[cast.process.slug]) + "?q=renoveringer"
    page = client_for(cast.users["reader"]).get(url).content.decode()
    assert "3 dokumenter fundet" in page
    # The installation's cap and page size, read on every search: the count stops at two on a page of one.
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    monkeypatch.setattr(archive_views, "SEARCH_PAGE_SIZE", 1)
    page = client_for(cast.users["reader"]).get(url).content.decode()
    assert "Mere end 2 dokumenter fundet" in page


def test_a_capped_count_still_tells_whether_another_page_follows(cast: Cast,
                                                                archive: dict[str, ArchiveDocument]) -> None:
    # Pages of one hit with a cap of one: the search page shows "next" while total > offset + limit.
    pages = [search.search(cast.process, "renoveringer", limit=1, offset=offset, count_cap=1) for offset in range(3)]
    assert [page.total > offset + 1 for offset, page in enumerate(pages)] == [True, True, False]
    assert sorted(hit.document.title for page in pages for hit in page.hits) == [
        "Om <script>", "Referat af netværksmøde", "Vejledning om renovering"]


def test_indexing_again_replaces_the_words_and_unindexing_removes_them(cast: Cast,
                                                                      archive: dict[str, ArchiveDocument]) -> None:
    guide = archive["guide"]
    guide.title, guide.text = "Vejledning om tage", "Tagpap skal skiftes hvert tyvende år."
    guide.save()
    search.index(guide)
    assert _titles(cast.process, "energi") == set()  # only the old text had it
    assert _titles(cast.process, "tagpap") == {"Vejledning om tage"}
    assert search.search(cast.process, "tagpap").total == 1  # one row for the document, not two
    search.unindex(guide.pk)
    assert _titles(cast.process, "tagpap") == set()
    assert ArchiveDocument.objects.filter(pk=guide.pk).exists()  # only the index row went


def test_the_snippet_is_the_earliest_window_with_most_matches() -> None:
    # Words 0–12; matches at 2 (renovering), 8 (renoveringer) and 10 (renovering). Of the windows of five words,
    # the one from word 6 (f g renoveringer h renovering) is the first with two matches.
    text = "a b renovering c d e f g renoveringer h renovering i j"
    assert search.snippet(text, search.parse("renovering"), words=5) == (
        "… f g <mark>renoveringer</mark> h <mark>renovering</mark> …")


def _reference_snippet(text: str, query: search.Query, words: int) -> str:
    """The snippet cut the plain way: every word stemmed, every window counted."""
    found = list(re.finditer(r"\w+", text))
    if not found:
        return ""
    marked = [query.matches(search.stems(match.group())[0]) for match in found]
    counts = [sum(marked[first:first + words]) for first in range(max(1, len(found) - words + 1))]
    best = counts.index(max(counts))
    last = min(len(found), best + words) - 1
    pieces, position = [], found[best].start()
    for match, is_match in zip(found[best:last + 1], marked[best:last + 1], strict=True):
        if is_match:
            pieces += [escape(text[position:match.start()]), f"<mark>{escape(match.group())}</mark>"]
            position = match.end()
    pieces.append(escape(text[position:found[last].end()]))
    return (("… " if best else "") + " ".join("".join(pieces).split())
            + (" …" if last < len(found) - 1 else ""))


SNIPPET_PIECES = ["renovering", "renoveringer", "Renoveringen", "grøn", "grønne", "omstilling", "og",
                  "boligorganisation", "boligorganisationerne", "Boligafdelingen", "bolig", "tag", "taget", "beboerne",
                  "beboer", "i", "en", "ø", "2019", "<b>", "&", ",", ".", " ", "\n"]


@settings(max_examples=300)
@given(pieces=st.lists(st.sampled_from(SNIPPET_PIECES), max_size=120),
       query=st.sampled_from(["renovering", "grøn omstilling", '"grøn omstilling"', "bolig*", "og", "beboer*",
                              "taget i", "Ø"]),
       words=st.integers(min_value=1, max_value=12))
def test_the_snippet_is_the_one_the_plain_way_cuts(pieces: list[str], query: str, words: int) -> None:
    text = " ".join(pieces)
    parsed = search.parse(query)
    assert search.snippet(text, parsed, words=words) == _reference_snippet(text, parsed, words)


@given(word=st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéü0123456789", min_size=1,
                    max_size=20))
def test_a_stem_is_the_beginning_of_its_word(word: str) -> None:
    # snippet() stems only the words that begin with one of the query's stems: right only if this holds.
    (stem,) = search.stems(word)
    assert word.lower().startswith(stem)
