#!/usr/bin/env python3
"""Attend beside its peers, measured on this machine in one sitting.

For each case this driver runs Attend's benchmark (`attend bench ... --json`) and, straight after it, the peer's:
PyTorch through ../shared/peers/torch_bench.py (Debian's python3-torch), OpenBLAS through ../shared/peers/gemm.py.
It prints one JSON document on stdout: the machine block Attend measured (CPU, cores, vector path, FMA peak), the
peer's versions and OpenBLAS kernel, and per case Attend's figure, the peer's figure and speedup = peer time /
Attend time (> 1: Attend is faster). A table goes to stderr. Where the peer is not installed it says so and prints
Attend's figures alone. No figure from another machine is ever used.

    python3 bench/run.py                                  # every case, 2 threads (~15 min on 2 cores)
    python3 bench/run.py --cases ops,gemm --threads 1     # some cases
    python3 bench/run.py --quick                          # fewer repetitions (~5 min), for a smoke run

It is no dependency of the library or the CLI; it needs only Python 3's standard library itself.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = ["gemm", "ops", "decode", "train-seq2seq", "train-gpt-cpu", "train-imdb"]
DEBIAN_PY = "/usr/bin/python3"
OMP_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def log(msg):
    print(f"[bench +{time.time() - T0:5.0f}s] {msg}", file=sys.stderr, flush=True)


def run_json(cmd, env=None, timeout=1800):
    """Runs cmd, returns its stdout parsed as JSON (the whole of it, else its last line), or raises."""
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-600:]}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        lines = [l for l in proc.stdout.splitlines() if l.strip()]
        return json.loads(lines[-1])


# ----------------------------------------------------------------------------------------------------------- Attend
def attend_cmd(args):
    if args.attend:
        return [args.attend]
    exe = os.path.join(ROOT, "src", "Attend.Cli", "bin", "Release", "net10.0", "attend")
    if not args.no_build:
        log("building attend (Release)")
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "Attend.Cli"), "-c", "Release", "-v", "q", "-nologo"],
                       check=True, stdout=subprocess.DEVNULL)
    return [exe]


def attend(args, *bench_args):
    return run_json(ATTEND + ["bench", *bench_args, "--threads", str(args.threads), "--json"])


# ------------------------------------------------------------------------------------------------------------ peers
def peer_env(core=None):
    """torch_bench's 'tuned' setting (../shared/peers/run_all.sh): one OpenMP pool where Debian ships it."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_WAIT_POLICY", "LD_LIBRARY_PATH")}
    if os.path.isdir(OMP_BLAS):
        env.update(LD_LIBRARY_PATH=OMP_BLAS, OMP_WAIT_POLICY="ACTIVE")
    else:
        env.update(OMP_WAIT_POLICY="PASSIVE")
    if core:
        env["OPENBLAS_CORETYPE"] = core
    return env


def probe_peer(peers):
    """What the peer is on this machine: torch and numpy versions and the OpenBLAS kernel it picks, or why it is absent."""
    if not os.path.exists(os.path.join(peers, "torch_bench.py")):
        return {"available": False, "why": f"no torch_bench.py in {peers}"}
    if not os.path.exists(DEBIAN_PY):
        return {"available": False, "why": f"{DEBIAN_PY} not found: apt-get install python3-torch"}
    code = ("import ctypes, json, torch, numpy\n"
            "core = None\n"
            "try:\n"
            "    ob = ctypes.CDLL('libopenblas.so.0'); ob.openblas_get_corename.restype = ctypes.c_char_p; core = ob.openblas_get_corename().decode()\n"
            "except OSError: pass\n"
            "print(json.dumps({'torch': torch.__version__, 'numpy': numpy.__version__, 'openblas_core': core}))")
    proc = subprocess.run([DEBIAN_PY, "-c", code], capture_output=True, text=True, env=peer_env())
    if proc.returncode != 0:
        return {"available": False, "why": "PyTorch does not import (apt-get install python3-torch libopenblas0-pthread): "
                                           + proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "unknown"}
    info = json.loads(proc.stdout)
    info["available"] = True
    info["openblas_core_forced"] = None
    # OpenBLAS 0.3.21 mis-detects some CPUs as Prescott (SSE3; see ../shared/peers/NOTES.md): give it its best kernel
    if info.get("openblas_core") in (None, "Prescott"):
        flags = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
        forced = "SkylakeX" if " avx512f" in flags else "Haswell" if " avx2" in flags else None
        if forced:
            info["openblas_core_forced"] = forced
    return info


def torch_bench(args, peer, *sub):
    cmd = [DEBIAN_PY, os.path.join(args.peers, "torch_bench.py"), "--threads", str(args.threads), *sub]
    return run_json(cmd, env=peer_env(peer.get("openblas_core_forced")))


# ------------------------------------------------------------------------------------------------------------ cases
def compare(name, attend_ms, peer_ms, attend_mb=None, peer_mb=None, unit="ms", extra=None):
    row = {"case": name, "unit": unit, "attend": attend_ms, "peer": peer_ms,
           "speedup": round(peer_ms / attend_ms, 3) if peer_ms and attend_ms else None}
    if attend_mb is not None or peer_mb is not None:
        row.update(attend_peak_mb=attend_mb, peer_peak_mb=peer_mb)
    if extra:
        row.update(extra)
    return row


def case_gemm(args, peer):
    ours = attend(args, "gemm", "--seconds", "0.3" if args.quick else "1")
    rows, best = [], {}
    if peer["available"]:
        cores = ["default", "Haswell"] + (["SkylakeX"] if " avx512f" in open("/proc/cpuinfo").read() else [])
        out = os.path.join(args.out_dir, "gemm_peer.json")
        subprocess.run([DEBIAN_PY, os.path.join(args.peers, "gemm.py"), "--cores", ",".join(cores), "--threads", str(args.threads),
                        "--min-time", "0.2" if args.quick else "0.6", "--json", out],
                       env=peer_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
        for run in json.load(open(out)).get("runs", []):
            for r in run.get("results", []):
                if r.get("backend") not in ("numpy_openblas", "torch_mm_openblas"):
                    continue  # OpenBLAS only: oneDNN and bf16 are other peers
                key = (r["M"], r["K"], r["N"])
                if r["median"] > best.get(key, {}).get("gflops", 0):
                    best[key] = {"gflops": round(r["median"], 1), "core": r.get("openblas_core"), "backend": r["backend"]}
    peak = ours["machine"]["fma_peak_gflops_all_threads"]
    for r in ours["results"]:
        p = best.get((r["m"], r["k"], r["n"]))
        rows.append({"case": f"gemm {r['m']}x{r['k']}x{r['n']}", "unit": "GFLOP/s", "attend": r["gflops"],
                     "attend_of_fma_peak": round(r["gflops"] / peak, 3),
                     "peer": p and p["gflops"], "peer_kernel": p and f"OpenBLAS {p['core']} ({p['backend']})",
                     "speedup": round(r["gflops"] / p["gflops"], 3) if p else None})
    return ours["machine"], rows


def case_ops(args, peer):
    ours = attend(args, "ops", "--seconds", "0.3" if args.quick else "1")
    theirs = torch_bench(args, peer, "micro", "--samples", "3" if args.quick else "7") if peer["available"] else []
    best = {}
    for r in theirs:
        cfg = r["config"].replace(" last dim", "")
        if r["bench"].startswith("attention"):
            cfg = cfg.rsplit(" ", 1)[0]  # the fastest of PyTorch's implementations (math, F._sdpa)
        key = (r["bench"], cfg)
        if key not in best or r["median"] < best[key]:
            best[key] = r["median"]
    rows = [compare(f"{r['op']} {r['config']}", r["median_ms"], best.get((r["op"], r["config"]))) for r in ours["results"]]
    return ours["machine"], rows


def case_decode(args, peer):
    ours = attend(args, "decode", "--seconds", "0.5" if args.quick else "2")
    theirs = torch_bench(args, peer, "--warmup", "1", "--reps", "2" if args.quick else "3", "seq2seq-infer",
                         "--modes", "greedy_cached,beam_cached", "--reps-b1", "3" if args.quick else "6") if peer["available"] else []
    def peer_ms(bench, batch):
        return next((r["median"] for r in theirs if r["bench"] == bench and r["config"].startswith(f"B{batch} ")), None)
    # torch_bench.py measures the 32-token cases only; the long-output and LM-generation cases have no peer
    peer_bench = {"greedy_cached": "seq2seq_greedy_cached", "beam5_cached": "seq2seq_beam_cached5"}
    rows = []
    for r in ours["results"]:
        bench = peer_bench.get(r["case"])
        rows.append(compare(f"{r['case']} batch {r['batch']}", r["ms_per_sentence"], peer_ms(bench, r["batch"]) if bench else None, unit="ms/sentence"))
    return ours["machine"], rows


TRAIN = {
    "train-seq2seq": ("seq2seq", ["seq2seq-train"], ["--warmup", "2", "--reps", "6", "--max-time", "60"]),
    "train-gpt-cpu": ("gpt-cpu", ["gpt-train", "--preset", "cpu"], ["--warmup", "5", "--reps", "30", "--max-time", "20"]),
    "train-imdb": ("imdb", ["imdb-train"], ["--warmup", "2", "--reps", "6", "--max-time", "40"]),
}


def case_train(args, peer, name):
    ours_case, sub, reps = TRAIN[name]
    ours = attend(args, "train-step", "--case", ours_case, "--seconds", "3" if args.quick else "10")
    r = ours["results"][0]
    theirs = []
    if peer["available"]:
        if args.quick:
            reps = ["--warmup", "1", "--reps", "3", "--max-time", "20"]
        theirs = torch_bench(args, peer, *reps, *sub)
    p = theirs[0] if theirs else {}
    return ours["machine"], [compare(r["case"], r["ms_per_step"], p.get("median"), r["peak_memory_mb"], p.get("peak_rss_mb"), unit="ms/step")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "peers"), help="folder of torch_bench.py and gemm.py")
    ap.add_argument("--attend", default=None, help="an attend executable (default: build src/Attend.Cli)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "runs", "bench"))
    args = ap.parse_args()
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        ap.error(f"unknown case(s) {unknown}; choose from {CASES}")
    os.makedirs(args.out_dir, exist_ok=True)
    global ATTEND
    ATTEND = attend_cmd(args)
    peer = probe_peer(os.path.abspath(args.peers))
    if not peer["available"]:
        log(f"peer not available ({peer['why']}): Attend's figures alone")
    machine, rows = None, []
    for c in cases:
        log(f"{c}: Attend, then the peer")
        m, r = case_gemm(args, peer) if c == "gemm" else case_ops(args, peer) if c == "ops" else \
            case_decode(args, peer) if c == "decode" else case_train(args, peer, c)
        machine = machine or m
        rows += r
        for row in r:
            print(f"  {row['case']:<48} Attend {row['attend']:>10} {row['unit']:<12} peer {str(row['peer']):>10}   "
                  f"speedup {row['speedup'] if row['speedup'] is not None else '-'}", file=sys.stderr, flush=True)
    doc = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "threads": args.threads, "quick": args.quick,
           "machine": machine, "peer": peer, "results": rows}
    with open(os.path.join(args.out_dir, "results.json"), "w") as f:
        json.dump(doc, f, indent=1)
    print(json.dumps(doc))


T0 = time.time()
ATTEND = None
if __name__ == "__main__":
    main()
