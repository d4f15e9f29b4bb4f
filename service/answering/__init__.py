"""Grounded answers in Danish: extractive by default, any OpenAI-compatible LLM optionally, every citation checked."""

from service.answering.answer import ABSTAIN_TEXT, answer_question, stream_answer
from service.answering.checker import NOT_FOUND, SUPPORT_THRESHOLD, CheckResult, CitationChecker, check_answer
from service.answering.errors import AnsweringError, GeneratorError, InvalidQuestionError
from service.answering.models import Answer, SentenceVerdict

__all__ = [
    "ABSTAIN_TEXT",
    "NOT_FOUND",
    "SUPPORT_THRESHOLD",
    "Answer",
    "AnsweringError",
    "CheckResult",
    "CitationChecker",
    "GeneratorError",
    "InvalidQuestionError",
    "SentenceVerdict",
    "answer_question",
    "check_answer",
    "stream_answer",
]
