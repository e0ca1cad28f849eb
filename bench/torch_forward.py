#!/usr/bin/python3
"""PyTorch side of bench/forward-vs-pytorch.mjs (run with Debian's /usr/bin/python3, torch 1.13).

Loads a Hugging Face SpeciesLM folder (config.json + model.safetensors, as saveModelFolder writes it)
into the reference `Bert` class of ../shared/reference/specieslm_reference.py, then times the forward
pass over the token ids the Node side wrote (raw little-endian int64, [batch, tokens]) in fp32 and in
bf16 (a bfloat16 copy of the model), warm-up then median of --runs. Prints one JSON object on stdout and
writes the logits of the first sequence of each precision (raw float32 [tokens, vocab]) for the
correctness check on the Node side.

usage: torch_forward.py --model DIR --ids FILE --batch B --tokens T --runs N --threads 2 --out-prefix P
"""
import argparse
import copy
import json
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path):
    """safetensors without the package: u64 header length, JSON header, then raw little-endian data."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, meta in header.items():
            if name == "__metadata__":
                continue
            a, b = meta["data_offsets"]
            f.seek(base + a)
            arr = np.frombuffer(f.read(b - a), dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"])
            out[name] = torch.from_numpy(arr.astype(np.float32, copy=True))
    return out


def load_model(ref_module, folder):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    model = ref_module.Bert(cfg["vocab_size"], cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"],
                            cfg["intermediate_size"], cfg["max_position_embeddings"], eps=cfg["layer_norm_eps"]).eval()
    tensors = read_safetensors(os.path.join(folder, "model.safetensors"))
    live = hf_live_params(model)  # hf_state_dict() returns clones, so copy into the live parameters instead
    missing = [k for k in live if k not in tensors]
    if missing:
        raise SystemExit(f"{folder}/model.safetensors lacks {missing[:3]} (and {max(0, len(missing) - 3)} more)")
    with torch.no_grad():
        for name, p in live.items():
            p.copy_(tensors[name])
    return model


def hf_live_params(m):
    """Hugging Face names -> the reference module's live parameters (the inverse of hf_state_dict)."""
    sd = {
        "bert.embeddings.word_embeddings.weight": m.word.weight,
        "bert.embeddings.position_embeddings.weight": m.pos.weight,
        "bert.embeddings.token_type_embeddings.weight": m.tok_type.weight,
        "bert.embeddings.LayerNorm.weight": m.emb_ln.weight,
        "bert.embeddings.LayerNorm.bias": m.emb_ln.bias,
        "cls.predictions.bias": m.dec_bias,
        "cls.predictions.transform.dense.weight": m.tr.weight,
        "cls.predictions.transform.dense.bias": m.tr.bias,
        "cls.predictions.transform.LayerNorm.weight": m.tr_ln.weight,
        "cls.predictions.transform.LayerNorm.bias": m.tr_ln.bias,
    }
    for i, l in enumerate(m.layers):
        p = f"bert.encoder.layer.{i}."
        for name, mod in [("attention.self.query", l.q), ("attention.self.key", l.k), ("attention.self.value", l.v),
                          ("attention.output.dense", l.ao), ("intermediate.dense", l.inter), ("output.dense", l.out),
                          ("attention.output.LayerNorm", l.ao_ln), ("output.LayerNorm", l.out_ln)]:
            sd[p + name + ".weight"] = mod.weight
            sd[p + name + ".bias"] = mod.bias
    return sd


def loaded_blas():
    """The BLAS library this process mapped (Debian's torch takes whatever libblas.so.3 resolves to)."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1]}
    return sorted(libs)[0] if libs else "unknown"


def timed(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--ids", required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--tokens", type=int, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out-prefix", required=True)
    ap.add_argument("--reference", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "reference"))
    ap.add_argument("--precisions", default="fp32,bf16")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    sys.path.insert(0, os.path.abspath(a.reference))
    import specieslm_reference as ref  # noqa: E402  (path given at run time)

    model = load_model(ref, a.model)
    ids = torch.from_numpy(np.fromfile(a.ids, dtype="<i8").reshape(a.batch, a.tokens).copy())
    attn = torch.ones_like(ids)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.is_available(),
              "blas": loaded_blas()}
    for prec in a.precisions.split(","):
        # torch 1.13's CPU autocast leaves LayerNorm with bf16 input and fp32 weights ("expected scalar type
        # BFloat16 but found Float"), so bf16 is a bfloat16 copy of the whole model. Its attention mask is
        # left out: the fp32 mask would promote the scores to fp32, and with all-ones masks it adds 0.
        m = copy.deepcopy(model).to(torch.bfloat16) if prec == "bf16" else model
        mask = None if prec == "bf16" else attn

        def fwd():
            with torch.no_grad():
                return m(ids, mask)[0]
        times, logits = timed(fwd, a.warmup, a.runs)
        logits[0].float().numpy().astype("<f4").tofile(f"{a.out_prefix}.{prec}.logits0.bin")
        result[prec] = {"seconds": times, "median_s": statistics.median(times)}
        print(f"torch {prec}: median {statistics.median(times):.2f} s over {len(times)} runs", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
