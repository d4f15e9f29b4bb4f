"""Danish legal references: parse, normalise and render.

Canonical ids look like ``almenboligloven:§164:stk2`` (lettered paragraphs without the
space: ``almenboligloven:§54a``; chapters: ``driftsbekendtgoerelsen:kap21``) and labels
like ``almenboligloven § 164, stk. 2``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# act id -> (display name, aliases). Aliases are matched case-insensitively as whole words,
# also in genitive form (almenboliglovens, driftsbekendtgørelsens).
ACTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "almenboligloven": (
        "almenboligloven",
        (
            "almenboligloven", "almenboligloven", "almenboliglov", "lov om almene boliger",
            "bekendtgørelse af lov om almene boliger", "lab", "abl", "almenboligl.",
        ),
    ),
    "almenlejeloven": (
        "almenlejeloven",
        ("almenlejeloven", "almenlejelov", "lov om leje af almene boliger", "bekendtgørelse af lov om leje af almene boliger"),
    ),
    "driftsbekendtgoerelsen": (
        "driftsbekendtgørelsen",
        (
            "driftsbekendtgørelsen", "driftsbekendtgoerelsen", "driftsbekendtgørelse", "driftsbek.", "driftsbek",
            "drifts-bek.", "drifts-bek",
            "bekendtgørelse om drift af almene boliger",
        ),
    ),
    "udlejningsbekendtgoerelsen": (
        "udlejningsbekendtgørelsen",
        (
            "udlejningsbekendtgørelsen", "udlejningsbekendtgoerelsen", "udlejningsbekendtgørelse", "udlejningsbek.",
            "udlejningsbek", "udlejnings-bek.", "udlejnings-bek",
            "bekendtgørelse om udlejning af almene boliger",
        ),
    ),
    "proeveboligloven": (
        "prøveboligloven",
        ("prøveboligloven", "proeveboligloven", "lov om prøveboliger"),
    ),
}
CENTRAL_ACT = "almenboligloven"

# Acts outside ACTS, keyed from their titles when an official text of one is ingested (``register_act``).
_EXTRA_ACTS: dict[str, tuple[str, tuple[str, ...]]] = {}


def _ascii_spelling(alias: str) -> str:
    """An alias as typed without Danish letters ('lov om prøveboliger' -> 'lov om proeveboliger')."""
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        alias = alias.replace(a, b)
    return alias


_ABBREVIATION_RE = re.compile(r"^([a-zæøå]{4,}?)s?-?bek\.?$")


def _abbreviation_forms(alias: str) -> set[str]:
    """An abbreviated bekendtgørelse as typed with its two parts joined by a dot, a hyphen or a space, with or
    without the linking 's' ('driftsbek.' -> 'drift.bek.', 'drifts bek.', 'drift-bek', ...)."""
    m = _ABBREVIATION_RE.match(alias)
    if m is None:
        return set()
    stem = m.group(1)
    return {f"{stem}{link}{sep}bek{dot}" for link in ("", "s") for sep in (".", "-", " ", ". ") for dot in ("", ".")}


def _alias_table() -> tuple[list[tuple[str, str]], re.Pattern[str]]:
    """Every alias (longest first) with its act, and the regex that finds them as whole words; each alias also
    in its spelling without æ, ø, å, since caseworkers often type 'driftsbekendtgoerelsen'."""
    raw = {(alias.lower(), act) for table in (ACTS, _EXTRA_ACTS) for act, (_, aliases) in table.items()
           for alias in aliases}
    raw |= {(_ascii_spelling(a), act) for a, act in raw}
    raw |= {(form, act) for a, act in raw for form in _abbreviation_forms(a)}
    pairs = sorted(raw, key=lambda pair: (-len(pair[0]), pair[0]))
    pattern = re.compile(
        r"(?<![\wæøå])(" + "|".join(re.escape(a) for a, _ in pairs) + r")(?:s|ens|s')?(?![\wæøå])", re.IGNORECASE)
    return pairs, pattern


_ALIAS_TO_ACT, _ALIAS_RE = _alias_table()
_PARA = r"(\d+)(?!\d)(?:\s?([a-hj-zæøå])(?![\wæøå]))?"  # "i" is the Danish word, not a letter
# "§ 59, stk. 2, nr. 3" / "§§ 6 a-6 c" / "§§ 5 b, 6 a-c" / "§ 57-60"
_SECTION_RE = re.compile(
    r"§§?\s*(?P<body>" + _PARA + r"(?:\s*(?:-|–|,|og|til)\s*(?>" + _PARA + r"|[a-hj-zæøå](?![\wæøå]))(?![.,]?\s*stk))*)"
    r"(?:\s*,?\s*stk\.?\s*(?P<stk>\d+)(?:\s*(?:-|–|og)\s*(?P<stk2>\d+))?)?"
    r"(?:\s*,?\s*nr\.?\s*(?P<nr>\d+))?",
    re.IGNORECASE,
)
_CHAPTER_RE = re.compile(r"\bkap(?:itel|\.)?\s*(\d+(?:\s?[a-h](?![\wæøå]))?)", re.IGNORECASE)
_ID_RE = re.compile(r"^(?P<act>[a-z][a-z0-9_]*)(?::§(?P<para>\d+[a-zæøå]?))?(?::kap(?P<chap>\d+[a-z]?))?(?::stk(?P<stk>\d+))?(?::nr(?P<nr>\d+))?$")


def act_for_alias(text: str) -> str | None:
    """Return the act id for a law name or alias ('LAB', 'lov om almene boliger'), else None."""
    m = _ALIAS_RE.search(text)
    return _lookup_alias(m.group(1)) if m else None


def _lookup_alias(alias: str) -> str | None:
    low = alias.lower()
    for a, act in _ALIAS_TO_ACT:
        if a == low:
            return act
    return None


def detect_act(title: str) -> str | None:
    """Detect the act a document is from its title, e.g. 'Bekendtgørelse af lov om almene boliger m.v.'."""
    return act_for_alias(title)


def act_display(act: str) -> str:
    """The act's name in a label: 'almenboligloven', or the title of an act outside the registry."""
    return ACTS.get(act, _EXTRA_ACTS.get(act, (act, ())))[0]


def is_known_act(act: str) -> bool:
    """True for an act of the registry (ACTS) or one registered from an ingested official text."""
    return act in ACTS or act in _EXTRA_ACTS


# The title of a consolidated text ("Bekendtgørelse af lov om X m.v.") around the act's own name ("lov om X").
_CONSOLIDATION_RE = re.compile(r"^(?:lov)?bekendtgørelse\s+af\s+(?=(?:lov|forordning|\w+loven)\b)", re.IGNORECASE)
_TITLE_TAIL_RE = re.compile(r"[\s,]+(?:m\.\s?v\.|mv\.|m\.\s?m\.|mm\.)$", re.IGNORECASE)
_AMENDING_RE = re.compile(r"^(?:lov|bekendtgørelse)\s+om\s+ændring\s+af\b", re.IGNORECASE)


def act_name_from_title(title: str) -> str:
    """The act's own name from a title: 'Bekendtgørelse af lov om almene boliger m.v.' -> 'lov om almene boliger'."""
    name = " ".join(title.split())
    name = _CONSOLIDATION_RE.sub("", name)
    name = _TITLE_TAIL_RE.sub("", name).strip(" .")
    return name[:1].lower() + name[1:]


def act_key_for_title(title: str) -> str:
    """A stable act key for an act's title: the registry's act when the title names one (through its aliases:
    'Bekendtgørelse af lov om almene boliger m.v.' -> 'almenboligloven'), else a key made of the title's own
    name ('Bekendtgørelse om energimærkning af bygninger' -> 'bekendtgoerelse_om_energimaerkning_af_bygninger').

    An amending act ('Lov om ændring af lov om almene boliger') is an act of its own, never a version of the
    act it amends."""
    name = act_name_from_title(title)
    if not _AMENDING_RE.match(name):
        known = _lookup_alias(name) or act_for_alias(title)
        if known:
            return known
    slug = name.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        slug = slug.replace(a, b)
    slug = re.sub(r"[^a-z0-9]+", "_", slug).strip("_")
    if len(slug) > 60:
        slug = slug[:60].rsplit("_", 1)[0]
    return slug if slug[:1].isalpha() else f"lov_{slug}" if slug else "ukendt_lov"


def register_act(key: str, title: str) -> bool:
    """Make an act outside the registry known by its title (its name and the title are its aliases), so a
    question naming it finds its provisions. Idempotent; False when nothing was new."""
    if key in ACTS or key in _EXTRA_ACTS or not title.strip():
        return False
    global _ALIAS_TO_ACT, _ALIAS_RE
    name = act_name_from_title(title)
    _EXTRA_ACTS[key] = (name, tuple(dict.fromkeys(a for a in (name, " ".join(title.split()).lower()) if len(a) >= 6)))
    _ALIAS_TO_ACT, _ALIAS_RE = _alias_table()  # new objects, assigned at once: readers see old or new
    return True


def normalise_paragraph(num: str, letter: str | None = None) -> str:
    """'54', 'a' -> '54 a' (display form); ids drop the space."""
    num = num.strip()
    letter = (letter or "").strip().lower()
    return f"{num} {letter}" if letter else num


@dataclass(frozen=True)
class LegalRef:
    """A reference to an act, chapter, paragraph, stk. or nr.; act may be unknown (None)."""

    act: str | None
    paragraph: str | None = None  # display form, '164' or '54 a'
    stk: int | None = None
    nr: int | None = None
    chapter: str | None = None

    @property
    def canonical_id(self) -> str:
        parts = [self.act or "?"]
        if self.paragraph:
            parts.append("§" + self.paragraph.replace(" ", ""))
        elif self.chapter:
            parts.append("kap" + self.chapter.replace(" ", ""))
        if self.stk is not None and self.paragraph:
            parts.append(f"stk{self.stk}")
        if self.nr is not None and self.paragraph:
            parts.append(f"nr{self.nr}")
        return ":".join(parts)

    @property
    def label(self) -> str:
        name = act_display(self.act) if self.act else ""
        if self.paragraph:
            text = f"§ {self.paragraph}"
            if self.stk is not None:
                text += f", stk. {self.stk}"
            if self.nr is not None:
                text += f", nr. {self.nr}"
        elif self.chapter:
            text = f"kapitel {self.chapter}"
        else:
            text = ""
        return f"{name} {text}".strip()

    def with_act(self, act: str) -> "LegalRef":
        return LegalRef(act, self.paragraph, self.stk, self.nr, self.chapter)

    def parent(self) -> "LegalRef | None":
        """The § of a stk./nr. reference, or None for a bare §."""
        if self.nr is not None:
            return LegalRef(self.act, self.paragraph, self.stk, None, self.chapter)
        if self.stk is not None:
            return LegalRef(self.act, self.paragraph, None, None, self.chapter)
        return None

    def covers(self, other_id: str) -> bool:
        """True if the chunk id ``other_id`` lies within this reference (prefix match on parts)."""
        mine = self.canonical_id
        if self.act is None:
            mine = mine.split(":", 1)[1] if ":" in mine else ""
            other = other_id.split(":", 1)[1] if ":" in other_id else ""
            return bool(mine) and (other == mine or other.startswith(mine + ":"))
        return other_id == mine or other_id.startswith(mine + ":")


def parse_canonical_id(cid: str) -> LegalRef:
    """Inverse of LegalRef.canonical_id; raises ValueError for malformed ids."""
    m = _ID_RE.match(cid.strip())
    if not m or (not is_known_act(m.group("act")) and m.group("act") != "?"):
        raise ValueError(f"Ugyldig juridisk reference: '{cid}'")
    para = m.group("para")
    if para:
        pm = re.match(r"(\d+)([a-zæøå]?)$", para)
        assert pm
        para = normalise_paragraph(pm.group(1), pm.group(2))
    act = None if m.group("act") == "?" else m.group("act")
    return LegalRef(
        act, para,
        int(m.group("stk")) if m.group("stk") else None,
        int(m.group("nr")) if m.group("nr") else None,
        m.group("chap").strip() if m.group("chap") else None,
    )


def _expand_body(body: str) -> list[str]:
    """'6 a-6 c' -> ['6 a', '6 b', '6 c']; '57-60' -> 57..60; '5 b, 6 a-c' -> ['5 b', '6 a', '6 b', '6 c']."""
    tokens = re.findall(r"(\d+)?\s?([a-zæøå](?![\wæøå]))?\s*(-|–|,|og|til)?", body)
    out: list[str] = []
    pending_range = False
    for num, letter, sep in tokens:
        if not num and not letter:
            continue
        if pending_range and out:
            prev = out[-1]
            pnum, _, plet = prev.partition(" ")
            if num and not letter and not plet and int(num) > int(pnum) and int(num) - int(pnum) <= 15:
                out.extend(str(i) for i in range(int(pnum) + 1, int(num) + 1))
            elif letter and (not num or num == pnum) and ord(letter) > ord(plet or "`"):
                out.extend(f"{pnum} {chr(c)}" for c in range(ord(plet or "`") + 1, ord(letter) + 1))
            elif num:
                out.append(normalise_paragraph(num, letter))
        elif num:
            out.append(normalise_paragraph(num, letter))
        pending_range = sep in ("-", "–", "til")
    return list(dict.fromkeys(out))


def find_legal_refs(text: str, default_act: str | None = None) -> list[LegalRef]:
    """Find every legal reference in a text or query.

    An act named within a short distance before or after the § (or chapter) is attached;
    otherwise ``default_act`` (may be None: the caller decides, e.g. the conversation's act).
    """
    refs: list[LegalRef] = []
    act_spans = [(m.start(), m.end(), _lookup_alias(m.group(1))) for m in _ALIAS_RE.finditer(text)]

    def nearest_act(start: int, end: int) -> str | None:
        best, dist = None, 10**9
        for a_start, a_end, act in act_spans:
            if a_end <= start and start - a_end <= 25:
                d = start - a_end
            elif a_start >= end and a_start - end <= 6 + 15 and re.match(r"^\s*(i|efter|jf\.)?\s*$", text[end:a_start], re.I):
                d = a_start - end
            else:
                continue
            if d < dist:
                best, dist = act, d
        return best

    for m in _SECTION_RE.finditer(text):
        act = nearest_act(m.start(), m.end()) or default_act
        stk = int(m.group("stk")) if m.group("stk") else None
        stk2 = int(m.group("stk2")) if m.group("stk2") else None
        nr = int(m.group("nr")) if m.group("nr") else None
        paras = _expand_body(m.group("body"))
        for i, para in enumerate(paras):
            if i == len(paras) - 1:
                if stk2 and stk and stk2 > stk and stk2 - stk <= 10:
                    refs.extend(LegalRef(act, para, s) for s in range(stk, stk2 + 1))
                else:
                    refs.append(LegalRef(act, para, stk, nr))
            else:
                refs.append(LegalRef(act, para))
    for m in _CHAPTER_RE.finditer(text):
        act = nearest_act(m.start(), m.end()) or default_act
        refs.append(LegalRef(act, chapter=m.group(1).replace(" ", "")))
    return list(dict.fromkeys(refs))


def act_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, act id) of every act named in the text, in order."""
    return [(m.start(), m.end(), act) for m in _ALIAS_RE.finditer(text) if (act := _lookup_alias(m.group(1)))]


def acts_mentioned(text: str) -> list[str]:
    """Act ids named anywhere in the text, in order of first mention."""
    return list(dict.fromkeys(a for a in (_lookup_alias(m.group(1)) for m in _ALIAS_RE.finditer(text)) if a))


# A law outside the registry named right before a § ("servicelovens § 85", "lov om social service § 85"): the §
# is that law's, and no default act may claim it.
_OTHER_LAW_RE = re.compile(
    r"(?:[\wæøå]+(?:loven|lovens|bekendtgørelsen|bekendtgørelsens)|\blov(?:en|ens)?\s+om\s+[\wæøå ]{3,60}?)"
    r"\s*,?\s*(?:§§?\s*)?$", re.IGNORECASE)


# How people type a provision in a question: 'paragraf 59', 'pgf. 59', '2. stk.', '59 stk. 2' (no §).
_WORD_PARAGRAPH_RE = re.compile(r"(?<![\wæøå])(?:paragraf(?:fen|ferne)?|pgf\.?|par\.)\s*(?=\d)", re.IGNORECASE)
_ORDINAL_STK_RE = re.compile(r"(?<![\d.])(\d{1,2})\.\s*stk\b\.?", re.IGNORECASE)
_BARE_STK_RE = re.compile(r"(?<![\w§.,/-])(\d{1,3}(?:\s?[a-hj-zæøå](?![\wæøå]))?)\s*,?\s*(?=stk\b\.?\s*\d)", re.IGNORECASE)


# Short forms of 'stk.': '§112,5' (a comma with no space, after a single §) and '91(3)' / '62 a (6)' (the stk.
# in brackets, as in 'ABL 91(3)'). A comma followed by a space stays a list ('§ 57, 58'), and a bracketed
# number counts only right after a §, an act's name or at the start of the text.
_COMMA_STK_RE = re.compile(
    r"(?<!§)§(?!§)\s*(\d{1,3}(?:\s?[a-hj-zæøå](?![\wæøå]))?),(\d{1,2})(?![\d.,]?\d)(?!\s*(?:-|–|og|til)\s*\d)",
    re.IGNORECASE)
_PAREN_STK_RE = re.compile(
    r"(§\s*)?(?<![\w§.,/-])(\d{1,3}(?:\s?[a-hj-zæøå](?![\wæøå]))?)\s?\((\d{1,2})\)", re.IGNORECASE)


def _short_stk_forms(text: str) -> str:
    text = _COMMA_STK_RE.sub(lambda m: f"§ {m.group(1)}, stk. {m.group(2)}", text)

    def bracket(m: re.Match[str]) -> str:
        before = text[max(0, m.start() - 25):m.start()]
        named = bool(_ALIAS_RE.search(before)) and not re.search(r"\d", before.rsplit(" ", 2)[-1] if before else "")
        if m.group(1) or not before.strip() or named:
            return f"§ {m.group(2)}, stk. {m.group(3)}"
        return m.group(0)

    return _PAREN_STK_RE.sub(bracket, text)


def normalise_ref_spelling(text: str) -> str:
    """A question's provisions in the form the parser reads: 'paragraf 59, 2. stk.' -> '§ 59, stk. 2.',
    '51 b stk. 8' -> '§ 51 b, stk. 8', '§112,5' and 'ABL 91(3)' -> '§ 112, stk. 5' and 'ABL § 91, stk. 3'.
    A number before 'stk.' counts as a § only when no § stands before it."""
    text = _WORD_PARAGRAPH_RE.sub("§ ", text)
    text = _short_stk_forms(text)
    text = _ORDINAL_STK_RE.sub(lambda m: f"stk. {m.group(1)}", text)

    def bare(m: re.Match[str]) -> str:
        before = text[max(0, m.start() - 12):m.start()]
        if "§" in before:
            return m.group(0)
        return f"§ {m.group(1)}, "

    return _BARE_STK_RE.sub(bare, text)


def refs_in_text(text: str, default_act: str | None = None) -> list[LegalRef]:
    """The provisions a text (a question, a referat) names, each with its act: the act named beside it, else
    ``default_act``, else the first act the text names, else the central act (almenboligloven).

    A § right after the name of a law outside the registry ('servicelovens § 85') is left out: it belongs
    to that law, not to the default act. Colloquial spellings are read as well (normalise_ref_spelling)."""
    text = normalise_ref_spelling(text)
    kept = list(text)
    for m in _SECTION_RE.finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        if _OTHER_LAW_RE.search(before) and not _ALIAS_RE.search(before[-30:]):
            kept[m.start():m.end()] = " " * (m.end() - m.start())
    cleaned = "".join(kept)
    named = acts_mentioned(cleaned)
    act = default_act or (named[0] if named else CENTRAL_ACT)
    return [r if r.act else r.with_act(act) for r in find_legal_refs(cleaned)]
