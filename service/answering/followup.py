"""Follow-up questions resolved against the conversation.

Without an LLM (rules): a question that only names a stk./nr. ("og hvad med stk. 2?")
gets the previous question's § ("§ 59, stk. 2"); a short or anaphoric question ("hvem
skal gøre det?") gets the previous question's legal references and key terms appended;
the previous act is passed on as ``default_act`` so a bare "§ 60" means the same law.
Earlier follow-ups are resolved first, so chains of follow-ups work.

With an LLM: the condense-question prompt rewrites the follow-up into a standalone
question; if the model fails or answers oddly, the rules are used instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from knowledge.legal import LegalRef, acts_mentioned, find_legal_refs
from knowledge.text import STOPWORDS, tokenize
from service.answering.evidence import term_set

MAX_KEY_TERMS = 6
MAX_HISTORY_TURNS = 6
_FOLLOWUP_START_RE = re.compile(
    r"^\s*(?:og|men|så|også|hvad\s+med|hvad\s+så(?:\s+med)?|gælder\s+det|og\s+hvad|hvem\s+skal\s+gøre\s+det|hvorfor\s+det)\b",
    re.IGNORECASE,
)
_ANAPHOR_RE = re.compile(r"\b(?:det|den|de|dem|dette|disse|deres|dens|dets|samme|her|der)\b", re.IGNORECASE)
_BARE_STK_RE = re.compile(r"\b(?:stk|nr|pkt)\.?\s*(\d+)", re.IGNORECASE)
_QUESTION_WORDS = frozenset(
    "hvad hvem hvor hvordan hvornår hvilke hvilken hvilket hvorfor hvor mange meget siger gælder sige står kan skal må".split()
)
_STRUCTURE_WORDS = frozenset({"§", "stk", "nr", "pkt", "jf", "kap", "kapitel", "litra"})


@dataclass
class ResolvedQuestion:
    """The question to search for, and what was carried over from the conversation."""

    question: str  # as asked
    query: str  # standalone question used for search and answering
    default_act: str | None = None
    refs: list[LegalRef] = field(default_factory=list)  # provisions carried or named
    method: str = "none"  # none | rules | llm
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.query != self.question


def user_turns(history: list[dict[str, Any]] | None) -> list[str]:
    """The user's earlier questions from a history of {role, content} or {question, answer} dicts."""
    out: list[str] = []
    for turn in history or []:
        if not isinstance(turn, dict):
            continue
        if "question" in turn:
            out.append(str(turn["question"]))
        elif turn.get("role") == "user" and turn.get("content"):
            out.append(str(turn["content"]))
    return [q for q in out if q.strip()]


def format_history(history: list[dict[str, Any]] | None, *, max_turns: int = MAX_HISTORY_TURNS, max_chars: int = 600) -> str:
    """The last turns as 'Bruger: ...' / 'Assistent: ...' lines for the condense prompt."""
    lines: list[str] = []
    for turn in history or []:
        if not isinstance(turn, dict):
            continue
        if "question" in turn:
            pairs = [("Bruger", turn.get("question")), ("Assistent", turn.get("answer"))]
        else:
            role = {"user": "Bruger", "assistant": "Assistent"}.get(str(turn.get("role")))
            pairs = [(role, turn.get("content"))] if role else []
        for who, content in pairs:
            if who and content and str(content).strip():
                text = re.sub(r"\s+", " ", str(content)).strip()
                lines.append(f"{who}: {text[:max_chars]}{'…' if len(text) > max_chars else ''}")
    return "\n".join(lines[-2 * max_turns:])


def key_terms(question: str) -> list[str]:
    """Content words of a question as written (no stop words, question words, numbers or § parts)."""
    out: list[str] = []
    for tok in tokenize(question):
        low = tok.lower()
        if low in STOPWORDS or low in _QUESTION_WORDS or low in _STRUCTURE_WORDS or not low.isalpha() or len(low) < 3:
            continue
        if low not in out:
            out.append(low)
    return out[:MAX_KEY_TERMS]


@lru_cache(maxsize=1)
def _question_stems() -> frozenset[str]:
    return frozenset(term_set(" ".join(_QUESTION_WORDS)))


def looks_like_followup(question: str) -> bool:
    """True if a question leans on an earlier one (starts with 'og'/'hvad med', is anaphoric or very short)."""
    if _FOLLOWUP_START_RE.match(question):
        return True
    has_para = any(r.paragraph for r in find_legal_refs(question))
    if _BARE_STK_RE.search(question) and not has_para:
        return True
    n_terms = len(term_set(question) - _question_stems())
    if n_terms <= 1 and not has_para:
        return True
    if has_para:
        return False
    if re.search(r"\bså\b", " ".join(question.split()[:4]), re.IGNORECASE):
        return True  # "Hvad er så forskellen ...?"
    return bool(_ANAPHOR_RE.search(question)) and n_terms <= 4


def _resolve_one(question: str, previous: ResolvedQuestion | None) -> ResolvedQuestion:
    own_refs = find_legal_refs(question)
    named_act: str | None = next(iter(acts_mentioned(question)), None)
    if previous is None or not looks_like_followup(question):
        act = named_act or next((r.act for r in own_refs if r.act), None)
        if act is None and previous is not None:
            act = previous.default_act
        return ResolvedQuestion(question, question, default_act=act, refs=[r for r in own_refs if r.paragraph])
    prev_refs = [r for r in previous.refs if r.paragraph]
    act = named_act or previous.default_act or next((r.act for r in prev_refs if r.act), None)
    has_para = any(r.paragraph for r in own_refs)
    refs: list[LegalRef] = [r for r in own_refs if r.paragraph]
    if not has_para:
        bare = _BARE_STK_RE.search(question)
        if bare and prev_refs:
            base = prev_refs[0]
            value = int(bare.group(1))
            kind = bare.group(0).lower()
            if kind.startswith("stk"):
                refs = [LegalRef(base.act or act, base.paragraph, value)]
            else:
                refs = [LegalRef(base.act or act, base.paragraph, base.stk, value)]
        else:
            refs = prev_refs
    parts = [question.strip().rstrip("?").strip()]
    if not has_para:
        parts.extend(r.label if r.act else f"§ {r.paragraph}" + (f", stk. {r.stk}" if r.stk else "") for r in refs)
        so_far = " ".join(parts).lower()
        parts.extend(t for t in key_terms(previous.query) if t not in so_far)
    query = " ".join(p for p in parts if p) + "?"
    return ResolvedQuestion(question, query, default_act=act, refs=refs, method="rules")


def resolve_with_rules(question: str, history: list[dict[str, Any]] | None) -> ResolvedQuestion:
    """Resolve ``question`` against the earlier user questions by the rules above."""
    previous: ResolvedQuestion | None = None
    for earlier in user_turns(history)[-MAX_HISTORY_TURNS:]:
        previous = _resolve_one(earlier, previous)
    return _resolve_one(question, previous)


def clean_condensed(text: str) -> str | None:
    """The standalone question from an LLM's condense reply, or None if it is unusable."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        return None
    line = re.sub(r"^(?:selvstændigt\s+spørgsmål|spørgsmål)\s*:\s*", "", lines[0], flags=re.IGNORECASE)
    line = line.strip().strip("\"'“”«»").strip()
    if len(line) < 5 or len(line) > 500 or not any(ch.isalpha() for ch in line):
        return None
    return line
