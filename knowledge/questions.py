"""The one rule for a question (or search text): not empty, not too long, whitespace collapsed.

The API, the CLI, answering and the retriever all validate with ``validate_question``, so a question
is judged by the same length rule and refused with the same Danish message wherever it comes in.
"""

from __future__ import annotations

import unicodedata

from knowledge.errors import InvalidQuestionError

EXAMPLE_QUESTION = "Hvem fører tilsyn med boligorganisationerne?"
# After NFC, written languages leave at most one combining mark on a letter (Danish none: å, é, ü compose);
# longer runs are decoration ("Zalgo" text) that multiplies the tokens a question costs to embed (2,000
# marks took 57x a normal question).
MAX_COMBINING_MARKS = 1


def validate_question(question: object, max_chars: int | None = None) -> str:
    """The question in NFC with whitespace runs collapsed and runs of combining marks cut short (before its
    length is judged, so decoration cannot make it cost more); InvalidQuestionError when empty or over
    ``max_chars``."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestionError(f"Spørgsmålet er tomt. Skriv et spørgsmål, fx '{EXAMPLE_QUESTION}'.")
    text = " ".join(_limit_marks(unicodedata.normalize("NFC", question)).split())
    if not text:
        raise InvalidQuestionError(f"Spørgsmålet er tomt. Skriv et spørgsmål, fx '{EXAMPLE_QUESTION}'.")
    if max_chars is not None and len(text) > max_chars:
        raise InvalidQuestionError(f"Spørgsmålet er for langt ({len(text)} tegn; højst {max_chars}). Gør det kortere.")
    return text


def _limit_marks(text: str) -> str:
    """``text`` with every run of combining marks cut to MAX_COMBINING_MARKS (and none before the first letter)."""
    if not any(unicodedata.combining(ch) for ch in text):
        return text
    out: list[str] = []
    run = MAX_COMBINING_MARKS  # no base character yet: a leading mark has nothing to sit on
    for ch in text:
        if unicodedata.combining(ch):
            if run < MAX_COMBINING_MARKS:
                out.append(ch)
            run += 1
        else:
            out.append(ch)
            run = 0
    return "".join(out)
