"""`almen serve` started as the README says (only the port is free-chosen), used from 127.0.0.1 without a key:
upload, review and delete work, and the official openai SDK connects with api_key="x" as to a local Ollama."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ingest.pipeline import SAMPLES_DIR
from tests.service.conftest import free_port

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def readme_env(home: Path) -> dict[str, str]:
    """The user's environment: no ALMEN_* settings except a fresh data folder (never the user's own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALMEN_")}
    env.update({"ALMEN_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(REPO), "NO_COLOR": "1"})
    return env


def test_readme_serve_gives_the_local_user_every_right_without_a_key(tmp_path: Path) -> None:
    from openai import OpenAI

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    almen = Path(sys.executable).parent / "almen"
    command = [str(almen)] if almen.exists() else [sys.executable, "-c", "from service.cli import main; main()"]
    proc = subprocess.Popen(command + ["serve", "--port", str(port)], env=readme_env(tmp_path / "home"), cwd=REPO,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        started = [line for line in log.read_text(errors="replace").splitlines() if "almen starter" in line]
        assert started and "lokal tilstand" in started[0] and str(tmp_path / "home") in started[0], started
        with httpx.Client(base_url=url, timeout=120) as http:
            assert http.get("/auth/session").json()["mode"] == "local"
            note = "Notat om tomgang\n\nTomgangen i afdeling 3 var 1,2 procent i 2025, og organisationen følger op.\n"
            up = http.post("/api/documents", files={"file": ("tomgang.txt", note.encode(), "text/plain")},
                           data={"kind": "notat"})
            assert up.status_code == 201, up.text
            sid = up.json()["document"]["source_id"]
            report = (SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf").read_bytes()
            review = http.post("/api/reviews", files={"file": ("rapport.pdf", report, "application/pdf")})
            assert review.status_code == 201, review.text
            assert http.get(review.json()["links"]["docx"]).status_code == 200
            assert http.delete(f"/api/documents/{sid}").status_code == 200
            assert sid not in {d["source_id"] for d in http.get("/api/documents").json()["documents"]}
            assert http.get("/healthz", headers={"Host": "evil.example"}).status_code == 421

        client = OpenAI(base_url=f"{url}/v1", api_key="x", timeout=120, max_retries=0)
        assert next(m.id for m in client.models.list().data) == "almen"
        done = client.chat.completions.create(model="almen", messages=[
            {"role": "user", "content": "Hvad er formålet med styringsdialogen?"}])
        assert done.choices[0].message.content and "[1]" in done.choices[0].message.content
        notes = done.choices[0].message.annotations
        assert notes and {a.type for a in notes} == {"url_citation"}
        first = notes[0].url_citation
        assert done.choices[0].message.content[first.start_index:first.end_index] == "[1]"
        page = httpx.get(first.url, headers={"Accept": "text/html"}, timeout=60)  # local mode: no key needed
        assert page.status_code == 200 and 'id="passage"' in page.text and "<mark>" in page.text
        quote = done.model_extra["almen_citations"][0]["quote"].rstrip("…")[:50]
        assert quote.split("\n")[0].replace("&", "&amp;") in page.text.replace("&#x27;", "'").replace("&quot;", '"')
        pieces = [c.choices[0].delta.content or "" for c in client.chat.completions.create(
            model="almen", stream=True, messages=[{"role": "user", "content": "Hvad er formålet med styringsdialogen?"}])
            if c.choices]
        assert len("".join(pieces)) > 40
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
