#!/usr/bin/env python3
"""Measure on one NVIDIA GPU what trainplan's step-time model assumes (docs/measurements.md).

Run on the device machine:  PYTHONUNBUFFERED=1 python3 scripts/device/measure_gpu.py
Writes $OUT/gpu_measurements.json (or ./gpu_measurements.json) after every section, so a
timeout keeps what was measured. `--smoke` runs tiny sizes on CPU to test the logic only.
Needs only python3 + PyTorch. Never changes clocks or other card settings (METHOD.md).
"""
import json, math, os, subprocess, sys, time

import torch
import torch.nn.functional as F

SMOKE = "--smoke" in sys.argv
CUDA = torch.cuda.is_available() and not SMOKE
DEV = "cuda" if CUDA else "cpu"
S = 16 if SMOKE else 1  # shrink every dimension in smoke mode
GUARD_S = 240.0  # stop starting new experiments after this many seconds
T0 = time.time()
OUT_PATH = os.path.join(os.environ.get("OUT", "."), "gpu_measurements.json")
BF16 = torch.bfloat16
R = {"schema": "trainplan-gpu-measurements/1", "t_start": T0, "smoke": SMOKE, "sections": {},
     "peaks": {"bf16_tflops": 989.4, "fp8_tflops": 1978.9, "hbm_tbps": 4.8, "source": "default until device section runs"}}


def d(x):  # scaled dimension, never below 16
    return max(16, x // S)


def left():
    return GUARD_S - (time.time() - T0)


def save():
    R["t_saved"] = time.time()
    with open(OUT_PATH, "w") as f:
        json.dump(R, f, indent=1)


def sync():
    if CUDA:
        torch.cuda.synchronize()


class Clock:  # CUDA events on the GPU; host clock in smoke mode
    def __init__(self):
        self.s, self.e = (torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) if CUDA else (0, 0)

    def start(self):
        if CUDA: self.s.record()
        else: self.s = time.perf_counter()

    def stop_ms(self):
        if CUDA:
            self.e.record(); self.e.synchronize(); return self.s.elapsed_time(self.e)
        return (time.perf_counter() - self.s) * 1e3


def bench(fn, min_ms=50.0, min_reps=10, warmup=3, batches=3):
    """Warm up, then `batches` timed batches of >= min_reps calls and >= min_ms each; ms per call."""
    for _ in range(warmup): fn()
    sync(); c = Clock(); c.start(); fn(); est = max(c.stop_ms(), 1e-4)
    reps = max(min_reps, min(5000, math.ceil(min_ms / est)))
    per = []
    for _ in range(batches):
        c.start()
        for _ in range(reps): fn()
        per.append(c.stop_ms() / reps)
    per.sort()
    return {"ms_median": per[len(per) // 2], "ms_best": per[0], "reps": reps, "batches": batches}


# SECTIONS=a,b runs only those sections (a second, focused run within the device budget).
ONLY = set(filter(None, os.environ.get("SECTIONS", "").split(",")))


def section(name):
    def wrap(f):
        if ONLY and name not in ONLY and name != "device":
            return f
        if left() <= 0:
            R["sections"][name] = {"skipped": "time guard"}; return f
        t = time.time(); out = {}
        try:
            f(out)
        except Exception as ex:  # keep going: one failing section must not lose the rest
            out["error"] = f"{type(ex).__name__}: {ex}"[:500]
        out["t_start"], out["t_end"] = t, time.time()
        R["sections"][name] = out; save(); print(f"[{time.time() - T0:6.1f}s] {name} done", flush=True)
        if CUDA: torch.cuda.empty_cache()
        return f
    return wrap


def smi():
    q = "name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.draw,power.limit,temperature.gpu"
    try:
        return subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv"], capture_output=True, text=True, timeout=15).stdout.strip()
    except Exception as ex:
        return f"unavailable: {ex}"


def rnd(*shape, dtype=BF16):
    return torch.randn(*shape, device=DEV, dtype=dtype)


def try_(out, key, fn):
    try:
        out[key] = fn()
    except Exception as ex:
        out[key] = {"error": f"{type(ex).__name__}: {ex}"[:300]}


@section("device")
def _(o):
    o.update(torch=torch.__version__, cuda=torch.version.cuda, python=sys.version.split()[0], smi_idle=smi())
    if CUDA:
        p = torch.cuda.get_device_properties(0)
        o.update(name=torch.cuda.get_device_name(0), sm_count=p.multi_processor_count, total_memory_bytes=p.total_memory,
                 l2_bytes=getattr(p, "L2_cache_size", None), capability=list(torch.cuda.get_device_capability(0)))
    name = o.get("name", "cpu")
    h200 = "H200" in name
    # Datasheet peaks (dense, SXM): NVIDIA H100/H200 datasheets; leads, not readings.
    R["peaks"] = {"bf16_tflops": 989.4, "fp8_tflops": 1978.9, "hbm_tbps": 4.8 if h200 else 3.35,
                  "source": "NVIDIA H100/H200 Tensor Core GPU datasheets (dense, SXM)"}


@section("hbm")
def _(o):
    n = (4 << 30) // S**3  # bytes
    src = torch.randint(0, 255, (n,), dtype=torch.uint8, device=DEV); dst = torch.empty_like(src)
    t = bench(lambda: dst.copy_(src), batches=5)
    o["copy"] = {"bytes_each_way": n, **t, "tbps_best": 2 * n / t["ms_best"] / 1e9}
    del src, dst
    x = rnd(n // 2)  # bf16, same byte count, read once
    t = bench(lambda: x.sum(), batches=5)
    o["sum_read"] = {"bytes": n, **t, "tbps_best": n / t["ms_best"] / 1e9}


def gemm_tflops(M, N, K, layout="NT"):
    """NT = forward Y = X W^T (nn.Linear); NN = dgrad dX = dY W; TN = wgrad dW = dY^T X."""
    if layout == "NT": a, b = rnd(M, K), rnd(N, K); f = lambda: torch.mm(a, b.t())
    elif layout == "NN": a, b = rnd(M, K), rnd(K, N); f = lambda: torch.mm(a, b)
    else: a, b = rnd(K, M), rnd(K, N); f = lambda: torch.mm(a.t(), b)
    t = bench(f)
    return {"M": M, "N": N, "K": K, "layout": layout, **t, "tflops": 2 * M * N * K / t["ms_median"] / 1e9}


# Llama-style shapes: hidden 8192, FFN 28672 (70B), 53248 (405B); tensor-parallel slices /8.
SHAPES = [(m, m, m) for m in (1024, 2048, 4096, 8192, 16384)]
for m in (2048, 4096, 8192, 16384):
    SHAPES += [(m, 8192, 8192), (m, 28672, 8192), (m, 8192, 28672), (m, 3584, 8192), (m, 8192, 3584),
               (m, 1024, 8192), (m, 6656, 8192), (m, 2048, 2048)]
SHAPES += [(1024, 8192, 8192), (1024, 1024, 8192), (4096, 11008, 4096), (8192, 1280, 8192)]


@section("gemm_bf16")
def _(o):
    o["shapes"] = []
    for (M, N, K) in SHAPES:
        if left() <= 0: o["truncated"] = True; break
        try_(o, "_", lambda: gemm_tflops(d(M), d(N), d(K))); o["shapes"].append(o.pop("_"))
    o["smi_after"] = smi()


@section("gemm_bf16_layouts")
def _(o):
    o["shapes"] = []
    for (M, N, K) in [(8192, 8192, 8192), (4096, 28672, 8192), (8192, 3584, 8192), (8192, 1024, 8192), (2048, 2048, 2048)]:
        for lay in ("NT", "NN", "TN"):
            if left() <= 0: break
            try_(o, "_", lambda: gemm_tflops(d(M), d(N), d(K), lay)); o["shapes"].append(o.pop("_"))


@section("gemm_fp8")
def _(o):
    f8 = torch.float8_e4m3fn; one = torch.ones((), device=DEV, dtype=torch.float32)
    o["shapes"] = []
    for (M, N, K) in [(8192, 8192, 8192), (16384, 16384, 16384), (4096, 28672, 8192), (8192, 8192, 28672),
                      (8192, 3584, 8192), (8192, 1024, 8192), (4096, 6656, 8192), (2048, 2048, 2048), (4096, 4096, 4096)]:
        if left() <= 0: break
        M, N, K = d(M), d(N), d(K)
        a = rnd(M, K).to(f8); b = rnd(N, K).to(f8)  # b^T is column-major, as _scaled_mm wants
        for fast in (False, True):
            def run():
                t = bench(lambda: torch._scaled_mm(a, b.t(), scale_a=one, scale_b=one, out_dtype=BF16, use_fast_accum=fast))
                return {"M": M, "N": N, "K": K, "fast_accum": fast, **t, "tflops": 2 * M * N * K / t["ms_median"] / 1e9}
            try_(o, "_", run); o["shapes"].append(o.pop("_"))


@section("grouped_gemm")
def _(o):
    o["configs"] = []
    for (E, Me, K, N) in [(8, 4096, 7168, 2048), (16, 2048, 7168, 2048), (32, 512, 7168, 2048), (32, 1024, 2048, 2048), (8, 1024, 4096, 2048)]:
        if left() <= 0: break
        E2, Me, K, N = max(2, E // S), d(Me), d(K), d(N)
        fl = 2 * E2 * Me * K * N; c = {"experts": E2, "tokens_per_expert": Me, "K": K, "N": N}
        a = rnd(E2, Me, K); w = rnd(E2, N, K); wt = w.transpose(1, 2); a2 = a.reshape(E2 * Me, K); w0 = rnd(K, N)
        tf = lambda f: (lambda t: {**t, "tflops": fl / t["ms_median"] / 1e9})(bench(f))
        try_(c, "bmm", lambda: tf(lambda: torch.bmm(a, wt)))
        try_(c, "loop_mm", lambda: tf(lambda: [torch.mm(a[i], wt[i]) for i in range(E2)]))
        offs = torch.arange(1, E2 + 1, device=DEV, dtype=torch.int32) * Me
        try_(c, "grouped_mm", lambda: tf(lambda: torch._grouped_mm(a2, wt, offs=offs, out_dtype=BF16)))
        try_(c, "single_large_mm", lambda: tf(lambda: torch.mm(a2, w0)))
        o["configs"].append(c)


@section("attention")
def _(o):
    from torch.nn.attention import SDPBackend, sdpa_kernel
    o["shapes"] = []
    backends = [("flash", SDPBackend.FLASH_ATTENTION), ("cudnn", SDPBackend.CUDNN_ATTENTION)] if CUDA else [("math", SDPBackend.MATH)]
    for (b, h, s, hd) in [(1, 32, 2048, 128), (1, 32, 4096, 128), (1, 32, 8192, 128), (2, 64, 4096, 128), (1, 64, 8192, 128)]:
        for bname, be in backends:
            if left() <= 0: break
            s2 = d(s); fwd_fl = 4 * b * h * s2 * s2 * hd / 2; r = {"b": b, "h": h, "s": s2, "d": hd, "backend": bname}
            def run():
                q, k, v = (rnd(b, h, s2, hd).requires_grad_() for _ in range(3)); g = rnd(b, h, s2, hd)
                with sdpa_kernel([be]):
                    tf = bench(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True))
                    tb = bench(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True).backward(g))
                bwd_ms = max(tb["ms_median"] - tf["ms_median"], 1e-6)
                return {"fwd_ms": tf["ms_median"], "fwd_bwd_ms": tb["ms_median"], "bwd_ms": bwd_ms,
                        "fwd_tflops": fwd_fl / tf["ms_median"] / 1e9, "bwd_tflops": 2.5 * fwd_fl / bwd_ms / 1e9,
                        "fwd_bwd_tflops": 3.5 * fwd_fl / tb["ms_median"] / 1e9}
            try_(r, "result", run); o["shapes"].append(r)
    o["flop_convention"] = "causal fwd = 4*b*h*s^2*d/2; bwd = 2.5x fwd; bwd time = (fwd+bwd) - fwd"


@section("elementwise")
def _(o):
    n = d(8192); x = rnd(n, n); u = rnd(n, n); w = rnd(n); nb = n * n * 2
    def rms_manual(): return x * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + 1e-6).to(BF16) * w
    def gbps(f, min_bytes): t = bench(f); return {**t, "min_bytes": min_bytes, "gbps_effective": min_bytes / t["ms_median"] / 1e6}
    try_(o, "copy", lambda: gbps(lambda: u.clone(), 2 * nb))
    try_(o, "rmsnorm_eager_manual", lambda: gbps(rms_manual, 2 * nb))
    try_(o, "rmsnorm_F_rms_norm", lambda: gbps(lambda: F.rms_norm(x, (n,), w, 1e-6), 2 * nb))
    try_(o, "silu_mul", lambda: gbps(lambda: F.silu(x) * u, 3 * nb))
    o["note"] = "gbps_effective counts the fewest bytes (inputs read once, output written once)"


@section("launch_overhead")
def _(o):
    t1 = torch.zeros(1, device=DEV)
    for _ in range(100): t1.add_(1)
    sync(); h = time.perf_counter()
    for _ in range(1000): t1.add_(1)
    sync(); o["tiny_add_host_us"] = (time.perf_counter() - h) * 1e3  # ms total over 1000 = us each
    o["tiny_add_device_us"] = bench(lambda: t1.add_(1), min_reps=1000, batches=3)["ms_median"] * 1e3
    o["gemm_small"] = []
    for m in (64, 128, 256, 512, 1024):
        a, b = rnd(m, m), rnd(m, m); t = bench(lambda: torch.mm(a, b), min_reps=1000)
        o["gemm_small"].append({"M": m, "N": m, "K": m, "us": t["ms_median"] * 1e3, "tflops": 2 * m**3 / t["ms_median"] / 1e9})
    if CUDA:  # graph replay removes the host launch cost and leaves the device-side gap
        s = torch.cuda.Stream(); s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s): t1.add_(1)
        torch.cuda.current_stream().wait_stream(s); g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            for _ in range(100): t1.add_(1)
        o["tiny_add_graph_us"] = bench(lambda: g.replay(), min_reps=20)["ms_median"] * 1e3 / 100


@section("sustained_gemm")
def _(o):  # short timings see boost clocks; a training step runs for seconds, so watch ~12 s of load
    n = d(8192); a, b = rnd(n, n), rnd(n, n); c = Clock(); o["windows"] = []; end = time.time() + min(12.0, max(left(), 0))
    while time.time() < end:
        c.start(); k = 0
        while k < 100: torch.mm(a, b); k += 1
        o["windows"].append({"t": time.time() - T0, "tflops": 2 * n**3 * k / c.stop_ms() / 1e9})
    o["smi_under_load"] = smi()


@section("attention_headdim")
def _(o):  # head width and grouped-query attention change the kernel's efficiency (gpt-oss uses d=64)
    from torch.nn.attention import SDPBackend, sdpa_kernel
    o["shapes"] = []
    backends = [("flash", SDPBackend.FLASH_ATTENTION), ("cudnn", SDPBackend.CUDNN_ATTENTION)] if CUDA else [("math", SDPBackend.MATH)]
    for (b, h, kvh, s, hd) in [(1, 64, 64, 4096, 64), (1, 64, 8, 4096, 64), (1, 64, 64, 8192, 64), (1, 32, 32, 4096, 128),
                               (1, 32, 8, 4096, 128), (1, 32, 32, 8192, 128), (1, 16, 16, 4096, 256)]:
        for bname, be in backends:
            if left() <= 0: break
            s2 = d(s); fwd_fl = 4 * b * h * s2 * s2 * hd / 2
            r = {"b": b, "heads": h, "kv_heads": kvh, "s": s2, "d": hd, "backend": bname}
            def run():
                q = rnd(b, h, s2, hd).requires_grad_()
                k, v = (rnd(b, h, s2, hd).requires_grad_() for _ in range(2))  # SDPA needs equal heads: GQA expanded
                g = rnd(b, h, s2, hd)
                with sdpa_kernel([be]):
                    tf = bench(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True))
                    tb = bench(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True).backward(g))
                bwd_ms = max(tb["ms_median"] - tf["ms_median"], 1e-6)
                return {"fwd_tflops": fwd_fl / tf["ms_median"] / 1e9, "bwd_tflops": 2.5 * fwd_fl / bwd_ms / 1e9,
                        "fwd_bwd_tflops": 3.5 * fwd_fl / tb["ms_median"] / 1e9}
            try_(r, "result", run); o["shapes"].append(r)


@section("moe_experts")
def _(o):  # expert GEMMs of real MoE models, per rank: (local experts, rows per expert, K, N)
    o["configs"] = []
    cases = [("qwen3-30b-a3b ep8 fc1", 16, 2048, 2048, 1536), ("qwen3-30b-a3b ep8 fc2", 16, 2048, 768, 2048),
             ("qwen3-30b-a3b ep16 fc1", 8, 4096, 2048, 1536), ("gpt-oss-120b ep64 fc1", 2, 16384, 2880, 5760),
             ("gpt-oss-120b ep8 fc1", 16, 2048, 2880, 5760), ("deepseek-v3 ep64 fc1", 4, 4096, 7168, 4096),
             ("qwen3-235b ep32 fc1", 4, 2048, 4096, 3072)]
    for (name, E, Me, K, N) in cases:
        if left() <= 0: break
        E2, Me, K, N = max(2, E // S), d(Me), d(K), d(N)
        fl = 2 * E2 * Me * K * N; c = {"name": name, "experts": E2, "tokens_per_expert": Me, "K": K, "N": N}
        a = rnd(E2 * Me, K); w = rnd(E2, N, K); wt = w.transpose(1, 2)
        offs = torch.arange(1, E2 + 1, device=DEV, dtype=torch.int32) * Me
        tf = lambda f: (lambda t: {**t, "tflops": fl / t["ms_median"] / 1e9})(bench(f))
        try_(c, "grouped_mm", lambda: tf(lambda: torch._grouped_mm(a, wt, offs=offs, out_dtype=BF16)))
        a3 = a.reshape(E2, Me, K)
        try_(c, "loop_mm", lambda: tf(lambda: [torch.mm(a3[i], wt[i]) for i in range(E2)]))
        o["configs"].append(c)


def summary():
    s = R["sections"]; pk = R["peaks"]; print("\n=== summary ===", s.get("device", {}).get("name", "cpu"))
    try:
        hb = s["hbm"]; print(f"copy {hb['copy']['tbps_best']:.2f} TB/s ({hb['copy']['tbps_best'] / pk['hbm_tbps']:.0%} of spec); sum-read {hb['sum_read']['tbps_best']:.2f} TB/s")
    except Exception: pass
    for g in s.get("gemm_bf16", {}).get("shapes", []):
        if "tflops" in g: print(f"bf16 M={g['M']:6} N={g['N']:6} K={g['K']:6} {g['tflops']:7.1f} TF/s {g['tflops'] / pk['bf16_tflops']:.0%}")
    for g in s.get("gemm_fp8", {}).get("shapes", []):
        if "tflops" in g: print(f"fp8 M={g['M']} N={g['N']} K={g['K']} fast={g['fast_accum']} {g['tflops']:.1f} TF/s {g['tflops'] / pk['fp8_tflops']:.0%}")
        else: print("fp8", g)
    for c in s.get("grouped_gemm", {}).get("configs", []):
        print("moe", c["experts"], c["tokens_per_expert"], c["K"], {k: round(v.get("tflops", -1), 1) for k, v in c.items() if isinstance(v, dict)})
    for a in s.get("attention", {}).get("shapes", []):
        r = a["result"]; print("attn", a["backend"], a["b"], a["h"], a["s"], {k: round(v, 1) for k, v in r.items()} if "error" not in r else r)
    print("elementwise", {k: round(v["gbps_effective"]) for k, v in s.get("elementwise", {}).items() if isinstance(v, dict) and "gbps_effective" in v})
    lo = s.get("launch_overhead", {}); print("launch us", {k: v for k, v in lo.items() if k.startswith("tiny")})
    w = s.get("sustained_gemm", {}).get("windows", []); print("sustained", [round(x["tflops"]) for x in w[:: max(1, len(w) // 8)]])
    print("errors:", {k: v["error"] for k, v in s.items() if isinstance(v, dict) and "error" in v})


R["notes"] = ("Method: CUDA-event timing; 3 warm-ups, then 3 batches (5 for HBM) of >=10 calls and >=50 ms each; "
              "median batch mean per call (best for HBM). Inputs random normal bf16 (never zeros). GEMM layouts: NT = "
              "nn.Linear forward, NN = dgrad, TN = wgrad. Card measured as found; clocks untouched. Datasheet peaks are leads.")
R["t_end"] = time.time(); R["elapsed_s"] = R["t_end"] - T0; save()
try:
    summary()
except Exception as ex:  # the JSON is already written; a summary bug must not hide that
    print("summary failed:", ex)
print("wrote", OUT_PATH, f"in {R['elapsed_s']:.0f} s")
