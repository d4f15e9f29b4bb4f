"""The HTML of almen's source page (GET /kilde/{chunk_id}): a cited passage highlighted in its document.

Made on the server, without script, so a link from any client (the chat widget, an OpenAI client, a
copied answer) opens a page a screen reader and a keyboard can use: the facts of the source (title, kind,
version, provision, page), its public sources, and the passage among its neighbours, marked and labelled.
A refused or missing page is HTML too for browsers (``error_page``); the key form on the 401 page is the
only place with a script (/kilde.js, for installations with API keys).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from knowledge.types import Chunk

SOURCE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'self'")
LOGIN_CSP = SOURCE_CSP.replace("default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';")
CONTEXT = 3  # chunks shown on each side of the passage
KIND_NAMES = {
    "lov": "Lov", "bekendtgoerelse": "Bekendtgørelse", "vejledning": "Vejledning", "notat": "Notat",
    "styringsrapport": "Styringsrapport", "referat": "Referat", "aftale": "Aftale", "andet": "Dokument",
}
_OVERLAP_MAX = 400


@dataclass
class SourceView:
    """What the page shows: the passage, its neighbours in reading order and the facts of its document."""

    chunk: Chunk
    neighbours: list[Chunk]
    label: str
    version: str = ""
    source_url: str = ""
    public_sources: list[tuple[str, str]] = field(default_factory=list)
    more_before: bool = False
    more_after: bool = False


def wants_json(accept: str) -> bool:
    """True when a client asks for JSON rather than a page (an Accept header without text/html)."""
    accept = accept.lower()
    return "application/json" in accept and "text/html" not in accept


def wants_page(path: str, accept: str) -> bool:
    """True when an error on ``path`` should be shown as a page: a browser on the source page."""
    return path.startswith("/kilde/") and "text/html" in accept.lower()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _without_overlap(previous: str, text: str) -> str:
    """Chunks of prose overlap by a few sentences; shown in a row, the repeat is left out."""
    for size in range(min(_OVERLAP_MAX, len(previous), len(text)), 19, -1):
        if text.startswith(previous[-size:]):
            return text[size:].lstrip()
    return text


def _paragraphs(text: str, *, mark: bool = False) -> str:
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if mark:
        return "".join(f"<p><mark>{_e(p)}</mark></p>" for p in parts)
    return "".join(f"<p>{_e(p)}</p>" for p in parts)


def _pages(chunk: Chunk) -> str:
    ps, pe = chunk.metadata.get("page_start"), chunk.metadata.get("page_end")
    if not ps:
        return ""
    return f"s. {ps}" if not pe or pe == ps else f"s. {ps}-{pe}"


def _facts(view: SourceView) -> str:
    chunk = view.chunk
    heading = [h for h in chunk.heading.split(" > ") if h]
    rows = [
        ("Dokumenttype", KIND_NAMES.get(str(chunk.metadata.get("kind") or ""), str(chunk.metadata.get("kind") or ""))),
        ("Bestemmelse", chunk.legal_label),
        ("Version", view.version),
        ("Afsnit", " › ".join(heading[1:]) if len(heading) > 1 else ""),
        ("Side", _pages(chunk)),
    ]
    items = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in rows if v)
    return f'<dl class="src-facts">{items}</dl>'


def _links(view: SourceView) -> str:
    parts = []
    if view.source_url:
        parts.append(f'<p><a href="{_e(view.source_url)}" rel="noopener noreferrer">Åbn originalen</a></p>')
    if view.public_sources:
        items = "".join(f'<li><a href="{_e(url)}" rel="noopener noreferrer">{_e(title)}</a></li>'
                        for title, url in view.public_sources)
        parts.append('<section class="src-origin" aria-labelledby="src-origin-h"><h2 id="src-origin-h">Offentlige '
                     'kilder bag noten</h2><p>Noten er skrevet af almen ud fra disse kilder:</p>'
                     f"<ul>{items}</ul></section>")
    return "".join(parts)


def _document(view: SourceView) -> str:
    out = []
    if view.more_before:
        out.append('<p class="src-more">… (tidligere afsnit er udeladt)</p>')
    previous, heading = "", None
    for other in view.neighbours:
        own = other.heading.split(" > ")[-1] if other.heading else ""
        if own and own != heading and own != other.title and not other.text.lstrip().startswith(own):
            out.append(f"<h3>{_e(own)}</h3>")  # a passage that begins with its heading shows it itself
        heading = own
        text = _without_overlap(previous, other.text)
        previous = other.text
        pages = _pages(other)
        page_note = f'<p class="src-page-no">{_e(pages)}</p>' if pages else ""
        if other.id == view.chunk.id:
            out.append('<section id="passage" class="src-passage" tabindex="-1" aria-labelledby="passage-h">'
                       f'<h3 id="passage-h" class="src-passage-h">Den citerede passage</h3>{page_note}'
                       f"{_paragraphs(other.text, mark=True)}</section>")
        else:
            out.append(f'<div class="src-context">{page_note}{_paragraphs(text)}</div>')
    if view.more_after:
        out.append('<p class="src-more">… (senere afsnit er udeladt)</p>')
    return "".join(out)


def _shell(title: str, body: str, *, script: bool = False) -> str:
    js = '<script src="/kilde.js" defer></script>' if script else ""
    return ('<!doctype html><html lang="da"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_e(title)}</title><link rel="stylesheet" href="/kilde.css">{js}</head>'
            f'<body class="src-body"><a class="src-skip" href="#passage">Gå til den citerede passage</a>{body}</body></html>')


def source_page(view: SourceView) -> str:
    """The page of a cited passage."""
    chunk = view.chunk
    header = (f'<header class="src-header"><p class="src-brand"><a href="/">almen</a> · kilde</p>'
              f"<h1>{_e(chunk.title or view.label)}</h1>{_facts(view)}{_links(view)}</header>")
    main = (f'<main class="src-main" aria-labelledby="src-doc-h"><h2 id="src-doc-h">Passagen i dokumentet</h2>'
            f'<div class="src-doc">{_document(view)}</div></main>')
    return _shell(f"Kilde: {view.label} – almen", header + main)


def error_page(status: int, detail: str, *, path: str, login: bool, key_form: bool) -> str:
    """A refused or missing source page, for browsers: what happened and what to do."""
    titles = {401: "Log ind for at se kilden", 403: "Ingen adgang til kilden", 404: "Kilden findes ikke",
              429: "For mange forespørgsler"}
    parts = [f'<main class="src-main src-error" id="passage" tabindex="-1"><h1>{_e(titles.get(status, "Fejl"))}</h1>',
             f'<p role="alert">{_e(detail)}</p>']
    if status == 401 and login:
        parts.append(f'<p><a class="src-button" href="/auth/login?next={_e(path)}">Log ind</a></p>')
    if status == 401 and key_form:
        parts.append('<form class="src-key" id="src-key"><label for="src-key-input">API-nøgle</label>'
                     '<input id="src-key-input" type="password" autocomplete="off" required>'
                     '<button type="submit">Vis kilden</button>'
                     '<p class="src-help" id="src-key-status" role="status" aria-live="polite">Nøglen bruges kun i '
                     'denne fane og sendes som header, aldrig i adressen.</p></form>')
    parts.append('<p><a href="/">Til almens forside</a></p></main>')
    return _shell(f"{titles.get(status, 'Fejl')} – almen", "".join(parts), script=status == 401 and key_form)
