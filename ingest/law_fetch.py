"""Fetching an official statute text by URL, for ``almen lov import URL`` - only when configured.

almen is offline by default: a URL is refused unless ALMEN_LAW_FETCH=true (any host) or the host is in
ALMEN_LAW_FETCH_HOSTS (e.g. www.retsinformation.dk). Redirects are followed by hand, and every host on
the way must be allowed. The answer is read up to the configured file size limit and saved under a
name whose suffix says how to read it: from the Content-Type, else the URL, else the first bytes.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import httpx

from ingest.errors import FetchDisabledError, FetchError, FileTooLargeError
from knowledge.config import Settings

MAX_REDIRECTS = 5
_TYPES = (("xml", ".xml"), ("html", ".html"), ("pdf", ".pdf"), ("text/plain", ".txt"))
_ACCEPT = "application/xml, text/xml;q=0.9, text/html;q=0.8, application/pdf;q=0.8"


def is_url(text: str) -> bool:
    """True for an http(s) address (what `almen lov import` fetches instead of reading a file)."""
    return bool(re.match(r"^https?://", text.strip(), re.IGNORECASE))


def check_allowed(url: str, settings: Settings) -> str:
    """The host of ``url`` when fetching from it is allowed; FetchDisabledError (Danish) when not."""
    parsed = urlparse(url.strip())
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise FetchError(f"'{url}' er ikke en gyldig adresse. Brug en adresse, der begynder med https://.")
    host = parsed.hostname.lower()
    if settings.law_fetch or host in settings.law_hosts:
        return host
    if not settings.law_hosts:
        raise FetchDisabledError(
            "Hentning af love fra en adresse er slået fra (almen arbejder offline). Gem loven fra retsinformation.dk "
            "som HTML, PDF eller XML og importér filen, eller tillad hentning med ALMEN_LAW_FETCH=true eller "
            "ALMEN_LAW_FETCH_HOSTS=www.retsinformation.dk.")
    raise FetchDisabledError(f"Værten '{host}' må almen ikke hente fra. Tilladte værter (ALMEN_LAW_FETCH_HOSTS): "
                             f"{', '.join(sorted(settings.law_hosts))}.")


def fetch_law(url: str, settings: Settings, folder: Path) -> tuple[Path, str]:
    """Download ``url`` into ``folder``; returns the saved file and a display name (the address's last part)."""
    check_allowed(url, settings)
    current = url.strip()
    try:
        with httpx.Client(timeout=settings.law_fetch_timeout, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                with client.stream("GET", current, headers={"Accept": _ACCEPT}) as response:
                    if response.is_redirect and response.headers.get("location"):
                        current = urljoin(current, response.headers["location"])
                        check_allowed(current, settings)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"Adressen {url} svarede med fejl {response.status_code}. Tjek adressen.")
                    data = _read_limited(response, settings.max_file_bytes)
                    content_type = response.headers.get("content-type", "")
                    break
            else:
                raise FetchError(f"Adressen {url} viderestiller for mange gange.")
    except httpx.HTTPError as exc:
        raise FetchError(f"Kunne ikke hente {url}: {type(exc).__name__}. Tjek adressen og netværket.") from exc
    if not data:
        raise FetchError(f"Adressen {url} svarede uden indhold.")
    name = _name_for(current, content_type, data)
    target = folder / name
    target.write_bytes(data)
    return target, name


def _read_limited(response: httpx.Response, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FileTooLargeError(f"Loven på adressen er større end grænsen på {max_bytes / 1024 / 1024:g} MB.")
        chunks.append(chunk)
    return b"".join(chunks)


def _name_for(url: str, content_type: str, data: bytes) -> str:
    """A file name for the fetched text: the address's last part with the suffix its type calls for."""
    path = unquote(urlparse(url).path).rstrip("/")
    stem = re.sub(r"[^\w.-]+", "-", path.rsplit("/", 1)[-1] or urlparse(url).hostname or "lov").strip("-.") or "lov"
    suffix = next((s for marker, s in _TYPES if marker in content_type.lower()), "")
    if not suffix:
        known = Path(stem).suffix.lower()
        suffix = known if known in (".xml", ".html", ".htm", ".pdf", ".txt") else _sniff(data)
    base = Path(stem).stem if Path(stem).suffix.lower() == suffix else stem
    return f"{base[:80] or 'lov'}{suffix}"


def _sniff(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return ".pdf"
    if head.startswith(b"<?xml") and b"<html" not in head:
        return ".xml"
    if b"<html" in head or b"<!doctype html" in head:
        return ".html"
    return ".txt"
