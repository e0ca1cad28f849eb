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

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
from torch_forward import load_model  # noqa: E402


def main():
    req = json.load(sys.stdin)
    torch.set_num_threads(1)
    sys.path.insert(0, os.path.abspath(req["reference"]))
    import specieslm_reference as ref  # noqa: E402  (path given at run time)

    model = load_model(ref, req["model"])
    with open(os.path.join(req["model"], "vocab.txt")) as f:
        vocab = {t: i for i, t in enumerate(f.read().splitlines())}
    kmer_list = ["".join(x) for x in itertools.product("ACGT", repeat=6)]
    probs = [ref.reconstruct(model, r["sequence"], r["species"], vocab, kmer_list, k=6, batch=32).reshape(-1).tolist()
             for r in req["records"]]
    json.dump({"probs": probs}, sys.stdout)


if __name__ == "__main__":
    main()
