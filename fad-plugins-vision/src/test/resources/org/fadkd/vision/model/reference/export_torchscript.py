"""Exports TorchScript modules for TestTorchScriptArchitecture, with random weights (fixed seed),
and writes what PyTorch computes for a fixed input, so the test can check that FAD's torchscript
architecture reproduces the logits and every tap. Nothing here is committed as a binary: the test
runs this script into a temporary folder.

  export_torchscript.py OUT_DIR

Writes to OUT_DIR:
  tiny.pt, tiny.json      a small CNN with batch norm for 1x28x28 inputs and 10 classes, scripted,
                          returning {"logits", "block1", "block2"}; the JSON holds the input and
                          PyTorch's outputs (flattened, with shapes)
  tiny_tuple.pt           the same network returning a tuple (a module FAD must reject)
  resnet18.pt, resnet18.json
                          torchvision's ResNet-18 (10 classes) as the README exports ResNet-50:
                          create_feature_extractor returning {"logits", "layer1".."layer4"}; 3x64x64
"""

import json
import os
import sys
from typing import Dict

import torch
import torchvision
from torch import nn
from torchvision.models.feature_extraction import create_feature_extractor


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2))
        self.block2 = nn.Sequential(nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Linear(16, 10)

    def forward(self, x) -> Dict[str, torch.Tensor]:
        block1 = self.block1(x)
        block2 = self.block2(block1)
        return {"logits": self.head(block2.mean(dim=(2, 3))), "block1": block1, "block2": block2}


class TinyTuple(Tiny):
    def forward(self, x):
        block1 = self.block1(x)
        return self.head(self.block2(block1).mean(dim=(2, 3))), block1


def randomise_statistics(model):
    """Batch-norm statistics away from 0 and 1, so that eval mode is visibly not train mode."""
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
            nn.init.uniform_(module.weight, 0.5, 1.5)
            nn.init.uniform_(module.bias, -0.2, 0.2)


def export(model, name, input_shape, out, expected=True):
    model.eval()
    scripted = torch.jit.script(model)
    scripted.save(os.path.join(out, name + ".pt"))
    if not expected:
        return
    sample = torch.linspace(-2.0, 2.0, steps=int(torch.tensor(input_shape).prod())).reshape(input_shape)
    with torch.no_grad():
        outputs = scripted(sample)
    record = {"input": {"shape": list(sample.shape), "values": sample.flatten().tolist()}}
    for key, value in outputs.items():
        record[key] = {"shape": list(value.shape), "values": value.flatten().tolist()}
    with open(os.path.join(out, name + ".json"), "w") as stream:
        json.dump(record, stream)


def main(out):
    torch.manual_seed(0)
    tiny = Tiny()
    with torch.no_grad():
        randomise_statistics(tiny)
    export(tiny, "tiny", (2, 1, 28, 28), out)
    tiny_tuple = TinyTuple()
    tiny_tuple.load_state_dict(tiny.state_dict())
    export(tiny_tuple, "tiny_tuple", (2, 1, 28, 28), out, expected=False)
    torch.manual_seed(0)
    resnet = torchvision.models.resnet18(num_classes=10)
    with torch.no_grad():
        randomise_statistics(resnet)
    # the README's recipe: torchvision's feature extractor returns the named nodes as a dict
    nodes = {"layer1": "layer1", "layer2": "layer2", "layer3": "layer3", "layer4": "layer4", "fc": "logits"}
    export(create_feature_extractor(resnet.eval(), return_nodes=nodes), "resnet18", (1, 3, 64, 64), out)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(sys.argv[1])
