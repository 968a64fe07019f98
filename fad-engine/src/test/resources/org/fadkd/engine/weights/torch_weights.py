#!/usr/bin/python3
"""Writes the PyTorch side of TestTorchWeights into OUT_DIR:

- model.onnx: a tiny network exported by torch.onnx.export (no onnx package needed);
- state.safetensors: its state_dict (float32, num_batches_tracked int64), the same weights cast to
  bfloat16, float16 and float64, and every 16-bit pattern as float16 and as bfloat16, written by
  fad_safetensors (the safetensors package is not installed);
- expected.safetensors: what each tensor of state.safetensors is as float32 according to PyTorch
  (t.float()), or as int64 for integer tensors.

Usage: torch_weights.py OUT_DIR
"""
import json
import os
import sys

import torch

from fad_safetensors import save_safetensors

class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.bn = torch.nn.BatchNorm2d(4)
        self.head = torch.nn.Linear(4 * 6 * 6, 5)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        # BN after the ReLU, so that the exporter cannot fold it into the convolution.
        x = self.bn(x)
        return self.head(x.flatten(1))


def main(out_dir):
    torch.manual_seed(19)
    model = Tiny()
    with torch.no_grad():
        model.bn.running_mean.uniform_(-1, 1)
        model.bn.running_var.uniform_(0.5, 2)
        model.bn.num_batches_tracked.fill_(12345)
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, 8, 8), os.path.join(out_dir, "model.onnx"),
                      input_names=["x"], output_names=["y"], do_constant_folding=False)

    state = {name: tensor for name, tensor in model.state_dict().items()}
    tensors = dict(state)
    for name, tensor in state.items():
        if tensor.is_floating_point():
            tensors["bf16." + name] = tensor.to(torch.bfloat16)
            tensors["f16." + name] = tensor.to(torch.float16)
            tensors["f64." + name] = tensor.to(torch.float64) / 3
    every = torch.arange(-32768, 32768, dtype=torch.int32).to(torch.int16)
    tensors["every.f16"] = every.view(torch.float16).reshape(256, 256)
    tensors["every.bf16"] = every.view(torch.bfloat16).reshape(256, 256)
    tensors["int32"] = torch.tensor([-7, 0, 2**31 - 1], dtype=torch.int32)
    save_safetensors(os.path.join(out_dir, "state.safetensors"), tensors, {"format": "pt"})

    expected = {name: (t.float() if t.is_floating_point() else t.to(torch.int64)) for name, t in tensors.items()}
    save_safetensors(os.path.join(out_dir, "expected.safetensors"), expected)
    print(json.dumps({"state": list(state), "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1])
