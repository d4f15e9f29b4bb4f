"""Small hostile files are refused quickly with a Danish message, and a file makes a bounded number of chunks
(ingest.budget: ALMEN_MAX_CHUNKS_PER_DOCUMENT, ALMEN_MAX_PARSE_SECONDS, the HTML nesting check); questions of
decoration marks cost no more than plain ones. No timing asserts: refusal and counts are what is checked."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingest.pipeline import ingest_file
from knowledge.errors import InvalidQuestionError
from knowledge.questions import validate_question
from tests.reliability.helpers import consistency_problems, open_kb
from tests.reliability.hostile_files import deep_divs_html, deep_lists_html, headings_md, looks_danish


def _refused(tmp_path: Path, name: str, data: bytes, hint: str, **settings: object) -> None:
    kb = open_kb(tmp_path / "home", **settings)
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    result = ingest_file(kb, path)
    assert result.status == "failed", result
    assert hint in result.message and looks_danish(result.message), result.message
    assert name in result.message  # the user's file name, not a temp file's
    assert kb.store.list_sources() == [] and consistency_problems(kb) == []


def test_two_megabytes_of_nested_divs_are_refused(tmp_path: Path) -> None:
    data = deep_divs_html()
    assert len(data) >= 2 * 1024 * 1024 - 64
    _refused(tmp_path, "dyb.html", data, "dybt")


def test_deeply_nested_lists_are_refused(tmp_path: Path) -> None:
    _refused(tmp_path, "lister.html", deep_lists_html(), "dybt")


def test_two_hundred_thousand_headings_are_refused(tmp_path: Path) -> None:
    _refused(tmp_path, "overskrifter.md", headings_md(200_000), "overskrifter")


def test_a_document_over_the_chunk_cap_is_refused_and_one_within_it_is_stored(tmp_path: Path) -> None:
    """A long text without headings: the cap counts chunks, not headings."""
    text = "\n\n".join(f"Afsnit {i}. Kommunen og boligorganisationen aftalte at følge op på udlejningen i "
                       f"afdeling {i}, og referatet blev godkendt uden bemærkninger." for i in range(400))
    _refused(tmp_path / "a", "lang.txt", text.encode(), "ALMEN_MAX_CHUNKS_PER_DOCUMENT", max_chunks_per_document=10)
    kb = open_kb(tmp_path / "b" / "home", max_chunks_per_document=100)
    path = tmp_path / "lang.txt"
    path.write_text(text, encoding="utf-8")
    result = ingest_file(kb, path)
    assert result.status == "added", result.message
    assert 10 < result.chunks <= 100
    assert sum(1 for _ in kb.store.iter_active_chunks()) == result.chunks


def test_the_parse_time_bound_refuses_a_file_that_uses_it_up(tmp_path: Path) -> None:
    """A bound no file can meet: the loaders' and the chunker's checks must see that it has run out."""
    body = "".join(f"## Afsnit {i}\n\nTekst om udlejning i afdeling {i}.\n\n" for i in range(3000))
    _refused(tmp_path, "notat.md", body.encode(), "for lang tid", max_parse_seconds=1e-9)


def test_an_ordinary_document_is_unaffected_by_the_bounds(tmp_path: Path) -> None:
    kb = open_kb(tmp_path / "home")
    path = tmp_path / "notat.md"
    path.write_text("".join(f"## Afsnit {i}\n\nTekst om udlejning i afdeling {i}.\n\n" for i in range(300)),
                    encoding="utf-8")
    result = ingest_file(kb, path)
    assert result.status == "added" and result.chunks >= 1, result.message


def test_unclosed_paragraphs_do_not_count_as_nesting(tmp_path: Path) -> None:
    """Old pages leave every <p> and <li> open; each ends the one before, so 30,000 of them are no depth."""
    page = "<html><body><div><ul>" + "".join(f"<li>punkt {i}<p>tekst {i}" for i in range(30_000)) + "</ul></div>"
    kb = open_kb(tmp_path / "home")
    path = tmp_path / "gammel.html"
    path.write_text(page, encoding="utf-8")
    result = ingest_file(kb, path)
    assert result.status == "added", result.message


@pytest.mark.parametrize("question", [
    "a" + "\u0301" * 1999,
    ("e" + "\u0301\u0300\u0302\u0303") * 400,
    "Hvem fører tilsyn" + "\u0336" * 1900,
])
def test_decoration_marks_are_cut_before_the_length_is_judged(question: str) -> None:
    text = validate_question(question, max_chars=2000)
    runs = max(len(run) for run in _mark_runs(text))
    assert runs <= 1
    assert len(text) <= len(question) // 2


def test_danish_letters_and_plain_questions_are_kept() -> None:
    decomposed = unicodedata.normalize("NFD", "Må kommunen kræve en økonomisk redegørelse?")
    assert validate_question(decomposed, max_chars=200) == "Må kommunen kræve en økonomisk redegørelse?"
    with pytest.raises(InvalidQuestionError):
        validate_question("\u0301" * 50, max_chars=200)  # marks on nothing: an empty question


def _mark_runs(text: str) -> list[str]:
    runs, current = [""], ""
    for ch in text:
        if unicodedata.combining(ch):
            current += ch
        else:
            runs.append(current)
            current = ""
    return [*runs, current]
