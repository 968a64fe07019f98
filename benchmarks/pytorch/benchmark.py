#!/usr/bin/env python3
"""PyTorch side of FAD's benchmarks (benchmarks/README.md): the quick start's models and kd step in
plain eager PyTorch, run with Debian's python3-torch. Prints one JSON object on stdout; progress
goes to stderr.

  benchmark.py info    [--threads N]                     versions, threads, parameter counts
  benchmark.py steps   --model kd|teacher [options]      per-step times of a training run
  benchmark.py memory  [options]                         resident memory over a kd distillation run

The step is what FAD's DistillationLoop does per batch, written the usual PyTorch way: the batch
is gathered from the training images held in memory (uint8) and normalised; for kd the teacher
runs in eval mode under torch.no_grad(), the student forward, the kd loss (fad-spec §11.2),
backward, the Adam step and the schedule step, and the loss is read to the host, as FAD reads it
for its epoch averages. For teacher training the teacher trains alone on cross-entropy. Teacher
weights are random (timing and memory do not depend on their values).
"""

import argparse
import gzip
import json
import math
import os
import platform
import struct
import sys
import time

import torch
from torch.nn import functional as F

import quickstart_models

# Fashion-MNIST's training-set pixel mean and standard deviation on the [0, 1] scale, as FAD's
# FashionMnistDataset normalises (data.normalize = true).
PIXEL_MEAN = 0.2860
PIXEL_STD = 0.3530


def read_idx(directory, name):
    """Reads an IDX file (raw or .gz) into a uint8 tensor of its dimensions."""
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as stream:
        data = stream.read()
    dimensions = data[3]
    shape = struct.unpack(">" + "I" * dimensions, data[4:4 + 4 * dimensions])
    body = bytearray(data[4 + 4 * dimensions:])
    return torch.frombuffer(body, dtype=torch.uint8).reshape(shape)


class FashionMnist:
    """Both splits as uint8 tensors; batches are gathered and normalised on demand, as FAD does."""

    def __init__(self, directory):
        self.train_images = read_idx(directory, "train-images-idx3-ubyte").unsqueeze(1)
        self.train_labels = read_idx(directory, "train-labels-idx1-ubyte").long()
        self.test_images = read_idx(directory, "t10k-images-idx3-ubyte").unsqueeze(1)
        self.test_labels = read_idx(directory, "t10k-labels-idx1-ubyte").long()

    @staticmethod
    def batch(images, labels, indices):
        inputs = images[indices].float().div_(255).sub_(PIXEL_MEAN).div_(PIXEL_STD)
        return inputs, labels[indices]


def epoch_plan(samples, batch_size, generator):
    """Shuffled batches of one epoch over the first `samples` samples, the last partial one dropped."""
    order = torch.randperm(samples, generator=generator)
    return [order[start:start + batch_size] for start in range(0, samples - batch_size + 1, batch_size)]


def resident_megabytes():
    """VmRSS and VmHWM (peak) of this process, in MiB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount = line.split(":")
                values[key] = int(amount.split()[0]) / 1024.0
    return values["VmRSS"], values["VmHWM"]


def set_threads(arguments):
    torch.set_num_threads(arguments.threads)
    torch.set_num_interop_threads(arguments.interop_threads)


def new_optimizer(parameters, arguments, total_steps):
    if arguments.optimizer != "adam":
        raise SystemExit(f"optimizer '{arguments.optimizer}' is not supported here; FAD's quick start uses adam")
    optimizer = torch.optim.Adam(parameters, lr=arguments.learning_rate, weight_decay=arguments.weight_decay)
    if arguments.schedule == "cosine":
        # DJL's cosine tracker: base -> 0 over the run's updates, as CosineAnnealingLR with eta_min 0.
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps, eta_min=0.0)
    else:
        schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    return optimizer, schedule


class Step:
    """One training step of either kind, timed by phase."""

    def __init__(self, arguments, data):
        self.arguments = arguments
        self.data = data
        torch.manual_seed(arguments.seed)
        if arguments.model == "kd":
            self.teacher = quickstart_models.teacher().eval()
            self.trained = quickstart_models.student().train()
        else:
            self.teacher = None
            self.trained = quickstart_models.teacher().train()

    def run(self, indices, optimizer, schedule):
        """Returns the phase durations in nanoseconds: data, teacher forward, forward+backward, optimizer."""
        start = time.perf_counter_ns()
        inputs, labels = FashionMnist.batch(self.data.train_images, self.data.train_labels, indices)
        loaded = time.perf_counter_ns()
        if self.teacher is not None:
            with torch.no_grad():
                teacher_logits = self.teacher(inputs)
        taught = time.perf_counter_ns()
        logits = self.trained(inputs)
        if self.teacher is not None:
            loss = quickstart_models.kd_loss(
                logits, teacher_logits, labels, self.arguments.temperature, self.arguments.alpha)
        else:
            loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        backward = time.perf_counter_ns()
        optimizer.step()
        schedule.step()
        value = loss.item()
        if not math.isfinite(value):
            raise SystemExit(f"the loss is {value}")
        stepped = time.perf_counter_ns()
        return loaded - start, taught - loaded, backward - taught, stepped - backward


def command_info(arguments):
    set_threads(arguments)
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "threads": {"intra_op": torch.get_num_threads(), "inter_op": torch.get_num_interop_threads()},
        "parameters": {
            "teacher": quickstart_models.trainable_parameters(quickstart_models.teacher()),
            "student": quickstart_models.trainable_parameters(quickstart_models.student()),
        },
        "parallel_backend": torch.__config__.parallel_info().splitlines()[-1].strip(),
    }


def command_steps(arguments):
    set_threads(arguments)
    data = FashionMnist(arguments.data)
    step = Step(arguments, data)
    total = arguments.warmup + arguments.steps
    samples = min(total * arguments.batch_size, len(data.train_labels))
    generator = torch.Generator().manual_seed(arguments.seed)
    plan = []
    while len(plan) < total:
        plan.extend(epoch_plan(samples, arguments.batch_size, generator))
    optimizer, schedule = new_optimizer(step.trained.parameters(), arguments, total)
    phases = {"data": [], "teacher_forward": [], "forward_backward": [], "optimizer": []}
    steps = []
    for number, indices in enumerate(plan[:total]):
        durations = step.run(indices, optimizer, schedule)
        if number >= arguments.warmup:
            steps.append(sum(durations) / 1e6)
            for name, duration in zip(phases, durations):
                phases[name].append(duration / 1e6)
    return {"model": arguments.model, "warmup": arguments.warmup, "step_ms": steps, "phases_ms": phases}


def command_memory(arguments):
    set_threads(arguments)
    data = FashionMnist(arguments.data)
    arguments.model = "kd"
    step = Step(arguments, data)
    samples = arguments.steps_per_epoch * arguments.batch_size
    generator = torch.Generator().manual_seed(arguments.seed)
    optimizer, schedule = new_optimizer(step.trained.parameters(), arguments, arguments.epochs * arguments.steps_per_epoch)
    after_setup, _ = resident_megabytes()
    by_epoch = []
    seconds = []
    for epoch in range(1, arguments.epochs + 1):
        start = time.perf_counter()
        for indices in epoch_plan(samples, arguments.batch_size, generator):
            step.run(indices, optimizer, schedule)
        # Validation over the whole test split at the evaluation batch size, as FAD's loop does at
        # every epoch's end before it reads the resident memory.
        step.trained.eval()
        with torch.no_grad():
            for first in range(0, len(data.test_labels), arguments.eval_batch_size):
                indices = torch.arange(first, min(first + arguments.eval_batch_size, len(data.test_labels)))
                inputs, _ = FashionMnist.batch(data.test_images, data.test_labels, indices)
                step.trained(inputs)
        step.trained.train()
        seconds.append(time.perf_counter() - start)
        by_epoch.append(resident_megabytes()[0])
        print(f"pytorch memory run: epoch {epoch}/{arguments.epochs}, rss {by_epoch[-1]:.0f} MiB", file=sys.stderr)
    return {
        "tool": "pytorch",
        "method": "kd",
        "epochs": arguments.epochs,
        "steps_per_epoch": arguments.steps_per_epoch,
        "rss_mb_after_setup": after_setup,
        "rss_mb_by_epoch": by_epoch,
        "peak_rss_mb": resident_megabytes()[1],
        "epoch_seconds": seconds,
        "options": f"python {platform.python_version()}, torch {torch.__version__}, "
                   f"{torch.get_num_threads()} intra-op / {torch.get_num_interop_threads()} inter-op threads",
    }


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("info", "steps", "memory"):
        command = commands.add_parser(name)
        command.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads")
        command.add_argument("--interop-threads", type=int, default=1, help="inter-op threads")
        if name == "info":
            continue
        command.add_argument("--data", default="/usr/share/datasets/fashion-mnist", help="Fashion-MNIST IDX directory")
        command.add_argument("--seed", type=int, default=1)
        command.add_argument("--batch-size", type=int, default=128)
        command.add_argument("--optimizer", default="adam")
        command.add_argument("--learning-rate", type=float, default=0.005)
        command.add_argument("--weight-decay", type=float, default=0.0)
        command.add_argument("--schedule", choices=("cosine", "fixed"), default="cosine")
        command.add_argument("--temperature", type=float, default=4.0, help="kd temperature T")
        command.add_argument("--alpha", type=float, default=0.9, help="kd weight alpha")
        if name == "steps":
            command.add_argument("--model", choices=("kd", "teacher"), required=True,
                                 help="kd: distil the student from the teacher; teacher: train the teacher alone")
            command.add_argument("--warmup", type=int, default=5, help="untimed steps first")
            command.add_argument("--steps", type=int, default=30, help="timed steps")
        else:
            command.add_argument("--epochs", type=int, default=10)
            command.add_argument("--steps-per-epoch", type=int, default=100)
            command.add_argument("--eval-batch-size", type=int, default=500)
    return parser.parse_args(argv)


def main(argv):
    arguments = parse(argv)
    result = {"info": command_info, "steps": command_steps, "memory": command_memory}[arguments.command](arguments)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
