"""notat.md and eval.md quote documents and answers; no HTML in them may reach a Markdown viewer as HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eval.datasets import Case
from eval.report import build_report, write_reports
from eval.runner import Variant, run_evaluation
from knowledge.text import without_raw_html
from service.review.note_blocks import NHeading, NList, Note, NPara, NTable, render_markdown

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- skjult -->", "<?php echo 1 ?>",
           "<a href='https://evil.example'>klik</a>", "</td></tr></table><iframe src=//evil.example>",
           "<svg/onload=alert(1)>", "<IMG SRC=x ONERROR=alert(1)>"]
RAW_TAG = re.compile(r"<[A-Za-z/!?]")


@pytest.mark.parametrize("text", HOSTILE)
def test_the_note_shows_hostile_text_as_text(text: str) -> None:
    note = Note("Notat")
    note.add(NHeading(f"Afsnit {text}"), NPara(text), NPara(text, "strong"), NList([text, f"punkt {text}"]),
             NTable(["Nøgletal", text], [[text, "1,2"]]))
    markdown = render_markdown(note)
    assert not RAW_TAG.search(markdown), markdown
    assert markdown.count("&lt;") >= 5  # the text is kept, shown as text


def test_comparisons_and_arrows_in_ordinary_text_are_kept() -> None:
    assert without_raw_html("Lejen steg < 2 % og 3 > 1; se → næste side") == "Lejen steg < 2 % og 3 > 1; se → næste side"


def test_eval_markdown_has_no_raw_html(tmp_path: Path) -> None:
    cases = [Case(f"h{i}", f"Spørgsmål {text}", ["et faktum"], [], f"emne {text}", True) for i, text in enumerate(HOSTILE)]
    answer = {"text": "Svar " + " ".join(HOSTILE) + " [1]", "abstained": False,
              "citations": [{"n": 1, "chunk_id": "c1", "label": HOSTILE[0], "legal_label": "", "verified": True}]}
    run = run_evaluation(cases, [Variant("fast", answer=lambda case: answer)])
    report = build_report(run, dataset_name="fjendtlig " + HOSTILE[1])
    markdown = write_reports(report, tmp_path, html=False)["markdown"].read_text(encoding="utf-8")
    assert "&lt;" in markdown
    assert not RAW_TAG.search(markdown), [m.group(0) for m in RAW_TAG.finditer(markdown)]
