"""Scoring of almen's extraction against the truth files of tests/fixtures/unseen (pure functions, no almen imports).

Inputs are plain dicts: a truth file (see tests/fixtures/unseen/README.md), the agreement register's
entries for the document (``RegisterEntry.to_dict()``, as ``almen aftaler --json`` prints them) and the
review (``Review.to_dict()``, as ``almen review --json`` prints it). Every function returns counts plus
the rows behind them, so a failure can be read, not just counted.
"""

from __future__ import annotations

import re
from typing import Any

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})
_STOP_WORDS = """og at i til for med den det der som af på om en et de er vil skal kan fra inden senest frem
hvor ved eller samt efter under over så også blev bliver har have være var sig sin sit sine dette disse denne"""
_GENERIC_ORG = frozenset(["boligforeningen", "boligforening", "boligselskabet", "boligselskab", "andelsboligforeningen", "andelsboligforening", "almennyttige", "almennyttigt", "almene", "almen", "boliger", "bolig", "den", "selvejende", "institution", "afdeling", "smba", "a", "s", "amba", "af", "og", "the", "boligorganisationen", "boligorganisation"])
MATCH_THRESHOLD = 0.6
CHANGE_TYPES = frozenset({"change_vs_last_year"})


def fold(text: str) -> str:
    """Lower case with Danish letters as digraphs (æ -> ae), like almen's own fold."""
    return (text or "").lower().translate(_FOLD)


_STOP = frozenset(_STOP_WORDS.translate(_FOLD).split())


def tokens(text: str) -> set[str]:
    """Content words and numbers of a text (for matching an extracted agreement to a true one)."""
    words = re.findall(r"[a-z]+|\d+", fold(text))
    return {w for w in words if (len(w) >= 3 or w.isdigit()) and w not in _STOP}


def overlap(truth_text: str, found_text: str) -> float:
    """Share of the true text's content words that the found text contains."""
    want = tokens(truth_text)
    return len(want & tokens(found_text)) / len(want) if want else 0.0


# Company forms written with dots or a slash ('a.m.b.a.', 'S/I', 's.m.b.a.'): dropped before the words are split.
_COMPANY_FORM = re.compile(r"(?<![a-z])(?:a\.?m\.?b\.?a|s\.?m\.?b\.?a|s/i)\.?(?![a-z])")


def org_core(name: str) -> str:
    """'Boligforeningen Kærhøj' -> 'kaerhoej', 'Lervang Boligselskab a.m.b.a.' -> 'lervang' (generic words dropped)."""
    words = re.findall(r"[a-z0-9]+", _COMPANY_FORM.sub(" ", fold(name)))
    core = [w for w in words if w not in _GENERIC_ORG]
    return " ".join(core) or " ".join(words)


def entry_orgs(entry: dict[str, Any]) -> list[str]:
    """The organisation names of a register entry (a list field if there is one, else the text split)."""
    names = entry.get("organisations")
    if isinstance(names, list) and names:
        return [str(n) for n in names]
    text = entry.get("organisation") or ""
    return [p.strip() for p in re.split(r";|,\s|\s+og\s+", text) if p.strip()]


def org_ok(truth_orgs: list[str], aliases: dict[str, list[str]], found: list[str]) -> bool:
    """Every true organisation is named among the found ones (by core name or a listed alias)."""
    cores = {org_core(f) for f in found}
    for org in truth_orgs:
        accepted = {org_core(org)} | {org_core(a) for a in aliases.get(org, [])}
        if not cores & accepted:
            return False
    return bool(truth_orgs)


def responsible_role(text: str | None, doc: dict[str, Any]) -> str | None:
    """'kommune', 'organisation' or 'begge' for a responsible-party text (None when empty)."""
    if not text:
        return None
    low = fold(text)
    muni = org_core(doc.get("municipality") or "").replace(" kommune", "")
    kommune = bool(re.search(r"kommun|forvaltning|\bcenter\b|\bkb\b|udvalg|borgmester|visitation|jobcenter", low)
                   or (muni and muni in low))
    names = [org_core(o) for o in doc.get("organisations", [])]
    names += [org_core(a) for al in (doc.get("aliases") or {}).values() for a in al]
    org = bool(re.search(r"forening|selskab|\bselsk\b|boligorganisation|andelsbolig|organisation|bestyrelse|\bbo\b"
                         r"|bo\.org|administration|\badm\b|direktion|forretningsf|institution", low)
               or any(n and n in low for n in names))
    if re.search(r"parterne|begge|\balle\b", low) or (kommune and org):
        return "begge"
    return "kommune" if kommune else "organisation" if org else "andet"


def when_ok(truth: dict[str, Any], entry: dict[str, Any]) -> tuple[bool, str]:
    """Is the deadline-or-period right? (ok, Danish reason when not)."""
    period = truth.get("period")
    deadline = entry.get("deadline")
    if period:
        if deadline:
            return False, f"periode læst som frist ({deadline})"
        if entry.get("valid_to") != period["to"]:
            return False, f"periodens slutdato {entry.get('valid_to')} ≠ {period['to']}"
        if period.get("from") and entry.get("valid_from") != period["from"]:
            return False, f"periodens start {entry.get('valid_from')} ≠ {period['from']}"
        return True, ""
    if truth.get("deadline"):
        if deadline == truth["deadline"]:
            return True, ""
        year = truth["deadline"][:4]
        if truth.get("deadline_vague") and not deadline and entry.get("deadline_uncertain") \
                and year in (entry.get("deadline_text") or ""):
            return True, ""
        if entry.get("valid_to"):
            return False, f"frist læst som periode (til {entry.get('valid_to')})"
        return False, f"frist {deadline or entry.get('deadline_text') or 'ingen'} ≠ {truth['deadline']}"
    if deadline or entry.get("valid_to"):
        return False, f"frist/periode fundet ({deadline or entry.get('valid_to')}), men aftalen har ingen"
    return True, ""


def _assign(truths: list[dict[str, Any]], entries: list[dict[str, Any]]) -> dict[int, tuple[int, float]]:
    """Greedy one-to-one assignment entry index -> (truth index, overlap), best overlaps first."""
    pairs = sorted(((overlap(t["text"], e.get("text", "")), ti, ei) for ti, t in enumerate(truths)
                    for ei, e in enumerate(entries)), reverse=True)
    used_t: set[int] = set()
    out: dict[int, tuple[int, float]] = {}
    for score, ti, ei in pairs:
        if score < MATCH_THRESHOLD or ti in used_t or ei in out:
            continue
        used_t.add(ti)
        out[ei] = (ti, score)
    return out


def score_agreements(doc: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Recall/precision of the agreements of one document and the fields of each found agreement."""
    truths = doc["agreements"]
    assigned = _assign(truths, entries)
    by_truth = {ti: (ei, sc) for ei, (ti, sc) in assigned.items()}
    rows = []
    counts = {"truth": len(truths), "found": 0, "correct": 0, "org_ok": 0, "type_ok": 0, "when_ok": 0,
              "responsible_ok": 0, "status_ok": 0, "period_as_deadline": 0}
    for ti, t in enumerate(truths):
        row: dict[str, Any] = {"id": t["id"], "text": t["text"], "found": ti in by_truth}
        if ti in by_truth:
            e = entries[by_truth[ti][0]]
            counts["found"] += 1
            checks = {
                "org_ok": org_ok(t["organisations"], doc.get("aliases") or {}, entry_orgs(e)),
                "type_ok": e.get("type") in [t["type"], *t.get("type_alt", [])],
                "responsible_ok": responsible_role(e.get("responsible"), doc) in [t["responsible"],
                                                                                   *t.get("responsible_alt", [])],
                "status_ok": e.get("status") == t["status"],
            }
            ok_when, why = when_ok(t, e)
            checks["when_ok"] = ok_when
            counts["period_as_deadline"] += why.startswith("periode læst som frist")
            for k, v in checks.items():
                counts[k] += v
            correct = checks["org_ok"] and checks["type_ok"] and ok_when
            counts["correct"] += correct
            row.update(checks, correct=correct, when_reason=why, overlap=round(by_truth[ti][1], 2),
                       got={k: e.get(k) for k in ("organisation", "type", "responsible", "deadline", "deadline_text",
                                                  "valid_from", "valid_to", "status")},
                       want={"organisations": t["organisations"], "type": t["type"], "responsible": t["responsible"],
                             "deadline": t.get("deadline"), "period": t.get("period")})
        rows.append(row)
    extra = []
    trap_hits: dict[str, int] = {}
    party = 0
    names = [org_core(o) for o in doc.get("organisations", [])] + [org_core(doc.get("municipality") or "")]
    for ei, e in enumerate(entries):
        if ei in assigned:
            continue
        text = e.get("text", "")
        trap = max(doc.get("not_agreements", []), key=lambda n: overlap(n["text"], text), default=None)
        reason = trap["reason"] if trap and overlap(trap["text"], text) >= MATCH_THRESHOLD else "andet"
        low = fold(text)
        if reason == "neutral":  # may or may not be read as an agreement (e.g. the next meeting's date)
            continue
        if reason == "party_list" or (reason == "andet" and sum(1 for n in names if n and n in low) >= 3):
            reason = "party_list"
            party += 1
        trap_hits[reason] = trap_hits.get(reason, 0) + 1
        extra.append({"text": text[:160], "reason": reason, "type": e.get("type")})
    neutral = sum(1 for ei, e in enumerate(entries) if ei not in assigned) - len(extra)
    counts.update(extracted=len(entries) - neutral, false_positives=len(extra), party_list=party)
    return {"counts": counts, "rows": rows, "extra": extra, "trap_hits": trap_hits}


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(abs(b) * 0.001, 0.006)


def _fig_key(f: dict[str, Any]) -> tuple[str, Any, Any]:
    return f["figure_type"], f.get("afdeling_nr"), f.get("boligtype")


def score_figures(doc: dict[str, Any], figures: list[dict[str, Any]],
                  previous: list[dict[str, Any]]) -> dict[str, Any]:
    """Recall (value and page), precision, and last year's values for one report."""
    truth = doc["figures"]
    by_key = {_fig_key(t): t for t in truth}
    found: dict[tuple, dict[str, Any]] = {}
    wrong: list[dict[str, Any]] = []
    for f in figures:
        key = _fig_key(f)
        t = by_key.get(key)
        if t is not None and _close(float(f["value"]), t["value"]):
            found.setdefault(key, f)
        else:
            wrong.append({"figure_type": f["figure_type"], "afdeling_nr": f.get("afdeling_nr"),
                          "boligtype": f.get("boligtype"), "value": f["value"], "text": f.get("text"),
                          "page": f.get("page"), "why": "forkert værdi" if t is not None else "ikke i rapporten",
                          "want": t["value"] if t is not None else None, "source": (f.get("source") or "")[:100]})
    rows = []
    c = {"truth": len(truth), "found": 0, "found_page_ok": 0, "truth_known": 0, "found_known": 0,
         "extracted": len(figures), "wrong": len(wrong), "previous_truth": 0, "previous_found": 0}
    prev_by_key = {_fig_key(p): p for p in previous}
    for t in truth:
        key = _fig_key(t)
        f = found.get(key)
        page_ok = f is not None and (t["page"] is None or f.get("page") == t["page"])
        c["found"] += f is not None
        c["found_page_ok"] += page_ok
        c["truth_known"] += t["known_type"]
        c["found_known"] += t["known_type"] and f is not None
        prev_ok = None
        if t.get("previous") is not None:
            c["previous_truth"] += 1
            p = prev_by_key.get(key)
            prev_ok = p is not None and _close(float(p["value"]), t["previous"])
            c["previous_found"] += prev_ok
        rows.append({"figure_type": t["figure_type"], "afdeling_nr": t["afdeling_nr"], "boligtype": t.get("boligtype"),
                     "text": t["text"], "page": t["page"], "found": f is not None, "page_ok": page_ok,
                     "got_page": f.get("page") if f else None, "known_type": t["known_type"], "previous_ok": prev_ok})
    return {"counts": c, "rows": rows, "wrong": wrong}


def _afd_nr(label: str | None) -> int | None:
    m = re.search(r"afd\.?\s*(?:nr\.?\s*)?(\d+)", fold(label or ""))
    return int(m.group(1)) if m else None


def score_warnings(doc: dict[str, Any], checks: list[dict[str, Any]],
                   aliases: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Which planted warning signs the review flags ('følg op' on the named check, for the right afdeling)."""
    rows = []
    for w in doc.get("warnings", []):
        ids = {w["check"], *w.get("also", []), *(aliases or {}).get(w["check"], [])}
        hit = False
        for chk in checks:
            if chk["id"] not in ids or chk["status"] != "følg op":
                continue
            for finding in chk.get("findings", []):
                if finding["status"] != "følg op":
                    continue
                if w.get("afdeling") is None or _afd_nr(finding.get("afdeling")) == w["afdeling"]:
                    hit = True
        rows.append({"id": w["id"], "check": w["check"], "afdeling": w.get("afdeling"), "flagged": hit,
                     "reason": w.get("reason", "")})
    return {"counts": {"truth": len(rows), "flagged": sum(r["flagged"] for r in rows)}, "rows": rows}


def score_missing(doc: dict[str, Any], checks: list[dict[str, Any]], items: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """'mangler data' where the report does print the figures the check needs (and last year's, for changes).

    items: checklist id -> {"figures": [figure types needed], "change": bool, "level": 'afdeling'|'organisation'}.
    """
    present: dict[tuple[str, Any], dict[str, Any]] = {}
    for t in doc["figures"]:
        if t.get("boligtype") is None:
            present[(t["figure_type"], t["afdeling_nr"])] = t
    afds = sorted({t["afdeling_nr"] for t in doc["figures"] if t["afdeling_nr"] is not None})

    def has(item: dict[str, Any], afd: int | None) -> bool:
        for ftype in item["figures"]:
            t = present.get((ftype, afd))
            if t is None or (item["change"] and t.get("previous") is None):
                return False
        return True

    false, no_reference = [], []
    for chk in checks:
        item = items.get(chk["id"])
        if item is None:
            continue
        for finding in chk.get("findings", []):
            if finding["status"] != "mangler data":
                continue
            reason = finding.get("reason", "")
            nr = _afd_nr(finding.get("afdeling"))
            if item["level"] == "organisation":
                where = [None]
            elif nr is not None:
                where = [nr]
            else:
                where = afds + [None]
            hit = [a for a in where if has(item, a)]
            if not hit:
                continue
            row = {"check": chk["id"], "afdeling": hit[0], "reason": reason}
            (no_reference if "referenceniveau" in reason else false).append(row)
    return {"counts": {"false_missing": len(false), "missing_reference": len(no_reference)},
            "rows": false, "reference_rows": no_reference}


def score_rounding(doc: dict[str, Any], note: str) -> dict[str, Any]:
    """Amounts printed in mio. kr. with two decimals that the note shows rounded to fewer decimals."""
    rows = []
    for t in doc["figures"]:
        m = re.search(r"(\d+),(\d\d)(?!\d)", t["text"])
        if not m or t["unit"] != "kr" or abs(t["value"]) < 100_000:
            continue  # only amounts printed in millions with two decimals
        exact = f"{m.group(1)},{m.group(2)}"
        one = f"{round(float(m.group(1) + '.' + m.group(2)), 1):.1f}".replace(".", ",")
        if exact in note:
            state = "som trykt"
        elif re.search(re.escape(one) + r"(?!\d)\s*mio", note):
            state = "afrundet"
        else:
            state = "ikke i notatet"
        rows.append({"figure_type": t["figure_type"], "afdeling_nr": t["afdeling_nr"], "text": t["text"],
                     "state": state})
    return {"counts": {"amounts": len(rows), "rounded": sum(r["state"] == "afrundet" for r in rows)}, "rows": rows}


def identity_ok(doc: dict[str, Any], organisation: str | None, year: int | None) -> dict[str, bool]:
    """Organisation and year of the document read right?"""
    orgs = doc.get("organisations") or []
    return {"org_ok": bool(organisation) and org_ok(orgs[:1], doc.get("aliases") or {}, [organisation or ""]),
            "year_ok": year == doc.get("year")}


def add_counts(total: dict[str, int], counts: dict[str, int]) -> None:
    """Sum counts into total (in place)."""
    for k, v in counts.items():
        total[k] = total.get(k, 0) + int(v)


def ratio(a: int, b: int) -> str:
    """'7/9 (77,8 %)' or '0/0'."""
    return f"{a}/{b} ({a / b * 100:.1f} %)".replace(".", ",") if b else f"{a}/{b}"
