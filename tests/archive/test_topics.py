"""Topics and keywords per year over a hand-written corpus of two subjects that never share a subject word:
energy renovation (2010–2012) and resident democracy (2018–2020). What the model must find is known from how the
corpus was written; the written forms counted in the comments were counted in the texts by hand."""

from __future__ import annotations

import random

import pytest

from evidens.archive.topics import TopicModel, keywords_per_year, topic_model

RENOVATION = [
    "Afdelingen har fået nye vinduer og bedre isolering af facaden. Energirenoveringen sænker varmeforbruget.",
    "Boligorganisationen planlægger energirenovering med isolering af taget og udskiftning af vinduerne.",
    "Efter energirenoveringen faldt varmeforbruget, fordi vinduer og facaden nu er isoleret.",
    "Isolering af loftet og nye vinduer er de billigste skridt i en energirenovering.",
    "Håndværkerne skifter vinduerne i blok fem, og facaden får ekstra isolering.",
    "Varmeforbruget i afdelingen er højt; en energirenovering med isolering og nye vinduer kan halvere det.",
    "Taget skal have mere isolering, og vinduer med termoruder sparer varme.",
    "Beboerne spurgte til energirenoveringen: hvornår kommer de nye vinduer, og hvor meget falder varmeforbruget?",
    "Ventilation og isolering hører sammen i en god energirenovering af ældre byggeri.",
    "Facaden isoleres udvendigt, og samtidig skiftes vinduer og døre.",
    "Energirenovering af etageboliger: isolering, vinduer og ventilation giver lavere varmeforbrug.",
    "Erfaringer med isolering af facaden viser, at vinduerne bør skiftes samtidig.",
    "Tilskud til energirenovering dækker isolering af taget og nye vinduer.",
    "Varmeforbruget måles før og efter energirenoveringen, så effekten af isolering kan dokumenteres.",
    "Kuldebroer ved vinduerne forsvinder, når facaden får ny isolering under energirenoveringen.",
]
DEMOCRACY = [
    "Afdelingsmødet valgte en ny afdelingsbestyrelse, og beboerdemokratiet fik flere unge kandidater.",
    "På afdelingsmødet stemte beboerne om budgettet, og valget til afdelingsbestyrelsen var spændende.",
    "Beboerdemokratiet styrkes, når flere kandidater stiller op til valget på afdelingsmødet.",
    "Dagsordenen for afdelingsmødet omfatter valg af formand og forslag fra beboerne.",
    "Kun få beboere kom til afdelingsmødet, så beboerdemokratiet har brug for nye kandidater.",
    "Valget til afdelingsbestyrelsen foregik skriftligt, og alle kandidater præsenterede sig på afdelingsmødet.",
    "Et levende beboerdemokrati kræver, at afdelingsbestyrelsen inviterer bredt til afdelingsmødet.",
    "Forslag til afdelingsmødet skal indsendes en uge før, og valg af kandidater sker ved skriftlig afstemning.",
    "Afdelingsbestyrelsen holdt valg blandt kandidaterne, og beboerdemokratiet fik nye kræfter.",
    "Beboerdemokratiet i praksis: afdelingsmødet, valget og arbejdet i afdelingsbestyrelsen.",
    "Et digitalt afdelingsmøde gjorde det lettere for kandidater at stille op til valget.",
    "Afdelingsbestyrelsen foreslog at flytte afdelingsmødet, så flere beboere kan deltage i valget.",
    "Kursus om beboerdemokrati: sådan leder man et afdelingsmøde og et valg.",
    "Nye kandidater til afdelingsbestyrelsen blev valgt på det ekstraordinære afdelingsmøde.",
    "Valget af dirigent åbnede afdelingsmødet, og beboerdemokratiet fungerede fint.",
]
# Five documents a year: ids 1–15 are renovation in 2010, 2011 and 2012, ids 16–30 democracy in 2018, 2019, 2020.
CORPUS = [(number, 2010 + (number - 1) // 5, text) for number, text in enumerate(RENOVATION, start=1)] + [
    (number, 2018 + (number - 16) // 5, text) for number, text in enumerate(DEMOCRACY, start=16)
]
RENOVATION_IDS = frozenset(range(1, 16))
DEMOCRACY_IDS = frozenset(range(16, 31))

# The form each subject word is written in most often (vinduer 9 times against vinduerne 4, isolering 12,
# energirenovering 6 against energirenoveringen 5, facaden 6, varmeforbruget 5 against varmeforbrug 1;
# afdelingsmødet 11 against afdelingsmøde 3, afdelingsbestyrelsen 7 against afdelingsbestyrelse 1,
# beboerdemokratiet 6 against beboerdemokrati 2, kandidater 7 against kandidaterne 1, valget 7 against valg 4,
# valgte 1 and valgt 1).
RENOVATION_WORDS = frozenset({"vinduer", "isolering", "energirenovering", "facaden", "varmeforbruget"})
DEMOCRACY_WORDS = frozenset({"afdelingsmødet", "afdelingsbestyrelsen", "beboerdemokratiet", "kandidater", "valget"})

EMPTY = TopicModel(topics=(), document_topics={}, per_year={})


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return topic_model(CORPUS, k=2)


def _topic_of(model: TopicModel, ids: frozenset[int]) -> int:
    return model.document_topics[min(ids)]


def test_each_document_gets_the_topic_of_its_subject(model: TopicModel) -> None:
    groups: dict[int, set[int]] = {}
    for document_id, topic in model.document_topics.items():
        groups.setdefault(topic, set()).add(document_id)
    assert {frozenset(group) for group in groups.values()} == {RENOVATION_IDS, DEMOCRACY_IDS}


def test_the_top_terms_are_the_subjects_words_as_written(model: TopicModel) -> None:
    renovation = model.topics[_topic_of(model, RENOVATION_IDS)]
    democracy = model.topics[_topic_of(model, DEMOCRACY_IDS)]
    assert len(renovation.terms) == len(democracy.terms) == 8
    assert len(RENOVATION_WORDS & set(renovation.terms)) >= 4
    assert len(DEMOCRACY_WORDS & set(democracy.terms)) >= 4
    assert not DEMOCRACY_WORDS & set(renovation.terms)
    assert not RENOVATION_WORDS & set(democracy.terms)


def test_inflected_forms_count_as_one_term_shown_as_written_most(model: TopicModel) -> None:
    every_term = [term for topic in model.topics for term in topic.terms]
    assert "vinduer" in every_term
    assert "vinduerne" not in every_term
    assert len(every_term) == len(set(every_term))


def test_topics_are_numbered_by_weight_and_the_weights_are_shares(model: TopicModel) -> None:
    assert [topic.number for topic in model.topics] == [0, 1]
    weights = [topic.weight for topic in model.topics]
    assert weights == sorted(weights, reverse=True)
    assert sum(weights) == pytest.approx(1)
    # Fifteen documents each, each document counting once: about half each.
    assert all(0.3 < weight < 0.7 for weight in weights)


def test_the_share_per_year_moves_from_renovation_to_democracy(model: TopicModel) -> None:
    renovation = _topic_of(model, RENOVATION_IDS)
    democracy = _topic_of(model, DEMOCRACY_IDS)
    assert list(model.per_year) == [2010, 2011, 2012, 2018, 2019, 2020]
    for shares in model.per_year.values():
        assert set(shares) == {0, 1}
        assert sum(shares.values()) == pytest.approx(1)
    for year in (2010, 2011, 2012):
        assert model.per_year[year][renovation] > 0.8
    for year in (2018, 2019, 2020):
        assert model.per_year[year][democracy] > 0.8


def test_a_document_without_a_year_has_a_topic_but_no_year() -> None:
    undated = (99, None, "Nye vinduer og isolering af facaden er første skridt i energirenoveringen.")
    model = topic_model([*CORPUS, undated], k=2)
    assert model.document_topics[99] == model.document_topics[1]
    assert list(model.per_year) == [2010, 2011, 2012, 2018, 2019, 2020]


def test_the_same_corpus_gives_the_same_model(model: TopicModel) -> None:
    assert topic_model(CORPUS, k=2) == model
    assert topic_model(list(CORPUS), k=2, seed=2030) == model


def test_keywords_per_year_set_the_years_apart() -> None:
    per_year = keywords_per_year(CORPUS)
    assert list(per_year) == [2010, 2011, 2012, 2018, 2019, 2020]
    assert RENOVATION_WORDS & set(per_year[2010])
    assert not DEMOCRACY_WORDS & set(per_year[2010])
    assert DEMOCRACY_WORDS & set(per_year[2020])
    assert not RENOVATION_WORDS & set(per_year[2020])
    assert all(len(words) <= 10 for words in per_year.values())
    assert all(len(words) <= 3 for words in keywords_per_year(CORPUS, top=3).values())


def test_a_word_of_every_year_is_no_keyword() -> None:
    # "møde" (stem mød) is in both years; each year keeps only its own word.
    assert keywords_per_year([(1, 2010, "Møde om vinduer."), (2, 2011, "Møde om valget."),
                              (3, 2011, "Et møde til.")]) == {2010: ["vinduer"], 2011: ["valget"]}


def test_keywords_per_year_leave_out_documents_without_a_year() -> None:
    # One year, so both words weigh the same and go in the order of their stems (afdelingsmød, valg).
    assert keywords_per_year([(1, None, "Vinduer og isolering."), (2, 2015, "Valget på afdelingsmødet.")]) == {
        2015: ["afdelingsmødet", "valget"],
    }


# --- small and empty corpora ---------------------------------------------------------------------------------------


def test_no_documents_give_an_empty_model() -> None:
    assert topic_model([]) == EMPTY
    assert keywords_per_year([]) == {}


def test_documents_of_stop_words_numbers_and_links_give_an_empty_model() -> None:
    documents = [(1, 2010, "Og det er i."), (2, 2011, "Men han var ikke der – 2011, 42 %"),
                 (3, None, "https://almennet.dk"), (4, 2012, "")]
    assert topic_model(documents) == EMPTY
    assert keywords_per_year(documents) == {2010: [], 2011: [], 2012: []}


def test_one_document_is_one_topic() -> None:
    model = topic_model([(7, 2015, "Nye vinduer, flere vinduer og isolering af taget.")])
    assert len(model.topics) == 1
    assert model.topics[0].number == 0
    # vinduer (twice) outweighs isolering and taget (once each), which tie and go alphabetically by stem.
    assert model.topics[0].terms == ("vinduer", "isolering", "taget")
    assert model.topics[0].weight == pytest.approx(1)
    assert model.document_topics == {7: 0}
    assert model.per_year == {2015: {0: pytest.approx(1)}}


def test_fewer_documents_than_topics_cap_the_number_of_topics() -> None:
    model = topic_model([(1, 2010, RENOVATION[0]), (2, 2019, DEMOCRACY[0]), (3, 2019, "Og det er i.")], k=8)
    assert 1 <= len(model.topics) <= 2
    assert [topic.number for topic in model.topics] == list(range(len(model.topics)))
    assert set(model.document_topics) == {1, 2}


def test_a_document_of_stop_words_in_a_corpus_is_left_out() -> None:
    model = topic_model([*CORPUS, (31, 2020, "Men han var ikke der.")], k=2)
    assert 31 not in model.document_topics
    assert set(model.document_topics) == RENOVATION_IDS | DEMOCRACY_IDS


def test_copies_of_one_document_still_have_a_topic() -> None:
    # Every word is in every document, so pruning terms in more than half the documents would leave none.
    model = topic_model([(number, 2016, RENOVATION[0]) for number in range(12)])
    assert model.topics
    assert set(model.document_topics) == set(range(12))
    assert "vinduer" in {term for topic in model.topics for term in topic.terms}


def test_an_archive_of_demo_size_gets_the_topics_asked_for() -> None:
    # 500 documents of 300 words from 2005–2020, each mostly about one of eight made-up subjects of 25 words.
    rng = random.Random(6)
    subjects = [[f"emne{subject}ord{word}" for word in range(25)] for subject in range(8)]
    common = [f"fælles{word}" for word in range(60)]
    documents = []
    for number in range(500):
        subject = subjects[number % 8]
        words = [rng.choice(subject) if rng.random() < 0.6 else rng.choice(common) for _ in range(300)]
        documents.append((number, 2005 + number % 16, " ".join(words)))
    model = topic_model(documents)
    assert len(model.topics) == 8
    assert set(model.document_topics) == set(range(500))
    assert len(set(model.document_topics.values())) == 8
    assert all(sum(shares.values()) == pytest.approx(1) for shares in model.per_year.values())
