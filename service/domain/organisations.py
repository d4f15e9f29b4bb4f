"""Whether two names denote the same housing organisation ('Boligselskabet Solsikken' = 'solsikken')."""

from __future__ import annotations

import re

from knowledge.text import fold

# Words that name the legal form, not the organisation.
_FORM_WORDS = frozenset({"boligselskabet", "boligforeningen", "boligorganisationen", "den", "a", "s", "aps"})


def _core(name: str) -> str:
    return " ".join(w for w in re.findall(r"[a-z0-9]+", fold(name)) if w not in _FORM_WORDS)


def same_organisation(a: str | None, b: str | None) -> bool:
    """True when two organisation names denote the same organisation (case, spacing, 'Boligselskabet' prefix)."""
    if not a or not b:
        return False
    ca, cb = _core(a), _core(b)
    return bool(ca) and (ca == cb or ca in cb or cb in ca)


def same_or_both_unnamed(a: str | None, b: str | None) -> bool:
    """True when both names are missing or they denote the same organisation."""
    return (not a and not b) or same_organisation(a, b)
