"""aespec's checkpoint format (src/run/checkpoint.ts, version 2), written and read
here without Node: checkpoint.json (the loop state, a manifest of the tensors,
each binary file's size and SHA-256), weights.bin and optimizer.bin, raw
little-endian float32 back to back, the tensors named and ordered by the IR's
parameter table. aespec's eval, report, export and encode read what this writes."""
import hashlib
import json
import os
import sys

import numpy as np
import torch

from .run_dir import replace_folder

FORMAT = "aespec-checkpoint"
VERSION = 2


def _pack(tensors):
    entries, chunks, offset = [], [], 0
    for name, t in tensors:
        a = t.detach().to("cpu", torch.float32).contiguous().numpy().astype("<f4", copy=False)
        entries.append({"name": name, "shape": list(a.shape), "dtype": "float32", "offset": offset})
        b = a.tobytes()
        chunks.append(b)
        offset += len(b)
    return entries, b"".join(chunks)


def write_checkpoint(root, folder, meta, state, weights, optimizer):
    """weights: [(name, tensor)] in checkpoint order; optimizer: (kind, iterations, [(variable, slot, tensor)], extras)."""
    if sys.byteorder != "little":
        raise RuntimeError("checkpoints are written on little-endian machines only")
    w_entries, w_bytes = _pack(weights)
    kind, iterations, slots, extras = optimizer
    s_entries, s_bytes = _pack([(f"{i}", t) for i, (_, _, t) in enumerate(slots)])
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "model": meta["model"],
        "irHash": meta["irHash"],
        "resumeKey": meta["resumeKey"],
        "state": state,
        "weights": {"file": "weights.bin", "tensors": w_entries},
        "optimizer": {
            "kind": kind,
            "iterations": iterations,
            "extras": extras,
            "file": "optimizer.bin",
            "slots": [{"variable": v, "slot": s, "shape": e["shape"], "dtype": "float32", "offset": e["offset"]} for (v, s, _), e in zip(slots, s_entries)],
        },
    }
    binaries = {"weights.bin": w_bytes, "optimizer.bin": s_bytes}
    manifest["files"] = {n: {"bytes": len(b), "sha256": hashlib.sha256(b).hexdigest()} for n, b in binaries.items()}
    replace_folder(root, folder, {**binaries, "checkpoint.json": (json.dumps(manifest, indent=1) + "\n").encode()})


class CheckpointError(Exception):
    pass


def _unpack(entries, data):
    out = []
    for e in entries:
        shape = e["shape"]
        count = int(np.prod(shape)) if shape else 1
        start = e["offset"]
        if start + 4 * count > len(data):
            raise CheckpointError(f"tensor {e.get('name')} runs past the end of its file")
        dtype = "<f4" if e["dtype"] == "float32" else "<i4"
        a = np.frombuffer(data, dtype=dtype, count=count, offset=start).reshape(shape)
        out.append(torch.from_numpy(a.copy()))
    return out


def read_checkpoint(folder):
    """The checkpoint in `folder` as (manifest, {name: tensor}, (iterations, slots, extras)); CheckpointError says why not."""
    try:
        with open(os.path.join(folder, "checkpoint.json")) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        raise CheckpointError(f"its checkpoint.json cannot be read: {e}")
    if m.get("format") != FORMAT or m.get("version") not in (1, VERSION):
        raise CheckpointError("not an aespec checkpoint of a version this trainer reads")

    def binary(name):
        with open(os.path.join(folder, name), "rb") as f:
            data = f.read()
        if m["version"] == VERSION:
            entry = m.get("files", {}).get(name)
            if entry is None or entry["bytes"] != len(data) or entry["sha256"] != hashlib.sha256(data).hexdigest():
                raise CheckpointError(f"its checkpoint's {name} is damaged: it does not match checkpoint.json")
        return data

    w = m["weights"]
    tensors = _unpack(w["tensors"], binary(w["file"]))
    weights = {e["name"]: t for e, t in zip(w["tensors"], tensors)}
    o = m["optimizer"]
    slot_tensors = _unpack([{**s, "name": str(i)} for i, s in enumerate(o["slots"])], binary(o["file"]))
    slots = [(s["variable"], s["slot"], t) for s, t in zip(o["slots"], slot_tensors)]
    return m, weights, (o["iterations"], slots, o["extras"])
