#!/usr/bin/env python3
"""The parity table of README "PyTorch parity": FAD's runs of experiments/fashion_mnist_parity.conf
against parity.py's PyTorch runs of the same recipe, per method, mean and sample standard deviation
over the seeds, and the difference of the means with its Welch 95 % interval (the two sides' seeds
are not paired: the frameworks draw different random numbers).

  parity_table.py FAD_SWEEP_DIR PYTORCH_JSON

FAD_SWEEP_DIR is the sweep's directory (its jobs' summary.json files); PYTORCH_JSON is what
parity.py printed.
"""

import json
import math
import os
import statistics
import sys

# Student t 0.975 quantiles for small degrees of freedom (Welch's interval), from the t table.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}


def fad_runs(sweep):
    runs = []
    for job in sorted(os.listdir(sweep)):
        path = os.path.join(sweep, job, "summary.json")
        if not os.path.isfile(path):
            continue
        with open(path) as stream:
            summary = json.load(stream)
        if summary["status"] != "FINISHED":
            continue
        metrics = summary["metrics"]
        runs.append({"method": summary["method"], "seed": summary["seed"], "best_top1": metrics["best_top1"],
                     "test_top1": metrics["final_top1"], "kept_epoch": metrics["kept_epoch"],
                     "teacher_top1": metrics["teacher_top1"], "seconds": metrics["wall_time_s"]})
    return runs


def describe(values):
    mean = statistics.fmean(values)
    spread = statistics.stdev(values) if len(values) > 1 else float("nan")
    return mean, spread


def welch(a, b):
    """Difference of means a - b and its Welch 95 % interval."""
    ma, sa = describe(a)
    mb, sb = describe(b)
    va, vb = sa * sa / len(a), sb * sb / len(b)
    if va + vb == 0:
        return ma - mb, ma - mb, ma - mb
    degrees = (va + vb) ** 2 / (va * va / (len(a) - 1) + vb * vb / (len(b) - 1))
    t = T975[max(1, min(10, math.floor(degrees)))]
    half = t * math.sqrt(va + vb)
    return ma - mb, ma - mb - half, ma - mb + half


def main(sweep, pytorch_json):
    fad = fad_runs(sweep)
    with open(pytorch_json) as stream:
        pytorch = json.load(stream)["runs"]
    teacher = [run for run in pytorch if run["method"] == "teacher"][0]
    print("| model | FAD test top-1 | PyTorch test top-1 | FAD - PyTorch (95 % CI) | seeds |")
    print("|---|---|---|---|---|")
    print(f"| teacher (resnet, seed 0) | {fad[0]['teacher_top1']:.4f} | {teacher['test_top1']:.4f} | "
          f"{fad[0]['teacher_top1'] - teacher['test_top1']:+.4f} | 1 |")
    for method in ("none", "kd"):
        ours = [run["test_top1"] for run in fad if run["method"] == method]
        theirs = [run["test_top1"] for run in pytorch if run["method"] == method]
        if not ours or not theirs:
            continue
        difference, low, high = welch(ours, theirs)
        mo, so = describe(ours)
        mt, st = describe(theirs)
        print(f"| student {method} | {mo:.4f} ± {so:.4f} | {mt:.4f} ± {st:.4f} | "
              f"{difference:+.4f} [{low:+.5f}, {high:+.5f}] | {len(ours)} / {len(theirs)} |")
    print()
    print("Per run (validation best_top1, kept epoch, test top-1, seconds):")
    for side, runs in (("FAD", fad), ("PyTorch", [run for run in pytorch if run["method"] != "teacher"])):
        for run in sorted(runs, key=lambda run: (run["method"], run["seed"])):
            print(f"  {side:8s} {run['method']:5s} seed {run['seed']}: {run['best_top1']:.4f}, epoch {run['kept_epoch']},"
                  f" {run['test_top1']:.4f}, {run['seconds']:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
