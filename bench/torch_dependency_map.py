#!/usr/bin/python3
"""PyTorch side of bench/dependency-map-speed.mjs (Debian's /usr/bin/python3, torch 1.13, fp32).

The nucleotide dependency map of one sequence written with vectorised torch ops on the reference `Bert`
of ../shared/reference/specieslm_reference.py (loaded from the same model.safetensors as the Node side):
a reference pass and three mutants per mutated position, batched; the MLM head on the k-mer tokens only,
softmax over the 4^k k-mer logits, per-offset fold, mean over the k tokens covering each nucleotide,
log-odds of (p+eps)/(1+4eps), max over bases of |change|, max over the three substitutions, diagonal 0.
The same definition as src/model/nucleotide-dependency.ts.

usage: torch_dependency_map.py --model DIR --sequence SEQ --species NAME --positions N --batch B
       --threads T --eps E --out FILE   (writes the [N, L] map rows as raw float32; JSON summary on stdout)
"""
import argparse
import itertools
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_forward import load_model, loaded_blas  # noqa: E402

K = 6


def nucleotide_log_odds(model, ids, left, kmer_ids, base_filter, eps):
    """[B, L, 4] smoothed log-odds of the unmasked per-nucleotide predictions (the reference's layers, head on k-mer tokens)."""
    B, T = ids.shape
    h = model.emb_ln(model.word(ids) + model.pos(torch.arange(T).unsqueeze(0)) + model.tok_type(torch.zeros_like(ids)))
    d = model.H // model.A
    for m in model.layers:
        def split(x):
            return x.view(B, T, model.A, d).transpose(1, 2)
        q, k, v = split(m.q(h)), split(m.k(h)), split(m.v(h))
        p = torch.softmax(q @ k.transpose(-1, -2) / d ** 0.5, dim=-1)
        h = m.ao_ln(m.ao((p @ v).transpose(1, 2).reshape(B, T, model.H)) + h)
        h = m.out_ln(m.out(F.gelu(m.inter(h))) + h)
    t = model.tr_ln(F.gelu(model.tr(h[:, left:T - 1])))  # [B, n, H]
    probs = torch.softmax(t @ model.word.weight[kmer_ids].T + model.dec_bias[kmer_ids], dim=-1)  # [B, n, 4^k]
    folded = (probs @ base_filter).view(B, -1, K, 4)  # [B, n, k, 4]
    n = folded.shape[1]
    s = sum(F.pad(folded[:, :, o], (0, 0, o, K - 1 - o)) for o in range(K))  # [B, L, 4]
    pe = (s / s.sum(-1, keepdim=True) + eps) / (1 + 4 * eps)
    return torch.log(pe) - torch.log(1 - pe)


def main():
    ap = argparse.ArgumentParser()
    for name in ["model", "sequence", "species", "out"]:
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--positions", type=int, required=True)
    ap.add_argument("--batch", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eps", type=float, default=1e-6)
    ap.add_argument("--reference", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reference"))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    sys.path.insert(0, os.path.abspath(a.reference))
    import specieslm_reference as ref  # noqa: E402

    model = load_model(ref, a.model)
    tokens = [line.strip() for line in open(os.path.join(a.model, "vocab.txt")) if line.strip()]
    vocab = {t: i for i, t in enumerate(tokens)}
    kmers = ["".join(x) for x in itertools.product("ACGT", repeat=K)]
    kmer_ids = torch.tensor([vocab[x] for x in kmers])
    base_filter = torch.zeros(len(kmers), K * 4)
    for j, km in enumerate(kmers):
        for o, c in enumerate(km):
            base_filter[j, o * 4 + "ACGT".index(c)] = 1
    seq, L = a.sequence, len(a.sequence)
    encode = lambda s: ref.tokenize(s, a.species, vocab)  # noqa: E731
    lo = lambda ids: nucleotide_log_odds(model, ids, 2, kmer_ids, base_filter, a.eps)  # noqa: E731
    per_run = max(1, a.batch // 3)

    def dependency_map():
        with torch.no_grad():
            ref_lo = lo(torch.tensor([encode(seq)]))
            rows = []
            for s in range(0, a.positions, per_run):
                chunk = list(range(s, min(a.positions, s + per_run)))
                ids, diag = [], []
                for i in chunk:
                    for b in [c for c in "ACGT" if c != seq[i]][:3]:
                        ids.append(encode(seq[:i] + b + seq[i + 1:]))
                        diag.append(i)
                change = (lo(torch.tensor(ids)) - ref_lo).abs().amax(-1)  # [3P, L]
                change[torch.arange(len(diag)), torch.tensor(diag)] = 0
                rows.append(change.view(-1, 3, L).amax(1))
            return torch.cat(rows)

    with torch.no_grad():  # warm-up: one small batch
        lo(torch.tensor([encode(seq)] * 3))
    t0 = time.perf_counter()
    dep = dependency_map()
    secs = time.perf_counter() - t0
    dep.numpy().astype("<f4").tofile(a.out)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": loaded_blas(), "seconds": secs, "positions": a.positions, "length": L}))


if __name__ == "__main__":
    main()
