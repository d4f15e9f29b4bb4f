"""Sentence relevance by meaning as a lead signal (issue 14, round 5): the question's vector against sentence
vectors stored at ingest, so answering embeds nothing but the question.

The passages and questions are our own, written for these tests (not statute text, not from the eval sets). The
model boundary is faked twice: a similarity that maps each sentence to a chosen value (deterministic vectors), and
the project's hashed-term fake embedding backend for the ingest-to-answer path."""

from __future__ import annotations

from pathlib import Path

from knowledge.config import Settings
from knowledge.embeddings import FakeEmbeddings
from knowledge.kb import KnowledgeBase
from knowledge.sentences import quotable_sentences
from knowledge.types import Chunk, Hit
from service.answering.checker import strip_markers
from service.answering.extractive import NO_FIGURE_REASON, compose_extractive_answer
from service.answering.meaning import Similarity, dot, question_similarity
from tests.service.answering_fakes import guide_chunk, law_chunk


def hits(*chunks: Chunk) -> list[Hit]:
    return [Hit(chunk=c, score=1.0 - i * 0.05, relevance=0.8 - i * 0.05) for i, c in enumerate(chunks)]


def first_sentence(text: str) -> str:
    return strip_markers(text.split("[", 1)[0]).strip()


def vectors(table: dict[str, list[float]]) -> Similarity:
    """Deterministic fake vectors: the question is (1, 0); each sentence gets the vector its opening names."""
    query = [1.0, 0.0]

    def vectors_of(sentences: list[str]) -> list[list[float]]:
        return [next((v for head, v in table.items() if s.startswith(head)), [0.0, 1.0]) for s in sentences]

    similarity = question_similarity(query, vectors_of)
    assert similarity is not None
    return similarity


# Two sentences that share the question's words about equally: one says what happens, one only where it is said.
_NOTICE = guide_chunk(
    "note#varsel", "Varsling af lejere", "Lejeforhøjelse > Varsel",
    "Lejerne i afdelingen skal varsles skriftligt om en lejeforhøjelse mindst tre måneder før den træder i kraft. "
    "Lejerne varsles om lejeforhøjelsen i afdelingen ved opslag i opgangene, når afdelingsmødet har vedtaget budgettet.",
)
_QUESTION = "hvor tidligt skal lejerne varsles om en lejeforhøjelse i afdelingen"


def test_without_meaning_the_words_pick_the_lead() -> None:
    draft = compose_extractive_answer(_QUESTION, hits(_NOTICE))
    assert first_sentence(draft.text).startswith("Lejerne i afdelingen skal varsles"), draft.text


def test_the_sentence_closest_in_meaning_leads_among_the_near_ties() -> None:
    similarity = vectors({"Lejerne i": [0.70, 0.71], "Lejerne varsles": [0.95, 0.31]})
    draft = compose_extractive_answer(_QUESTION, hits(_NOTICE), similarity=similarity)
    assert first_sentence(draft.text).startswith("Lejerne varsles om lejeforhøjelsen"), draft.text
    similarity = vectors({"Lejerne i": [0.95, 0.31], "Lejerne varsles": [0.70, 0.71]})
    draft = compose_extractive_answer(_QUESTION, hits(_NOTICE), similarity=similarity)
    assert first_sentence(draft.text).startswith("Lejerne i afdelingen skal varsles"), draft.text


def test_meaning_does_not_lift_a_sentence_far_behind_on_the_words() -> None:
    note = guide_chunk(
        "note#vask", "Fællesvaskeri", "Drift > Vaskeri",
        "Fællesvaskeriets maskiner må bruges af alle beboere i afdelingen mellem klokken syv og toogtyve. "
        "Vi anbefaler at man rydder op efter sig.",
    )
    similarity = vectors({"Fællesvaskeriets": [0.2, 0.98], "Vi anbefaler": [1.0, 0.0]})
    draft = compose_extractive_answer("hvornår må beboerne bruge fællesvaskeriets maskiner", hits(note),
                                      similarity=similarity)
    assert first_sentence(draft.text).startswith("Fællesvaskeriets maskiner"), draft.text


def test_a_question_naming_a_stk_keeps_the_sentence_of_that_stk_whatever_reads_closer() -> None:
    stk1 = law_chunk("77", 1, "Boligorganisationen kan opkræve et gebyr for venteliste hos de ansøgere, der står på den.")
    stk3 = law_chunk("77", 3, "Gebyret for venteliste fastsættes af boligorganisationens bestyrelse for et år ad gangen.")
    similarity = vectors({"Boligorganisationen kan": [1.0, 0.0], "Gebyret": [0.3, 0.95]})
    draft = compose_extractive_answer("hvem fastsætter gebyret for ventelisten efter § 77, stk. 3?", hits(stk1, stk3),
                                      similarity=similarity)
    assert first_sentence(draft.text).startswith("Gebyret for venteliste fastsættes"), draft.text


def test_meaning_never_turns_a_decline_into_an_answer() -> None:
    note = guide_chunk(
        "note#antal", "Udlejning", "Udlejning > Ventetid",
        "Ventetiden på en familiebolig varierer meget mellem afdelingerne i kommunen. "
        "Ventetiden afhænger af boligens størrelse og beliggenhed.",
    )
    similarity = vectors({"Ventetiden afhænger": [1.0, 0.0]})
    draft = compose_extractive_answer("hvor mange år er ventetiden på en familiebolig", hits(note), similarity=similarity)
    assert draft.abstain_reason == NO_FIGURE_REASON


def test_the_quotable_sentences_leave_out_headings_tables_and_questions() -> None:
    text = ("## Frister for klager\nEn klage skal indgives inden fire uger. Hvem kan klage?\n"
            "| Frist | Uger |\n|---|---|\n| Klage | 4 |\nOK.")
    assert quotable_sentences(text) == ["En klage skal indgives inden fire uger."]


def test_a_vector_of_another_model_counts_as_no_similarity() -> None:
    similarity = question_similarity([1.0, 0.0, 0.0], lambda texts: [[1.0, 0.0] for _ in texts])
    assert similarity is not None and similarity(["En sætning her."]) == [None]
    assert question_similarity([], lambda texts: []) is None
    assert dot([0.5, 0.5], [1.0, 1.0]) == 1.0


class CountingEmbeddings(FakeEmbeddings):
    """The fake backend, counting what it embeds as passages (chunks and sentences)."""

    def __init__(self) -> None:
        self.passages: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.passages.extend(texts)
        return super().embed_documents(texts)


def test_ingest_stores_the_sentence_vectors_so_answering_embeds_only_the_question(tmp_path: Path) -> None:
    from ingest.pipeline import ingest_file
    from service.answering.answer import answer_question

    doc = tmp_path / "vedligehold.md"
    doc.write_text(
        "# Vedligeholdelse i afdelingen\n\n"
        "Afdelingen skal hvert år lægge en plan for vedligeholdelse af bygningerne for de næste tyve år. "
        "Planen godkendes af afdelingsmødet og sendes til boligorganisationens bestyrelse.\n\n"
        "Beboerne kan selv udføre mindre forbedringer i deres bolig efter reglerne om råderet.\n",
        encoding="utf-8",
    )
    settings = Settings(home=tmp_path / "home", embedding_backend="fake")
    embeddings = CountingEmbeddings()
    kb = KnowledgeBase(settings, embeddings=embeddings)
    result = ingest_file(kb, doc)
    assert result.status == "added", result.message
    stored = quotable_sentences(doc.read_text(encoding="utf-8"))
    assert set(stored) <= set(embeddings.passages)  # the sentences were embedded at ingest
    embeddings.passages.clear()
    answer = answer_question("Hvem godkender afdelingens plan for vedligeholdelse af bygningerne?", searcher=kb,
                             settings=settings)
    assert not answer.abstained, answer.text
    assert embeddings.passages == []  # answering read the stored vectors: no sentence was embedded
    assert kb.sentence_vectors([stored[0]]) == [embeddings.embed_documents([stored[0]])[0]]


def test_a_sentence_without_a_stored_vector_is_not_embedded_while_answering(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", embedding_backend="fake")
    embeddings = CountingEmbeddings()
    kb = KnowledgeBase(settings, embeddings=embeddings)
    sentences = ["Råderetten omfatter forbedringer inde i boligen.", "Kommunen fører tilsyn med råderetten."]
    assert kb.sentence_vectors(sentences) == [None, None]  # a store from before sentence vectors
    assert embeddings.passages == []


def test_a_pool_with_a_sentence_without_a_vector_is_left_to_the_words() -> None:
    known = {"Lejerne varsles": [1.0, 0.0]}

    def vectors_of(sentences: list[str]) -> list[list[float] | None]:
        return [next((v for head, v in known.items() if s.startswith(head)), None) for s in sentences]

    similarity = question_similarity([1.0, 0.0], vectors_of)
    draft = compose_extractive_answer(_QUESTION, hits(_NOTICE), similarity=similarity)
    assert first_sentence(draft.text).startswith("Lejerne i afdelingen skal varsles"), draft.text


def test_meaning_does_not_trade_the_asked_stk_for_a_sentence_naming_it_among_others() -> None:
    guide = guide_chunk(
        "vejl#tilskud", "Tilskud til beboerrådgivning", "Tilskud > Beboerrådgivning",
        "Efter § 91, stk. 4, kan fonden give tilskud til beboerrådgivning i højst fire år ad gangen. "
        "Efter § 91, stk. 2, og § 91, stk. 4, kan fonden give tilskud til beboerrådgivning og til lokale projekter.",
    )
    question = "hvad kan fonden give tilskud til efter § 91 stk 4"
    draft = compose_extractive_answer(question, hits(guide))
    assert first_sentence(draft.text).startswith("Efter § 91, stk. 4, kan"), draft.text  # the words' choice
    similarity = vectors({"Efter § 91, stk. 2": [1.0, 0.0], "Efter § 91, stk. 4": [0.2, 0.98]})
    draft = compose_extractive_answer(question, hits(guide), similarity=similarity)
    assert first_sentence(draft.text).startswith("Efter § 91, stk. 4, kan"), draft.text
