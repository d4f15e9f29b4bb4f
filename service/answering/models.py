"""The answer returned to callers, and the checker's per-sentence verdicts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from knowledge.types import Citation, Hit

SentenceKind = Literal["claim", "abstain", "structure"]


@dataclass
class SentenceVerdict:
    """What the citation check decided about one sentence of a generated answer."""

    sentence: str  # the sentence without its markers
    markers: list[int]  # markers as written by the generator (1-based source positions)
    supported: bool
    kind: SentenceKind = "claim"
    support: float = 0.0  # share of the sentence's stemmed content terms found in the cited sources
    sources: list[int] = field(default_factory=list)  # source positions that support it (1-based)
    reason: str = ""  # Danish, why it was not supported

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "markers": self.markers,
            "supported": self.supported,
            "kind": self.kind,
            "support": round(self.support, 3),
            "sources": self.sources,
            "reason": self.reason,
        }


@dataclass
class Answer:
    """A Danish answer with numbered, checked citations, or a reasoned abstention."""

    question: str
    text: str  # Danish Markdown with [n] markers matching ``citations``
    citations: list[Citation] = field(default_factory=list)
    grounded: bool = False
    abstained: bool = False
    reason: str = ""  # Danish: why the assistant abstained, or empty
    hits: list[Hit] = field(default_factory=list)  # the retrieved hits given to the generator
    timings: dict[str, float] = field(default_factory=dict)  # seconds: retrieve, generate, check, total
    generator: str = "extractive"
    notes: list[str] = field(default_factory=list)  # Danish notes shown with the answer (fallbacks, caveats)
    resolved_question: str = ""  # the standalone question actually searched (follow-ups)
    verdicts: list[SentenceVerdict] = field(default_factory=list)
    # The calibrated decline decision's signals and probability (decision.py); empty when it did not run.
    decision: dict[str, float] = field(default_factory=dict)
    answer_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly representation (hits reduced to their explanation plus text)."""
        return {
            "answer_id": self.answer_id,
            "question": self.question,
            "resolved_question": self.resolved_question,
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "grounded": self.grounded,
            "abstained": self.abstained,
            "reason": self.reason,
            "generator": self.generator,
            "notes": list(self.notes),
            "timings": {k: round(v, 6) for k, v in self.timings.items()},
            "hits": [{**h.explain(), "title": h.chunk.title, "text": h.chunk.text} for h in self.hits],
            "verdicts": [v.to_dict() for v in self.verdicts],
        }
