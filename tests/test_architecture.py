"""The package structure rules: imports flow one way, no import circle between files, third-party
libraries stay in their modules.

Every import counts, also one inside a function or under ``TYPE_CHECKING``: a circle hidden in a
function is still a circle for the reader (and for the next person who moves the import up).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("knowledge", "ingest", "service", "prompts", "eval")
# package -> packages of ours it may import
ALLOWED = {
    "prompts": set(),
    "knowledge": {"prompts"},
    "ingest": {"knowledge", "prompts"},
    "eval": {"knowledge", "prompts"},
    "service": {"ingest", "eval", "knowledge", "prompts"},
}


# Inside service/: which parts may import which (the parts of service not listed import nothing of service).
SERVICE_ALLOWED = {
    "domain": set(),
    "audit": set(),
    "answering": {"domain"},
    "agreements": {"domain", "answering"},
    "review": {"domain", "agreements"},
    "assistant": {"domain", "answering", "agreements"},
    "api": {"domain", "answering", "agreements", "review", "assistant", "audit"},
    "cli": {"domain", "answering", "agreements", "review", "assistant", "audit", "api"},
}


def iter_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


def test_imports_flow_one_way() -> None:
    bad: list[str] = []
    for pkg in PACKAGES:
        for f in (ROOT / pkg).rglob("*.py"):
            for mod in iter_imports(f):
                top = mod.split(".")[0]
                if top in PACKAGES and top != pkg and top not in ALLOWED[pkg]:
                    bad.append(f"{f.relative_to(ROOT)} imports {mod}")
    assert not bad, "Upward or sideways imports:\n" + "\n".join(bad)


def test_nobody_imports_the_eval_builtin_name() -> None:
    offenders = [str(f.relative_to(ROOT)) for pkg in PACKAGES for f in (ROOT / pkg).rglob("*.py")
                 if any(m == "eval" for m in iter_imports(f))]
    assert not offenders


def test_chromadb_only_in_the_store_module() -> None:
    users = sorted(str(f.relative_to(ROOT)) for pkg in PACKAGES for f in (ROOT / pkg).rglob("*.py")
                   if any(m.split(".")[0] == "chromadb" for m in iter_imports(f)))
    assert users == ["knowledge/store.py"]


def test_pypdf_only_in_the_pdf_loader_and_samples() -> None:
    users = {str(f.relative_to(ROOT)) for pkg in PACKAGES for f in (ROOT / pkg).rglob("*.py")
             if any(m.split(".")[0] == "pypdf" for m in iter_imports(f))}
    assert users <= {"ingest/loaders/pdf.py"} | {u for u in users if u.startswith("ingest/samples")}


def test_no_network_download_calls_in_product_code() -> None:
    needles = ("hf_hub_download", "snapshot_download", "requests.get(", "urlopen(")
    hits = [str(f.relative_to(ROOT)) for pkg in PACKAGES for f in (ROOT / pkg).rglob("*.py")
            if any(n in f.read_text(encoding="utf-8") for n in needles)]
    assert not hits


def _module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every module of our packages."""
    out: dict[str, Path] = {}
    for pkg in PACKAGES:
        for f in (ROOT / pkg).rglob("*.py"):
            parts = list(f.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = f
    return out


def _imported_modules(path: Path, known: dict[str, Path]) -> set[str]:
    """Our modules a file imports ('from a.b import c' is module a.b.c when that is a module, else a.b)."""
    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(resolve(a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(resolve(f"{node.module}.{a.name}") for a in node.names)
    return {m for m in found if m is not None}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circle_between_files() -> None:
    known = _module_files()
    graph = {name: _imported_modules(path, known) - {name} for name, path in known.items()}
    assert not _cycles(graph), "Import circles between files:\n" + "\n".join(" <-> ".join(c) for c in _cycles(graph))


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _service_part(path: Path) -> str:
    parts = path.relative_to(ROOT / "service").parts
    return parts[0].removesuffix(".py")


def test_imports_inside_service_flow_one_way() -> None:
    """answering, agreements and review are peers over service.domain: review -> agreements -> domain, never back;
    the assistant routes between agreements and answering; the API and the CLI sit on top."""
    bad: list[str] = []
    known = _module_files()
    for f in (ROOT / "service").rglob("*.py"):
        part = _service_part(f)
        if part == "__init__":
            continue
        for mod in sorted(_imported_modules(f, known)):
            names = mod.split(".")
            if names[0] != "service" or len(names) < 2 or names[1] == part:
                continue
            if names[1] not in SERVICE_ALLOWED.get(part, set()):
                bad.append(f"{f.relative_to(ROOT)} imports {mod}")
    assert not bad, "Wrong direction inside service/:\n" + "\n".join(bad)


def test_every_part_of_service_has_a_rule() -> None:
    parts = {_service_part(f) for f in (ROOT / "service").rglob("*.py")} - {"__init__"}
    assert parts == set(SERVICE_ALLOWED)
