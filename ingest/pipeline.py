"""The incremental, idempotent ingest pipeline: files -> chunks -> vectors -> store.

A batch never stops at a bad file: each file ends as added, updated, unchanged or failed (with a
Danish reason). Content hashes make re-runs no-ops; the store's versioned writes make a crash at
any point recoverable by running the same ingest again.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ingest.budget import document_budget
from ingest.chunking import chunk_document
from ingest.cpr import redact_cpr, redact_document
from ingest.errors import IngestError, LoadError
from ingest.legal_meta import find_version
from ingest.loaders import SUPPORTED_SUFFIXES, load_file
from knowledge.authority import authority_for
from knowledge.disk import full_message, is_disk_full, require_space
from knowledge.errors import KnowledgeError, StorageFullError
from knowledge.kb import KnowledgeBase
from knowledge.statutes import STATUTE_AUTHORITIES, placement, reconcile_versions, version_extra
from knowledge.store import SourceRecord
from knowledge.types import Chunk, LoadedDocument, content_hash, normalise_kind
from knowledge.write_lock import ReadOnlyHomeError, WriteLockTimeoutError

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "samples"
# Bump when chunking changes so unchanged files are re-chunked (2: one chunk per stk.; 3: authority and
# versions on every chunk, legal references found in the text of the municipality's documents; 4: table rows
# stored with their column names).
PIPELINE_VERSION = "4"

_ID_HASH = 12  # hex digits of the hash in an id: 48 bits
_READABLE_MAX = 80  # a corpus file name that is already a slug is its id up to this length

Status = Literal["added", "updated", "unchanged", "failed"]


@dataclass
class FileResult:
    """The outcome for one file."""

    path: str
    status: Status
    source_id: str = ""
    title: str = ""
    kind: str = ""
    chunks: int = 0
    pages: int = 0
    cpr_redactions: int = 0
    message: str = ""  # Danish reason when failed
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class IngestReport:
    """Summary of a batch."""

    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> bool:
        return any(r.status == "failed" for r in self.results)

    @property
    def cpr_redactions(self) -> int:
        return sum(r.cpr_redactions for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.count("added"), "updated": self.count("updated"),
            "unchanged": self.count("unchanged"), "failed": self.count("failed"),
            "cpr_redactions": self.cpr_redactions, "seconds": round(self.seconds, 3),
            "files": [vars(r) for r in self.results],
        }


@dataclass
class IngestEvent:
    """Progress for the CLI: 'file' when a file starts, 'result' when it ends."""

    kind: Literal["file", "result"]
    index: int
    total: int
    path: str
    result: FileResult | None = None


def iter_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders recursively to supported files (hidden files skipped); explicit files are kept as given."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def slugify(text: str, max_len: int = 48) -> str:
    """ASCII slug for ids ('Styringsrapport 2026 – Solsikken.pdf' -> 'styringsrapport-2026-solsikken-pdf').

    CPR numbers (e.g. in a file name) become 'cpr': ids are stored, logged and audited."""
    t = redact_cpr(text)[0].lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        t = t.replace(a, b)
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return (t[:max_len].strip("-")) or "dokument"


def source_id_for(path: Path, *, prefix: str = "") -> str:
    """Stable id of a file: its name as a slug plus a short hash of its absolute path.

    The path hash keeps the same name in two folders apart (and case or æøå variants, which are other paths).
    With a prefix (the built-in corpus, the samples: one folder each) the id is readable, 'builtin-tilsyn':
    the stem itself when it is already a slug (up to 80 characters), else its slug plus a hash of the exact
    name, so that names a slug folds together (case, æøå, symbols, a cut at 48 characters) never share an id.
    Two formats of one stem ('x.pdf', 'x.docx') do share it on purpose: they are the same document."""
    if prefix:
        stem = path.stem
        if slugify(stem, max_len=_READABLE_MAX) == stem:
            return f"{prefix}-{stem}"
        return f"{prefix}-{slugify(stem)}-{content_hash(redact_cpr(path.name)[0])[:_ID_HASH]}"
    return f"{slugify(path.name)}-{content_hash(str(path.resolve()))[:8]}"


def upload_source_id(name: str, *, org: str | None = None, municipality: str | None = None,
                     full: bool = False) -> str:
    """The id of an uploaded file: 'upload-' + a readable slug + a hash of the exact name and its scope.

    One name in one organisation (and municipality) is one document: uploading it again is a replacement,
    which the API makes explicit. Anything else is another document: another organisation, another extension,
    another case, æøå spelled out, a difference after the slug's 48 characters. Scope names are compared
    without case and extra spaces (typed by people); the file name exactly. ``full`` gives the whole hash
    for the rare clash of the short one."""
    exact = redact_cpr(unicodedata.normalize("NFC", name))[0]
    key = json.dumps(["upload", _scope(municipality), _scope(org), exact], ensure_ascii=False)
    digest = content_hash(key)
    stem = exact.rsplit(".", 1)[0] if "." in exact else exact
    return f"upload-{slugify(stem, max_len=40)}-{digest if full else digest[:_ID_HASH]}"


def _scope(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split()).casefold()


def given_metadata(**values: Any) -> dict[str, Any]:
    """The metadata a caller set for a file (kind, org, year, municipality); unset values left out."""
    return {k: v for k, v in values.items() if v is not None}


def file_hash(kb: KnowledgeBase, data: bytes, given: dict[str, Any], *, scope: str = "") -> str:
    """The version of a file in the store: its bytes, the metadata given with it, its owner scope and how it
    is chunked.

    The same hash means ingesting it again would change nothing. Unscoped documents keep the hashes they had
    before scopes existed."""
    owner = [scope] if scope else []
    return content_hash(data + json.dumps([given, PIPELINE_VERSION, kb.settings.chunk_size,
                                           kb.settings.chunk_overlap, *owner], sort_keys=True).encode())


def ingest_paths(
    kb: KnowledgeBase,
    paths: Iterable[Path],
    *,
    kind: str | None = None,
    org: str | None = None,
    year: int | None = None,
    municipality: str | None = None,
    id_prefix: str = "",
    builtin: bool = False,
    display_names: dict[Path, str] | None = None,
    scope: str = "",
) -> Iterator[IngestEvent]:
    """Ingest files (folders recurse), yielding progress events; each file is independent."""
    files = iter_files(paths)
    if kind is not None:
        kind = normalise_kind(kind)
    for i, path in enumerate(files):
        yield IngestEvent("file", i, len(files), str(path))
        result = ingest_file(kb, path, kind=kind, org=org, year=year, municipality=municipality,
                             id_prefix=id_prefix, builtin=builtin,
                             display_name=(display_names or {}).get(path), scope=scope)
        yield IngestEvent("result", i, len(files), str(path), result)


def run_ingest(kb: KnowledgeBase, paths: Iterable[Path], **kwargs: Any) -> IngestReport:
    """Ingest and collect the report (no progress)."""
    t = time.perf_counter()
    report = IngestReport()
    for ev in ingest_paths(kb, paths, **kwargs):
        if ev.result is not None:
            report.results.append(ev.result)
    report.seconds = time.perf_counter() - t
    return report


def ingest_file(
    kb: KnowledgeBase,
    path: Path,
    *,
    kind: str | None = None,
    org: str | None = None,
    year: int | None = None,
    municipality: str | None = None,
    id_prefix: str = "",
    builtin: bool = False,
    display_name: str | None = None,
    source_id: str | None = None,
    scope: str = "",
    authority: str | None = None,
) -> FileResult:
    """Ingest one file; never raises for bad input (the result says what went wrong).

    ``scope`` is the owner scope of the document ('' = the whole installation, see service/api/scopes.py).
    ``authority`` (knowledge.authority) is set by origin for the samples; otherwise it follows from the
    built-in flag and the document's kind. A statute's version is recorded on its source, and the versions
    of its act are reconciled (the older ones superseded)."""
    t = time.perf_counter()
    name = redact_cpr(display_name or path.name)[0]  # a file name may hold a CPR number; it is stored
    result = FileResult(path=name, status="failed")
    try:
        sid = source_id or source_id_for(path, prefix=id_prefix)
        result.source_id = sid
        require_space(kb.settings)
        if not path.exists() or not path.is_file():
            raise LoadError(f"Filen '{name}' findes ikke.")
        size = path.stat().st_size
        if size > kb.settings.max_file_bytes:
            raise LoadError(
                f"Filen '{name}' er for stor ({size / 1024 / 1024:.1f} MB). Grænsen er {kb.settings.max_file_mb:g} MB."
            )
        data = path.read_bytes()
        given = given_metadata(kind=kind, org=org, year=year, municipality=municipality)
        doc_hash = file_hash(kb, data, given, scope=scope)
        existing = kb.store.get_source(sid)
        if existing is not None and existing.doc_hash == doc_hash:
            result.status, result.title, result.kind, result.chunks = "unchanged", existing.title, existing.kind, existing.chunk_count
            result.pages = existing.pages
            return result

        doc, chunks, cpr_total = _read_and_chunk(kb, path, name, sid, given, display_name=display_name)
        if not chunks:
            raise LoadError(f"Der blev ikke fundet nogen tekst i '{name}'.")
        extra = record_extra(kb, sid, chunks[0].metadata, authority or authority_for(
            str(chunks[0].metadata.get("kind") or ""), builtin=builtin))
        for i, c in enumerate(chunks):
            c.id = f"{sid}@{doc_hash[:10]}:{i:04d}"
            c.metadata["ordinal"] = i
            c.metadata["authority"] = extra["authority"]
            if extra.get("valid_to"):
                c.metadata["valid_to"] = extra["valid_to"]
            c.metadata = {k: _redacted(v) for k, v in c.metadata.items()
                          if v is not None and isinstance(v, (str, int, float, bool))}
        vectors = kb.cache.embed_documents(kb.embeddings, [embedding_text(c) for c in chunks])
        kb.embed_sentences(chunks)  # answering ranks sentences by meaning with these (a dot product each)
        first = chunks[0].metadata
        record = SourceRecord(
            source_id=sid, title=str(first.get("title") or doc.title), kind=str(first.get("kind") or "andet"),
            doc_hash=doc_hash, chunk_count=len(chunks), ingested_at=time.time(), path=name, fmt=doc.fmt,
            org=str(first.get("org") or ""), municipality=str(first.get("municipality") or ""),
            year=int(first.get("year") or 0), pages=int(doc.page_count or 0), cpr_redactions=cpr_total, builtin=builtin,
            scope=scope,
            extra=extra,
        )
        kb.store.put_document(record, chunks, vectors)
        if extra["authority"] in STATUTE_AUTHORITIES and extra.get("act"):
            reconcile_versions(kb.store, str(extra["act"]))
        if existing is not None and existing.extra.get("act") and existing.extra.get("act") != extra.get("act"):
            reconcile_versions(kb.store, str(existing.extra["act"]))
        result.status = "updated" if existing is not None else "added"
        result.title, result.kind, result.chunks, result.pages = record.title, record.kind, len(chunks), record.pages
        result.cpr_redactions, result.warnings = cpr_total, list(doc.warnings)
        return result
    except (StorageFullError, WriteLockTimeoutError, ReadOnlyHomeError):
        raise  # the data directory, not the file: the batch stops (CLI: a red line; API: 507/503)
    except (IngestError, KnowledgeError) as exc:
        result.message = exc.message
        return result
    except ValueError as exc:  # e.g. an unknown kind
        result.message = str(exc)
        return result
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the batch
        if is_disk_full(exc):
            raise StorageFullError(full_message(None, kb.settings)) from exc
        result.message = f"Uventet fejl ved indlæsning af '{name}': {type(exc).__name__}: {exc}"
        return result
    finally:
        # Messages can quote the file (a parser error, the temp file's name): they are shown and logged, and
        # name the file as the user knows it, not the generated upload name it was read from.
        result.message = redact_cpr(user_named(result.message, path, name if display_name else None))[0]
        result.warnings = [redact_cpr(user_named(w, path, name if display_name else None))[0]
                           for w in result.warnings]
        result.seconds = time.perf_counter() - t


def _read_and_chunk(kb: KnowledgeBase, path: Path, name: str, sid: str, given: dict[str, Any], *,
                    display_name: str | None) -> tuple[LoadedDocument, list[Chunk], int]:
    """Load, redact and chunk one file within its budget (ingest.budget: parse time, chunk count)."""
    settings = kb.settings
    with document_budget(name, seconds=settings.max_parse_seconds, max_chunks=settings.max_chunks_per_document):
        doc = load_file(path, max_bytes=settings.max_file_bytes)
        if display_name and doc.title == path.stem:
            # The loader fell back to the file name: use the name the user gave, not the generated upload
            # name (".upload-<random hex>", whose digits could even pass for a CPR number).
            doc.title = Path(name).stem
        cpr_total = redact_document(doc, Path(name).stem)
        base: dict[str, Any] = {"title": doc.title, "source_id": sid, "source_name": name, "fmt": doc.fmt, **given}
        chunks = chunk_document(doc, source_id=sid, base_metadata=base,
                                chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap)
    return doc, [c for c in chunks if c.text.strip()], cpr_total


def user_named(message: str, path: Path, shown: str | None) -> str:
    """``message`` with the path and name of the file read (a temp file) replaced by ``shown``, the user's name."""
    if not shown or not message:
        return message
    for text in (str(path), path.name):
        if text and text != shown:
            message = message.replace(text, shown)
    return message


def record_extra(kb: KnowledgeBase, source_id: str, first: dict[str, Any], authority: str) -> dict[str, Any]:
    """What the source record keeps beside the chunks: the authority and, for a statute or a built-in
    provision note, the act and the version (an official text's status among the stored versions of its act)."""
    extra: dict[str, Any] = {"authority": authority}
    if authority in STATUTE_AUTHORITIES:
        extra.update(version_extra(first))
        extra["act_title"] = str(first.get("title") or "")
        if extra.get("act") and extra.get("act_date"):
            extra["authority"], extra["valid_to"] = placement(kb.store.list_sources(), str(extra["act"]),
                                                              str(extra["act_date"]), source_id)
    elif authority == "builtin_note" and first.get("provision") and first.get("version"):
        version = find_version(str(first["version"]))
        extra["act"] = str(first["provision"]).split(":", 1)[0]
        extra["version"] = version.text if version else str(first["version"])
        if version is not None:
            extra.update(act_type=version.act_type, act_number=version.number, act_date=version.date)
    return extra


def _redacted(value: Any) -> Any:
    """A metadata value with CPR numbers replaced (front matter can hold any field, even a bare number)."""
    if isinstance(value, str):
        return redact_cpr(value)[0]
    if isinstance(value, int) and not isinstance(value, bool) and redact_cpr(f"{value:010d}")[1]:
        return "[CPR]"
    return value


def embedding_text(chunk: Chunk) -> str:
    """What is embedded for a chunk: title and heading path for context, then the text."""
    m = chunk.metadata
    head = " > ".join(x for x in (str(m.get("title", "")), str(m.get("heading", ""))) if x)
    return f"{head}\n{chunk.text}" if head else chunk.text


def remove_source(kb: KnowledgeBase, source_id: str) -> bool:
    """Remove a source and all its chunks; removing a statute version makes the one before it current again."""
    record = kb.store.get_source(source_id)
    removed = kb.store.remove_source(source_id)
    if removed and record is not None and record.extra.get("act") and not record.builtin:
        reconcile_versions(kb.store, str(record.extra["act"]))
    return removed


_PREFERRED = [".pdf", ".docx", ".html"]


def sample_files() -> list[tuple[Path, dict[str, Any]]]:
    """The sample documents with their metadata from the manifest (kind, org, municipality, year)."""
    manifest = SAMPLES_DIR / "manifest.json"
    if not manifest.exists():
        return []
    data = json.loads(manifest.read_text(encoding="utf-8"))
    out = []
    for f in data.get("files", []):
        p = SAMPLES_DIR / f["path"]
        if any(p.with_suffix(better).exists() for better in _PREFERRED[: _PREFERRED.index(p.suffix.lower())]
               if p.suffix.lower() in _PREFERRED):
            continue  # the same document in several formats (PDF and DOCX/HTML): index the PDF, with pages
        if p.exists():
            meta = {"kind": f.get("kind"), "org": f.get("organisation") or f.get("org"),
                    "municipality": f.get("municipality"), "year": f.get("year")}
            if meta["kind"] == "lov":
                meta = {}  # an act belongs to no organisation; the legal parser decides lov/bekendtgørelse
            out.append((p, {k: v for k, v in meta.items() if v is not None}))
    return out


def ingest_samples(kb: KnowledgeBase) -> Iterator[IngestEvent]:
    """Ingest the fictional sample documents with their manifest metadata."""
    files = sample_files()
    for i, (path, meta) in enumerate(files):
        yield IngestEvent("file", i, len(files), str(path))
        res = ingest_file(kb, path, id_prefix="sample", authority="sample", **meta)
        yield IngestEvent("result", i, len(files), str(path), res)
