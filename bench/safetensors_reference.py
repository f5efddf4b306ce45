#!/usr/bin/env python3
"""Reference facts about all-MiniLM-L6-v2's model.safetensors, read with plain numpy (the
format is an 8-byte header length, a JSON header, then raw little-endian tensors), for the
Swift SafetensorsReader test: every tensor's dtype, shape, float64 sum and first values.

    python3 bench/safetensors_reference.py ~/.cache/paperboy/models/all-MiniLM-L6-v2/model.safetensors \
        Tests/Fixtures/minilm-safetensors-summary.json
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64}


def main() -> None:
    source, out = Path(sys.argv[1]).expanduser(), Path(sys.argv[2])
    data = source.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = []
    for name, info in sorted((k, v) for k, v in header.items() if k != "__metadata__"):
        begin, end = info["data_offsets"]
        values = np.frombuffer(body[begin:end], dtype=DTYPES[info["dtype"]]).astype(np.float64)
        tensors.append({"name": name, "dtype": info["dtype"], "shape": info["shape"],
                        "sum": float(values.sum()), "first": [float(v) for v in values[:4]]})
    out.write_text(json.dumps({"generator": "python3 bench/safetensors_reference.py MODEL OUT",
                               "file_bytes": len(data), "tensors": tensors}, indent=1) + "\n")
    print(f"{len(tensors)} tensors -> {out}")


if __name__ == "__main__":
    main()
