"""The one rule for a question (or search text): not empty, not too long, whitespace collapsed.

The API, the CLI, answering and the retriever all validate with ``validate_question``, so a question
is judged by the same length rule and refused with the same Danish message wherever it comes in.
"""

from __future__ import annotations

from knowledge.errors import InvalidQuestionError

EXAMPLE_QUESTION = "Hvem fører tilsyn med boligorganisationerne?"


def validate_question(question: object, max_chars: int | None = None) -> str:
    """The question with whitespace runs collapsed; InvalidQuestionError when empty or over ``max_chars``."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestionError(f"Spørgsmålet er tomt. Skriv et spørgsmål, fx '{EXAMPLE_QUESTION}'.")
    text = " ".join(question.split())
    if max_chars is not None and len(text) > max_chars:
        raise InvalidQuestionError(f"Spørgsmålet er for langt ({len(text)} tegn; højst {max_chars}). Gør det kortere.")
    return text
