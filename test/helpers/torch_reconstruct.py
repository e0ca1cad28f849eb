#!/usr/bin/python3
"""Rolling-mask reconstruction of a saved 6-mer model folder by the PyTorch reference (Debian's /usr/bin/python3 with torch).

Reads one JSON request on stdin: {"model": DIR, "reference": DIR, "records": [{"sequence": S, "species": NAME}]},
loads DIR (config.json + model.safetensors, as saveModelFolder writes it) into the reference `Bert` class the way
bench/torch_forward.py does, runs the reference's `reconstruct` (the published recipe) on each record and prints
{"probs": [[L*4 floats], ...]} on stdout.
"""
import itertools
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_request import read_request  # noqa: E402


def main():
    req, ref, model = read_request()
    with open(os.path.join(req["model"], "vocab.txt")) as f:
        vocab = {t: i for i, t in enumerate(f.read().splitlines())}
    kmer_list = ["".join(x) for x in itertools.product("ACGT", repeat=6)]
    positions = req.get("positions")
    if positions is None:
        probs = [ref.reconstruct(model, r["sequence"], r["species"], vocab, kmer_list, k=6, batch=32).reshape(-1).tolist()
                 for r in req["records"]]
    else:
        probs = [reconstruct_at(ref, model, r["sequence"], r["species"], vocab, kmer_list, positions) for r in req["records"]]
    json.dump({"probs": probs}, sys.stdout)


def reconstruct_at(ref, model, seq, species, vocab, kmer_list, positions, k=6):
    """ref.reconstruct's recipe run only for the masked rows that `positions` read: the whole recipe keeps
    every row's k-mer probabilities (~L^2 * 4^k doubles: 32 GB for a 1,003-nt region). Returns
    [len(positions) * 4] probabilities in the order of `positions`."""
    L = len(seq)
    ids = torch.tensor([ref.tokenize(seq, species, vocab)])
    left = 2 if species else 1
    T = ids.shape[1]
    kmer_ids = torch.tensor([vocab[x] for x in kmer_list])
    nt = {"A": 0, "C": 1, "G": 2, "T": 3}
    filt = torch.zeros((k, len(kmer_list), 4), dtype=torch.float64)
    for j, km in enumerate(kmer_list):
        for idx, c in enumerate(km):
            filt[k - 1 - idx, j, nt[c]] = 1
    n_rows = L - 2 * (k - 1)  # rows 2+left .. L-(k-1)-3+left of ref.reconstruct's mask table
    out = []
    with torch.no_grad():
        for pos in positions:
            row = min(max(pos - (k - 1), 0), n_rows - 1)
            one = np.zeros(T)
            one[2 + left + row] = 1  # the row's line of ref.reconstruct's eye(T), convolved the same way
            res = ids.clone()
            res[0, torch.from_numpy(np.convolve(one, [1] * k, mode="same").astype(bool))] = vocab["[MASK]"]
            logits, _ = model(res)
            preds = torch.softmax(logits[:, :, kmer_ids].double(), dim=2)[0, left:T - 1, :]
            pad = torch.zeros((2 * (k - 1) + preds.shape[0], preds.shape[1]), dtype=torch.float64)
            pad[k - 1:-(k - 1), :] = preds
            kp = pad[pos:pos + k, :]
            p = (kp.unsqueeze(2) * filt).sum(1).sum(0)
            out.extend((p / p.sum()).tolist())
    return out


if __name__ == "__main__":
    main()
