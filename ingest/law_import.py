"""`almen lov import`: an official statute text (HTML, PDF, LexDania XML; a file or, when allowed, a URL)
stored as one version of its act.

A version is identified by its act and designation, so its source id is too
('lov-almenboligloven-lbk-207-2026'): the same version imported from another layout replaces the
earlier import of it, the same file again changes nothing, and another version of the act becomes a
source of its own. Storing it reconciles the act's versions (knowledge.statutes): the latest is
current, the earlier ones superseded but kept for questions about a date.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import LawImportError, LoadError, NotLegislationError
from ingest.law_fetch import fetch_law, is_url
from ingest.legal_model import LegalDocument
from ingest.legal_structure import parse_legal_text
from ingest.loaders import load_file
from ingest.pipeline import ingest_file, slugify
from knowledge.kb import KnowledgeBase
from knowledge.legal import act_display
from knowledge.statutes import statute_versions


@dataclass
class LawImportResult:
    """What importing one statute text did."""

    status: str  # added, updated (the same version from another file or layout), unchanged
    source_id: str
    name: str  # the file name, or the address's last part
    act: str
    act_name: str
    title: str
    act_type: str
    act_number: str
    act_date: str
    version: str
    current: bool  # this version is the act's current one (an older version imported later is not)
    chunks: int = 0
    pages: int = 0
    superseded: list[str] = field(default_factory=list)  # versions this import made superseded
    current_version: str = ""  # the act's current version after the import
    warnings: list[str] = field(default_factory=list)
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def law_source_id(legal: LegalDocument) -> str:
    """The id of an act's version: 'lov-almenboligloven-lbk-207-2026' (act, type, number, year)."""
    return f"lov-{slugify(legal.act, max_len=60)}-{legal.act_type.lower()}-{legal.act_number}-{legal.act_date[:4]}"


def identify_statute(kb: KnowledgeBase, path: Path, name: str) -> LegalDocument:
    """The statute a file holds, with its version; NotLegislationError (Danish) when it is no act or order
    with a designation such as 'LBK nr. 207 af 25/01/2026'."""
    doc = load_file(path, max_bytes=kb.settings.max_file_bytes)
    legal = parse_legal_text(doc)
    if legal is None:
        raise NotLegislationError(
            f"'{name}' ligner ikke en lov eller bekendtgørelse: der er ingen titel som 'Bekendtgørelse af lov om ...' "
            "efterfulgt af paragraffer (§ 1. ...). Andre dokumenter indlæses med 'almen ingest'.")
    if not (legal.act_type and legal.act_number and legal.act_date):
        raise NotLegislationError(
            f"Det fremgår ikke af '{name}', hvilken version af {act_display(legal.act)} teksten er: der er ingen linje "
            "som 'LBK nr. 207 af 25/01/2026' eller 'BEK nr. 1642 af 07/12/2023' under titlen. Importér teksten, som "
            "den er udgivet på retsinformation.dk (HTML, PDF eller XML).")
    return legal


def import_law(kb: KnowledgeBase, source: str | Path, *, display_name: str | None = None) -> LawImportResult:
    """Import a statute from a file or (when configured) a URL; raises an IngestError with a Danish message."""
    text = str(source)
    if is_url(text):
        with tempfile.TemporaryDirectory(prefix="almen-lov-") as tmp:
            path, name = fetch_law(text, kb.settings, Path(tmp))
            result = import_law_file(kb, path, display_name=display_name or name)
            result.url = text
            return result
    path = Path(source)
    if not path.is_file():
        raise LoadError(f"Filen '{display_name or path.name}' findes ikke.")
    return import_law_file(kb, path, display_name=display_name)


def import_law_file(kb: KnowledgeBase, path: Path, *, display_name: str | None = None) -> LawImportResult:
    """Import a statute file (see the module docstring)."""
    name = display_name or path.name
    legal = identify_statute(kb, path, name)
    sid = law_source_id(legal)
    before = {v.source_id: v.authority for v in statute_versions(kb.store.list_sources(), legal.act)}
    result = ingest_file(kb, path, source_id=sid, display_name=name)
    if result.status == "failed":
        raise LawImportError(result.message or f"'{name}' kunne ikke importeres.")
    after = statute_versions(kb.store.list_sources(), legal.act)
    mine = next((v for v in after if v.source_id == sid), None)
    current = next((v.version for v in after if v.current), "")
    return LawImportResult(
        status=result.status, source_id=sid, name=result.path, act=legal.act, act_name=act_display(legal.act),
        title=legal.title, act_type=legal.act_type, act_number=legal.act_number, act_date=legal.act_date,
        version=legal.version, current=bool(mine and mine.current), chunks=result.chunks, pages=result.pages,
        superseded=list(dict.fromkeys(v.version for v in after if v.authority == "statute_superseded"
                                      and before.get(v.source_id) == "statute_current")),
        current_version=current, warnings=list(result.warnings),
    )

