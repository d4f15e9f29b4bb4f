"""Answer a Danish question from the knowledge base: resolve, retrieve, generate, check.

    question --(follow-up? rules or LLM condense)--> standalone query
             --searcher.search--> hits
             --scope and relevance gates--> abstain?
             --extractive or LLM generator--> draft with [n] markers
             --citation check--> cleaned text + verified citations, or abstain

``answer_question`` returns an ``Answer``; ``stream_answer`` yields events:
``{"type": "text", "text": ...}`` pieces (their concatenation is the answer text; with an
LLM each line is checked before it is sent), then ``{"type": "citations", ...}``, then
``{"type": "done", "answer": Answer}``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, Literal

from knowledge.config import Settings
from knowledge.errors import AlmenError
from knowledge.questions import validate_question
from knowledge.search_types import Searcher, SearchFilters, SearchResult
from knowledge.types import Citation, Hit
from service.answering.checker import NOT_FOUND, CheckResult, CitationChecker
from service.answering.constraints import unmet_constraints
from service.answering.decision import decline_probability, should_decline
from service.answering.demand import Quoted, core_question, read_demand, unmet_demand
from service.answering.errors import GeneratorError
from service.answering.evidence import SourceEvidence, build_evidence, make_citation, term_set
from service.answering.extractive import (
    MIN_COVERAGE_REASON,
    NO_BOUND_REASON,
    NO_FIGURE_REASON,
    UNCONFIRMED_REASON,
    ExtractiveDraft,
    compose_extractive_answer,
)
from service.answering.followup import (
    ResolvedQuestion,
    clean_condensed,
    format_history,
    looks_like_followup,
    resolve_with_rules,
    user_turns,
)
from service.answering.gate import MAX_NEAREST, Gate, check_before_generating
from service.answering.llm import (
    LLMUnavailableError,
    build_chat_model,
    condense_with_llm,
    generate_llm_text,
    stream_llm_text,
)
from service.answering.meaning import Similarity, question_similarity
from service.answering.models import Answer
from service.answering.question import is_task_request, question_organisation
from service.answering.scope import asks_what_the_rules_say
from service.answering.signals import is_unconfirmed
from service.answering.versions import version_notes

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

GeneratorName = Literal["extractive", "llm"]
ABSTAIN_TEXT = "Det kan jeg ikke finde et sikkert svar på i vidensbasen."
TASK_TEXT = (
    "Det kan jeg desværre ikke gøre for dig: almen kan ikke sende, skrive, ringe, booke eller lave dokumenter. "
    "Jeg kan i stedet svare på spørgsmål om reglerne for almene boliger og om de dokumenter, der ligger i "
    "vidensbasen – fx frister, aftaler, nøgletal og hvad en bestemt § siger."
)
TASK_REASON = "Spørgsmålet beder om en opgave, som almen ikke kan udføre."
NO_CLEAR_ANSWER = "Ingen af de fundne kilder svarer tydeligt på spørgsmålet."
# The composer's declines the calibrated decision weighs; its others (nothing to quote, a nr. no source gives, an
# unconfirmed statement) are a hard no.
SOFT_COMPOSER_REASONS = frozenset({MIN_COVERAGE_REASON, NO_FIGURE_REASON, NO_BOUND_REASON})


def answer_question(
    question: str,
    *,
    searcher: Searcher,
    settings: Settings,
    history: list[dict[str, Any]] | None = None,
    filters: SearchFilters | None = None,
    generator: GeneratorName = "extractive",
    chat_model: BaseChatModel | None = None,
) -> Answer:
    """Answer ``question`` with checked citations, or abstain with the reason and nearest sources."""
    run = _Run(question, searcher=searcher, settings=settings, history=history, filters=filters,
               generator=generator, chat_model=chat_model, stream=False)
    answer: Answer | None = None
    for event in run.events():
        if event["type"] == "done":
            answer = event["answer"]
    assert answer is not None
    return answer


def stream_answer(
    question: str,
    *,
    searcher: Searcher,
    settings: Settings,
    history: list[dict[str, Any]] | None = None,
    filters: SearchFilters | None = None,
    generator: GeneratorName = "extractive",
    chat_model: BaseChatModel | None = None,
) -> Iterator[dict[str, Any]]:
    """Events for ``question``: text pieces, then the citations, then the finished Answer."""
    # Validate before the first event so a bad question fails at the call, not mid-stream.
    validate_question(question, settings.max_question_chars)
    run = _Run(question, searcher=searcher, settings=settings, history=history, filters=filters,
               generator=generator, chat_model=chat_model, stream=True)
    return run.events()


def check_generator(generator: str) -> None:
    """GeneratorError unless ``generator`` is 'extractive' or 'llm'."""
    if generator not in ("extractive", "llm"):
        raise GeneratorError(f"Ukendt svargenerator '{generator}'. Vælg 'extractive' eller 'llm'.")


def answer_events(answer: Answer) -> Iterator[dict[str, Any]]:
    """The stream events of a finished answer: its text in line pieces, its citations, then the answer."""
    for piece in _pieces(answer.text):
        yield {"type": "text", "text": piece}
    yield {"type": "citations", "citations": [c.to_dict() for c in answer.citations]}
    yield {"type": "done", "answer": answer}


class _Run:
    """One answering run; ``events`` drives it."""

    def __init__(
        self, question: str, *, searcher: Searcher, settings: Settings, history: list[dict[str, Any]] | None,
        filters: SearchFilters | None, generator: str, chat_model: BaseChatModel | None, stream: bool,
    ) -> None:
        check_generator(generator)
        self.question = validate_question(question, settings.max_question_chars)
        self.searcher = searcher
        self.settings = settings
        self.history = history
        self.filters = filters
        self.generator = generator
        self.chat_model = chat_model
        self.stream = stream
        self.timings: dict[str, float] = {}
        self.notes: list[str] = []
        self.started = time.perf_counter()
        self.sources: list[SourceEvidence] = []
        self.table_years = ""  # the years of the tables whose rows the extractive answer quotes
        self.decision: dict[str, float] = {}  # the calibrated decision's signals and probability

    # -- driver ---------------------------------------------------------------------------------
    def events(self) -> Iterator[dict[str, Any]]:
        if is_task_request(self.question):
            yield from self._decline_task()
            return
        model = self._model()
        resolved = self._resolve(model)
        t0 = time.perf_counter()
        result = self.searcher.search(
            resolved.query, filters=self.filters, k=self.settings.retrieval_k, default_act=resolved.default_act
        )
        self.timings["retrieve"] = time.perf_counter() - t0
        for stage, seconds in result.timings.items():
            self.timings[f"retrieve.{stage}"] = seconds
        hits = list(result.hits)
        self.sources = build_evidence(hits)  # shared by the scope gate, the generator and the checker
        gate = self._gate(resolved, result)
        if gate.hard or (model is not None and gate.reasons):
            # The LLM path keeps the rule gate: the calibrated decision reads the extractive composer's signals.
            yield from self._abstain(resolved, hits, gate.hard or gate.reasons[0])
            return
        if model is not None:
            outcome = yield from self._llm(resolved, hits, model)
            if outcome is not None:
                return
        yield from self._extractive(resolved, hits, result, gate)

    def _model(self) -> BaseChatModel | None:
        if self.generator != "llm":
            return None
        if self.chat_model is not None:
            return self.chat_model
        try:
            return build_chat_model(self.settings)
        except LLMUnavailableError as exc:
            self.notes.append(exc.message)
            return None

    def _resolve(self, model: BaseChatModel | None) -> ResolvedQuestion:
        resolved = resolve_with_rules(self.question, self.history)
        if model is None or not user_turns(self.history) or not looks_like_followup(self.question):
            return resolved
        t0 = time.perf_counter()
        try:
            condensed = clean_condensed(condense_with_llm(self.question, format_history(self.history), model))
        except LLMUnavailableError as exc:
            self.notes.append(exc.message)
            condensed = None
        self.timings["condense"] = time.perf_counter() - t0
        if condensed is None:
            return resolved
        return ResolvedQuestion(self.question, condensed, default_act=resolved.default_act, refs=resolved.refs, method="llm")

    def _gate(self, resolved: ResolvedQuestion, result: SearchResult) -> Gate:
        """The checks before generating (service.answering.gate)."""
        return check_before_generating(resolved.query, result, self.sources, searcher=self.searcher,
                                       filters=self.filters, min_relevance=self.settings.min_relevance)

    # -- generators ----------------------------------------------------------------------------------
    def _checker(self, hits: list[Hit]) -> CitationChecker:
        return CitationChecker(hits, threshold=self.settings.answer_support_threshold, mode=self.settings.answer_unsupported,
                               sources=self.sources)

    def _extractive(self, resolved: ResolvedQuestion, hits: list[Hit], result: SearchResult, gate: Gate
                    ) -> Iterator[dict[str, Any]]:
        t0 = time.perf_counter()
        core = core_question(resolved.query)
        similarity = self._similarity(result)
        draft = compose_extractive_answer(core, hits, result.query_refs, sources=self.sources, similarity=similarity)
        signals = gate.signals
        reasons = list(gate.reasons)
        if draft.best is not None:
            signals.coverage = max(0.0, min(1.0, draft.best.coverage))
        if draft.abstain_reason in SOFT_COMPOSER_REASONS:
            # Too little coverage, or no figure or limit where one is asked for: one signal among the others. The
            # draft that quotes the best sentence anyway is ready in case the decision answers.
            signals.composer_declined = 1.0
            reasons.append(draft.abstain_reason)
            draft = compose_extractive_answer(core, hits, result.query_refs, sources=self.sources, decline=False,
                                              similarity=similarity)
        self.timings["generate"] = time.perf_counter() - t0
        if draft.abstain_reason or not draft.selected:
            # Nothing to quote, a nr. no source gives, a sentence saying itself it is unconfirmed: a hard no.
            reason = draft.abstain_reason or (reasons[0] if reasons else NO_CLEAR_ANSWER)
            yield from self._abstain(resolved, hits, reason, draft=draft, generator="extractive")
            return
        # The sentences closest to the question must also answer what it asks: the thing, the figure, the
        # period, the comparison (demand.py). Otherwise they are near misses, not an answer.
        quoted = [_quoted(c.text, hits[c.source - 1]) for c in draft.selected]
        unmet = unmet_demand(resolved.query, quoted, organisation=self._bound_organisation(resolved, hits))
        if unmet:
            signals.demand_unmet = 1.0
            reasons.append(unmet)
        self.table_years = " ".join(f"{a}-{b}" for q in quoted for a, b in q.table_years)
        t0 = time.perf_counter()
        check = self._checker(hits).check(draft.text)
        self.timings["check"] = time.perf_counter() - t0
        if check.abstain:
            yield from self._abstain(resolved, hits, "Ingen sætning i svaret kunne underbygges af kilderne.",
                                     check=check, generator="extractive")
            return
        period = self._unmet_period(resolved, check, self.table_years)
        if period:
            # The question names a period the quoted sentences are not about (a year, a date): quoting them answers
            # another question. In the ten spent sets this fired on 18 questions, 17 to decline: a hard no.
            yield from self._abstain(resolved, hits, period, check=check, generator="extractive")
            return
        self.decision = {**signals.as_dict(), "p_decline": decline_probability(signals)}
        if should_decline(signals):
            yield from self._abstain(resolved, hits, reasons[0] if reasons else NO_CLEAR_ANSWER, check=check,
                                     generator="extractive")
            return
        if draft.caveat is not None:
            self.notes.append("Bemærk: en af kilderne angiver, at en oplysning ikke er bekræftet.")
        for piece in _pieces(check.text):
            yield {"type": "text", "text": piece}
        yield from self._finish(resolved, hits, check.text, check.citations, check, generator="extractive")

    def _similarity(self, result: SearchResult) -> Similarity | None:
        """The question's similarity to sentences by meaning: its search vector against the sentence vectors the
        knowledge base stored at ingest (a searcher without them: no such signal)."""
        vectors_of = getattr(self.searcher, "sentence_vectors", None)
        if vectors_of is None or not result.query_vector:
            return None

        def guarded(sentences: list[str]) -> list[list[float] | None]:
            try:
                return list(vectors_of(sentences))
            except (AlmenError, sqlite3.Error, OSError):
                return [None for _ in sentences]  # a failing cache costs the signal, not the answer

        return question_similarity(result.query_vector, guarded)

    def _llm(self, resolved: ResolvedQuestion, hits: list[Hit], model: BaseChatModel
             ) -> Generator[dict[str, Any], None, bool | None]:
        """Run the LLM; returns True when it produced the answer, None to fall back to extractive."""
        checker = self._checker(hits)
        session = checker.start()
        t_gen = t_check = 0.0
        emitted = False
        try:
            if self.stream:
                buffer = ""
                t0 = time.perf_counter()
                for piece in stream_llm_text(resolved.query, hits, model):
                    buffer += piece
                    while "\n" in buffer:
                        line, buffer = buffer.split("\n", 1)
                        t1 = time.perf_counter()
                        out = session.feed_line(line)
                        t_check += time.perf_counter() - t1
                        if out:
                            emitted = True
                            yield {"type": "text", "text": out}
                t_gen = time.perf_counter() - t0 - t_check
                t1 = time.perf_counter()
                out = session.feed_line(buffer) if buffer.strip() else ""
                t_check += time.perf_counter() - t1
                if out:
                    yield {"type": "text", "text": out}
            else:
                t0 = time.perf_counter()
                text = generate_llm_text(resolved.query, hits, model)
                t_gen = time.perf_counter() - t0
                t1 = time.perf_counter()
                session.feed_text(text)
                t_check = time.perf_counter() - t1
        except LLMUnavailableError as exc:
            if not emitted:
                self.notes.append(exc.message)
                return None
            self.notes.append("Sprogmodellen afbrød svaret undervejs; svaret kan være ufuldstændigt.")
        self.timings["generate"] = t_gen
        self.timings["check"] = t_check
        check = session.finish()
        if check.abstain:
            said_not_found = any(v.kind == "abstain" for v in check.verdicts)
            reason = (
                "Sprogmodellen fandt ikke svaret i kilderne."
                if said_not_found and not any(v.kind == "claim" for v in check.verdicts)
                else "Ingen sætning i sprogmodellens svar kunne underbygges af kilderne."
            )
            yield from self._abstain(resolved, hits, reason, check=check, generator="llm")
            return True
        # The checks on the whole answer can only turn a non-streamed answer into an abstention;
        # a streamed answer has been shown line by line already (each line checked).
        if not self.stream:
            claims = [v for v in check.verdicts if v.kind == "claim" and v.supported]
            if claims and all(is_unconfirmed(v.sentence) for v in claims):
                n = claims[0].sources[0]
                caveat = (n, self.sources[n - 1].best_quote(term_set(claims[0].sentence)))
                yield from self._abstain(resolved, hits, UNCONFIRMED_REASON, check=check, generator="llm",
                                         caveat=caveat)
                return True
            period = self._unmet_period(resolved, check)
            if period:
                yield from self._abstain(resolved, hits, period, check=check, generator="llm")
                return True
        if not self.stream:
            for piece in _pieces(check.text):
                yield {"type": "text", "text": piece}
        yield from self._finish(resolved, hits, check.text, check.citations, check, generator="llm")
        return True

    def _bound_organisation(self, resolved: ResolvedQuestion, hits: list[Hit]) -> str:
        """The organisation (among those of the retrieved documents) whose own facts the question asks for; ''
        when it names none, or asks what the rules allow or require of it (the rules answer that) without
        asking for a figure."""
        orgs = sorted({str(h.chunk.metadata.get("org") or "") for h in hits} - {""})
        organisation = question_organisation(resolved.query, orgs)
        if not organisation:
            return ""
        demand = read_demand(resolved.query)
        if asks_what_the_rules_say(resolved.query) and not (demand.figure or demand.money):
            return ""
        return organisation

    def _unmet_period(self, resolved: ResolvedQuestion, check: CheckResult, table_years: str = "") -> str:
        """Danish reason when the answer is about another period than the question asks about (the years of the
        tables whose rows it quotes count: a row of figures stands under a header naming the years)."""
        unmet = unmet_constraints(resolved.query, f"{check.text} {table_years}")
        if not unmet:
            return ""
        return f"Kilderne siger ikke noget om {unmet[0].describe()}, som spørgsmålet handler om."

    # -- results -------------------------------------------------------------------------------------
    def _finish(
        self, resolved: ResolvedQuestion, hits: list[Hit], text: str, citations: list[Citation],
        check: CheckResult | None, *, generator: str, abstained: bool = False, reason: str = "",
    ) -> Iterator[dict[str, Any]]:
        notes = list(self.notes) + (list(check.notes) if check is not None else [])
        if not abstained:
            notes += version_notes(citations, hits)
        self.timings["total"] = time.perf_counter() - self.started
        answer = Answer(
            question=self.question,
            text=text,
            citations=citations,
            grounded=not abstained,
            abstained=abstained,
            reason=reason,
            hits=hits,
            timings=dict(self.timings),
            generator=generator,
            notes=list(dict.fromkeys(notes)),
            resolved_question=resolved.query,
            verdicts=list(check.verdicts) if check is not None else [],
            decision=dict(self.decision),
        )
        yield {"type": "citations", "citations": [c.to_dict() for c in citations]}
        yield {"type": "done", "answer": answer}

    def _decline_task(self) -> Iterator[dict[str, Any]]:
        """The short, friendly no to a request almen cannot carry out; nothing is searched or cited."""
        resolved = ResolvedQuestion(self.question, self.question)
        yield {"type": "text", "text": TASK_TEXT}
        yield from self._finish(resolved, [], TASK_TEXT, [], None, generator=self.generator, abstained=True,
                                reason=TASK_REASON)

    def _source(self, n: int, hits: list[Hit]) -> SourceEvidence:
        if len(self.sources) == len(hits):
            return self.sources[n - 1]
        return SourceEvidence(n, hits[n - 1])

    def _abstain(
        self, resolved: ResolvedQuestion, hits: list[Hit], reason: str, *,
        draft: ExtractiveDraft | None = None, check: CheckResult | None = None, generator: str | None = None,
        caveat: tuple[int, str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The abstention: the fixed sentence, the reason, a quoted caveat if any; the nearest sources as citations."""
        citations: list[Citation] = []
        lines = [ABSTAIN_TEXT, "", reason]
        used: set[int] = set()
        if caveat is None and draft is not None and draft.caveat is not None:
            caveat = (draft.caveat.source, draft.caveat.text)
        if caveat is not None:
            n, quote = caveat
            citations.append(make_citation(1, self._source(n, hits), quote, verified=True))
            used.add(n)
            lines += ["", f"> {quote} [1]"]
        nearest = [n for n in range(1, len(hits) + 1) if n not in used][: max(0, MAX_NEAREST - len(used))]
        for n in nearest:
            src = self._source(n, hits)
            citations.append(make_citation(len(citations) + 1, src, src.best_quote(set()), verified=False))
        # The nearest sources are the citations; every client lists them (widget chips, the CLI, the OpenAI
        # source list), so the text does not: a list here was shown twice everywhere.
        text = "\n".join(lines)
        yield {"type": "text", "text": text}
        yield from self._finish(
            resolved, hits, text, citations, check, generator=generator or self.generator, abstained=True, reason=reason
        )


def _pieces(text: str) -> Iterator[str]:
    """Split a finished text into line pieces for streaming (concatenation gives the text back)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        yield line + ("\n" if i < len(lines) - 1 else "")


def _quoted(text: str, hit: Hit) -> Quoted:
    """A sentence the answer quotes, with its chunk's heading and its document's year."""
    year = str(hit.chunk.metadata.get("year") or "")
    return Quoted(text, heading=hit.chunk.heading, years=(int(year),) if year.isdigit() else (), chunk_text=hit.chunk.text,
                  org=str(hit.chunk.metadata.get("org") or ""))


__all__ = ["ABSTAIN_TEXT", "TASK_TEXT", "NOT_FOUND", "answer_events", "answer_question", "check_generator", "stream_answer"]

