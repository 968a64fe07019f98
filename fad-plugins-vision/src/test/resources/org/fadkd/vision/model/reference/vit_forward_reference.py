"""A small torchvision 0.14 VisionTransformer (3x32x32 images, 8-pixel patches, 2 layers, 3 heads,
width 24, MLP 48, 10 classes) with random weights, for TestVitForwardMatchesTorchvision: prints one
JSON object with its state_dict, a batch of 2 inputs, and, in eval mode, the outputs of the taps
FAD declares (the tokens entering the first block, each block's output, the final layer norm's)
and the logits. Every parameter, LayerNorm's included, is drawn from N(0, 0.2^2) so that none is
trivially zero or one.
"""

import json
import sys

import torch
from torchvision.models.vision_transformer import VisionTransformer

torch.manual_seed(19)
model = VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=3, hidden_dim=24,
                          mlp_dim=48, num_classes=10)
with torch.no_grad():
    for parameter in model.parameters():
        parameter.normal_(0.0, 0.2)
model.eval()

taps = {}


def tap(name):
    def hook(module, inputs, output):
        taps[name] = output
    return hook


model.encoder.dropout.register_forward_hook(tap("embedding"))
for index, layer in enumerate(model.encoder.layers):
    layer.register_forward_hook(tap("block%d" % (index + 1)))
model.encoder.ln.register_forward_hook(tap("norm"))

inputs = torch.randn(2, 3, 32, 32)
with torch.no_grad():
    logits = model(inputs)


def values(tensor):
    return {"shape": list(tensor.shape), "values": tensor.detach().reshape(-1).tolist()}


json.dump({
    "state": {name: values(tensor) for name, tensor in model.state_dict().items()},
    "input": values(inputs),
    "taps": {name: values(output) for name, output in taps.items()},
    "logits": values(logits),
}, sys.stdout)
sys.stdout.write("\n")
