"""Data protection through a live `almen serve`: no CPR number reaches the store, the lexical index files,
the logs or the audit database, and API keys are never logged or stored in clear text.

Documents with CPR numbers (in the text, the title, a table and the file name) are ingested through the
CLI and uploaded through the API; questions, searches, feedback and chat completions carry CPR numbers;
then every file of the data directory (upload originals that held CPR numbers are not kept) and the service log
are searched byte for byte for the numbers and the keys.

The table of tests/ingest/test_cpr.py goes the same way: every CPR form (en dash, NBSP, zero-width space,
a line break, 01.01.90-1234, ...) in a document, its file name, questions, searches and feedback, and every
look-alike that is not a CPR number (phone numbers, amounts, dates) must come through unchanged.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote, unquote_plus

import httpx
import pytest

from tests.ingest.test_cpr import NEGATIVES, POSITIVES
from tests.reliability.helpers import ALMEN, almen_env, open_kb, run_bounded
from tests.reliability.test_crash_ingest import WORKER
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


# ------------------------------------------------------------------ the CPR table end to end
def written_forms(text: str, expected: str) -> list[str]:
    """The CPR numbers of a table row as they are written in it (what '[CPR]' replaces in ``expected``)."""
    parts = expected.split("[CPR]")
    pos, forms = len(parts[0]), []
    for part in parts[1:-1]:
        end = text.index(part, pos)
        forms.append(text[pos:end])
        pos = end + len(part)
    forms.append(text[pos:len(text) - len(parts[-1])])
    return forms


def table_needles() -> tuple[list[bytes], list[str]]:
    """Every way a table CPR number could show up: bytes for whole files, text for parsed content.

    Bytes: the number as written (UTF-8, JSON-escaped, URL-encoded) and its digits in the usual forms.
    Text (store, index vocabulary, audit rows, log, responses): also the six-digit birth date alone,
    which is how a tokenizer would keep '010190 1234'."""
    raw: list[bytes] = []
    text: list[str] = []
    for row, expected in POSITIVES:
        for form in written_forms(row, expected):
            digits = "".join(str(unicodedata.decimal(c)) for c in form if unicodedata.category(c) == "Nd")
            assert len(digits) == 10, form
            plain = [digits, f"{digits[:6]}-{digits[6:]}", f"{digits[:6]} {digits[6:]}"]
            encoded = [form, json.dumps(form)[1:-1], quote(form), quote_plus(form)]
            raw += [n.encode() for n in plain + encoded]
            text += plain + [form, quote(form), quote_plus(form), digits[:6]]
    raw, text = list(dict.fromkeys(raw)), list(dict.fromkeys(text))
    negatives = "\n".join(NEGATIVES)
    assert not [n for n in text if n in negatives], "a CPR number of the table also occurs in a negative row"
    return raw, text


def text_hits(texts: dict[str, str], needles: list[str]) -> list[str]:
    """'where: needle' for every needle in a text; six-digit needles only as whole numbers."""
    found = []
    for where, value in texts.items():
        for n in needles:
            hit = re.search(rf"(?<!\d){re.escape(n)}(?!\d)", value) if n.isdigit() else n in value
            if hit:
                found.append(f"{where}: {n!r}")
    return found


def strings_in(value: object) -> list[str]:
    """Every string in a parsed JSON value (so escapes like '\\n' or '\\u2013' do not hide a number)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings_in(k), *strings_in(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def response_text(body: str) -> str:
    """The strings of a JSON body, or of every 'data:' event of a stream."""
    try:
        return "\n".join(strings_in(json.loads(body)))
    except ValueError:
        events = [line[5:].strip() for line in body.splitlines() if line.startswith("data:")]
        out = []
        for event in events:
            try:
                out += strings_in(json.loads(event))
            except ValueError:
                out.append(event)
        return "\n".join(out)


def squash(text: str) -> str:
    """Whitespace runs as one space (the loaders may reflow a paragraph)."""
    return " ".join(text.split())


TABLE_DOC = "Klagesager og kontaktoplysninger\n\n" + "\n\n".join(
    [row for row, _ in POSITIVES] + NEGATIVES) + "\n"


def test_every_cpr_form_of_the_table_stays_out_of_store_index_logs_audit_and_responses(tmp_path: Path) -> None:
    raw_needles, text_needles = table_needles()
    forms = sum(len(written_forms(row, expected)) for row, expected in POSITIVES)
    home = tmp_path / "home"
    docs = tmp_path / "docs"
    docs.mkdir()
    cli_name = f"beboerklage {written_forms(*POSITIVES[20])[0]}.txt"  # a no-break space in the file name
    (docs / cli_name).write_text(TABLE_DOC, encoding="utf-8")
    ingested = run_bounded(ALMEN + ["ingest", "--json", str(docs)], almen_env(home), timeout=300)
    assert ingested.returncode == 0, ingested.stderr[-2000:]
    assert json.loads(ingested.stdout[ingested.stdout.index("{"):])["cpr_redactions"] >= forms

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    proc = serve(home, port, log)
    sent: list[str] = []
    bodies: list[str] = []
    try:
        wait_ready(url, proc, log)
        editor = {"Authorization": f"Bearer {KEYS['editor']}"}
        reader = {"X-API-Key": KEYS["reader"]}
        name = f"Klage fra {written_forms(*POSITIVES[5])[0]}.md"  # an en dash in the file name
        meta = f"---\ntitle: Klage fra {written_forms(*POSITIVES[13])[0]}\nkind: notat\n---\n\n"
        up = httpx.post(f"{url}/api/documents", headers=editor, timeout=120,
                        files={"file": (name, (meta + TABLE_DOC).encode())}, data={"kind": "notat"})
        assert up.status_code == 201, up.text
        bodies.append(up.text)
        assert up.json()["report"]["cpr_redactions"] >= forms + 1  # the title too
        for row, _ in POSITIVES:
            sent.append(row)
            ask = httpx.post(f"{url}/api/ask", headers=reader, json={"question": row}, timeout=60)
            assert ask.status_code == 200, ask.text
            bodies.append(ask.text)
            bodies.append(httpx.get(f"{url}/api/search", headers=reader, params={"q": row}, timeout=60).text)
            bodies.append(httpx.get(f"{url}/api/search?q={quote(row)}", headers=reader, timeout=60).text)
        feedback = httpx.post(f"{url}/api/feedback", headers=reader, timeout=60, json={
            "answer_id": ask.json()["answer_id"], "rating": "down", "comment": POSITIVES[34][0]})
        assert feedback.status_code in (200, 201), feedback.text
        for row in NEGATIVES[:10]:  # look-alikes are audited as asked
            assert httpx.post(f"{url}/api/ask", headers=reader, json={"question": row}, timeout=60).status_code == 200
        audit_body = httpx.get(f"{url}/api/admin/audit?limit=500", headers={"X-API-Key": KEYS["admin"]}, timeout=60)
        bodies.append(audit_body.text)
        bodies.append(httpx.get(f"{url}/api/documents", headers=editor, timeout=60).text)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    log_text = log.read_text(errors="replace")
    assert log_text.count("GET /api/search") >= 2 * len(POSITIVES)  # the log really holds the searches
    files = [p for p in home.rglob("*") if p.is_file()]
    found = leaks(files + [log], raw_needles)
    assert not found, "\n".join(found)

    kb = open_kb(home)
    records = [r for r in kb.store.list_sources() if not r.builtin]
    assert len(records) == 2
    stored = {f"chunk {c.id}": c.text + json.dumps(c.metadata, ensure_ascii=False)
              for r in records for c in kb.store.chunks_of_source(r.source_id)}
    stored.update({f"record {r.source_id}": f"{r.source_id} {r.title} {r.path}" for r in records})
    lexical = {str(p): p.read_text(encoding="utf-8", errors="replace") for p in (home / "lexical").rglob("*.json")}
    with sqlite3.connect(home / "audit.sqlite3") as db:
        questions = [row[0] for row in db.execute("SELECT question FROM audit")]
        comments = [row[0] for row in db.execute("SELECT comment FROM feedback")]
    audit = {"audit question": "\n".join(questions), "feedback": "\n".join(comments)}
    echo_free = {}
    for i, body in enumerate(bodies):
        text = response_text(body)
        for row in sent:  # a response may echo what the caller sent (as sent or tidied), nothing else
            for echo in (row, squash(row), squash(unicodedata.normalize("NFKC", row))):
                text = text.replace(echo, "")
        echo_free[f"response {i}"] = text
    logs = {"log": log_text, "log, URL-decoded": unquote(log_text), "log, form-decoded": unquote_plus(log_text)}
    found = text_hits({**stored, **lexical, **audit, **logs, **echo_free}, text_needles)
    assert not found, "\n".join(found[:40])
    assert sum(q.count("[CPR]") for q in questions) >= forms and "[CPR]" in audit["feedback"]

    # No false positives: every look-alike is stored and audited as written.
    for record in records:
        text = squash("\n".join(c.text for c in kb.store.chunks_of_source(record.source_id)))
        missing = [row for row in NEGATIVES if squash(row) not in text]
        assert not missing, (record.path, missing)
    assert all(squash(row) in questions for row in NEGATIVES[:10])  # questions are stored whitespace-tidied


# ------------------------------------------------------------------ kill -9 leaves no original behind
CRASH_DOC = ("Klage over istandsættelse\n\nLejeren (CPR 020291 2345) og hendes søn (CPR 030292\u20133456) klager "
             "over regningen for istandsættelse af boligen i afdeling 4.\n")
CRASH_NEEDLES = [b"020291 2345", b"0202912345", "030292\u20133456".encode(), b"0302923456"]
CLEAN_DOC = "Notat om beboermøde\n\nBeboer Karen Testesen, Prøvevej 3, deltog i mødet om vedligeholdelse.\n"
CLEAN_MARKER = b"Karen Testesen"
# Where the service is stopped for good (crash_worker.py's ALMEN_TEST_HANG_AT) and what it was doing.
CRASH_POINTS = [
    ("upload, while the file is read", "ingest.pipeline:load_file", "upload"),
    ("upload, after the store write", "knowledge.store:ChunkStore.put_document:after", "upload"),
    ("review, while the report is read", "service.review.review:extract_report", "review"),
    ("delete, after the store removal", "knowledge.store:ChunkStore.remove_source:after", "delete"),
]


def start_worker(home: Path, port: int, ready: Path, log: Path, hang_at: str) -> subprocess.Popen:
    env = almen_env(home, ALMEN_API_KEYS=",".join(f"{r}:{k}" for r, k in KEYS.items()),
                    ALMEN_ALLOW_ANONYMOUS="false", ALMEN_RATE_LIMIT_PER_MINUTE="100000", ALMEN_TEST_HANG_AT=hang_at)
    return subprocess.Popen([sys.executable, str(WORKER), str(ready), "serve", "--port", str(port)], env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_line(path: Path, line: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 180
    while line not in (path.read_text() if path.exists() else "").splitlines():
        assert proc.poll() is None, f"the worker ended before '{line}'"
        assert time.monotonic() < deadline, f"the worker never reached '{line}'"
        time.sleep(0.05)


def in_background(send: "callable[[], object]") -> None:
    """Send a request that will never be answered (the service is killed while it works)."""
    def run() -> None:
        try:
            send()
        except httpx.HTTPError:
            pass
    threading.Thread(target=run, daemon=True).start()


def originals_with_personal_data(home: Path) -> list[str]:
    """Files in the data folder that hold a CPR number of the crash document, or original files (uploads/,
    reviews/, tmp/) that hold the deleted document's text."""
    files = [p for p in home.rglob("*") if p.is_file()]
    found = leaks(files, CRASH_NEEDLES)
    kept = [p for p in files if p.relative_to(home).parts[0] in ("uploads", "reviews", "tmp")]
    return found + [f"{p}: {CLEAN_MARKER.decode()}" for p in kept if CLEAN_MARKER in p.read_bytes()]


def test_kill_9_during_upload_review_and_delete_leaves_no_original_after_the_next_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    log = tmp_path / "serve.log"
    editor = {"Authorization": f"Bearer {KEYS['editor']}"}
    deleted: str | None = None
    prepared = run_bounded(ALMEN + ["ingest", "--builtin"], almen_env(home, ALMEN_BUILTIN="true"), timeout=300)  # no hang at start-up
    assert prepared.returncode == 0, prepared.stderr[-2000:]
    for n, (what, hang_at, action) in enumerate(CRASH_POINTS):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        ready = tmp_path / f"ready-{n}"
        proc = start_worker(home, port, ready, log, hang_at)
        try:
            wait_ready(url, proc, log)
            # This start swept what the previous kill left.
            assert not originals_with_personal_data(home), (f"after the start following: {CRASH_POINTS[n - 1][0]}",
                                                            originals_with_personal_data(home))
            if action == "upload":
                in_background(lambda url=url, n=n: httpx.post(f"{url}/api/documents", headers=editor, timeout=600,
                                                               files={"file": (f"klage-{n}.txt", CRASH_DOC.encode())}))
            elif action == "review":
                in_background(lambda url=url: httpx.post(f"{url}/api/reviews", headers=editor, timeout=600,
                                                 files={"file": ("styringsrapport.txt", CRASH_DOC.encode())}))
            else:
                up = httpx.post(f"{url}/api/documents", headers=editor, timeout=120,
                                files={"file": ("beboermoede.txt", CLEAN_DOC.encode())})
                assert up.status_code == 201, up.text
                deleted = up.json()["document"]["source_id"]
                assert (home / "uploads" / f"{deleted}.txt").is_file()  # an original without CPR is kept
                in_background(lambda url=url, deleted=deleted: httpx.delete(f"{url}/api/documents/{deleted}",
                                                                          headers=editor, timeout=600))
            wait_for_line(ready, "hanging", proc)
            if action != "delete":
                # The original is on disk right now, but only in the private scratch folder, readable by us only.
                holders = [p for p in home.rglob("*") if p.is_file() and any(x in p.read_bytes() for x in CRASH_NEEDLES)]
                assert holders, what
                for path in holders:
                    assert (home / "tmp") in path.parents, (what, path)
                    assert stat.S_IMODE(path.stat().st_mode) == 0o600, (what, path)
                    assert all(stat.S_IMODE(d.stat().st_mode) == 0o700 for d in path.parents if home / "tmp" in
                               (d, *d.parents)), (what, path)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)

    # A CLI command is a start too.
    listed = run_bounded(ALMEN + ["sources", "list", "--json"], almen_env(home), timeout=180)
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert not originals_with_personal_data(home)
    assert not list((home / "tmp").iterdir())
    assert deleted is not None and deleted not in listed.stdout  # the kill came after the removal
    assert not list((home / "uploads").glob(f"{deleted}.*"))
