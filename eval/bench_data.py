"""Generated Danish-like data for the benchmarks: text, chunks, unit vectors and PDF corpora (seeded)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge.types import Chunk

_WORDS = """boligorganisation afdeling kommune kommunalbestyrelse styringsdialog styringsrapport dokumentationspakke
tilsyn henlæggelser vedligeholdelse lejeledighed fraflytning husleje beboerdemokrati afdelingsbestyrelse
organisationsbestyrelse dispositionsfond arbejdskapital regnskab budget effektivitet anvisning udlejning
venteliste helhedsplan renovering nøgletal aftale opfølgning boliger lejere ældreboliger ungdomsboliger
familieboliger Landsbyggefonden beboere drift økonomi administration bestyrelse møde referat mål rammer
kvadratmeter procent udvikling område indsats planlægning vurdering ansvar forvaltning""".split()
_GLUE = "og i at er en den til på af for med som de har ikke der kan om et skal efter ved fra også hvert år".split()


def danish_like_text(rng: np.random.Generator, words: int) -> str:
    """Sentences of domain words and function words, with numbers and now and then a § reference."""
    out: list[str] = []
    sentence: list[str] = []
    for _ in range(words):
        r = rng.random()
        if r < 0.55:
            sentence.append(str(rng.choice(_WORDS)))
        elif r < 0.93:
            sentence.append(str(rng.choice(_GLUE)))
        elif r < 0.98:
            sentence.append(f"{int(rng.integers(1, 5000)):,}".replace(",", "."))
        else:
            sentence.append(f"§ {int(rng.integers(1, 190))}")
        if len(sentence) >= int(rng.integers(8, 18)):
            text = " ".join(sentence)
            out.append(text[0].upper() + text[1:] + ".")
            sentence = []
    if sentence:
        text = " ".join(sentence)
        out.append(text[0].upper() + text[1:] + ".")
    return " ".join(out)


def generated_chunks(n: int, *, seed: int = 1, words: int = 90, per_source: int = 1000) -> list[list[Chunk]]:
    """n chunks of generated text grouped into sources of ``per_source`` chunks (as documents to store)."""
    rng = np.random.default_rng(seed)
    groups: list[list[Chunk]] = []
    for start in range(0, n, per_source):
        sid = f"bench-{start // per_source:04d}"
        group = []
        for i in range(start, min(n, start + per_source)):
            group.append(Chunk(id=f"{sid}:{i:06d}", source_id=sid, text=danish_like_text(rng, words),
                               metadata={"title": f"Genereret dokument {start // per_source}", "kind": "andet",
                                         "ordinal": i - start, "heading": f"Afsnit {i % 50}"}))
        groups.append(group)
    return groups


def unit_vectors(n: int, dim: int = 384, *, seed: int = 2) -> np.ndarray:
    """n random L2-normalised float32 vectors (stand-ins for passage embeddings)."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, dim)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def write_pdf_corpus(folder: Path, pages: int, *, pages_per_file: int = 50, words_per_page: int = 140,
                     seed: int = 3) -> list[Path]:
    """PDF files (fpdf2) with ``pages`` pages in total of generated Danish-like text and a heading per page."""
    from fpdf import FPDF

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    files: list[Path] = []
    for f_no, start in enumerate(range(0, pages, pages_per_file)):
        pdf = FPDF()
        pdf.set_title(f"Benchmarkdokument {f_no + 1}")
        for p in range(start, min(pages, start + pages_per_file)):
            pdf.add_page()
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 8, f"Afsnit {p + 1}: {rng.choice(_WORDS).capitalize()}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=10)
            pdf.multi_cell(0, 5, danish_like_text(rng, words_per_page), new_x="LMARGIN", new_y="NEXT")
        path = folder / f"benchmark-{f_no + 1:03d}.pdf"
        pdf.output(str(path))
        files.append(path)
    return files
