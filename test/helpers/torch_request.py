"""The common start of the JSON-request PyTorch helpers: read the request on stdin, import the reference
implementation from the request's `reference` folder, and load the request's `model` folder into it."""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
from torch_forward import load_model  # noqa: E402


def read_request():
    """(request, reference module, model) for a request {"model": DIR, "reference": DIR, ...} on stdin."""
    req = json.load(sys.stdin)
    torch.set_num_threads(1)
    sys.path.insert(0, os.path.abspath(req["reference"]))
    import specieslm_reference as ref  # noqa: E402  (path given at run time)

    return req, ref, load_model(ref, req["model"])
