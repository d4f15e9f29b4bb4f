#!/usr/bin/env python
"""Measure almen's agreement and report-figure extraction on documents it has never seen.

    export PYTHONPATH=$PWD HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
    python scripts/measure_unseen.py tests/fixtures/unseen/tune [-v] [--json out.json] [--auto-kind]
    python scripts/measure_unseen.py tests/fixtures/unseen2/tune -v        # the second batch

The folder (a half of any batch) holds ``files/`` (the documents) and ``truth/`` (one YAML per document, see
tests/fixtures/unseen/README.md). Referater and aftaler are ingested into a temporary knowledge base
(fake embeddings, no organisation or year given; the kind is given as a user would with
``--kind``, unless --auto-kind) and read back from the agreement register - what ``almen aftaler
--json`` shows. Styringsrapporter go through ``review_report`` - what ``almen review --json`` shows.

A frozen half (any folder named ``frozen``) is measured once, at the end of the round of work it
belongs to (batch 1: issue 16; batch 2: the next round; batch 3: the round after that; batch 4: round 4): it needs
--frozen-final.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import unseen_score as score

TODAY = dt.date(2026, 11, 15)
# Checklist ids that a future check for a planted warning may be given (warning 'check' -> also accepted).
CHECK_ALIASES: dict[str, list[str]] = {}


def load_folder(folder: Path) -> list[tuple[dict[str, Any], Path]]:
    """(truth, document path) for every truth file of a folder."""
    docs = []
    for truth_path in sorted((folder / "truth").glob("*.yaml")):
        truth = yaml.safe_load(truth_path.read_text(encoding="utf-8"))
        path = folder / "files" / truth["file"]
        if not path.exists():
            raise SystemExit(f"Mangler filen {path} til {truth_path.name}")
        docs.append((truth, path))
    return docs


def _kb(home: Path):  # type: ignore[no-untyped-def]
    from knowledge.config import Settings
    from knowledge.kb import KnowledgeBase

    return KnowledgeBase(Settings(home=home, embedding_backend="fake"))


def run_agreements(docs: list[tuple[dict[str, Any], Path]], home: Path, *, auto_kind: bool) -> dict[str, Any]:
    """Ingest the referater/aftaler and return, per document id, the register entries and the document's identity."""
    from ingest.pipeline import ingest_file
    from service.agreements.register import get_register

    kb = _kb(home)
    sids: dict[str, str] = {}
    messages: dict[str, str] = {}
    for truth, path in docs:
        result = ingest_file(kb, path, kind=None if auto_kind else truth["kind"])
        sids[truth["id"]] = result.source_id
        messages[truth["id"]] = f"{result.status} kind={result.kind} {result.message}".strip()
    register = get_register(kb)
    entries = [e.to_dict(today=TODAY) for e in register.entries(today=TODAY)]
    documents = register.snapshot().documents
    out: dict[str, Any] = {}
    for truth, _ in docs:
        sid = sids[truth["id"]]
        mine = [e for e in entries if any(s["source_id"] == sid and s["role"] == "aftale" for s in e["sources"])]
        extraction = documents.get(sid)
        out[truth["id"]] = {"entries": mine, "ingest": messages[truth["id"]],
                            "org": extraction.org if extraction else None,
                            "year": extraction.year_of() if extraction else None}
    return out


def checklist_items() -> dict[str, dict[str, Any]]:
    """Checklist id -> the figures it needs, whether it compares with last year, and its level."""
    from service.review.checklist import load_checklist

    checklist = load_checklist()
    items: dict[str, dict[str, Any]] = {}
    for item in checklist.items:
        rule = item.rule
        names = [rule.figure] + ([rule.value_figure] if rule.value_figure else [])
        figures: list[str] = []
        for name in names:
            derived = checklist.derived.get(name)
            figures += [derived.numerator, derived.denominator] if derived else [name]
        items[item.id] = {"figures": figures, "change": rule.type in score.CHANGE_TYPES, "level": item.level}
    return items


def run_review(path: Path, home: Path) -> dict[str, Any]:
    """Review one report; the JSON of `almen review --json` plus last year's column and the note."""
    from service.review.review import review_report

    kb = _kb(home)
    try:
        review = review_report(path, kb=kb, settings=kb.settings, today=TODAY)
    except Exception as exc:  # noqa: BLE001 - a report the reader rejects is a measured failure
        return {"error": f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"}
    data = review.to_dict()
    data["previous_in_report"] = [f.to_dict() for f in review.report.previous_in_report]
    data["note"] = review.markdown
    return data


def measure(folder: Path, *, auto_kind: bool = False) -> dict[str, Any]:
    """Run the extraction on a folder and score it against the truth files."""
    docs = load_folder(folder)
    agreement_docs = [(t, p) for t, p in docs if t["kind"] in ("referat", "aftale")]
    report_docs = [(t, p) for t, p in docs if t["kind"] == "styringsrapport"]
    result: dict[str, Any] = {"folder": str(folder), "today": TODAY.isoformat(), "documents": []}
    totals: dict[str, dict[str, int]] = {"agreements": {}, "figures": {}, "warnings": {}, "missing": {},
                                         "rounding": {}, "identity": {}}
    with tempfile.TemporaryDirectory(prefix="almen-unseen-") as tmp:
        found = run_agreements(agreement_docs, Path(tmp) / "agreements", auto_kind=auto_kind) if agreement_docs else {}
        for truth, path in agreement_docs:
            got = found[truth["id"]]
            s = score.score_agreements(truth, got["entries"])
            ident = score.identity_ok(truth, got["org"], got["year"])
            score.add_counts(totals["agreements"], s["counts"])
            score.add_counts(totals["identity"], {f"referat_{k}": v for k, v in ident.items()} | {"referater": 1})
            result["documents"].append({"id": truth["id"], "file": path.name, "kind": truth["kind"],
                                        "style": truth["style"], "ingest": got["ingest"], "org": got["org"],
                                        "year": got["year"], "identity": ident, "agreements": s})
        items = checklist_items() if report_docs else {}
        for n, (truth, path) in enumerate(report_docs):
            data = run_review(path, Path(tmp) / f"review{n}")
            entry: dict[str, Any] = {"id": truth["id"], "file": path.name, "kind": truth["kind"], "style": truth["style"]}
            if "error" in data:
                entry["error"] = data["error"]
                data = {"figures": [], "previous_in_report": [], "checks": [], "note": "", "organisation": None,
                        "year": None}
            entry["organisation"], entry["year"] = data["organisation"], data["year"]
            entry["identity"] = score.identity_ok(truth, data["organisation"], data["year"])
            entry["figures"] = score.score_figures(truth, data["figures"], data["previous_in_report"])
            entry["warnings"] = score.score_warnings(truth, data["checks"], CHECK_ALIASES)
            entry["missing"] = score.score_missing(truth, data["checks"], items)
            entry["rounding"] = score.score_rounding(truth, data["note"])
            for key in ("figures", "warnings", "missing", "rounding"):
                score.add_counts(totals[key], entry[key]["counts"])
            score.add_counts(totals["identity"], {f"report_{k}": v for k, v in entry["identity"].items()}
                             | {"reports": 1})
            result["documents"].append(entry)
    result["totals"] = totals
    return result


def print_report(result: dict[str, Any], verbose: bool) -> None:
    """Human-readable figures (Danish labels, as the issue's targets are written)."""
    r = score.ratio
    for doc in result["documents"]:
        print(f"\n== {doc['id']} ({doc['file']}; {', '.join(doc['style'])})")
        if "agreements" in doc:
            c = doc["agreements"]["counts"]
            print(f"   indlæst: {doc['ingest']}; organisation={doc['org']!r} år={doc['year']} {doc['identity']}")
            print(f"   aftaler fundet {r(c['found'], c['truth'])}, rigtige {r(c['correct'], c['truth'])}, "
                  f"udtrukket {c['extracted']}, ekstra {c['false_positives']} (partsliste {c['party_list']})")
            if verbose:
                for row in doc["agreements"]["rows"]:
                    flags = "" if not row["found"] else " ".join(
                        f"{k[:-3]}={'ok' if row[k] else 'FEJL'}" for k in ("org_ok", "type_ok", "when_ok",
                                                                         "responsible_ok"))
                    print(f"     {row['id']}: {'fundet' if row['found'] else 'MANGLER'} {flags} {row.get('when_reason', '')}")
                    if row["found"] and not row["correct"]:
                        print(f"         fik {row['got']}\n         ville {row['want']}")
                for x in doc["agreements"]["extra"]:
                    print(f"     ekstra [{x['reason']}] {x['text']}")
        else:
            if doc.get("error"):
                print(f"   FEJL: {doc['error']}")
            f = doc["figures"]["counts"]
            print(f"   organisation={doc['organisation']!r} år={doc['year']} {doc['identity']}")
            print(f"   nøgletal fundet {r(f['found'], f['truth'])}, med rigtig side {r(f['found_page_ok'], f['truth'])}; "
                  f"kendte typer {r(f['found_known'], f['truth_known'])}; præcision "
                  f"{r(f['extracted'] - f['wrong'], f['extracted'])}; sidste år {r(f['previous_found'], f['previous_truth'])}")
            w = doc["warnings"]["counts"]
            print(f"   advarselstegn markeret {r(w['flagged'], w['truth'])}; 'mangler data' for trykte tal: "
                  f"{doc['missing']['counts']['false_missing']}; beløb afrundet i notatet: "
                  f"{doc['rounding']['counts']['rounded']}")
            if verbose:
                for row in doc["figures"]["rows"]:
                    if not row["page_ok"]:
                        state = "side " + str(row["got_page"]) if row["found"] else "MANGLER"
                        print(f"     {row['figure_type']} afd={row['afdeling_nr']} {row['text']!r} s.{row['page']}: {state}")
                for x in doc["figures"]["wrong"]:
                    print(f"     forkert: {x['figure_type']} afd={x['afdeling_nr']} {x['text']!r} ({x['why']}, "
                          f"ville {x['want']}) <- {x['source']!r}")
                for row in doc["warnings"]["rows"]:
                    print(f"     advarsel {row['id']} {row['check']} afd={row['afdeling']}: "
                          f"{'markeret' if row['flagged'] else 'IKKE markeret'}")
                for row in doc["missing"]["rows"]:
                    print(f"     mangler data, men trykt: {row['check']} afd={row['afdeling']}: {row['reason']}")
    t = result["totals"]
    a, f, w = t["agreements"], t["figures"], t["warnings"]
    print("\n== I alt")
    if a:
        print(f"   aftaler: fundet {r(a['found'], a['truth'])}; rigtig organisation+type+frist/periode "
              f"{r(a['correct'], a['truth'])}; præcision {r(a['extracted'] - a['false_positives'], a['extracted'])}; "
              f"opfundet af partsliste {a['party_list']}; periode læst som frist {a['period_as_deadline']}")
        print(f"   af de fundne: organisation {r(a['org_ok'], a['found'])}, type {r(a['type_ok'], a['found'])}, "
              f"frist/periode {r(a['when_ok'], a['found'])}, ansvarlig {r(a['responsible_ok'], a['found'])}, "
              f"status {r(a['status_ok'], a['found'])}")
    if f:
        print(f"   nøgletal: recall {r(f['found_page_ok'], f['truth'])} (med side), {r(f['found'], f['truth'])} (uden); "
              f"kendte typer {r(f['found_known'], f['truth_known'])}; præcision {r(f['extracted'] - f['wrong'], f['extracted'])}; "
              f"sidste års tal {r(f['previous_found'], f['previous_truth'])}")
        print(f"   advarselstegn markeret {r(w['flagged'], w['truth'])}; 'mangler data' for trykte tal "
              f"{t['missing']['false_missing']} (+{t['missing']['missing_reference']} uden referenceniveau); "
              f"beløb i mio. afrundet i notatet {t['rounding']['rounded']}/{t['rounding']['amounts']}")
    i = t["identity"]
    if i:
        print(f"   organisation/år aflæst: referater {i.get('referat_org_ok', 0)}/{i.get('referater', 0)} og "
              f"{i.get('referat_year_ok', 0)}/{i.get('referater', 0)}; rapporter {i.get('report_org_ok', 0)}/"
              f"{i.get('reports', 0)} og {i.get('report_year_ok', 0)}/{i.get('reports', 0)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="a folder with files/ and truth/ (e.g. tests/fixtures/unseen/tune)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and every extra")
    parser.add_argument("--json", type=Path, help="also write the full result as JSON")
    parser.add_argument("--auto-kind", action="store_true", help="ingest without --kind (kind from the title)")
    parser.add_argument("--frozen-final", action="store_true",
                        help="allow a frozen half (once, at the end of the round it belongs to)")
    args = parser.parse_args(argv)
    if args.folder.resolve().name == "frozen" and not args.frozen_final:
        print("Den frosne halvdel måles kun én gang, når arbejdet i runden er færdigt (--frozen-final).")
        return 2
    result = measure(args.folder, auto_kind=args.auto_kind)
    print_report(result, args.verbose)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
