#!/usr/bin/env python3
"""Train a Llama-style transformer on one GPU and record step time and peak memory, as validation cases.

The model is the one trainplan describes (RMSNorm, GQA attention through PyTorch SDPA, SwiGLU MLP, untied
output head), trained with bf16 autocast over fp32 weights and fused AdamW: what a single-GPU PyTorch run
does. Each configuration runs warm-up steps, then timed steps; peak memory is torch.cuda.max_memory_allocated.
Writes $OUT/train_cases.json in trainplan's case format (data/validation/FORMAT.md) plus, per case,
measured.peakMemoryBytes. Run: PYTHONUNBUFFERED=1 python3 scripts/device/train_step.py
"""
import json, math, os, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

T0 = time.time()
GUARD_S = float(os.environ.get("GUARD_S", "300"))
OUT = os.path.join(os.environ.get("OUT", "."), "train_cases.json")
DEV = "cuda"


class Block(nn.Module):
    def __init__(s, h, heads, kv, ffn):
        super().__init__()
        s.heads, s.kv, s.d = heads, kv, h // heads
        s.n1, s.n2 = nn.RMSNorm(h), nn.RMSNorm(h)
        s.qkv = nn.Linear(h, (heads + 2 * kv) * s.d, bias=False)
        s.o = nn.Linear(heads * s.d, h, bias=False)
        s.up = nn.Linear(h, 2 * ffn, bias=False)
        s.down = nn.Linear(ffn, h, bias=False)

    def forward(s, x):
        b, t, _ = x.shape
        q, k, v = s.qkv(s.n1(x)).split([s.heads * s.d, s.kv * s.d, s.kv * s.d], -1)
        q = q.view(b, t, s.heads, s.d).transpose(1, 2)
        k = k.view(b, t, s.kv, s.d).transpose(1, 2)
        v = v.view(b, t, s.kv, s.d).transpose(1, 2)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        x = x + s.o(a.transpose(1, 2).reshape(b, t, -1))
        g, u = s.up(s.n2(x)).chunk(2, -1)
        return x + s.down(F.silu(g) * u)


class Model(nn.Module):
    def __init__(s, cfg, full_recompute):
        super().__init__()
        s.emb = nn.Embedding(cfg["vocab"], cfg["hidden"])
        s.blocks = nn.ModuleList(Block(cfg["hidden"], cfg["heads"], cfg["kvHeads"], cfg["ffnHidden"]) for _ in range(cfg["layers"]))
        s.norm = nn.RMSNorm(cfg["hidden"])
        s.head = nn.Linear(cfg["hidden"], cfg["vocab"], bias=False)
        s.full = full_recompute

    def forward(s, ids):
        x = s.emb(ids)
        for blk in s.blocks:
            x = checkpoint(blk, x, use_reentrant=False) if s.full else blk(x)
        return F.cross_entropy(s.head(s.norm(x)).float().view(-1, s.head.out_features), ids.view(-1))


MODELS = {
    "llama-1b": {"name": "Llama-style 1.2B", "layers": 16, "hidden": 2048, "heads": 32, "kvHeads": 8, "ffnHidden": 8192, "vocab": 32000},
    "llama-3b": {"name": "Llama-style 3.2B", "layers": 28, "hidden": 3072, "heads": 24, "kvHeads": 8, "ffnHidden": 8192, "vocab": 32000},
    "llama-7b": {"name": "Llama-2-7B shape", "layers": 32, "hidden": 4096, "heads": 32, "kvHeads": 32, "ffnHidden": 11008, "vocab": 32000},
}
RUNS = [("llama-1b", 2048, 4, False), ("llama-1b", 2048, 8, False), ("llama-1b", 4096, 4, False), ("llama-1b", 8192, 2, False),
        ("llama-1b", 4096, 8, True), ("llama-3b", 2048, 4, False), ("llama-3b", 4096, 2, False), ("llama-3b", 4096, 8, True),
        ("llama-3b", 8192, 4, True)]

# RUNS=model:seq:mb:full,... picks other configurations (full = 1 for full recomputation).
if os.environ.get("RUNS"):
    RUNS = [(m, int(q), int(b), f == "1") for m, q, b, f in (r.split(":") for r in os.environ["RUNS"].split(","))]
OUT = os.path.join(os.environ.get("OUT", "."), os.environ.get("OUT_NAME", "train_cases.json"))

cases = []
dev = torch.cuda.get_device_name(0)
for key, seq, mb, full in RUNS:
    if time.time() - T0 > GUARD_S:
        break
    cfg = MODELS[key]
    torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    try:
        model = Model(cfg, full).to(DEV)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
        ids = torch.randint(0, cfg["vocab"], (mb, seq), device=DEV)
        def step():
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = model(ids)
            loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        for _ in range(3): step()
        torch.cuda.synchronize(); t = time.perf_counter(); n = 8
        for _ in range(n): step()
        torch.cuda.synchronize(); dt = (time.perf_counter() - t) / n
        peak = torch.cuda.max_memory_allocated()
        params = sum(p.numel() for p in model.parameters())
        tps = mb * seq / dt
        print(f"{key} seq {seq} mb {mb} full {full}: {dt*1e3:.1f} ms/step, {tps:.0f} tok/s, peak {peak/2**30:.1f} GiB, params {params/1e9:.2f}B", flush=True)
        cases.append({
            "id": f"measured-h200-{key}-s{seq}-mb{mb}-{'full' if full else 'none'}",
            "source": {"title": "trainplan's own measurement on one NVIDIA H200 (scripts/device/train_step.py)", "url": "scripts/device/train_step.py", "location": "data/validation/measured-h200.json"},
            "model": {**{k: cfg[k] for k in ("name", "layers", "hidden", "heads", "kvHeads", "ffnHidden", "vocab")}, "paramsB": params / 1e9, "seqLen": seq, "gatedMlp": True, "moe": None, "headDim": None, "mla": None, "mtpLayers": 0, "notes": "eager PyTorch, bf16 autocast over fp32 weights, SDPA attention"},
            "hardware": {"chip": "h200-sxm", "count": 1, "chipsPerNode": 1, "interconnect": None},
            "precision": "bf16", "fp8Recipe": None,
            "parallelism": {"tp": 1, "pp": 1, "dp": 1, "cp": 1, "ep": 1, "vpp": 1, "sequenceParallel": False, "zero": "zero0", "recompute": "full" if full else "none", "notes": "single GPU"},
            "globalBatch": mb, "microBatch": mb,
            "measured": {"tokensPerSecondPerChip": tps, "stepSeconds": dt, "peakMemoryBytes": peak,
                         "derivation": "micro-batch x sequence / mean step time over 8 steps after 3 warm-up steps",
                         "asPublished": f"{dev}; torch {torch.__version__}"},
            "provenance": {"stated": ["all"], "inferred": [], "confidence": "high", "notes": "measured by trainplan on its device machine, 2026-11-26"},
        })
        del model, opt
    except Exception as ex:
        print(f"{key} seq {seq} mb {mb} full {full}: failed {type(ex).__name__}: {str(ex)[:200]}", flush=True)
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=1)
print(f"wrote {OUT} with {len(cases)} cases in {time.time() - T0:.0f} s")
