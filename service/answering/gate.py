"""The checks before an answer is generated: a hard reason to decline (a neighbouring field, nothing retrieved, a
name no document mentions, a named provision no source carries, a configured floor) or the soft reasons and the
signals the calibrated decision (service.answering.decision) weighs with the composer's."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.legal import LegalRef
from knowledge.retriever import RetrievalOptions
from knowledge.search_types import Searcher, SearchFilters, SearchResult
from knowledge.types import Hit
from service.answering.decision import GateSignals
from service.answering.demand import core_question, read_demand
from service.answering.evidence import SourceEvidence
from service.answering.question import analyse_question
from service.answering.scope import (
    asking_sentences,
    asks_what_the_rules_say,
    assess_scope,
    core_relevance,
    full_name,
    holds_asked_thing,
    mentions_name,
    relevant_after_all,
    topic_sentences,
    unknown_names,
)

MAX_NEAREST = 3  # hits fetched when a name the retrieved sources lack is looked up on its own


@dataclass
class Gate:
    """What the checks before generating found: a hard reason to decline, or soft reasons and their signals."""

    hard: str = ""
    reasons: list[str] = field(default_factory=list)
    signals: GateSignals = field(default_factory=GateSignals)


def missing_provision(query_refs: list[LegalRef], sources: list[SourceEvidence]) -> LegalRef | None:
    """The first § (or stk. of one) the question names that no retrieved source carries (its own id, its legal
    references or a 'Stk. N.' of the paragraph's text), else None."""
    for ref in query_refs:
        if not ref.paragraph:
            continue
        same = [(src, r) for src in sources for r in src.refs if r.paragraph == ref.paragraph]
        if not same:
            return ref
        if ref.stk is not None and not any(r.stk == ref.stk or (r.stk is None and ref.stk in src.sentence_stks)
                                           for src, r in same):
            return ref
    return None


def check_before_generating(query: str, result: SearchResult, sources: list[SourceEvidence], *, searcher: Searcher,
                        filters: SearchFilters | None, min_relevance: float) -> Gate:
    """The checks before generating: a hard reason to decline, or the soft reasons and the signals they give
    (the calibrated decision weighs them with the composer's, ``_extractive``)."""
    gate = Gate()
    signals = gate.signals
    source_terms = [s.terms for s in sources]
    hit_terms: set[str] = set().union(*source_terms) if source_terms else set()
    core = core_question(query)
    # A question set up by statements is also read on its own: the two readings' best counts.
    # Each sentence of a longer question is read on its own as well: the one that names the topic ('... bedt
    # os om at indføre kombineret udlejning i en afdeling.') should not be outvoted by the context around it.
    readings = list(dict.fromkeys([core, asking_sentences(core), *topic_sentences(core)]))
    scopes = [assess_scope(r, result, hit_terms=hit_terms) for r in readings]
    scope = scopes[0]
    if scope.foreign:
        gate.hard = scope.reason  # a neighbouring field: the short no, whatever the sources hold
        return gate
    signals.vocabulary = max(s.vocabulary_coverage for s in scopes)
    if not any(s.in_scope for s in scopes):
        signals.off_topic = 1.0
        gate.reasons.append(scope.reason)
    if not result.hits:
        gate.hard = (gate.reasons or [result.reason or "Der blev ikke fundet kilder i vidensbasen, der ligner "
                                      "spørgsmålet nok."])[0]
        return gate
    names = _unknown_to_the_base(query, searcher, filters, unknown_names(query, [_hit_text(h) for h in result.hits]))
    # The rules answer a question about what a named party may or must do, not one asking for its figures
    # ('hvad skal lejen i X's nye boliger være fra 2029').
    demand = read_demand(query)
    if names and not (asks_what_the_rules_say(query) and not (demand.figure or demand.money)):
        # Looked up in the whole base, not only among the hits: no document mentions it (in the ten spent sets
        # this fired on 9 questions, all to decline), so it is a hard no, not a signal to weigh.
        reason = f"Kilderne i vidensbasen nævner ikke {names[0]}, som spørgsmålet handler om."
        gate.hard = gate.reasons[0] if gate.reasons else reason
        return gate
    best = max(h.relevance for h in result.hits)
    signals.relevance = max(0.0, min(1.0, best))
    signals.key_terms = max(core_relevance(r, source_terms) for r in readings)
    if not result.relevant and best >= RetrievalOptions().min_relevance:
        # The hits passed the built-in floor and failed a stricter one (the searcher's own or a configured
        # one): a rule somebody set, not a signal to weigh.
        gate.hard = result.reason or "Der blev ikke fundet kilder i vidensbasen, der ligner spørgsmålet nok."
        return gate
    if not result.relevant and not any(relevant_after_all(r, source_terms, best, min_relevance)
                                       for r in readings):
        signals.weak = 1.0
        gate.reasons.append(result.reason or "Der blev ikke fundet kilder i vidensbasen, der ligner spørgsmålet nok.")
    named = [r for r in result.query_refs if r.paragraph]
    missing = missing_provision(named, sources)
    if missing is not None:
        # Asked what a provision says, and no source carries it: quoting another § or stk. would mislead.
        gate.hard = f"Kilderne gengiver ikke {missing.label}, som spørgsmålet spørger om."
        return gate
    signals.ref_found = float(bool(named))
    signals.thing_held = float(any(holds_asked_thing(r, source_terms) for r in readings))
    kind = analyse_question(core).kind
    signals.kind_number = float(kind == "number")
    signals.kind_list = float(kind == "list")
    if min_relevance and best < min_relevance:
        # A floor the operator configured is no signal to weigh: it is a rule.
        gate.hard = (
            f"Den bedste kilde er for svagt relateret til spørgsmålet (relevans {best:.2f}, "
            f"grænse {min_relevance:.2f})."
        )
    return gate


def _unknown_to_the_base(question: str, searcher: Searcher, filters: SearchFilters | None, names: list[str]) -> list[str]:
    """The names no document in the knowledge base mentions: a name the retrieved sources lack is looked up
    on its own, as the whole name it stands in ('hvem fører tilsyn med <organisation>' retrieves the rules,
    not the organisation's report; another person with the same first name is not the one asked about)."""
    out = []
    for name in names:
        whole = full_name(question, name)
        found = searcher.search(whole, filters=filters, k=MAX_NEAREST)
        if not mentions_name(whole, [_hit_text(h) for h in found.hits]):
            out.append(name)
    return out


def _hit_text(hit: Hit) -> str:
    """What a source says about itself and in its text: the names it mentions are found here."""
    meta = hit.chunk.metadata
    return " ".join(str(x) for x in (hit.chunk.title, hit.chunk.heading, meta.get("org") or "",
                                     meta.get("municipality") or "", meta.get("source_name") or "", hit.chunk.text))
