"""Danish wording shared by everything a user reads: a count with its noun in the right number."""

from __future__ import annotations


def count(n: int, one: str, many: str) -> str:
    """'1 aftale', '2 aftaler', '0 punkter' (Danish uses the plural for zero)."""
    return f"{n} {one if n == 1 else many}"
