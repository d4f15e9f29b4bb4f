"""Does an answer address the period a question asks about?

A question that names a period ("efter 2026", "fra 2016", "før 2010", "i 2021",
"i 2016/2017") is only answered by text that mentions a year in that period (a range such
as "2020-2026" or "(2016-17)" counts with both ends). When the checked answer mentions no
such year, the sources talk about another period and the assistant abstains instead of
passing off, say, the 2020 target as the answer about the years after 2026.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONSTRAINT_RE = re.compile(
    r"\b(efter|fra|siden|før|inden|i|for|pr\.?)\s+(?:(?:år|året|regnskabsåret|styringsåret)\s+)?"
    r"((?:19|20)\d\d)(?:\s*[/–-]\s*((?:19|20)?\d\d))?(?![\d])",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?:\s*[/–-]\s*((?:19|20)?\d\d))?(?![\d])")
_OPS = {"efter": ">", "fra": ">=", "siden": ">=", "før": "<", "inden": "<"}


@dataclass(frozen=True)
class PeriodConstraint:
    """A period a question asks about: op is '>', '>=', '<' or '=' (with an inclusive end year)."""

    op: str
    year: int
    end: int

    def describe(self) -> str:
        """Danish description, e.g. 'perioden efter 2026'."""
        if self.op == ">":
            return f"perioden efter {self.year}"
        if self.op == ">=":
            return f"perioden fra {self.year}"
        if self.op == "<":
            return f"tiden før {self.year}"
        return str(self.year) if self.end == self.year else f"{self.year}-{self.end}"

    def met_by(self, spans: list[tuple[int, int]]) -> bool:
        """True if one of the year spans lies (partly) in the period."""
        for start, end in spans:
            if self.op == ">" and end > self.year:
                return True
            if self.op == ">=" and end >= self.year:
                return True
            if self.op == "<" and start < self.year:
                return True
            if self.op == "=" and start <= self.end and end >= self.year:
                return True
        return False


def _expand(first: str, second: str | None) -> tuple[int, int]:
    start = int(first)
    if not second:
        return start, start
    end = int(second) if len(second) == 4 else int(first[:2] + second)
    return (start, end) if end >= start else (start, start)


def period_constraints(question: str) -> list[PeriodConstraint]:
    """The periods named in a question."""
    out: list[PeriodConstraint] = []
    for m in _CONSTRAINT_RE.finditer(question):
        word = m.group(1).lower().rstrip(".")
        start, end = _expand(m.group(2), m.group(3))
        op = _OPS.get(word, "=")
        out.append(PeriodConstraint(op, start if op != "<" else start, end))
    return list(dict.fromkeys(out))


def year_spans(text: str) -> list[tuple[int, int]]:
    """Years and year ranges written in a text."""
    return [_expand(m.group(1), m.group(2)) for m in _YEAR_RE.finditer(text)]


def unmet_constraints(question: str, answer_text: str) -> list[PeriodConstraint]:
    """The question's periods that the answer text does not mention."""
    spans = year_spans(answer_text)
    return [c for c in period_constraints(question) if not c.met_by(spans)]
