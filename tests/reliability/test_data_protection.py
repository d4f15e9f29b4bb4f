"""Data protection through a live `almen serve`: no CPR number reaches the store, the lexical index files,
the logs or the audit database, and API keys are never logged or stored in clear text.

Documents with CPR numbers (in the text, the title, a table and the file name) are ingested through the
CLI and uploaded through the API; questions, searches, feedback and chat completions carry CPR numbers;
then every file of the data directory (upload originals that held CPR numbers are not kept) and the service log
are searched byte for byte for the numbers and the keys.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.reliability.helpers import ALMEN, almen_env, run_bounded
from tests.service.conftest import free_port

pytestmark = pytest.mark.slow

CPRS = ["010190-1234", "311285-4321", "0503777777", "290296-1111"]
KEYS = {"reader": "laeser-hemmelig-Q7x9-abcdef", "editor": "redaktoer-hemmelig-Z3k1-abcdef", "admin": "admin-hemmelig-P5m2-abcdef"}
WRONG_KEY = "forkert-hemmelig-W0w0"


def cpr_forms(cpr: str) -> list[bytes]:
    """The CPR number as it may be stored: with and without the dash."""
    digits = cpr.replace("-", "")
    return [cpr.encode(), f"{digits[:6]}-{digits[6:]}".encode(), digits.encode(),
            f"{digits[:6]}%2D{digits[6:]}".encode(), f"{digits[:6]}%2d{digits[6:]}".encode()]


DOC_MD = f"""---
title: Klagesag for borger {CPRS[0]}
kind: notat
borger: "Lejer {CPRS[1]}"
sagsnummer: {CPRS[2]}
---

# Klage over opsigelse fra lejer med CPR-nr. {CPRS[0]}

Lejeren ({CPRS[1]}) i afdeling 7 klager over opsigelsen. Sagen behandles i beboerklagenævnet.

| Navn | CPR | Afdeling |
| --- | --- | --- |
| Lejer A | {CPRS[2]} | 7 |
"""

DOC_TXT = f"""Notat om fraflytning

Fraflytteren med personnummer {CPRS[3]} har klaget over istandsættelsen af boligen i afdeling 3.
Boligorganisationen har svaret inden for fristen.
"""


def serve(home: Path, port: int, log: Path) -> subprocess.Popen:
    env = almen_env(home, ALMEN_API_KEYS=",".join(f"{r}:{k}" for r, k in KEYS.items()),
                    ALMEN_ALLOW_ANONYMOUS="false", ALMEN_RATE_LIMIT_PER_MINUTE="100000")
    return subprocess.Popen(ALMEN + ["serve", "--port", str(port), "--log-level", "debug"], env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(log.read_text(errors="replace")[-3000:])


def leaks(paths: list[Path], needles: list[bytes]) -> list[str]:
    """'file: needle' for every needle found in the bytes (or the name) of a file."""
    found = []
    for path in paths:
        data = path.read_bytes() + str(path).encode()
        found += [f"{path}: {n.decode()}" for n in needles if n in data]
    return found


def test_no_cpr_number_or_api_key_leaks_into_store_index_logs_or_audit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    docs = tmp_path / "docs"
    docs.mkdir()
    cli_file = docs / f"fraflytning {CPRS[3]}.txt"
    cli_file.write_text(DOC_TXT, encoding="utf-8")
    ingested = run_bounded(ALMEN + ["ingest", "--json", str(cli_file)], almen_env(home), timeout=180)
    assert ingested.returncode == 0, ingested.stderr[-2000:]
    cli_report = ingested.stdout  # the progress bar on stderr echoes the path the user typed

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    proc = serve(home, port, log)
    try:
        wait_ready(url, proc, log)
        editor = {"Authorization": f"Bearer {KEYS['editor']}"}
        reader = {"X-API-Key": KEYS["reader"]}
        up = httpx.post(f"{url}/api/documents", headers=editor, timeout=60,
                        files={"file": (f"Klage fra {CPRS[0]}.md", DOC_MD.encode())}, data={"kind": "notat"})
        assert up.status_code == 201, up.text
        body = up.json()
        assert body["report"]["cpr_redactions"] >= 3
        assert any("originalfilen er ikke gemt" in w for w in body["report"]["warnings"])
        assert not list((home / "uploads").iterdir())  # the original with the CPR numbers is not kept
        sid = body["document"]["source_id"]
        responses = [up.text]
        question = f"Hvad klager lejeren med CPR {CPRS[1]} over i afdeling 7?"
        ask = httpx.post(f"{url}/api/ask", headers=reader, json={"question": question}, timeout=60)
        assert ask.status_code == 200, ask.text
        responses.append(ask.text)
        with httpx.stream("POST", f"{url}/api/chat", headers=reader, json={"question": question}, timeout=60) as chat:
            responses.append("".join(chat.iter_text()))
        search = httpx.get(f"{url}/api/search", headers=reader, params={"q": f"klage {CPRS[2]}"}, timeout=60)
        responses.append(httpx.get(f"{url}/api/search?q=klage%20{CPRS[1][:6]}%2D{CPRS[1][7:]}", headers=reader).text)
        responses.append(search.text)
        responses.append(httpx.get(f"{url}/api/search?q={CPRS[3].replace('-', '')}", headers=reader, timeout=60).text)
        completion = httpx.post(f"{url}/v1/chat/completions", headers=reader, timeout=60, json={
            "model": "almen", "messages": [{"role": "user", "content": f"Hvem er {CPRS[0]}? Klage over opsigelse."}]})
        assert completion.status_code == 200, completion.text
        responses.append(completion.text)
        feedback = httpx.post(f"{url}/api/feedback", headers=reader, timeout=60, json={
            "answer_id": ask.json()["answer_id"], "rating": "down", "comment": f"Forkert person: {CPRS[2]}"})
        assert feedback.status_code in (200, 201), feedback.text
        for hit in search.json()["hits"]:
            responses.append(httpx.get(f"{url}/api/chunks/{hit['chunk_id']}", headers=reader, timeout=60).text)
        responses.append(httpx.get(f"{url}/api/documents", headers=editor, timeout=60).text)
        responses.append(httpx.get(f"{url}/api/admin/audit", headers={"X-API-Key": KEYS["admin"]}, timeout=60).text)
        # Wrong keys and keys in odd places: refused, and never echoed or logged.
        assert httpx.get(f"{url}/api/search", params={"q": "klage"}, headers={"X-API-Key": WRONG_KEY}).status_code == 401
        assert httpx.get(f"{url}/api/documents", headers=reader).status_code == 403
        assert httpx.get(f"{url}/api/search?q=klage&api_key={WRONG_KEY}").status_code == 401
        assert httpx.delete(f"{url}/api/documents/{sid}", headers=editor, timeout=60).status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    needles = [form for cpr in CPRS for form in cpr_forms(cpr)]
    key_needles = [k.encode() for k in (*KEYS.values(), WRONG_KEY)]
    log_text = log.read_text(errors="replace")
    assert "/api/search" in log_text and "/api/ask" in log_text  # the log really holds the requests
    files = [p for p in home.rglob("*") if p.is_file()]  # uploads/ included: originals with CPR numbers are not kept
    assert any("chroma" in str(p) for p in files) and any("lexical" in str(p) for p in files)
    assert any(p.name.startswith("audit.sqlite3") for p in files)
    found = leaks(files + [log], needles)
    assert not found, "\n".join(found)
    found = leaks(files + [log], key_needles)
    assert not found, "\n".join(found)
    # Responses may echo what the caller sent (the question, the query); nothing else may show a CPR number.
    sent = [question, f"klage {CPRS[2]}", f"klage {CPRS[1]}", CPRS[3].replace("-", ""), f"Hvem er {CPRS[0]}?"]
    echo_free = []
    for r in responses:
        for text in sent:
            r = r.replace(text, "")
        echo_free.append(r)
    shown = [(i, n.decode()) for i, r in enumerate(echo_free) for n in needles if n.decode() in r]
    assert not shown, shown
    assert not any(k.decode() in r for r in responses for k in key_needles)
    assert not any(n.decode() in cli_report for n in needles), cli_report
    audit = json.dumps(responses[-1])
    assert "[CPR]" in audit  # the audited questions were redacted, not dropped
    assert re.search(r"\[CPR\]", log_text)  # the access log redacted the query strings
