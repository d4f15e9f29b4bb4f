"""The try-it page in real Chromium when an upload has the name of an existing document: a Danish dialog asks
whether to replace it, keep both or cancel, all by keyboard, and the page resends with the user's choice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.config import Settings
from tests.service.conftest import API_KEYS, KEYS, LiveServer
from tests.service.test_widget_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler")]
EDITOR = {"Authorization": f"Bearer {KEYS['editor']}"}


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    """The service over a fresh data folder of its own (fake embeddings)."""
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", api_keys=API_KEYS, allow_anonymous=False)
    with LiveServer(create_app(settings, bind_host="127.0.0.1", ingest_builtin=False)) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def version(folder: Path, marker: str) -> Path:
    """A 'Referat.txt' with its own text, in its own folder (the browser sends only the file name)."""
    path = folder / marker / "Referat.txt"
    path.parent.mkdir(parents=True)
    path.write_text(f"Referat af dialogmødet\n\nPå mødet blev {marker} drøftet.\n", encoding="utf-8")
    return path


def stored(live: LiveServer) -> dict[str, str]:
    """name -> stored text of every document, through the API."""
    docs = httpx.get(f"{live.url}/api/documents", headers=EDITOR, timeout=30).json()["documents"]
    kb = live.app.state.almen.kb
    return {d["name"]: " ".join(c.text for c in kb.store.chunks_of_source(d["source_id"])) for d in docs}


def test_the_page_asks_before_replacing_and_can_keep_both(live: LiveServer, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live.url + "/")
    page.fill("#api-key", KEYS["editor"])
    page.click("#key-form button[type=submit]")
    dialog = page.locator("#conflict-dialog")
    result = page.locator("#upload-result")

    def submit(path: Path) -> None:
        page.set_input_files("#upload-file", str(path))
        page.focus("#upload-form button[type=submit]")
        page.keyboard.press("Enter")

    submit(version(tmp_path, "marts"))
    result.locator(".ok").wait_for(timeout=30_000)
    assert "tilføjet" in result.inner_text()
    assert not dialog.is_visible()

    # Same name, other text: the dialog names the document and when it was uploaded; focus starts on 'Annuller'.
    submit(version(tmp_path, "juni"))
    dialog.wait_for(state="visible", timeout=30_000)
    text = dialog.inner_text()
    assert "findes allerede" in text and "Referat.txt" in text and "uploadet" in text and " kl. " in text
    assert page.evaluate("document.activeElement.textContent") == "Annuller"
    page.screenshot(path=str(tmp_path / "upload-conflict.png"))
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    page.get_by_text("Upload annulleret").wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Upload og indlæs"
    assert list(stored(live)) == ["Referat.txt"] and "marts" in stored(live)["Referat.txt"]

    # Again, and 'Erstat det eksisterende' by keyboard: the document now holds the new text.
    page.keyboard.press("Enter")  # focus is back on the upload button; the file is still chosen
    dialog.wait_for(state="visible", timeout=30_000)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == "Erstat det eksisterende"
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    page.get_by_text("er opdateret").wait_for(timeout=30_000)
    docs = stored(live)
    assert list(docs) == ["Referat.txt"] and "juni" in docs["Referat.txt"] and "marts" not in docs["Referat.txt"]

    # A third text and 'Behold begge': both are kept, the new one under a numbered name.
    submit(version(tmp_path, "september"))
    dialog.wait_for(state="visible", timeout=30_000)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == "Behold begge"
    page.keyboard.press("Space")
    page.get_by_text("er tilføjet").wait_for(timeout=30_000)
    assert "Gemt som Referat (2).txt" in result.inner_text()
    docs = stored(live)
    assert sorted(docs) == ["Referat (2).txt", "Referat.txt"]
    assert "juni" in docs["Referat.txt"] and "september" in docs["Referat (2).txt"]
    assert not errors, errors


def test_the_page_imports_an_official_law_as_a_version(live: LiveServer, browser, tmp_path: Path) -> None:
    """'Lov/bekendtgørelse' sends the file to /api/laws; a LexDania XML goes there by itself."""
    from tests.ingest.test_statute_layouts import STATUTES, V1, V2

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live.url + "/")
    page.fill("#api-key", KEYS["editor"])
    page.click("#key-form button[type=submit]")
    assert ".xml" in (page.get_attribute("#upload-file", "accept") or "")
    result = page.locator("#upload-result")

    page.select_option("#upload-kind", "officiel-lov")
    page.set_input_files("#upload-file", str(STATUTES / f"{V1}.txt"))
    page.click("#upload-form button[type=submit]")
    page.get_by_text("Det er den gældende version af prøveboligloven").wait_for(timeout=30_000)
    assert "LBK nr. 118 af 20/01/2025" in result.inner_text()

    page.set_input_files("#upload-file", str(STATUTES / f"{V2}.xml"))  # the kind is back on 'Find selv ud af det'
    page.click("#upload-form button[type=submit]")
    page.get_by_text("Markeret som afløst").wait_for(timeout=30_000)
    assert "LBK nr. 123 af 25/01/2026" in result.inner_text() and "LBK nr. 118 af 20/01/2025" in result.inner_text()
    laws = httpx.get(f"{live.url}/api/laws", headers=EDITOR, timeout=30).json()["laws"]
    assert [(x["act"], x["current_version"]) for x in laws] == [("proeveboligloven", "LBK nr. 123 af 25/01/2026")]
    assert not errors, errors
