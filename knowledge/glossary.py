"""The glossary (knowledge/glossary.yaml): Danish terms, synonyms and short explanations.

Used as content and by retrieval for synonym expansion (tomgang ~ lejeledighed ~ ledige boliger).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.text import content_terms

GLOSSARY_PATH = Path(__file__).with_name("glossary.yaml")


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    synonyms: tuple[str, ...]
    explanation: str

    @property
    def variants(self) -> tuple[str, ...]:
        return (self.term, *self.synonyms)


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[GlossaryEntry, ...]:
    """Entries of the glossary file (empty if the file is missing)."""
    if not path.exists():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(data, dict):
        data = data.get("entries", [])
    return tuple(
        GlossaryEntry(str(e["term"]), tuple(str(s) for s in e.get("synonyms", []) or []), str(e.get("explanation", "")))
        for e in data
        if isinstance(e, dict) and e.get("term")
    )


class SynonymExpander:
    """Finds glossary terms in a query (as stemmed term sequences) and returns the other variants."""

    def __init__(self, entries: tuple[GlossaryEntry, ...]) -> None:
        self._groups: list[tuple[list[tuple[str, ...]], tuple[str, ...]]] = []
        for e in entries:
            forms = [tuple(content_terms(v)) for v in e.variants]
            forms = [f for f in forms if f]
            if len(forms) > 1:
                self._groups.append((forms, e.variants))

    def expand(self, query: str) -> list[str]:
        """Variants (original spelling) of every glossary term the query contains, excluding what it already says."""
        q = content_terms(query)
        text = " " + " ".join(q) + " "
        out: list[str] = []
        for forms, variants in self._groups:
            hit = [f for f in forms if " " + " ".join(f) + " " in text]
            if hit:
                for v, f in zip(variants, forms):
                    if f not in hit:
                        out.append(v)
        return list(dict.fromkeys(out))
