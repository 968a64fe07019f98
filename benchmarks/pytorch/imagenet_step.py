#!/usr/bin/env python3
"""Benchmark 8's PyTorch side (benchmarks/README.md): ImageNet-size training steps of torchvision's
ResNet-18 or ResNet-50 in eager PyTorch, on random inputs. Prints one JSON object on stdout;
progress goes to stderr.

  imagenet_step.py --model resnet18|resnet50 [--batch-size 32] [--image-size 224] [--warmup 2]
                   [--steps 10] [--threads N] [--interop-threads N] [--seed 1]

The model is torchvision.models.resnet18 / resnet50 with random weights and 1000 classes. The data
is a pool of --pool random 3 x S x S images (standard normal, as normalised images are) with
labels i * 7919 % 1000, built once before anything is timed; sample i of the run is pool image
i % pool, as FAD's side does, so no data files are read. A step is what FAD's DistillationLoop
does per batch when a model trains alone on cross-entropy: gather the batch from the pool, forward
in train mode, cross-entropy, zero_grad, backward, SGD step (momentum 0.9), the loss read to the
host with .item(). The run reports each timed step in milliseconds and the process's peak
resident set (VmHWM of /proc/self/status) at the end.
"""

import argparse
import json
import math
import os
import platform
import sys
import time

import torch
import torchvision
from torch.nn import functional as F

MODELS = {"resnet18": torchvision.models.resnet18, "resnet50": torchvision.models.resnet50}


def resident_megabytes():
    """VmRSS and VmHWM (peak) of this process, in MiB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount = line.split(":")
                values[key] = int(amount.split()[0]) / 1024.0
    return values["VmRSS"], values["VmHWM"]


def run(arguments):
    torch.set_num_threads(arguments.threads)
    torch.set_num_interop_threads(arguments.interop_threads)
    torch.manual_seed(arguments.seed)
    model = MODELS[arguments.model](num_classes=arguments.classes).train()
    parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = torch.optim.SGD(model.parameters(), lr=arguments.learning_rate, momentum=arguments.momentum,
                                weight_decay=arguments.weight_decay)
    size = arguments.image_size
    pool = torch.randn(arguments.pool, 3, size, size, generator=torch.Generator().manual_seed(arguments.seed))
    samples = (arguments.warmup + arguments.steps) * arguments.batch_size
    pool_labels = torch.arange(arguments.pool, dtype=torch.long) * 7919 % arguments.classes
    generator = torch.Generator().manual_seed(arguments.seed)
    order = torch.randperm(samples, generator=generator)
    after_setup, _ = resident_megabytes()
    steps = []
    for number in range(arguments.warmup + arguments.steps):
        indices = order[number * arguments.batch_size:(number + 1) * arguments.batch_size] % arguments.pool
        start = time.perf_counter_ns()
        inputs, labels = pool[indices], pool_labels[indices]
        loss = F.cross_entropy(model(inputs), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        value = loss.item()
        stepped = time.perf_counter_ns()
        if not math.isfinite(value):
            raise SystemExit(f"the loss is {value}")
        if number >= arguments.warmup:
            steps.append((stepped - start) / 1e6)
        print(f"pytorch {arguments.model} step {number + 1}/{arguments.warmup + arguments.steps}: "
              f"{(stepped - start) / 1e6:.0f} ms", file=sys.stderr)
    return {
        "tool": "pytorch",
        "model": arguments.model,
        "batch_size": arguments.batch_size,
        "image_size": size,
        "warmup": arguments.warmup,
        "step_ms": steps,
        "rss_mb_after_setup": after_setup,
        "peak_rss_mb": resident_megabytes()[1],
        "parameters": parameters,
        "threads": {"intra_op": torch.get_num_threads(), "inter_op": torch.get_num_interop_threads()},
        "version": f"python {platform.python_version()}, torch {torch.__version__}, "
                   f"torchvision {torchvision.__version__}",
    }


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=sorted(MODELS), required=True)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--pool", type=int, default=64, help="distinct random images the batches are drawn from")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    parser.add_argument("--steps", type=int, default=10, help="timed steps")
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads")
    parser.add_argument("--interop-threads", type=int, default=1, help="inter-op threads")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv):
    json.dump(run(parse(argv)), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
