#!/usr/bin/python3
"""PyTorch side of bench/train-vs-pytorch.mjs (Debian's /usr/bin/python3, torch 1.13).

The same architecture as specieslm's training step: the reference `Bert` of
../shared/reference/specieslm_reference.py (Hugging Face BertForMaskedLM written out), the MLM head on
the masked rows only, mean cross-entropy, global-norm clipping at 1 and AdamW (weight decay 0.01, none
on biases and LayerNorm). Times --steps steps after 2 warm-up steps on random batches with ~15% of
tokens labelled; prints one JSON object with tokens/s and the peak resident memory.

usage: torch_train.py --layers L --hidden H --heads A --inter I --vocab V --batch B --tokens T --steps N --threads 2
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

ap = argparse.ArgumentParser()
for name, default in [("layers", 4), ("hidden", 256), ("heads", 4), ("inter", 1024), ("vocab", 4113), ("batch", 32), ("tokens", 300), ("steps", 5), ("threads", 2)]:
    ap.add_argument(f"--{name}", type=int, default=default)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../shared/reference"))
import specieslm_reference as ref  # noqa: E402

model = ref.Bert(a.vocab, a.hidden, a.layers, a.heads, a.inter, 512).train()
decay = [p for n, p in model.named_parameters() if p.dim() > 1]
no_decay = [p for n, p in model.named_parameters() if p.dim() <= 1]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-4)


def step():
    ids = torch.randint(5, a.vocab, (a.batch, a.tokens))
    read = torch.rand(a.batch, a.tokens) < 0.15
    labels = ids[read]
    B, T = ids.shape
    pos = torch.arange(T).unsqueeze(0)
    h = model.emb_ln(model.word(ids) + model.pos(pos) + model.tok_type(torch.zeros_like(ids)))
    for m in model.layers:  # the reference forward, up to the head, written out to gather the read rows
        d = model.H // model.A
        split = lambda x: x.view(B, T, model.A, d).transpose(1, 2)  # noqa: E731
        q, k, v = split(m.q(h)), split(m.k(h)), split(m.v(h))
        p = torch.softmax(q @ k.transpose(-1, -2) / d ** 0.5, dim=-1)
        h = m.ao_ln(m.ao((p @ v).transpose(1, 2).reshape(B, T, model.H)) + h)
        h = m.out_ln(m.out(F.gelu(m.inter(h))) + h)
    t = model.tr_ln(F.gelu(model.tr(h[read])))
    loss = F.cross_entropy(t @ model.word.weight.T + model.dec_bias, labels)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


for _ in range(2):
    step()
times = []
for _ in range(a.steps):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
med = statistics.median(times)
print(json.dumps({"side": "pytorch-fp32", "torch": torch.__version__, "threads": a.threads, "median_s": med,
                  "tokens_per_s": a.batch * a.tokens / med, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
