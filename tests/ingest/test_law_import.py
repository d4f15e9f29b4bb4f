"""`almen lov import`: official texts stored as versions of their act, the older ones superseded but kept
for questions about a date; every layout gives the same units; URLs only when configured."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.errors import FetchDisabledError, FetchError, NotLegislationError
from ingest.law_import import import_law
from ingest.pipeline import remove_source
from knowledge import legal
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.search_types import build_filters
from knowledge.statutes import current_version, law_overview
from tests.ingest.test_statute_layouts import LAYOUTS, STATUTES, V1, V2, fixture_file

OTHER = STATUTES / "stoetteplaner-bek-45-2026.txt"
OTHER_ACT = "bekendtgoerelse_om_stoetteplaner_for_proevelejere"


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake", builtin=False))


def _stk3(kb: KnowledgeBase, on: str | None = None) -> str:
    result = kb.search("Hvad er fristen i prøveboligloven § 51 b, stk. 3?", filters=build_filters(on=on), k=3)
    top = result.hits[0].chunk
    assert top.metadata["legal_id"] == "proeveboligloven:§51b:stk3"
    return f"{top.metadata['version']}: {top.text}"


def test_versions_imported_in_order_the_newest_is_current_the_older_kept_for_its_period(kb: KnowledgeBase) -> None:
    first = import_law(kb, STATUTES / f"{V1}.txt")
    assert (first.status, first.current, first.superseded) == ("added", True, [])
    second = import_law(kb, STATUTES / f"{V2}.txt")
    assert (second.status, second.current) == ("added", True)
    assert second.superseded == ["LBK nr. 118 af 20/01/2025"]

    [act] = law_overview(kb.store.list_sources())
    assert act.act == "proeveboligloven" and act.current.current.version == "LBK nr. 123 af 25/01/2026"
    assert [(v.version, v.authority, v.valid_from, v.valid_to) for v in act.versions] == [
        ("LBK nr. 123 af 25/01/2026", "statute_current", "2026-01-25", ""),
        ("LBK nr. 118 af 20/01/2025", "statute_superseded", "2025-01-20", "2026-01-24"),
    ]
    # Today the current text speaks; on a date in 2025 the version then in force.
    assert "6 uger" in _stk3(kb) and _stk3(kb).startswith("LBK nr. 123 af 25/01/2026")
    old = _stk3(kb, on="2025-06-01")
    assert "8 uger" in old and old.startswith("LBK nr. 118 af 20/01/2025")
    assert "6 uger" in _stk3(kb, on="2026-02-01")
    # The chunks carry what answers need to name the version and rank it.
    chunk = next(c for c in kb.store.chunks_of_source(first.source_id) if c.metadata.get("legal_id"))
    assert (chunk.metadata["authority"], chunk.metadata["valid_to"]) == ("statute_superseded", "2026-01-24")
    assert "LBK nr. 118 af 20/01/2025" in chunk.citation_label()


def test_an_older_version_imported_later_is_superseded_at_once(kb: KnowledgeBase) -> None:
    assert import_law(kb, STATUTES / f"{V2}.xml").current
    older = import_law(kb, STATUTES / f"{V1}.txt")
    assert (older.current, older.current_version, older.superseded) == (False, "LBK nr. 123 af 25/01/2026", [])
    assert {c.metadata["authority"] for c in kb.store.chunks_of_source(older.source_id)} == {"statute_superseded"}
    assert "6 uger" in _stk3(kb)


def test_reimporting_the_same_file_changes_nothing(kb: KnowledgeBase) -> None:
    import_law(kb, STATUTES / f"{V1}.txt")
    import_law(kb, STATUTES / f"{V2}.html")
    generation = kb.store.generation()
    again = import_law(kb, STATUTES / f"{V2}.html")
    assert (again.status, again.current, again.superseded) == ("unchanged", True, [])
    assert kb.store.generation() == generation


def test_another_layout_of_the_same_version_replaces_it(kb: KnowledgeBase) -> None:
    a = import_law(kb, STATUTES / f"{V2}.html")
    b = import_law(kb, STATUTES / f"{V2}.xml")
    assert (b.status, b.source_id) == ("updated", a.source_id)
    assert [s.source_id for s in kb.store.list_sources()] == [a.source_id]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_gives_the_same_units_and_the_act_title(layout: str, tmp_path: Path) -> None:
    reference = KnowledgeBase(Settings(home=tmp_path / "ref", embedding_backend="fake", builtin=False))
    want = import_law(reference, STATUTES / f"{V2}.xml")
    kb = KnowledgeBase(Settings(home=tmp_path / layout, embedding_backend="fake", builtin=False))
    got = import_law(kb, fixture_file(V2, layout, tmp_path))
    assert (got.source_id, got.version, got.act_type, got.act_number, got.act_date) == (
        "lov-proeveboligloven-lbk-123-2026", "LBK nr. 123 af 25/01/2026", "LBK", "123", "2026-01-25")
    assert got.title == "Bekendtgørelse af lov om prøveboliger m.v."
    [record] = kb.store.list_sources()
    assert record.title == "Bekendtgørelse af lov om prøveboliger m.v." and not record.title.startswith("Kapitel")

    def units(k: KnowledgeBase) -> list[str]:
        return [str(c.metadata["legal_id"]) for c in k.store.chunks_of_source(want.source_id)
                if c.metadata.get("legal_id")]

    assert units(kb) == units(reference) and "proeveboligloven:§51b:stk3" in units(kb)


def test_a_different_act_is_not_superseded_and_gets_a_key_from_its_title(kb: KnowledgeBase,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import_law(kb, STATUTES / f"{V2}.txt")
    other = import_law(kb, OTHER)
    assert (other.act, other.act_type, other.act_number, other.current, other.superseded) == (
        OTHER_ACT, "BEK", "45", True, [])
    records = kb.store.list_sources()
    assert current_version(records, "proeveboligloven").current.version == "LBK nr. 123 af 25/01/2026"  # type: ignore[union-attr]
    assert {o.act: o.current.current.version for o in law_overview(records)} == {
        "proeveboligloven": "LBK nr. 123 af 25/01/2026", OTHER_ACT: "BEK nr. 45 af 10/02/2026"}
    chunk = next(c for c in kb.store.chunks_of_source(other.source_id) if c.metadata.get("legal_id") == f"{OTHER_ACT}:§1:stk2")
    assert chunk.metadata["legal_label"] == "bekendtgørelse om støtteplaner for prøvelejere § 1, stk. 2"

    # A new process knows the act only from the store: the search registers it from the source records.
    monkeypatch.setattr(legal, "_EXTRA_ACTS", {})
    monkeypatch.setattr(legal, "_ALIAS_TO_ACT", legal._alias_table()[0])
    monkeypatch.setattr(legal, "_ALIAS_RE", legal._alias_table()[1])
    fresh = KnowledgeBase(kb.settings)
    hit = fresh.search("Hvad siger § 1, stk. 2 i bekendtgørelse om støtteplaner for prøvelejere?", k=3).hits[0]
    assert hit.legal_match and hit.chunk.metadata["legal_id"] == f"{OTHER_ACT}:§1:stk2"
    assert "3 måneder" in hit.chunk.text


def test_removing_the_current_version_makes_the_older_current_again(kb: KnowledgeBase) -> None:
    import_law(kb, STATUTES / f"{V1}.txt")
    newest = import_law(kb, STATUTES / f"{V2}.txt")
    assert remove_source(kb, newest.source_id)
    assert current_version(kb.store.list_sources(), "proeveboligloven").current.version == "LBK nr. 118 af 20/01/2025"  # type: ignore[union-attr]
    assert "8 uger" in _stk3(kb)


def test_what_is_not_a_versioned_statute_is_refused_in_danish(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(NotLegislationError, match="ligner ikke en lov"):
        import_law(kb, STATUTES / "README.md")
    unversioned = tmp_path / "lov.txt"
    unversioned.write_text("Lov om prøveboliger\n\n§ 1. Loven gælder for almene boliger.\n", encoding="utf-8")
    with pytest.raises(NotLegislationError, match="hvilken version"):
        import_law(kb, unversioned)
    with pytest.raises(FetchDisabledError, match="ALMEN_LAW_FETCH"):
        import_law(kb, "https://www.retsinformation.dk/eli/lta/2026/207")
    assert kb.store.list_sources() == []


def test_cli_lov_import_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from service.cli import app

    monkeypatch.setenv("ALMEN_HOME", str(tmp_path / "cli-home"))
    monkeypatch.setenv("ALMEN_EMBEDDING_BACKEND", "fake")
    monkeypatch.setenv("ALMEN_BUILTIN", "false")
    runner = CliRunner()
    res = runner.invoke(app, ["lov", "import", str(STATUTES / f"{V1}.txt"), str(STATUTES / f"{V2}.xml")])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    assert "Markeret som afløst (gemt til spørgsmål om en dato): LBK nr. 118 af 20/01/2025." in said
    res = runner.invoke(app, ["lov", "list", "--json"])
    laws = json.loads(res.output)["laws"]
    assert [(law["act"], law["current_version"]) for law in laws] == [("proeveboligloven", "LBK nr. 123 af 25/01/2026")]
    assert [(v["version"], v["status"]) for v in laws[0]["versions"]] == [
        ("LBK nr. 123 af 25/01/2026", "gældende"), ("LBK nr. 118 af 20/01/2025", "afløst")]
    res = runner.invoke(app, ["lov", "import", str(STATUTES / f"{V2}.xml")])
    assert res.exit_code == 0 and "intet er ændret" in " ".join(res.output.split())
    res = runner.invoke(app, ["lov", "import", str(STATUTES / "README.md"), "http://127.0.0.1:9/x"])
    said = " ".join(res.output.split())
    assert res.exit_code == 1 and "ligner ikke en lov" in said and "slået fra" in said


# ---------------------------------------------------------------- fetching by URL (a server on this machine)

class _Laws(BaseHTTPRequestHandler):
    """Serves the fixtures as retsinformation would: XML and HTML by ELI address, a redirect, a 404."""

    routes = {
        "/eli/lta/2026/123/xml": (STATUTES / f"{V2}.xml", "application/xml; charset=utf-8"),
        "/eli/lta/2025/118": (STATUTES / f"{V1}.txt", ""),  # no Content-Type: the bytes say what it is
    }

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        if self.path == "/seneste":
            self.send_response(302)
            self.send_header("Location", "/eli/lta/2026/123/xml")
            self.end_headers()
            return
        if self.path not in self.routes:
            self.send_error(404)
            return
        path, content_type = self.routes[self.path]
        data = path.read_bytes()
        self.send_response(200)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def law_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Laws)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.mark.local_server
def test_fetching_by_url_only_from_allowed_hosts(kb: KnowledgeBase, law_server: str) -> None:
    with pytest.raises(FetchDisabledError, match="slået fra"):
        import_law(kb, f"{law_server}/eli/lta/2026/123/xml")
    listed = KnowledgeBase(kb.settings.model_copy(update={"law_fetch_hosts": "www.retsinformation.dk"}))
    with pytest.raises(FetchDisabledError, match="127.0.0.1"):
        import_law(listed, f"{law_server}/eli/lta/2026/123/xml")

    allowed = KnowledgeBase(kb.settings.model_copy(update={"law_fetch_hosts": "127.0.0.1, www.retsinformation.dk"}))
    old = import_law(allowed, f"{law_server}/eli/lta/2025/118")
    assert (old.version, old.url, old.name) == ("LBK nr. 118 af 20/01/2025", f"{law_server}/eli/lta/2025/118", "118.txt")
    new = import_law(allowed, f"{law_server}/seneste")  # a redirect to the XML
    assert (new.version, new.superseded, new.name) == ("LBK nr. 123 af 25/01/2026", ["LBK nr. 118 af 20/01/2025"],
                                                       "xml.xml")
    with pytest.raises(FetchError, match="404"):
        import_law(allowed, f"{law_server}/mangler")
    anywhere = KnowledgeBase(kb.settings.model_copy(update={"law_fetch": True}))
    assert import_law(anywhere, f"{law_server}/eli/lta/2026/123/xml").status == "unchanged"
