"""Reference counts for FAD's reference families (TestReferenceFamilies.java).

    resnet_vgg_reference.py imagenet   torchvision's resnet18/34/50/101 and vgg11_bn..vgg19_bn
                                       at (3, 224, 224), 1000 classes
    resnet_vgg_reference.py cifar      the CIFAR families as RepDistiller (HobbitLong/RepDistiller,
                                       models/resnet.py, wrn.py, vgg.py) defines them, at
                                       (3, 32, 32), 100 classes

The CIFAR networks are written here from the papers' and RepDistiller's descriptions (RepDistiller
is not installed): only the layer shapes matter for the counts, so there is no initialisation,
dropout or feature-returning forward. Names are those of configs/model/*.conf.
"""

import sys

import torchvision
from torch import nn

import torch_counts

IMAGENET_SHAPE = (3, 224, 224)
CIFAR_SHAPE = (3, 32, 32)
CIFAR_CLASSES = 100


def conv_bn(inputs, outputs, kernel, stride, activate):
    layers = [nn.Conv2d(inputs, outputs, kernel, stride, kernel // 2, bias=False), nn.BatchNorm2d(outputs)]
    return layers + [nn.ReLU()] if activate else layers


class PostActivatedBlock(nn.Module):
    """CIFAR ResNet basic block: conv-BN-ReLU-conv-BN plus a (projected) shortcut, then ReLU."""

    def __init__(self, inputs, width, stride):
        super().__init__()
        self.residual = nn.Sequential(*conv_bn(inputs, width, 3, stride, True), *conv_bn(width, width, 3, 1, False))
        projects = stride != 1 or inputs != width
        self.shortcut = nn.Sequential(*conv_bn(inputs, width, 1, stride, False)) if projects else nn.Identity()

    def forward(self, x):
        return (self.residual(x) + self.shortcut(x)).relu()


def cifar_resnet(depth, widths):
    blocks = (depth - 2) // 6
    layers = conv_bn(3, widths[0], 3, 1, True)
    channels = widths[0]
    for stage, width in enumerate(widths[1:]):
        for block in range(blocks):
            layers.append(PostActivatedBlock(channels, width, 2 if stage > 0 and block == 0 else 1))
            channels = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, CIFAR_CLASSES))


class PreActivatedBlock(nn.Module):
    """Wide ResNet block: BN-ReLU-conv-BN-ReLU-conv plus a shortcut; a projection sees the activated input."""

    def __init__(self, inputs, width, stride):
        super().__init__()
        self.activation = nn.Sequential(nn.BatchNorm2d(inputs), nn.ReLU())
        self.residual = nn.Sequential(
            nn.Conv2d(inputs, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, width, 3, 1, 1, bias=False))
        self.projection = nn.Conv2d(inputs, width, 1, stride, bias=False) if inputs != width else None

    def forward(self, x):
        activated = self.activation(x)
        if self.projection is None:
            return x + self.residual(activated)
        return self.projection(activated) + self.residual(activated)


def wide_resnet(depth, widen):
    blocks = (depth - 4) // 6
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False)]
    channels = 16
    for stage, width in enumerate([16 * widen, 32 * widen, 64 * widen]):
        for block in range(blocks):
            layers.append(PreActivatedBlock(channels, width, 2 if stage > 0 and block == 0 else 1))
            channels = width
    return nn.Sequential(*layers, nn.BatchNorm2d(channels), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(channels, CIFAR_CLASSES))


VGG_GROUPS = {
    8: [[64], [128], [256], [512], [512]],
    11: [[64], [128], [256, 256], [512, 512], [512, 512]],
    13: [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]],
    16: [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]],
    19: [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]],
}


def cifar_vgg(depth):
    """RepDistiller's VGG at 32 pixels: pooling before groups 2-4 only, biased conv + BN + ReLU, linear head."""
    layers = []
    channels = 3
    for group, widths in enumerate(VGG_GROUPS[depth]):
        if 0 < group < 4:
            layers.append(nn.MaxPool2d(2, 2))
        for width in widths:
            layers += [nn.Conv2d(channels, width, 3, 1, 1), nn.BatchNorm2d(width), nn.ReLU()]
            channels = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, CIFAR_CLASSES))


def imagenet_models():
    models = {f"resnet{depth}": getattr(torchvision.models, f"resnet{depth}")() for depth in (18, 34, 50, 101)}
    models.update({f"vgg{depth}-bn": getattr(torchvision.models, f"vgg{depth}_bn")() for depth in (11, 13, 16, 19)})
    return {name: (model, IMAGENET_SHAPE) for name, model in models.items()}


def cifar_models():
    models = {f"resnet{depth}": cifar_resnet(depth, [16, 16, 32, 64]) for depth in (8, 14, 20, 32, 44, 56, 110)}
    models["resnet8x4"] = cifar_resnet(8, [32, 64, 128, 256])
    models["resnet32x4"] = cifar_resnet(32, [32, 64, 128, 256])
    models["wrn-40-2"] = wide_resnet(40, 2)
    models["wrn-16-2"] = wide_resnet(16, 2)
    models.update({f"cifar-vgg{depth}": cifar_vgg(depth) for depth in VGG_GROUPS})
    return {name: (model, CIFAR_SHAPE) for name, model in models.items()}


if __name__ == "__main__":
    torch_counts.report({"imagenet": imagenet_models, "cifar": cifar_models}[sys.argv[1]]())
