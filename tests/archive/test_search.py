"""Danish full-text search over the archive, on the database the suite runs on (SQLite's FTS5 with our stems, or
PostgreSQL's danish configuration). Documents are written here, so every expected hit is known by reading them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile

from evidens.archive import search
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


def _titles(process: StrategyProcess, query: str, **filters: object) -> set[str]:
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
