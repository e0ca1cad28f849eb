#!/usr/bin/python3
"""Loss and gradients of the fine-tuning head on the PyTorch reference (Debian's /usr/bin/python3 with torch).

Reads a JSON request on stdin: {model, reference, ids, mask ([B][T] ints), head_weight ([H]), head_bias,
task ("regression" | "classification"), target ([B] floats, standardised, or 0/1 labels), names}. Loads the
model folder into the reference `Bert` (as bench/torch_forward.py does), mean-pools the last hidden state over
real tokens, applies the linear head, takes the mean squared error (or BCE with logits) and prints
{loss, output, grads: {name: flat list}} for the requested parameter names (HF names, head.weight, head.bias).
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_request import read_request  # noqa: E402
from torch_forward import hf_live_params  # noqa: E402  (torch_request puts bench/ on the path)


def main():
    req, ref, model = read_request()
    params = dict(hf_live_params(model))
    w = torch.tensor(req["head_weight"], dtype=torch.float32).reshape(1, -1).requires_grad_(True)
    b = torch.tensor([req["head_bias"]], dtype=torch.float32).requires_grad_(True)
    params["head.weight"], params["head.bias"] = w, b
    ids = torch.tensor(req["ids"], dtype=torch.int64)
    mask = torch.tensor(req["mask"], dtype=torch.int64)
    _, hidden = model(ids, mask)
    m = mask.float().unsqueeze(2)
    pooled = (hidden[-1] * m).sum(1) / m.sum(1)
    z = (pooled @ w.T + b).reshape(-1)
    y = torch.tensor(req["target"], dtype=torch.float32)
    loss = F.binary_cross_entropy_with_logits(z, y) if req["task"] == "classification" else ((z - y) ** 2).mean()
    loss.backward()
    grads = {n: params[n].grad.reshape(-1).tolist() for n in req["names"]}
    json.dump({"loss": loss.item(), "output": z.tolist(), "grads": grads}, sys.stdout)


if __name__ == "__main__":
    main()
