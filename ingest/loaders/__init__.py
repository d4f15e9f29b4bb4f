"""File loaders: one module per format, chosen by suffix and checked against the content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.budget import ensure_budget
from ingest.errors import FileTooLargeError, LoadError, UnsupportedFormatError
from ingest.ocr_repair import repair_document
from knowledge.types import LoadedDocument

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".xml")
TEXT_SUFFIXES = frozenset({".html", ".htm", ".md", ".markdown", ".txt", ".xml"})

# Magic numbers of common binary formats, with a hint for the user.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "en PDF"),
    (b"PK\x03\x04", "en zip-fil eller et Office-dokument"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "et ældre Office-dokument (.doc/.xls)"),
    (b"\x89PNG", "et PNG-billede"),
    (b"\xff\xd8\xff", "et JPEG-billede"),
    (b"GIF8", "et GIF-billede"),
    (b"\x1f\x8b", "en gzip-fil"),
)


def _loader_for(suffix: str) -> Callable[[Path, bytes], LoadedDocument]:
    if suffix == ".pdf":
        from ingest.loaders.pdf import load_pdf

        return load_pdf
    if suffix == ".docx":
        from ingest.loaders.docx import load_docx

        return load_docx
    if suffix in (".html", ".htm"):
        from ingest.loaders.html import load_html

        return load_html
    if suffix == ".xml":
        from ingest.loaders.xml import load_xml

        return load_xml
    if suffix in (".md", ".markdown"):
        from ingest.loaders.markdown import load_markdown

        return load_markdown
    from ingest.loaders.text import load_text

    return load_text


def _mb(n: int | float) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",")


def load_file(path: Path, *, max_bytes: int) -> LoadedDocument:
    """Read one file into a LoadedDocument; raises LoadError (or a subclass) with a Danish message."""
    path = Path(path)
    name = path.name
    try:
        if not path.exists():
            raise LoadError(f"Filen '{path}' findes ikke. Kontrollér stien.")
        if not path.is_file():
            raise LoadError(f"'{path}' er ikke en fil. Angiv en fil (eller brug en mappe i stedet for en fil).")
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"Filen '{name}' kunne ikke læses ({exc.strerror}). Kontrollér rettighederne.") from exc
    if size > max_bytes:
        raise FileTooLargeError(
            f"Filen '{name}' fylder {_mb(size)} MB, men grænsen er {_mb(max_bytes)} MB. "
            "Del filen op, eller hæv grænsen med ALMEN_MAX_FILE_MB."
        )
    if size == 0:
        raise LoadError(f"Filen er tom. '{name}' indeholder ingen data; kontrollér at det er den rigtige fil.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"Filtypen '{suffix or '(ingen)'}' understøttes ikke ('{name}'). "
            f"Understøttede typer: {', '.join(SUPPORTED_SUFFIXES)}. Gem fx filen som PDF eller Word (.docx)."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"Filen '{name}' kunne ikke læses ({exc.strerror}). Kontrollér rettighederne.") from exc
    if len(data) > max_bytes:  # the file grew after stat()
        raise FileTooLargeError(
            f"Filen '{name}' fylder {_mb(len(data))} MB, men grænsen er {_mb(max_bytes)} MB. "
            "Del filen op, eller hæv grænsen med ALMEN_MAX_FILE_MB."
        )
    if not data.strip():
        raise LoadError(f"Filen er tom. '{name}' indeholder kun mellemrum eller tomme linjer.")
    check_content(name, suffix, data)
    if suffix in (".html", ".htm", ".txt") and _is_statute_xml(data):
        suffix = ".xml"  # retsinformation's XML saved under another name: read it as the structured text it is
    with ensure_budget(name):
        doc = _loader_for(suffix)(path, data)
        if suffix != ".xml":  # a statute's structured text is never a scan
            repair_document(doc)
        return doc


def _is_statute_xml(data: bytes) -> bool:
    from ingest.loaders.xml import is_lexdania

    return is_lexdania(data)


def check_content(name: str, suffix: str, data: bytes) -> None:
    """Raise LoadError when the bytes do not fit the suffix (a binary .md, a .docx that is not a zip, ...)."""
    head = data[:8192]
    if suffix == ".pdf":
        if b"%PDF-" not in data[:1024]:
            kind = _magic_kind(head)
            hint = f" Den ligner {kind}." if kind else ""
            raise LoadError(
                f"Filen '{name}' er ikke en gyldig PDF (PDF-signaturen mangler).{hint} "
                "Kontrollér at filen ikke er beskadiget eller har fået forkert filtype."
            )
        return
    if suffix == ".docx":
        if head.startswith(b"PK\x03\x04"):
            return
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise LoadError(
                f"Filen '{name}' er ikke en .docx-fil: den er enten i det gamle Word-format (.doc) eller beskyttet "
                "med adgangskode. Åbn den i Word, fjern en eventuel adgangskode og gem den som .docx."
            )
        raise LoadError(
            f"Filen '{name}' er ikke en gyldig Word-fil (.docx er en zip-fil, og det er denne ikke). "
            "Kontrollér at filen ikke er beskadiget eller har fået forkert filtype."
        )
    if suffix in TEXT_SUFFIXES and looks_binary(head):
        kind = _magic_kind(head)
        hint = f" Den ligner {kind}; giv den den rigtige filtype." if kind else " Kontrollér at filtypen passer til indholdet."
        raise LoadError(f"Filen '{name}' ser ud til at være binær og ikke tekst.{hint}")


def _magic_kind(head: bytes) -> str:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return ""


def looks_binary(head: bytes) -> bool:
    """True if the first bytes of a file look like binary data rather than text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text with a byte-order mark
        return False
    if _magic_kind(head) or b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > max(8, len(head) // 20)
