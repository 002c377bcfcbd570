#!/usr/bin/env python3
"""Pretrained-generator shapes, Attend beside PyTorch in one sitting on this machine (issue 26).

Runs Attend's bench (bench/Attend.Bench.Generate) and then the same work in PyTorch (Debian's python3-torch), written
here with a KV cache as transformers' GPT2LMHeadModel and MarianMTModel compute it, with random weights:
  gpt2_greedy   GPT-2 small (12 layers, 768 wide, 12 heads, 50,257 tokens, tanh GELU, tied head): a 16-token prompt,
                then 32 tokens by argmax; batch 1 and 8
  marian_beam4  opus-mt shape (6 + 6 post-norm layers, 512 wide, 8 heads, FFN 2048, 58,101 tokens, SiLU): a 24-token
                source, 32 new tokens by beam search with 4 beams (EOS and pad suppressed, so every run makes 32);
                batch 1 and 16
Prints one JSON document (each case: Attend ms, PyTorch ms, speedup = PyTorch / Attend, new tokens/s) and a table on
stderr. Where PyTorch is missing it says so and prints Attend's figures alone. Debian's PyTorch multiplies through
whatever libblas.so.3 is installed: without OpenBLAS (apt-get install libopenblas0-pthread) that is the reference BLAS,
many times slower, and the JSON's "blas" field says "reference" so that such a run is not mistaken for the peer.

    python3 bench/generate_peers.py [--threads 2] [--reps 5]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROMPT, NEW, SOURCE = 16, 32, 24


def attend(threads, reps):
    out = subprocess.run(["dotnet", "run", "-c", "Release", "--project", os.path.join(HERE, "Attend.Bench.Generate"), "--",
                          "--threads", str(threads), "--reps", str(reps)], check=True, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout)


def median_ms(run, reps):
    run()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2]


def torch_cases(threads, reps):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    try:
        import ctypes
        ob = ctypes.CDLL("libopenblas.so.0")
        ob.openblas_get_corename.restype = ctypes.c_char_p
        blas = "OpenBLAS " + ob.openblas_get_corename().decode()
    except OSError:
        blas = "reference"

    def heads(x, h):                                  # (B, T, C) -> (B, H, T, D)
        b, t, c = x.shape
        return x.view(b, t, h, c // h).transpose(1, 2)

    def merge(x):
        b, h, t, d = x.shape
        return x.transpose(1, 2).reshape(b, t, h * d)

    def attend_(q, k, v, mask=None):
        s = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        if mask is not None:
            s = s.masked_fill(mask, float("-inf"))
        return F.softmax(s, -1) @ v

    # ---------------------------------------------------------------- GPT-2
    V, C, H, L, P = 50257, 768, 12, 12, 1024

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
            self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
            self.fc, self.proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

        def forward(self, x, cache):
            q, k, v = self.c_attn(self.ln1(x)).split(C, -1)
            q, k, v = heads(q, H), heads(k, H), heads(v, H)
            if cache is not None:
                k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
            t, total = q.shape[2], k.shape[2]
            mask = torch.ones(t, total, dtype=torch.bool).triu(total - t + 1) if t > 1 else None
            x = x + self.c_proj(merge(attend_(q, k, v, mask)))
            x = x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))
            return x, (k, v)

    class Gpt2(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(P, C)
            self.h = nn.ModuleList(Block() for _ in range(L))
            self.ln_f = nn.LayerNorm(C)

        def forward(self, ids, caches, offset):
            x = self.wte(ids) + self.wpe(torch.arange(offset, offset + ids.shape[1]))
            new = []
            for block, cache in zip(self.h, caches):
                x, c = block(x, cache)
                new.append(c)
            return self.ln_f(x[:, -1]) @ self.wte.weight.T, new

    gpt2 = Gpt2().eval()
    results = []
    for batch in (1, 8):
        prompt = torch.randint(0, V, (batch, PROMPT))

        def run():
            with torch.inference_mode():
                logits, caches = gpt2(prompt, [None] * L, 0)
                for step in range(NEW):
                    nxt = logits.argmax(-1, keepdim=True)
                    if step + 1 < NEW:
                        logits, caches = gpt2(nxt, caches, PROMPT + step)
        results.append(("gpt2_greedy", batch, median_ms(run, reps)))
    del gpt2

    # ---------------------------------------------------------------- Marian
    V, D, H, L, FF, PAD, EOS, BEAMS = 58101, 512, 8, 6, 2048, 58100, 0, 4
    positions = torch.zeros(512, D)
    pos = torch.arange(512, dtype=torch.float64)[:, None] / torch.pow(10000.0, torch.arange(0, D, 2, dtype=torch.float64) / D)
    positions[:, :D // 2], positions[:, D // 2:] = torch.sin(pos).float(), torch.cos(pos).float()

    class Attn(nn.Module):
        def __init__(self):
            super().__init__()
            self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))

    class EncLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.sa, self.ln1, self.ln2 = Attn(), nn.LayerNorm(D), nn.LayerNorm(D)
            self.fc1, self.fc2 = nn.Linear(D, FF), nn.Linear(FF, D)

        def forward(self, x):
            a = self.sa
            x = self.ln1(x + a.o(merge(attend_(heads(a.q(x), H), heads(a.k(x), H), heads(a.v(x), H)))))
            return self.ln2(x + self.fc2(F.silu(self.fc1(x))))

    class DecLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.sa, self.ca = Attn(), Attn()
            self.ln1, self.ln2, self.ln3 = nn.LayerNorm(D), nn.LayerNorm(D), nn.LayerNorm(D)
            self.fc1, self.fc2 = nn.Linear(D, FF), nn.Linear(FF, D)

        def forward(self, x, cache, cross):
            a = self.sa
            k, v = heads(a.k(x), H), heads(a.v(x), H)
            if cache is not None:
                k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
            x = self.ln1(x + a.o(merge(attend_(heads(a.q(x), H), k, v))))
            x = self.ln2(x + self.ca.o(merge(attend_(heads(self.ca.q(x), H), cross[0], cross[1]))))
            return self.ln3(x + self.fc2(F.silu(self.fc1(x)))), (k, v)

    class Marian(nn.Module):
        def __init__(self):
            super().__init__()
            self.shared = nn.Embedding(V, D)
            self.enc = nn.ModuleList(EncLayer() for _ in range(L))
            self.dec = nn.ModuleList(DecLayer() for _ in range(L))
            self.bias = nn.Parameter(torch.zeros(V))

        def embed(self, ids, offset):
            return self.shared(ids) * math.sqrt(D) + positions[offset:offset + ids.shape[1]]

    marian = Marian().eval()
    for batch in (1, 16):
        src = torch.randint(1, 58000, (batch, SOURCE))
        src[:, -1] = EOS

        def run():
            with torch.inference_mode():
                x = marian.embed(src, 0)
                for layer in marian.enc:
                    x = layer(x)
                memory = x.repeat_interleave(BEAMS, 0)                                  # (B·K, S, D)
                cross = [(heads(l.ca.k(memory), H), heads(l.ca.v(memory), H)) for l in marian.dec]
                tokens = torch.full((batch * BEAMS, 1), PAD)
                scores = torch.tensor([0.0] + [float("-inf")] * (BEAMS - 1)).repeat(batch)
                caches = [None] * L
                for step in range(NEW):
                    y = marian.embed(tokens[:, -1:], step)
                    new = []
                    for layer, cache, c in zip(marian.dec, caches, cross):
                        y, kv = layer(y, cache, c)
                        new.append(kv)
                    logp = F.log_softmax(y[:, -1] @ marian.shared.weight.T + marian.bias, -1)
                    logp[:, EOS] = logp[:, PAD] = float("-inf")
                    cand = (scores[:, None] + logp).view(batch, BEAMS * V)
                    top, idx = cand.topk(2 * BEAMS, -1)                                 # no EOS: the best K continue
                    beam = idx[:, :BEAMS] // V + torch.arange(batch)[:, None] * BEAMS
                    rows, tok = beam.reshape(-1), (idx[:, :BEAMS] % V).reshape(-1)
                    scores = top[:, :BEAMS].reshape(-1)
                    tokens = torch.cat([tokens[rows], tok[:, None]], 1)
                    caches = [(k[rows], v[rows]) for k, v in new]
        results.append(("marian_beam4", batch, median_ms(run, reps)))
    return torch.__version__ + ", BLAS: " + blas, results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    ours = attend(a.threads, a.reps)
    try:
        version, peer = torch_cases(a.threads, a.reps)
    except ImportError:
        version, peer = None, []
        sys.stderr.write("PyTorch is not installed (apt-get install python3-torch): Attend's figures alone\n")
    peer_ms = {(c, b): ms for c, b, ms in peer}
    cases = []
    for r in ours["results"]:
        p = peer_ms.get((r["case"], r["batch"]))
        cases.append({**r, "pytorch_ms": round(p, 1) if p else None, "speedup": round(p / r["ms"], 2) if p else None,
                      "pytorch_new_tokens_per_s": round(r["batch"] * NEW / p * 1000, 1) if p else None})
        sys.stderr.write(f"{r['case']:<14} batch {r['batch']:>2}: Attend {r['ms']:8.1f} ms  PyTorch {p or float('nan'):8.1f} ms  speedup {(p or float('nan')) / r['ms']:.2f}\n")
    print(json.dumps({"machine": ours["machine"], "pytorch": version, "threads": a.threads, "cases": cases}, indent=2))


if __name__ == "__main__":
    main()
