#!/usr/bin/python3
"""Logits of a saved model folder by the PyTorch reference (Debian's /usr/bin/python3 with torch), for the tests.

Loads MODEL (config.json + model.safetensors, as saveModelFolder writes it) into the reference `Bert` class the
way bench/torch_forward.py does, runs it on the token ids and attention mask the Node side wrote (raw
little-endian int64, [batch, tokens]) and writes the logits (raw float32 [batch, tokens, vocab]) to OUT. With
--save-bin DIR it also writes the weights as DIR/pytorch_model.bin, the way Hugging Face's torch.save does
(tied decoder keys and position_ids included).

usage: torch_logits.py --model DIR --reference DIR --ids FILE --mask FILE --batch B --tokens T --out FILE [--save-bin DIR]
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
from torch_forward import load_model  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    for name in ("model", "reference", "ids", "mask", "out"):
        ap.add_argument(f"--{name}", required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--tokens", type=int, required=True)
    ap.add_argument("--save-bin")
    a = ap.parse_args()
    torch.set_num_threads(1)
    sys.path.insert(0, os.path.abspath(a.reference))
    import specieslm_reference as ref  # noqa: E402  (path given at run time)

    model = load_model(ref, a.model)
    shape = (a.batch, a.tokens)
    ids = torch.from_numpy(np.fromfile(a.ids, dtype="<i8").reshape(shape).copy())
    mask = torch.from_numpy(np.fromfile(a.mask, dtype="<i8").reshape(shape).copy())
    with torch.no_grad():
        logits, _ = model(ids, mask)
    logits.float().numpy().astype("<f4").tofile(a.out)
    if a.save_bin:
        torch.save(model.hf_state_dict(tied=True, position_ids=True), os.path.join(a.save_bin, "pytorch_model.bin"))


if __name__ == "__main__":
    main()
