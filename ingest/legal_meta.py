"""Which statute a document is: title, type (LBK/BEK/LOV), number and date of the version.

Consolidated texts open with a title block ("Bekendtgørelse af lov om almene boliger m.v." and
"LBK nr. 207 af 25/01/2026"), followed by a preamble that names the *previous* version
("Herved bekendtgøres lov om ..., jf. lovbekendtgørelse nr. 1203 af 3. august 2020, med de
ændringer, der følger af lov nr. ..."). The version is therefore read from a line that starts
with the designation, never from a mention inside a sentence; the official XML gives all of it
as metadata, which wins when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.legal_markers import is_legal_heading_line, strip_footnote_refs

_MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_VERSION_RE = re.compile(
    r"\b(?P<kind>LBK|BEK|Lovbekendtgørelse|Bekendtgørelse|Lov)\s+nr\.?\s*(?P<nr>\d+)\s+af\s+"
    r"(?:(?P<d1>\d{1,2})\s*/\s*(?P<m1>\d{1,2})\s*/?\s*(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\.\s*(?P<m2>januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_TYPES = {"lbk": "LBK", "lovbekendtgørelse": "LBK", "bek": "BEK", "bekendtgørelse": "BEK", "lov": "LOV"}
# "Lov om ...", "Bekendtgørelse af lov om ...", "Bekendtgørelse om ...", "Bekendtgørelse af straffeloven"
_TITLE_RE = re.compile(r"^(?:Bekendtgørelse|Lovbekendtgørelse|Lov|Forordning)\s+(?:af|om)\s+\S", re.IGNORECASE)
# A site name after the title in a page title: "Bekendtgørelse af lov om ... - retsinformation.dk"
_TITLE_SUFFIX_RE = re.compile(r"\s+[-–|]\s+(?=\S*(?:retsinformation|\.dk\b|\.gov\b))", re.IGNORECASE)


@dataclass(frozen=True)
class ActVersion:
    """One published version of an act: 'LBK nr. 207 af 25/01/2026' -> LBK, 207, 2026-01-25."""

    act_type: str  # 'LBK', 'BEK' or 'LOV'
    number: str
    date: str  # ISO date, '' when the written date is impossible
    text: str  # as cited: 'LBK nr. 207 af 25/01/2026', 'Lov nr. 512 af 3. juni 2021'

    @property
    def year(self) -> str:
        return self.date[:4]


def _version_from_match(m: re.Match[str]) -> ActVersion:
    kind = m.group("kind")
    written = kind.upper() if kind.upper() in ("LBK", "BEK") else kind.capitalize()
    if m.group("d1"):
        day, month, year = int(m.group("d1")), int(m.group("m1")), int(m.group("y1"))
        date_text = f"{day:02d}/{month:02d}/{year}"
    else:
        day, month, year = int(m.group("d2")), _MONTHS[m.group("m2").lower()], int(m.group("y2"))
        date_text = f"{day}. {m.group('m2').lower()} {year}"
    iso = f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""
    return ActVersion(_TYPES[kind.lower()], m.group("nr"), iso, f"{written} nr. {m.group('nr')} af {date_text}")


def find_version(text: str) -> ActVersion | None:
    """The first version designation anywhere in text ('... lov nr. 310 af 14. marts 2025 ...')."""
    m = _VERSION_RE.search(text)
    return _version_from_match(m) if m else None


def parse_version(text: str) -> tuple[str, str]:
    """Find a version line ('LBK nr. 1278 af 18/11/2015') in text; returns (version, ISO date) or ('', '')."""
    version = find_version(text)
    return (version.text, version.date) if version else ("", "")


def version_from_lines(lines: list[str]) -> ActVersion | None:
    """The document's own version: a line that is a designation, else the first line that starts with one.

    A designation inside a sentence ("jf. lovbekendtgørelse nr. 1203 af 3. august 2020") names
    another version and is never taken.
    """
    starting: ActVersion | None = None
    for line in lines:
        text = line.strip()
        m = _VERSION_RE.match(text)
        if m and len(text) - m.end() <= 25:
            return _version_from_match(m)
        # A designation that starts a sentence of its own ("... demonstration. LOV nr. 999 af 1. juli 2025"),
        # written with a capital: not "jf. lovbekendtgørelse nr. ..." or "med de ændringer, der følger af lov nr. ...".
        m = m or next((x for x in _VERSION_RE.finditer(text)
                       if x.group("kind")[0].isupper() and re.search(r"[.!?]\s+$", text[:x.start()])), None)
        starting = starting or (_version_from_match(m) if m else None)
    return starting


def version_from_metadata(metadata: dict) -> ActVersion | None:
    """A version given by the loader (the official XML's DocumentType, Number and DiesSigni)."""
    act_type = str(metadata.get("act_type") or "").upper()
    number = str(metadata.get("act_number") or "")
    date = str(metadata.get("act_date") or "")
    if act_type not in ("LBK", "BEK", "LOV") or not number or not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        return None
    y, m, d = date.split("-")
    written = {"LBK": "LBK", "BEK": "BEK", "LOV": "Lov"}[act_type]
    return ActVersion(act_type, number, date, f"{written} nr. {number} af {d}/{m}/{y}")


def clean_title(text: str) -> str:
    """A title without note markers and site names: 'Lov om X1) - retsinformation.dk' -> 'Lov om X'."""
    text = _TITLE_SUFFIX_RE.split(text.strip(), maxsplit=1)[0]
    return strip_footnote_refs(text)


def looks_like_title(text: str) -> bool:
    """True for an act's title line ('Bekendtgørelse af lov om almene boliger m.v.'), never 'Kapitel 1'."""
    text = text.strip()
    return bool(_TITLE_RE.match(text)) and len(text) <= 250 and not is_legal_heading_line(text)


def detect_kind(title: str, act: str, act_type: str = "") -> str:
    """'lov' or 'bekendtgoerelse': 'Bekendtgørelse om ...' is an order, 'Bekendtgørelse af lov om ...' an act."""
    low = title.strip().lower()
    if re.match(r"^(?:lovbekendtgørelse|bekendtgørelse af lov|lbk\b|lov\b)", low):
        return "lov"
    if re.match(r"^(?:bekendtgørelse|bek\b)", low):
        return "bekendtgoerelse"
    if act_type in ("LBK", "LOV"):
        return "lov"
    if act_type == "BEK":
        return "bekendtgoerelse"
    return "bekendtgoerelse" if act.endswith("bekendtgoerelsen") else "lov"
