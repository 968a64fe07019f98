#!/usr/bin/env python3
"""The PyTorch side of the parity check of FAD's training loop (issue 18; README "PyTorch parity").

experiments/fashion_mnist_parity.conf trains the quick start's teacher and student with a recipe
PyTorch users know: SGD with momentum and weight decay, PyTorch's one-cycle schedule, a 4-pixel
zero-padded random crop and a horizontal flip of the training batches. This script trains the same
networks (quickstart_models.py) with the same recipe in plain eager PyTorch and the same protocol:

- a fixed 10 % of the training split is held out for validation (its own permutation, seed 0: the
  indices differ from FAD's, which come from the data's fingerprint; the size and rule are the same);
- every epoch is scored on validation; the run ends on its best validation epoch's weights, which are
  evaluated once on the test split;
- the teacher is trained once (its own seed 0, FAD's `teacher-training.seed`), then the student alone
  (`none`) and kd (fad-spec §11.2, T 4, alpha 0.9) for each seed;
- weights are initialised the way DJL initialises them (normal, std sqrt(2 / fan_in), biases zero),
  not with PyTorch's defaults, so that the check compares training loops, not initialisers;
- one-cycle is torch.optim.lr_scheduler.OneCycleLR with its defaults and cycle_momentum=False (FAD
  cannot change SGD's momentum per step; see fad-spec §12).

Prints one JSON object on stdout (per run: validation best top-1, kept epoch, test top-1, seconds);
progress goes to stderr. Run it with Debian's interpreter, /usr/bin/python3 (python3-torch):

  /usr/bin/python3 benchmarks/pytorch/parity.py --epochs 10 --seeds 1,2,3 > parity-pytorch.json
"""

import argparse
import json
import math
import os
import platform
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

import quickstart_models
from benchmark import FashionMnist

PADDING = 4


def djl_initialise(model):
    """DJL's default initialisers: weights N(0, 2 / fan_in) (XavierInitializer GAUSSIAN, IN, 2), biases 0."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            fan_in = module.weight[0].numel()
            with torch.no_grad():
                module.weight.normal_(0.0, math.sqrt(2.0 / fan_in))
                if module.bias is not None:
                    module.bias.zero_()
    return model


def crop_flip(images, generator):
    """A random 28x28 crop of each image padded with 4 black pixels, flipped horizontally with p 1/2."""
    count, channels, height, width = images.shape
    padded = F.pad(images, (PADDING, PADDING, PADDING, PADDING))
    rows = torch.randint(0, 2 * PADDING + 1, (count,), generator=generator)
    columns = torch.randint(0, 2 * PADDING + 1, (count,), generator=generator)
    flips = torch.rand(count, generator=generator) < 0.5
    out = torch.empty_like(images)
    for index in range(count):
        crop = padded[index, :, rows[index]:rows[index] + height, columns[index]:columns[index] + width]
        out[index] = crop.flip(-1) if flips[index] else crop
    return out


def normalise(images):
    return images.float().div_(255).sub_(0.2860).div_(0.3530)


def top1(model, images, labels, batch_size):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            logits = model(normalise(images[start:start + batch_size]))
            correct += (logits.argmax(-1) == labels[start:start + batch_size]).sum().item()
    model.train()
    return correct / len(labels)


def train(model, teacher, split, arguments, seed, name):
    """One run of the recipe; returns its record. The model ends on its best validation epoch."""
    train_images, train_labels, validation_images, validation_labels = split
    generator = torch.Generator().manual_seed(seed)
    steps_per_epoch = len(train_labels) // arguments.batch_size
    optimizer = torch.optim.SGD(model.parameters(), lr=arguments.learning_rate, momentum=arguments.momentum,
                                weight_decay=arguments.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=arguments.learning_rate, total_steps=arguments.epochs * steps_per_epoch,
        cycle_momentum=False)
    best, best_epoch, best_state = -1.0, 0, None
    started = time.perf_counter()
    model.train()
    for epoch in range(1, arguments.epochs + 1):
        order = torch.randperm(len(train_labels), generator=generator)
        losses = 0.0
        for step in range(steps_per_epoch):
            indices = order[step * arguments.batch_size:(step + 1) * arguments.batch_size]
            inputs = normalise(crop_flip(train_images[indices], generator))
            labels = train_labels[indices]
            logits = model(inputs)
            if teacher is None:
                loss = F.cross_entropy(logits, labels)
            else:
                with torch.no_grad():
                    teacher_logits = teacher(inputs)
                loss = quickstart_models.kd_loss(logits, teacher_logits, labels, arguments.temperature, arguments.alpha)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            losses += loss.item()
        accuracy = top1(model, validation_images, validation_labels, arguments.eval_batch_size)
        if accuracy > best:
            best, best_epoch = accuracy, epoch
            best_state = {key: value.clone() for key, value in model.state_dict().items()}
        print(f"{name}: epoch {epoch}/{arguments.epochs}, loss {losses / steps_per_epoch:.4f}, "
              f"validation top-1 {accuracy:.4f}, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    model.load_state_dict(best_state)
    return {"best_top1": best, "kept_epoch": best_epoch, "seconds": time.perf_counter() - started}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist", help="Fashion-MNIST IDX directory")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--methods", default="none,kd")
    parser.add_argument("--teacher-seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--eval-batch-size", type=int, default=500)
    parser.add_argument("--learning-rate", type=float, default=0.1, help="one-cycle's maximum")
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--temperature", type=float, default=4.0)
    parser.add_argument("--alpha", type=float, default=0.9)
    parser.add_argument("--hold-out", type=float, default=0.1)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    arguments = parser.parse_args(argv)
    torch.set_num_threads(arguments.threads)
    torch.set_num_interop_threads(1)

    data = FashionMnist(arguments.data)
    permutation = torch.randperm(len(data.train_labels), generator=torch.Generator().manual_seed(0))
    held = int(round(arguments.hold_out * len(permutation)))
    kept, validation = permutation[held:].sort().values, permutation[:held].sort().values
    split = (data.train_images[kept], data.train_labels[kept], data.train_images[validation], data.train_labels[validation])

    torch.manual_seed(arguments.teacher_seed)
    teacher = djl_initialise(quickstart_models.teacher())
    record = train(teacher, None, split, arguments, arguments.teacher_seed, "teacher")
    record["test_top1"] = top1(teacher, data.test_images, data.test_labels, arguments.eval_batch_size)
    teacher.eval()
    for parameter in teacher.parameters():
        parameter.requires_grad_(False)
    runs = [dict(record, method="teacher", seed=arguments.teacher_seed)]
    for method in arguments.methods.split(","):
        for seed in (int(value) for value in arguments.seeds.split(",")):
            torch.manual_seed(seed)
            student = djl_initialise(quickstart_models.student())
            record = train(student, teacher if method == "kd" else None, split, arguments, seed, f"{method} seed {seed}")
            record["test_top1"] = top1(student, data.test_images, data.test_labels, arguments.eval_batch_size)
            runs.append(dict(record, method=method, seed=seed))
            print(f"{method} seed {seed}: test top-1 {record['test_top1']:.4f}", file=sys.stderr)
    json.dump({"tool": f"python {platform.python_version()}, torch {torch.__version__}, {torch.get_num_threads()} threads",
               "recipe": {key: value for key, value in vars(arguments).items() if key not in ("data", "seeds", "methods")},
               "runs": runs}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
