"""Counts a PyTorch model the way FAD's MacCounter counts a DJL one (fad-spec §13), for the tests
that compare FAD's architectures with torchvision's (TorchReference.java).

- parameters: trainable parameters (requires_grad), not buffers such as batch norm's statistics;
- MACs of one sample's forward pass, 1 MAC = 1 FLOP as torchvision and fvcore report:
  convolution = output elements * (C_in / groups) * kernel size; linear = input elements / in * in * out;
  nn.MultiheadAttention = its input and output projections plus the two attention matmuls
  (tokens^2 * embed each), which it computes with functional calls no module hook sees
  (self-attention: as many keys as queries).
  Bias, normalisation, activations, pooling and element-wise work are not counted.

Each reference script builds its models and calls report({name: (model, input_shape)}), which
prints one JSON object {name: {"parameters": n, "macs": n}} on stdout.
"""

import json
import sys

import torch
from torch import nn


def parameters(model):
    return sum(parameter.numel() for parameter in model.parameters() if parameter.requires_grad)


def macs(model, input_shape):
    """MACs of one forward pass of a (1, *input_shape) input, in eval mode."""
    total = [0]

    def convolution(module, inputs, output):
        kernel = module.weight[0, 0].numel()
        total[0] += output.numel() * (module.in_channels // module.groups) * kernel

    def linear(module, inputs, output):
        total[0] += inputs[0].numel() // module.in_features * module.in_features * module.out_features

    def attention(module, inputs, output):
        # Read the output, which has the query's shape: torch 1.13 gives a forward hook only the
        # positional inputs, and torchvision's ViT passes query, key and value by keyword. Keys
        # are taken to be as many as queries (self-attention).
        attended = output[0]
        # (tokens, batch, embed) unless batch_first; batch is 1 here either way
        tokens, embed = attended.shape[-2] if module.batch_first else attended.shape[0], module.embed_dim
        total[0] += 3 * tokens * embed * embed  # in_proj for query, key and value
        total[0] += 2 * tokens * tokens * embed  # Q K^T and attention-weighted V
        total[0] += tokens * embed * embed  # out_proj

    handles = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            handles.append(module.register_forward_hook(convolution))
        elif isinstance(module, nn.MultiheadAttention):
            handles.append(module.register_forward_hook(attention))
        elif isinstance(module, nn.Linear) and not _inside_attention(model, module):
            handles.append(module.register_forward_hook(linear))
    model.eval()
    with torch.no_grad():
        model(torch.zeros((1,) + tuple(input_shape)))
    for handle in handles:
        handle.remove()
    return total[0]


def _inside_attention(model, module):
    """MultiheadAttention's out_proj is an nn.Linear that its forward never calls as a module."""
    return any(isinstance(parent, nn.MultiheadAttention) and parent.out_proj is module for parent in model.modules())


def report(models):
    """Prints {name: {"parameters", "macs"}} as JSON for {name: (model, input_shape)}."""
    torch.set_num_threads(1)
    result = {name: {"parameters": parameters(model), "macs": macs(model, shape)}
              for name, (model, shape) in models.items()}
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
