#!/usr/bin/env python
"""Check the legal-structure parser on a real statute kept outside the repository.

The statute comes as a JSON file in the layout of the public Danish-law-mcp seed files
(``{"title", "short_name", "id", "issued_date", "provisions": [{"chapter", "section", "content"}]}``,
one ``content`` string per §, "Stk. 2." and "1)" inline). The text of real statutes is never
committed, so this is a script and not a test:

    python scripts/check_statute.py /tmp/2026_207.json [/tmp/2023_1642.json ...] [--verbose]

For each file it writes the statute in five layouts a caseworker meets (one line per stk. and
item; one line per § with "Stk. 2." inline as in text copied from a web page; HTML in
retsinformation's classes; the structured XML behind its ELI addresses; the PDF print with the title as running header
and "Side 3 af 87" footers), loads each with the product's loaders and parser, and compares what
the parser found with what the JSON holds: §§, stk. (placeholders such as "Stk. 2-5. (Udelades)"
and "§§ 7-8. (Ophævet)" counted as their own units), nr. items, the amending acts' ikrafttrædelse
§§ at the end, and the first words of every stk. The expected structure is read from the JSON
with its own simple rules (sequential "Stk. N." and "N)" markers), independent of the parser.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.chunking import chunk_document
from ingest.legal_structure import parse_legal_text
from ingest.loaders import load_file

_HEAD_RE = re.compile(r"^§§?\s*(\d+(?:\s?[a-zæøå](?![\wæøå]))?)(?:\s*[-–]\s*[\dæøåa-z ]+?)?\.\s*")
_STK_RE = re.compile(r"(?:(?<=^)|(?<=\s))Stk\.\s(\d+)(?:-(\d+))?\.(?=\s|$)")
_ITEM_RE = re.compile(r"(?<=\s)(\d{1,2})\)\s")
_PLACEHOLDER_RE = re.compile(r"^\((Ophævet|Udelades)\)\.?$")
_DOC_TYPES = {"LBK": "LBK", "BEK": "BEK", "LOV": "Lov"}


@dataclass
class Stk:
    number: int
    last: int
    text: str
    items: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Paragraph:
    chapter: str
    number: str  # display form of the first § ('5 a'); ranges keep their first §
    head: str  # '§ 5 a.' or '§§ 7-8.'
    stks: list[Stk]


def display(section: str) -> str:
    """'5a' -> '5 a', '96k-o' -> '96 k' (the first § of a range)."""
    first = section.split("-")[0]
    m = re.match(r"(\d+)([a-zæøå]?)$", first)
    return f"{m.group(1)} {m.group(2)}".strip() if m else first


def split_content(content: str) -> tuple[str, list[Stk]]:
    """'§ 3. A. Stk. 2. B: 1) x 2) y' -> ('§ 3.', [Stk 1 'A.', Stk 2 'B:' with items])."""
    m = _HEAD_RE.match(content)
    head, rest = (content[: m.end()].strip(), content[m.end():]) if m else ("", content)
    stks: list[Stk] = []
    pos, number, last = 0, 1, 1
    for sm in _STK_RE.finditer(rest):
        if int(sm.group(1)) != last + 1:
            continue
        stks.append(Stk(number, last, rest[pos:sm.start()].strip()))
        number, last = int(sm.group(1)), int(sm.group(2) or sm.group(1))
        pos = sm.end()
    stks.append(Stk(number, last, rest[pos:].strip()))
    for stk in stks:
        lead_end, expected = None, 1
        bounds: list[tuple[int, int, int]] = []
        for im in _ITEM_RE.finditer(" " + stk.text):
            if int(im.group(1)) == expected:
                bounds.append((expected, im.start() - 1, im.end() - 1))
                expected += 1
        if bounds:
            lead_end = max(bounds[0][1], 0)
            text = stk.text
            for i, (nr, _start, end) in enumerate(bounds):
                stop = bounds[i + 1][1] if i + 1 < len(bounds) else len(text)
                stk.items.append((nr, text[end:stop].strip()))
            stk.text = text[:lead_end].strip()
    return head, stks


def read_statute(path: Path) -> tuple[dict, list[Paragraph], list[Paragraph]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    body, amendments = [], []
    for p in data["provisions"]:
        head, stks = split_content(p["content"])
        para = Paragraph(str(p.get("chapter") or ""), display(str(p["section"])), head, stks)
        (body if p.get("chapter") else amendments).append(para)
    return data, body, amendments


def version_line(data: dict) -> str:
    kind = _DOC_TYPES.get(str(data.get("short_name", "")).split()[0].upper(), "LBK")
    number = str(data["id"]).split(":")[1]
    y, m, d = str(data["issued_date"]).split("-")
    return f"{kind} nr. {number} af {d}/{m}/{y}"


def chapter_label(chapter: str) -> str:
    m = re.match(r"(\d+)([a-z]?)$", chapter)
    return f"Kapitel {m.group(1)} {m.group(2)}".strip() if m else f"Kapitel {chapter}"


def stk_lines(stk: Stk, first: str) -> list[str]:
    head = first if stk.number == 1 else (
        f"Stk. {stk.number}." if stk.last == stk.number else f"Stk. {stk.number}-{stk.last}.")
    lines = [f"{head} {stk.text}".strip()]
    lines += [f"{nr}) {text}" for nr, text in stk.items]
    return lines


AMENDMENT_INTRO = "Ændringsloven indeholder følgende ikrafttrædelsesbestemmelse:"


def write_lines(data: dict, body: list[Paragraph], amendments: list[Paragraph], path: Path, *, inline: bool) -> None:
    out = [data["title"], version_line(data), ""]
    chapter = None
    for para in body:
        if para.chapter != chapter:
            chapter = para.chapter
            out += ["", chapter_label(chapter)]
        if inline:
            out.append(" ".join(" ".join(stk_lines(s, para.head)) for s in para.stks))
        else:
            for stk in para.stks:
                out += stk_lines(stk, para.head)
    for para in amendments:
        out += ["", AMENDMENT_INTRO]
        if inline:
            out.append(" ".join(" ".join(stk_lines(s, para.head)) for s in para.stks))
        else:
            out.append(para.head.rstrip("."))  # the centred '§ 29' of the official layout
            for stk in para.stks:
                out += stk_lines(stk, "")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_html(data: dict, body: list[Paragraph], amendments: list[Paragraph], path: Path) -> None:
    e = html.escape
    out = ["<!DOCTYPE html><html><head><meta charset='utf-8'>",
           f"<title>{e(data['title'])} - retsinformation.dk</title></head><body>",
           "<nav><a href='/'>Forside</a></nav><div class='document-content'>",
           f"<p class='Titel2'>{e(data['title'])}</p>", f"<p class='Dato'>{e(version_line(data))}</p>"]
    chapter = None

    def items(stk: Stk) -> None:
        for nr, text in stk.items:
            out.append(f"<p class='Liste1'><span class='Liste1Nr'>{nr})</span> {e(text)}</p>")

    for para in body:
        if para.chapter != chapter:
            chapter = para.chapter
            out.append(f"<p class='Kapitel'><span>{e(chapter_label(chapter))}</span></p>")
        first, *rest = para.stks
        out.append(f"<p class='Paragraf'><span class='ParagrafNr'>{e(para.head)}</span> {e(first.text)}</p>")
        items(first)
        for stk in rest:
            nr = f"Stk. {stk.number}." if stk.last == stk.number else f"Stk. {stk.number}-{stk.last}."
            out.append(f"<p class='Stk2'><span class='StkNr'>{nr}</span> {e(stk.text)}</p>")
            items(stk)
    for para in amendments:
        out += ["<hr class='IKraftStreg'>", f"<p class='IkraftTekst'>{e(AMENDMENT_INTRO)}</p>",
                f"<p class='CentreretParagraf'>{e(para.head.rstrip('.'))}</p>"]
        for stk in para.stks:
            nr = "" if stk.number == 1 else (
                f"Stk. {stk.number}." if stk.last == stk.number else f"Stk. {stk.number}-{stk.last}.")
            out.append(f"<p class='Stk2'><span class='StkNr'>{nr}</span> {e(stk.text)}</p>")
            items(stk)
    out.append("</div><footer>Retsinformation</footer></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def write_xml(data: dict, body: list[Paragraph], amendments: list[Paragraph], path: Path) -> None:
    """The statute in retsinformation's structured XML (LexDania: Kapitel, Paragraf, Stk, Indentatio)."""
    e = html.escape
    kind = version_line(data).split()[0].upper()
    year, number = str(data["id"]).split(":")

    def para_xml(para: Paragraph) -> str:
        out = [f"<Paragraf><Explicatus>{e(para.head)}</Explicatus>"]
        for stk in para.stks:
            label = "" if stk.number == 1 else (
                f"Stk. {stk.number}." if stk.last == stk.number else f"Stk. {stk.number}-{stk.last}.")
            out.append("<Stk>" + (f"<Explicatus>{label}</Explicatus>" if label else "")
                       + f"<Exitus><Linea><Char>{e(stk.text)}</Char></Linea></Exitus>")
            for nr, text in stk.items:
                out.append(f"<Indentatio formaInd='Nummer'><Explicatus>{nr})</Explicatus>"
                           f"<Exitus><Linea><Char>{e(text)}</Char></Linea></Exitus></Indentatio>")
            out.append("</Stk>")
        return "".join(out) + "</Paragraf>"

    out = ["<?xml version='1.0' encoding='utf-8'?><Dokument><Meta>",
           f"<DocumentType>{kind} H</DocumentType><DocumentTitle>{e(data['title'])}</DocumentTitle>",
           f"<Year>{year}</Year><Number>{number}</Number><DiesSigni>{data['issued_date']}</DiesSigni>",
           "<Status>Valid</Status></Meta><DokumentIndhold>"]
    chapter = None
    for para in body:
        if para.chapter != chapter:
            if chapter is not None:
                out.append("</Kapitel>")
            chapter = para.chapter
            out.append(f"<Kapitel><Explicatus>{e(chapter_label(chapter))}</Explicatus>")
        out.append(para_xml(para))
    out.append("</Kapitel>" if chapter is not None else "")
    for para in amendments:
        out.append(f"<Ikraft><Exitus><Linea><Char>{e(AMENDMENT_INTRO)}</Char></Linea></Exitus>{para_xml(para)}</Ikraft>")
    out.append("</DokumentIndhold></Dokument>")
    path.write_text("".join(out), encoding="utf-8")


def write_pdf(lines_file: Path, data: dict, path: Path) -> None:
    """The line layout printed as retsinformation prints: the title as running header, 'Side n af N' below."""
    from fpdf import FPDF

    title, version = data["title"], version_line(data)

    class Print(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"{version}    Side {self.page_no()} af {{nb}}", align="C")

    pdf = Print()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in lines_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(2)
    pdf.output(str(path))


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:30]


def compare(label: str, legal, body: list[Paragraph], amendments: list[Paragraph], verbose: bool) -> dict:
    found = {p.paragraph: p for p in legal.provisions} if legal else {}
    units = {(u.paragraph, u.stk): u for u in legal.units} if legal else {}
    exp_paras = [p.number for p in body]
    exp_stk = [(p.number, s) for p in body for s in p.stks]
    exp_items = [(p.number, s.number, nr) for p in body for s in p.stks for nr, _ in s.items]
    got_items = {(u.paragraph, u.stk, i.nr) for u in (legal.units if legal else []) for i in u.items if i.litra is None}
    mismatches: list[str] = []
    placeholders = found_placeholders = 0
    for para, stk in exp_stk:
        unit = units.get((para, stk.number))
        is_placeholder = bool(_PLACEHOLDER_RE.match(stk.text)) and not stk.items
        placeholders += is_placeholder
        if unit is None:
            continue
        if is_placeholder and getattr(unit, "placeholder", ""):
            found_placeholders += stk.last == stk.number or getattr(unit, "stk_end", None) == stk.last
        expected, got = norm(stk.text), norm(unit.text)
        if not expected and stk.items:
            expected = norm(f"{stk.items[0][0]}) {stk.items[0][1]}")
        if expected and not got.startswith(expected[:20]):
            mismatches.append(f"§ {para}, stk. {stk.number}: expected '{expected}' got '{got}'")
    amend = getattr(legal, "amendments", []) if legal else []
    got_amend = [p.paragraph for a in amend for p in a.provisions]
    row = {
        "layout": label,
        "title": legal.title if legal else "(not parsed)",
        "version": getattr(legal, "version", "") if legal else "",
        "paragraphs": f"{sum(p in found for p in exp_paras)}/{len(exp_paras)}",
        "extra_paragraphs": len(set(found) - set(exp_paras)),
        "stk": f"{sum(k in units for k in ((p, s.number) for p, s in exp_stk))}/{len(exp_stk)}",
        "extra_stk": len(set(units) - {(p, s.number) for p, s in exp_stk}),
        "items": f"{sum(k in got_items for k in exp_items)}/{len(exp_items)}",
        "extra_items": len(got_items - set(exp_items)),
        "placeholders": f"{found_placeholders}/{placeholders}",
        "amendment_paragraphs": f"{len([a for a in amendments if a.number in got_amend])}/{len(amendments)}",
        "text_mismatches": len(mismatches),
    }
    if verbose:
        missing = [p for p in exp_paras if p not in found]
        print(f"  [{label}] missing §§: {missing[:30]}")
        print(f"  [{label}] extra §§: {sorted(set(found) - set(exp_paras))[:30]}")
        lost = [f"{p}:{s.number}" for p, s in exp_stk if (p, s.number) not in units]
        print(f"  [{label}] missing stk: {lost[:30]}")
        extra = sorted(f"{p}:{s}" for p, s in set(units) - {(p, s.number) for p, s in exp_stk})
        print(f"  [{label}] extra stk: {extra[:30]}")
        for line in mismatches[:15]:
            print(f"  [{label}] {line}")
    return row


def chunk_figures(doc, body: list[Paragraph], size: int = 1200) -> dict:
    """Chunks at the default size: how many stk. have a chunk of their own, how many chunks hold several."""
    chunks = chunk_document(doc, source_id="check", base_metadata={}, chunk_size=size, chunk_overlap=150)
    own = set()
    several = 0
    for chunk in chunks:
        legal_id = str(chunk.metadata.get("legal_id") or "")
        if not legal_id:
            continue
        stk = chunk.metadata.get("stk")
        para = str(chunk.metadata.get("paragraph"))
        own.update((para, n) for n in range(int(stk), int(chunk.metadata.get("stk_end") or stk) + 1))
        several += any(line.startswith("Stk. ") for line in chunk.text.split("\n")[2:])  # after label + own
    expected = [(p.number, n) for p in body for s in p.stks for n in range(s.number, s.last + 1)]
    return {
        "chunks": len(chunks),
        "stk_with_own_chunk": f"{sum(k in own for k in expected)}/{len(expected)}",
        "chunks_with_two_stk": several,
        "longest_chunk": max((len(c.text) for c in chunks), default=0),
    }


def check(path: Path, verbose: bool) -> list[dict]:
    data, body, amendments = read_statute(path)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = {"lines": Path(tmp) / "statute.txt", "inline": Path(tmp) / "statute-inline.txt",
                 "html": Path(tmp) / "statute.html", "xml": Path(tmp) / "statute.xml",
                 "pdf": Path(tmp) / "statute.pdf"}
        write_lines(data, body, amendments, files["lines"], inline=False)
        write_lines(data, body, amendments, files["inline"], inline=True)
        write_html(data, body, amendments, files["html"])
        write_xml(data, body, amendments, files["xml"])
        write_pdf(files["lines"], data, files["pdf"])
        reference: dict[tuple[str, int], str] = {}
        for label, file in files.items():
            try:
                doc = load_file(file, max_bytes=50 * 1024 * 1024)
                legal = parse_legal_text(doc)
            except Exception as exc:  # noqa: BLE001 - report the layout as unreadable and go on
                print(f"  [{label}] could not be loaded: {exc}")
                doc, legal = None, None
            row = compare(label, legal, body, amendments, verbose)
            row.update(chunk_figures(doc, body) if doc is not None else {})
            texts = {(u.paragraph, u.stk): re.sub(r"\s+", " ", u.text) for u in (legal.units if legal else [])}
            reference = reference or texts
            differ = [k for k in reference if texts.get(k) != reference[k]]
            row["texts_differing_from_lines"] = len(differ)
            if verbose and differ:
                k = differ[0]
                print(f"  [{label}] § {k[0]}, stk. {k[1]}: '{texts.get(k, '')[:120]}' vs '{reference[k][:120]}'")
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    for path in args.files:
        print(f"{path.name}:")
        for row in check(path, args.verbose):
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
