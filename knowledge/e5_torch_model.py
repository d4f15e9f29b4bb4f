"""The e5 (XLM-R/BERT) encoder blocks as TorchScript-able PyTorch modules.

Imported only when the torch engine is used (``knowledge.e5_torch``). The whole encoder, from token ids
(the 4-bit word rows are dequantised inside) to the mean-pooled vector, is scripted and frozen: one call
runs in C++ without handing the GIL back and forth at every operation, which eager mode does ~100 times
per query. Measured with a Python thread spinning beside it: eager 1.6 s p50 per query, scripted blocks
with the embedding step in NumPy 0.11 s, everything in the graph 33 ms; alone ~15-20 ms.
"""

# No "from __future__ import annotations" here: TorchScript needs the class attribute annotations as types.

import warnings

import numpy as np
import torch
from torch import nn


def _linear(weight: np.ndarray, bias: np.ndarray) -> nn.Linear:
    layer = nn.Linear(weight.shape[1], weight.shape[0])
    layer.weight.data = torch.from_numpy(np.ascontiguousarray(weight, dtype=np.float32))
    layer.bias.data = torch.from_numpy(np.ascontiguousarray(bias, dtype=np.float32))
    return layer


def _norm(weight: np.ndarray, bias: np.ndarray, eps: float) -> nn.LayerNorm:
    layer = nn.LayerNorm(weight.shape[0], eps=eps)
    layer.weight.data = torch.from_numpy(np.ascontiguousarray(weight, dtype=np.float32))
    layer.bias.data = torch.from_numpy(np.ascontiguousarray(bias, dtype=np.float32))
    return layer


class Block(nn.Module):
    """One encoder layer: self-attention over all tokens, then the GELU feed-forward; post-norm."""

    heads: int
    head_dim: int

    def __init__(self, weights: dict[str, np.ndarray], heads: int, eps: float) -> None:
        super().__init__()
        w = weights
        self.heads = heads
        self.head_dim = w["q.w"].shape[0] // heads
        self.qkv = _linear(np.concatenate([w["q.w"], w["k.w"], w["v.w"]]), np.concatenate([w["q.b"], w["k.b"], w["v.b"]]))
        self.attn_out = _linear(w["ao.w"], w["ao.b"])
        self.attn_norm = _norm(w["aln.w"], w["aln.b"], eps)
        self.ffn_in = _linear(w["fi.w"], w["fi.b"])
        self.ffn_out = _linear(w["fo.w"], w["fo.b"])
        self.out_norm = _norm(w["oln.w"], w["oln.b"], eps)

    def forward(self, x: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        """``keys``: (1, 1, n) bool, True for the real tokens (padding is never attended to)."""
        n = x.shape[0]
        qkv = self.qkv(x).view(n, 3, self.heads, self.head_dim).permute(1, 2, 0, 3)
        ctx = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=keys)
        x = self.attn_norm(x + self.attn_out(ctx.permute(1, 0, 2).reshape(n, self.heads * self.head_dim)))
        return self.out_norm(x + self.ffn_out(nn.functional.gelu(self.ffn_in(x))))


class Encoder(nn.Module):
    """Token ids in, the mean of the final hidden states out (float32, not yet L2-normalised).

    The 4-bit word table stays 4-bit and its nibbles are not copied: ``word_blocks`` is a view of the
    memory-mapped model file, so only the rows of tokens actually seen are resident (a copy cost 48 MB of
    every process); the fp16 scales are copied out once (6 MB: TorchScript cannot reinterpret bytes). The rows a text needs are dequantised here, inside the scripted graph, so a whole window
    is one call with the GIL released."""

    eps: float
    hidden: int
    word_scale: torch.Tensor  # the buffers registered in __init__
    word_blocks: torch.Tensor
    position: torch.Tensor
    type0: torch.Tensor
    ln_w: torch.Tensor
    ln_b: torch.Tensor

    def __init__(self, blocks: list[Block], word_blocks: np.ndarray, position: np.ndarray, type0: np.ndarray,
                 ln_w: np.ndarray, ln_b: np.ndarray, eps: float) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.eps = eps
        self.hidden = int(position.shape[1])
        self.register_buffer("word_scale", torch.from_numpy(np.ascontiguousarray(word_blocks[:, :, :2]).view("<f2")[..., 0].copy()))
        with warnings.catch_warnings():  # read-only on purpose: the graph only ever indexes the table
            warnings.filterwarnings("ignore", message=".*not writable.*")
            self.register_buffer("word_blocks", torch.from_numpy(word_blocks))  # (vocab, blocks, 18) uint8
        self.register_buffer("position", torch.from_numpy(np.array(position, dtype=np.float32)))
        self.register_buffer("type0", torch.from_numpy(np.array(type0, dtype=np.float32)))
        self.register_buffer("ln_w", torch.from_numpy(np.array(ln_w, dtype=np.float32)))
        self.register_buffer("ln_b", torch.from_numpy(np.array(ln_b, dtype=np.float32)))

    def forward(self, ids: torch.Tensor, length: int) -> torch.Tensor:
        """``ids`` padded to a bucket length (few shapes: see e5_torch.BUCKET); the first ``length`` are real."""
        n = ids.shape[0]
        scale = self.word_scale[ids].float().unsqueeze(2)
        nibbles = self.word_blocks[ids][:, :, 2:]  # (n, blocks, 18) rows: an fp16 scale, then 16 bytes of nibbles
        low = torch.bitwise_and(nibbles, 15).float() - 8.0
        high = torch.bitwise_right_shift(nibbles, 4).float() - 8.0
        x = (torch.cat([low, high], dim=2) * scale).reshape(n, self.hidden)
        x = x + self.position[:n] + self.type0
        x = nn.functional.layer_norm(x, [self.hidden], self.ln_w, self.ln_b, self.eps)
        x = x.to(self.blocks[0].qkv.weight.dtype)
        keys = (torch.arange(n) < length).view(1, 1, n)
        for block in self.blocks:
            x = block(x, keys)
        return x[:length].float().mean(0)


def build(layer_weights: list[dict[str, np.ndarray]], embeddings: dict[str, np.ndarray], *, heads: int, eps: float,
          dtype: torch.dtype, script: bool = True) -> nn.Module:
    """The encoder (layers in ``dtype``, embeddings in float32); scripted and frozen unless ``script`` is
    False or scripting fails. ``embeddings``: word_blocks (vocab, blocks, 18) uint8, position, type0, ln_w, ln_b."""
    blocks = [Block(w, heads, eps).to(dtype) for w in layer_weights]
    model = Encoder(blocks, eps=eps, **embeddings).eval().requires_grad_(False)
    if not script:
        return model
    try:
        return torch.jit.freeze(torch.jit.script(model))
    except Exception:  # noqa: BLE001 - an eager model computes the same vectors, only slower under load
        return model
