#!/usr/bin/env python3
"""PyTorch CPU anchor for the Hands-On ML ch.10 Fashion-MNIST MLP, every optimizer of issue 11.

A copy of ../shared/anchors/bench_torch.py (same model, data, loop, timing and thread limits;
--opt sgd|adam --arch plain times what that script times), extended with the optimizers of
bench/mlp_cases.ts under the same names and with batch normalization or dropout(0.2) after each
hidden layer (--arch bn|dropout), and with hebb's extrapolation of short epochs (--samples below
--full-samples scales the epoch times up, marked "extrapolated").

Usage (Debian python3-torch, run with /usr/bin/python3):
  python3 bench/torch_optimizers.py --mode train --threads 1 --opt nadam [--arch bn] [--epochs 3]
  python3 bench/torch_optimizers.py --mode predict --threads 1   (10,000 samples, batch 1024)
  python3 bench/torch_optimizers.py --list                       (case names, one per line)
  python3 bench/torch_optimizers.py --mode interleave --threads 1 --batch 256 [--archs plain,bn,dropout]
      one model per arch in one process, timed in alternating slices of --steps batches
      (--slices of them each), as hebb's bench/interleaved.ts steps: ms a step per arch and
      each arch's extra over the first, with a load change hitting every arch alike
Threads: torch.set_num_threads(N) for ATen/OpenMP ops, and threadpoolctl limits the OpenBLAS
pool (torch's GEMMs go to Debian's OpenBLAS, whose pthread pool torch.set_num_threads does not
control).
Plain training loop: randperm shuffle, index a batch, zero_grad, forward, F.cross_entropy
(= softmax + sparse categorical CE), backward, step.

Hyperparameters are Keras 3's (../shared/CONVENTIONS.md), not PyTorch's defaults, so both
systems do the same work per step. Where PyTorch's defaults differ:
  eps 1e-7 everywhere (PyTorch: 1e-8; Adagrad 1e-10). Its placement still differs (PyTorch adds
    it outside the square root for Adagrad and RMSprop, to the corrected sqrt(v) for Adam):
    the same number of operations.
  Adagrad lr 0.001 (PyTorch 0.01), initial_accumulator_value 0.1 (PyTorch 0).
  RMSprop lr 0.001 (PyTorch 0.01), alpha = Keras's rho 0.9 (PyTorch 0.99).
  Adamax and NAdam lr 0.001 (PyTorch 0.002). NAdam momentum_decay 1.0, so its momentum schedule
    beta1*(1 - 0.5*0.96**(t*momentum_decay)) is Keras's beta1*(1 - 0.5*0.96**t) (PyTorch 0.004).
  AdamW weight_decay 0.004 (PyTorch 0.01); both decay every parameter, w -= lr*wd*w.
  SGD momentum: PyTorch's buffer holds gradients and Keras's holds lr-scaled steps; with a
    constant rate the weights are the same.
  BatchNorm1d eps 1e-3, momentum 0.01 (= Keras's 0.99 on the old value; PyTorch: 1e-5, 0.1).
--impl foreach uses PyTorch's multi-tensor kernels (the default on CPU in torch 1.13 is the
per-tensor loop, --impl default).

Two things that made this anchor 10x too slow on 2026-12-02 (docs/BENCHMARKS.md, "The
optimizer step and the guard"), now checked:
  BLAS. Debian's torch calls whatever libblas.so.3 the alternatives system points at. When
    python3-torch is installed without libopenblas0-pthread (here python3-h5py had pulled in
    libblas3, the netlib reference BLAS), its GEMMs run the reference loops: plain SGD took
    15.5 s/epoch instead of 1.3. threadpoolctl then lists no BLAS at all, so the script stops
    with an error unless an optimized BLAS (OpenBLAS, MKL, BLIS) is loaded
    (--allow-reference-blas to measure anyway; the JSON's "blas" says which ran).
  Subnormals. Adam's, Nadam's and AdamW's first moment of a dead ReLU unit decays into the
    subnormal range, where x86 arithmetic is microcoded: PyTorch's Adam took 13-18 s/epoch
    against 1.3-1.7 for SGD. hebb flushes optimizer state below 2^-126 to 0 (docs/NUMERICS.md)
    and TensorFlow's CPU kernels run with flush-to-zero, so by default this script sets
    torch.set_flush_denormal(True) (FTZ/DAZ) and measures kernels, not microcode
    (--denormals keep for PyTorch's default; the JSON's "flush_denormal" records it).
And one that still made its Adam ~8x its SGD with both fixed: glibc's malloc. Adam's step (and
then the backward pass) allocates ~1 MB temporaries that glibc serves from fresh mmap'd or
trimmed heap pages, so each step zero-fills them again: ~350 minor page faults a step against
~10 for SGD, 8.5 ms for the step instead of 1.8. By default the script therefore calls
mallopt(M_MMAP_THRESHOLD, 32 MiB) and mallopt(M_TRIM_THRESHOLD, 1 GiB) at start, the pages are
reused and the anchor measures PyTorch's kernels, not page faults (hebb's wasm heap keeps its
pages too). --malloc glibc for glibc's defaults; the JSON's "malloc" and
"minor_faults_per_step" record it.
"""
import argparse, ctypes, json, resource, statistics, time, os, sys
import torch, torch.nn as nn, torch.nn.functional as F
from threadpoolctl import threadpool_limits, threadpool_info

EPS = 1e-7
O = torch.optim
CASES = {
    "sgd": lambda p, fe: O.SGD(p, lr=0.01, foreach=fe),
    "sgd_momentum": lambda p, fe: O.SGD(p, lr=0.01, momentum=0.9, foreach=fe),
    "sgd_nesterov": lambda p, fe: O.SGD(p, lr=0.01, momentum=0.9, nesterov=True, foreach=fe),
    "adagrad": lambda p, fe: O.Adagrad(p, lr=0.001, initial_accumulator_value=0.1, eps=EPS, foreach=fe),
    "rmsprop": lambda p, fe: O.RMSprop(p, lr=0.001, alpha=0.9, eps=EPS, foreach=fe),
    "rmsprop_momentum": lambda p, fe: O.RMSprop(p, lr=0.001, alpha=0.9, momentum=0.9, eps=EPS, foreach=fe),
    "rmsprop_centered": lambda p, fe: O.RMSprop(p, lr=0.001, alpha=0.9, centered=True, eps=EPS, foreach=fe),
    "adam": lambda p, fe: O.Adam(p, lr=0.001, betas=(0.9, 0.999), eps=EPS, foreach=fe),
    "adamax": lambda p, fe: O.Adamax(p, lr=0.001, betas=(0.9, 0.999), eps=EPS, foreach=fe),
    "nadam": lambda p, fe: O.NAdam(p, lr=0.001, betas=(0.9, 0.999), eps=EPS, momentum_decay=1.0, foreach=fe),
    "adamw": lambda p, fe: O.AdamW(p, lr=0.001, betas=(0.9, 0.999), eps=EPS, weight_decay=0.004, foreach=fe),
}
ARCHS = ["plain", "bn", "dropout"]

ap = argparse.ArgumentParser()
ap.add_argument("--mode", default="train", choices=["train", "predict", "interleave"])
ap.add_argument("--archs", default="plain,bn,dropout", help="--mode interleave: the archs, comma-separated (the first is the reference)")
ap.add_argument("--slices", type=int, default=20, help="--mode interleave: timed slices per arch")
ap.add_argument("--steps", type=int, default=100, help="--mode interleave: batches per slice")
ap.add_argument("--list", action="store_true", help="print the optimizer case names and exit")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--opt", default="sgd", choices=list(CASES))
ap.add_argument("--arch", default="plain", choices=ARCHS)
ap.add_argument("--impl", default="default", choices=["default", "foreach"])
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--samples", type=int, default=55000, help="samples per timed epoch; fewer than --full-samples are extrapolated")
ap.add_argument("--full-samples", type=int, default=55000)
ap.add_argument("--warmup-batches", type=int, default=100)
ap.add_argument("--reps", type=int, default=7)
ap.add_argument("--no-blas-limit", action="store_true", help="only torch.set_num_threads; leave OpenBLAS pool at its default")
ap.add_argument("--blas-threads", type=int, default=None, help="OpenBLAS pool size (default: same as --threads)")
ap.add_argument("--malloc", default="keep-pages", choices=["keep-pages", "glibc"], help="keep-pages: mallopt so that freed memory is reused, not unmapped (see above); glibc: its defaults")
ap.add_argument("--allow-reference-blas", action="store_true", help="run even when no optimized BLAS is loaded")
ap.add_argument("--denormals", default="flush", choices=["flush", "keep"], help="flush: torch.set_flush_denormal(True) (FTZ/DAZ, as hebb's state flush and TensorFlow); keep: PyTorch's default")
a = ap.parse_args()
if a.list:
    print("\n".join(CASES)); sys.exit(0)

def keep_pages():
    """mallopt(M_MMAP_THRESHOLD = -3, 32 MiB) and mallopt(M_TRIM_THRESHOLD = -1, 1 GiB); False off glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(-3, 32 * 1024 * 1024)) and bool(libc.mallopt(-1, 1024 * 1024 * 1024))
    except (OSError, AttributeError):
        return False
malloc = ("keep-pages" if keep_pages() else "glibc (mallopt failed)") if a.malloc == "keep-pages" else "glibc"
default_threads = torch.get_num_threads()
torch.set_num_threads(a.threads)
blas_before = [d.get("num_threads") for d in threadpool_info() if d.get("internal_api") == "openblas"]
ctx = threadpool_limits(limits=None if a.no_blas_limit else (a.blas_threads or a.threads), user_api="blas")
blas = [{k: d.get(k) for k in ("internal_api", "architecture", "num_threads")} for d in threadpool_info() if d.get("user_api") == "blas"]
if not blas and not a.allow_reference_blas:
    sys.exit("torch_optimizers.py: no optimized BLAS is loaded (threadpoolctl finds no OpenBLAS, MKL or BLIS), so torch's "
             "GEMMs would run the reference BLAS (libblas3), ~10x slower. Install libopenblas0-pthread "
             "(apt-get install -y libopenblas0-pthread; update-alternatives --display libblas.so.3-x86_64-linux-gnu), "
             "or pass --allow-reference-blas.")
supported = torch.set_flush_denormal(a.denormals == "flush")  # False where the CPU has no FTZ/DAZ
flush_denormal = a.denormals == "flush" and supported
if a.denormals == "flush" and not flush_denormal:
    sys.exit("torch_optimizers.py: --denormals flush: torch.set_flush_denormal is not supported on this CPU")
base = {"system": "pytorch-cpu", "torch": torch.__version__, "threads": a.threads, "torch_default_threads": default_threads,
        "openblas_threads_after_set_num_threads": blas_before, "blas": blas, "flush_denormal": flush_denormal, "malloc": malloc,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"), "cpu_capability": torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else None}

def after_hidden(n, arch=None):
    arch = arch or a.arch
    if arch == "bn": return [nn.BatchNorm1d(n, eps=1e-3, momentum=0.01)]
    if arch == "dropout": return [nn.Dropout(0.2)]
    return []

def model_(arch=None):
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(), *after_hidden(300, arch),
                         nn.Linear(300, 100), nn.ReLU(), *after_hidden(100, arch), nn.Linear(100, 10))

torch.manual_seed(0)
if a.mode == "train":
    N, bs = a.samples, a.batch
    X = torch.rand(N, 28, 28); Y = torch.randint(0, 10, (N,))
    m = model_().train()
    params = sum(p.numel() for p in m.parameters())
    opt = CASES[a.opt](m.parameters(), True if a.impl == "foreach" else None)
    def run(nbatches=None):
        perm = torch.randperm(N)
        nb = 0
        for i in range(0, N, bs):
            idx = perm[i:i + bs]
            xb, yb = X[idx], Y[idx]
            opt.zero_grad()
            loss = F.cross_entropy(m(xb), yb)
            loss.backward()
            opt.step()
            nb += 1
            if nbatches and nb >= nbatches: break
        return loss.item()
    run(a.warmup_batches)
    ts, loss = [], float("nan")
    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    scale = a.full_samples / N
    for e in range(a.epochs):
        t0 = time.perf_counter(); loss = run(); ts.append((time.perf_counter() - t0) * scale)
    med = statistics.median(ts)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0) / (a.epochs * -(-N // bs))
    config = {k: v for k, v in opt.defaults.items() if isinstance(v, (int, float, bool, tuple, type(None)))}
    print(json.dumps({**base, "mode": "train", "opt": a.opt, "arch": a.arch, "impl": a.impl, "optimizer": type(opt).__name__,
                      "optimizer_config": config, "batch": bs, "params": params,
                      "timed_samples_per_epoch": N, "extrapolated": N != a.full_samples, "epochs_timed": len(ts),
                      "epoch_s_median": round(med, 3), "epoch_s_min": round(min(ts), 3), "epoch_s_max": round(max(ts), 3),
                      "samples_per_s_median": round(a.full_samples / med), "gflops_median": round(6 * params * a.full_samples / med / 1e9, 2),
                      "final_loss": round(loss, 4), "minor_faults_per_step": round(faults, 1)}))
elif a.mode == "interleave":
    archs = a.archs.split(",")
    for arch in archs:
        if arch not in ARCHS: sys.exit(f"torch_optimizers.py: --archs: unknown arch {arch!r} ({', '.join(ARCHS)})")
    bs, n = a.batch, a.steps * a.batch
    X = torch.rand(n, 28, 28); Y = torch.randint(0, 10, (n,))
    items = []
    for arch in archs:
        m = model_(arch).train()
        opt = CASES[a.opt](m.parameters(), True if a.impl == "foreach" else None)
        items.append({"arch": arch, "m": m, "opt": opt, "t": []})
    def slice_(it):
        perm = torch.randperm(n)
        t0 = time.perf_counter()
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            it["opt"].zero_grad()
            loss = F.cross_entropy(it["m"](X[idx]), Y[idx])
            loss.backward()
            it["opt"].step()
        loss.item()
        return (time.perf_counter() - t0) * 1000 / a.steps
    for it in items: slice_(it); slice_(it)
    for r in range(a.slices):
        for it in (items if r % 2 == 0 else items[::-1]): it["t"].append(slice_(it))
    ref = statistics.median(items[0]["t"])
    steps_per_epoch = -(-a.full_samples // bs)
    for it in items:
        med = statistics.median(it["t"])
        print(json.dumps({**base, "mode": "interleave", "opt": a.opt, "arch": it["arch"], "batch": bs, "slices": a.slices, "steps_per_slice": a.steps,
                          "ms_per_step_median": round(med, 4), "ms_per_step_min": round(min(it["t"]), 4), "ms_per_step_max": round(max(it["t"]), 4),
                          "extra_ms_per_step_over_" + archs[0]: round(med - ref, 4),
                          "extra_s_per_epoch_over_" + archs[0]: round((med - ref) * steps_per_epoch / 1000, 4)}))
else:
    m = model_().eval(); X = torch.rand(10000, 28, 28)
    def pred():
        with torch.no_grad():
            return torch.cat([m(X[i:i + 1024]) for i in range(0, 10000, 1024)])
    for _ in range(3): pred()
    ts = []
    for _ in range(a.reps):
        t0 = time.perf_counter(); pred(); ts.append(time.perf_counter() - t0)
    med = statistics.median(ts)
    print(json.dumps({**base, "mode": "predict", "arch": a.arch, "samples": 10000, "batch": 1024, "s_median": round(med, 4), "s_min": round(min(ts), 4),
                      "s_max": round(max(ts), 4), "samples_per_s_median": round(10000 / med)}))
ctx.unregister() if hasattr(ctx, "unregister") else None
