"""torchvision 0.14's Vision Transformers, counted as FAD's MacCounter counts (torch_counts.py), for
TestVitArchitecture: vit_b_16 as published (3x224x224, 1000 classes) and the VisionTransformer class
at the tiny and small sizes (DeiT's widths) with 16-pixel patches at 224 pixels, and tiny with
4-pixel patches at 32 pixels (CIFAR-size), each for 10 classes.
"""

from torchvision.models import vit_b_16
from torchvision.models.vision_transformer import VisionTransformer

import torch_counts


def vision_transformer(hidden_dim, layers, heads, mlp_dim, patch_size, image_size, classes):
    return VisionTransformer(image_size=image_size, patch_size=patch_size, num_layers=layers,
                             num_heads=heads, hidden_dim=hidden_dim, mlp_dim=mlp_dim,
                             num_classes=classes)


torch_counts.report({
    "vit-b16": (vit_b_16(), (3, 224, 224)),
    "vit-s16": (vision_transformer(384, 12, 6, 1536, 16, 224, 10), (3, 224, 224)),
    "vit-ti16": (vision_transformer(192, 12, 3, 768, 16, 224, 10), (3, 224, 224)),
    "vit-ti4": (vision_transformer(192, 12, 3, 768, 4, 32, 10), (3, 32, 32)),
})
