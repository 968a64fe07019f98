"""torchvision 0.14's MobileNetV2/V3, ShuffleNetV2, DenseNet and EfficientNet, counted as FAD's
MacCounter counts (torch_counts.py), for TestTorchvisionFamilies.

Usage: mobile_reference.py CHANNELS SIZE CLASSES [NAME ...]; prints {name: {parameters, macs}} for
the named models (all by default) at input (CHANNELS, SIZE, SIZE).
"""

import sys
from functools import partial

import torch
from torch import nn
from torchvision import models

import torch_counts

MODELS = {
    "mobilenet-v2": models.mobilenet_v2,
    "mobilenet-v2-width0.5": partial(models.mobilenet_v2, width_mult=0.5),
    "mobilenet-v3-large": models.mobilenet_v3_large,
    "mobilenet-v3-large-width0.75": partial(models.mobilenet_v3_large, width_mult=0.75),
    "mobilenet-v3-small": models.mobilenet_v3_small,
    "shufflenet-v2-x0.5": models.shufflenet_v2_x0_5,
    "shufflenet-v2-x1.0": models.shufflenet_v2_x1_0,
    "shufflenet-v2-x1.5": models.shufflenet_v2_x1_5,
    "shufflenet-v2-x2.0": models.shufflenet_v2_x2_0,
    "densenet121": models.densenet121,
    "densenet161": models.densenet161,
    "densenet169": models.densenet169,
    "densenet201": models.densenet201,
    "efficientnet-b0": models.efficientnet_b0,
    "efficientnet-b1": models.efficientnet_b1,
    "efficientnet-b3": models.efficientnet_b3,
    "efficientnet-b7": models.efficientnet_b7,
}


def with_input_channels(model, channels):
    """Replaces the first convolution by one with `channels` inputs (FAD infers them from the data)."""
    if channels == 3:
        return model
    for parent in model.modules():
        for name, child in parent.named_children():
            if isinstance(child, nn.Conv2d):
                setattr(parent, name, nn.Conv2d(channels, child.out_channels, child.kernel_size, child.stride,
                                                child.padding, groups=child.groups, bias=child.bias is not None))
                return model
    raise ValueError("no convolution")


def main():
    channels, size, classes = (int(value) for value in sys.argv[1:4])
    names = sys.argv[4:] or list(MODELS)
    torch.manual_seed(0)
    torch_counts.report({name: (with_input_channels(MODELS[name](num_classes=classes), channels),
                                (channels, size, size)) for name in names})


if __name__ == "__main__":
    main()
