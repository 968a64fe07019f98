"""The safetensors writer of FAD's test scripts (the safetensors package is not installed with
Debian's PyTorch). DebianPython puts this module on PYTHONPATH: `from fad_safetensors import
save_safetensors`.

The format: u64 little-endian header length, JSON header padded with spaces to 8 bytes, data.
"""
import json
import struct

import torch

DTYPES = {
    torch.float64: "F64",
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
}


def save_safetensors(path, tensors, metadata=None):
    """Writes `tensors` (name -> tensor, in order) with an optional `__metadata__` dict."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        tensor = tensor.detach().contiguous()
        # numpy has no bfloat16: take its bits through int16, which has the same size.
        bits = tensor.view(torch.int16) if tensor.dtype == torch.bfloat16 else tensor
        raw = bits.numpy().tobytes()
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for raw in blobs:
            out.write(raw)
