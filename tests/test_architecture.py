"""The package structure rules: imports flow one way, third-party libraries stay in their modules."""

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
