"""The quick start's teacher and student, and FAD's kd loss, written in plain PyTorch.

Layer for layer the same networks as FAD's vision plugin builds with its default settings
(fad-plugins-vision, defaults/resnet.conf and defaults/cnn.conf) for 1x28x28 inputs and 10 classes:

- teacher, FAD's `resnet` (ResNetArchitecture): a 3x3 stem convolution (32 channels) with batch
  norm and ReLU, then three stages of one basic residual block each (widths 32, 64, 128, stride 2),
  whose shortcut is a 1x1 convolution with batch norm (the shape changes in every stage), then
  global average pooling and a linear classifier: 309,162 trainable parameters;
- student, FAD's `cnn` (CnnArchitecture): three 3x3 conv-BN-ReLU stages (16, 32, 64 channels), the
  first two followed by 2x2 max pooling, then global average pooling and a linear classifier:
  24,058 trainable parameters.

Convolutions have no bias ("same" padding, kernel // 2) because batch norm follows each one, as in
FAD's Layers.convolution. Batch norm uses DJL's defaults, which are PyTorch's (eps 1e-5; DJL's
momentum 0.9 on the running value is PyTorch's momentum 0.1 on the new one).
"""

import torch
from torch import nn
from torch.nn import functional as F

CLASSES = 10
TEACHER_PARAMETERS = 309_162
STUDENT_PARAMETERS = 24_058


def convolution(in_channels, out_channels, kernel, stride):
    return nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=kernel // 2, bias=False)


def convolution_unit(in_channels, out_channels, stride):
    """3x3 convolution, batch norm, ReLU (FAD's Layers.convolutionUnit)."""
    return nn.Sequential(
        convolution(in_channels, out_channels, 3, stride), nn.BatchNorm2d(out_channels), nn.ReLU())


def classifier_head(channels):
    """Global average pooling, flatten, linear (FAD's Layers.classifierHead)."""
    return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, CLASSES))


class ResidualBlock(nn.Module):
    """conv-BN-ReLU-conv-BN plus the shortcut, then ReLU (ResNet option B shortcut)."""

    def __init__(self, in_channels, width, stride):
        super().__init__()
        self.residual = nn.Sequential(
            convolution_unit(in_channels, width, stride),
            convolution(width, width, 3, 1),
            nn.BatchNorm2d(width))
        if stride != 1 or in_channels != width:
            self.shortcut = nn.Sequential(convolution(in_channels, width, 1, stride), nn.BatchNorm2d(width))
        else:
            self.shortcut = nn.Identity()

    def forward(self, x):
        return F.relu(self.residual(x) + self.shortcut(x))


def teacher(stem_channels=32, widths=(32, 64, 128), strides=(2, 2, 2), blocks_per_stage=1):
    """FAD's `resnet` with its default settings."""
    layers = [convolution_unit(1, stem_channels, 1)]
    channels = stem_channels
    for width, stride in zip(widths, strides):
        for block in range(blocks_per_stage):
            layers.append(ResidualBlock(channels, width, stride if block == 0 else 1))
            channels = width
    layers.append(classifier_head(channels))
    return nn.Sequential(*layers)


def student(widths=(16, 32, 64), pool=(True, True, False)):
    """FAD's `cnn` with its default settings."""
    layers = []
    channels = 1
    for width, pooled in zip(widths, pool):
        layers.append(convolution_unit(channels, width, 1))
        if pooled:
            layers.append(nn.MaxPool2d(2, 2))
        channels = width
    layers.append(classifier_head(channels))
    return nn.Sequential(*layers)


def trainable_parameters(model):
    """Trainable parameters, without buffers such as batch norm's running statistics (fad-spec §13)."""
    return sum(parameter.numel() for parameter in model.parameters() if parameter.requires_grad)


def kd_loss(student_logits, teacher_logits, labels, temperature, alpha):
    """fad-spec §11.2 as FAD's KdLoss computes it: (1 - alpha) CE + alpha T^2 KL(p_T || p_S), batchmean."""
    teacher_log = F.log_softmax(teacher_logits / temperature, dim=-1)
    student_log = F.log_softmax(student_logits / temperature, dim=-1)
    batch_size = student_logits.shape[0]
    distillation = (teacher_log.exp() * (teacher_log - student_log)).sum() * (temperature * temperature / batch_size)
    return (1 - alpha) * F.cross_entropy(student_logits, labels) + alpha * distillation
