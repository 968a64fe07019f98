#!/usr/bin/env python3
"""Benchmark 7's helpers (benchmarks/README.md): an image folder of JPEGs, and torchvision's
training input pipeline over it. Prints one JSON object on stdout; progress goes to stderr.

  imagefolder_pipeline.py make --out DIR (--data IDX_DIR | --photos DIR) [options]
      writes DIR/train/<class>/*.jpg and DIR/val/<class>/*.jpg (ImageNet's layout)
  imagefolder_pipeline.py run --root DIR --workers N [options]
      images/s of DataLoader(ImageFolder(DIR/train, RandomResizedCrop + RandomHorizontalFlip +
      ToTensor + Normalize), batch_size, shuffle=True, num_workers=N, drop_last=True)

The folder: with --photos, random crops of the photos found there (any PIL-readable file, e.g.
Debian python3-skimage's skimage/data/*.png), resized to --width x --height; with --data,
Fashion-MNIST training images (IDX files) upscaled bicubically to --width x --height, tinted per
image and with a little noise, so that every file is a full-colour JPEG of that size. Only the size
and entropy of the files matter to the pipeline's speed; neither source is meant to be learnt.
"""

import argparse
import gzip
import json
import os
import platform
import random
import struct
import sys
import time


def log(message):
    print(message, file=sys.stderr, flush=True)


def read_idx(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as stream:
        data = stream.read()
    dimensions = data[3]
    shape = struct.unpack(">" + "I" * dimensions, data[4:4 + 4 * dimensions])
    return shape, data[4 + 4 * dimensions:]


def sources(args):
    """Yields (class name, PIL image) for as many images as asked, deterministic for --seed."""
    from PIL import Image, ImageOps
    rng = random.Random(args.seed)
    total = args.classes * (args.images + args.val_images)
    if args.photos:
        names = sorted(os.listdir(args.photos))
        photos = []
        for name in names:
            try:
                with Image.open(os.path.join(args.photos, name)) as image:
                    photo = image.convert("RGB")
                if photo.width >= 64 and photo.height >= 64:
                    photos.append(photo)
            except OSError:
                continue
        if not photos:
            sys.exit("imagefolder_pipeline.py: no readable photo of at least 64x64 in '%s'" % args.photos)
        for n in range(total):
            photo = photos[n % len(photos)]
            scale = rng.uniform(0.5, 1.0)
            w, h = int(photo.width * scale), int(photo.height * scale)
            left, top = rng.randint(0, photo.width - w), rng.randint(0, photo.height - h)
            image = photo.crop((left, top, left + w, top + h)).resize((args.width, args.height), Image.BICUBIC)
            if rng.random() < 0.5:
                image = ImageOps.mirror(image)
            yield "class%02d" % (n % args.classes), image
    else:
        (count, rows, cols), pixels = read_idx(args.data, "train-images-idx3-ubyte")
        _, labels = read_idx(args.data, "train-labels-idx1-ubyte")
        for n in range(total):
            index = rng.randrange(count)
            gray = Image.frombytes("L", (cols, rows), bytes(pixels[index * rows * cols:(index + 1) * rows * cols]))
            gray = gray.resize((args.width, args.height), Image.BICUBIC)
            tint = tuple(rng.randint(0, 255) for _ in range(3))
            image = ImageOps.colorize(gray, black=tint, white=(255, 255, 255))
            noise = Image.effect_noise((args.width, args.height), 24).convert("RGB")
            image = Image.blend(image, noise, 0.15)
            yield "class%02d" % labels[index], image


def make(args):
    if not args.data and not args.photos:
        sys.exit("imagefolder_pipeline.py make: give --data (Fashion-MNIST IDX files) or --photos")
    counts = {}
    written = 0
    for n, (label, image) in enumerate(sources(args)):
        split = "train" if n < args.classes * args.images else "val"
        directory = os.path.join(args.out, split, label)
        os.makedirs(directory, exist_ok=True)
        image.save(os.path.join(directory, "%06d.jpg" % n), "JPEG", quality=args.quality)
        counts[split] = counts.get(split, 0) + 1
        written += 1
    # Every class folder of train/ needs one in val/ and the reverse (FAD's imagefolder checks).
    for split, other in (("train", "val"), ("val", "train")):
        for label in os.listdir(os.path.join(args.out, split)):
            if not os.path.isdir(os.path.join(args.out, other, label)):
                sample = sorted(os.listdir(os.path.join(args.out, split, label)))[0]
                os.makedirs(os.path.join(args.out, other, label))
                with open(os.path.join(args.out, split, label, sample), "rb") as source:
                    data = source.read()
                with open(os.path.join(args.out, other, label, sample), "wb") as target:
                    target.write(data)
    print(json.dumps({"root": args.out, "images": counts, "width": args.width, "height": args.height,
                      "quality": args.quality, "source": "photos " + args.photos if args.photos
                      else "fashion-mnist " + args.data}))


def run(args):
    import torch
    import torchvision
    from torchvision import datasets, transforms
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    transform = transforms.Compose([
        transforms.RandomResizedCrop(args.image_size),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    dataset = datasets.ImageFolder(os.path.join(args.root, "train"), transform=transform)
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True,
                                         num_workers=args.workers, drop_last=True)
    needed = args.warmup + args.batches
    if len(loader) < needed:
        sys.exit("imagefolder_pipeline.py run: %d batches of %d need %d images, the folder has %d"
                 % (needed, args.batch_size, needed * args.batch_size, len(dataset)))
    batches = iter(loader)
    started = time.perf_counter()
    for _ in range(args.warmup):
        next(batches)
    warm = time.perf_counter()
    for _ in range(args.batches):
        images, labels = next(batches)
    seconds = time.perf_counter() - warm
    del batches  # ends the worker processes
    print(json.dumps({
        "images_per_second": args.batches * args.batch_size / seconds,
        "batch_ms": seconds * 1000 / args.batches,
        "warmup_seconds": warm - started,
        "workers": args.workers,
        "batch_size": args.batch_size,
        "batches": args.batches,
        "image_size": args.image_size,
        "shape": list(images.shape),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make_parser = commands.add_parser("make")
    make_parser.add_argument("--out", required=True)
    make_parser.add_argument("--data", help="directory with Fashion-MNIST's IDX files")
    make_parser.add_argument("--photos", help="directory of photos to crop from instead")
    make_parser.add_argument("--classes", type=int, default=10)
    make_parser.add_argument("--images", type=int, default=100, help="training images per class")
    make_parser.add_argument("--val-images", type=int, default=2, help="val images per class")
    make_parser.add_argument("--width", type=int, default=500)
    make_parser.add_argument("--height", type=int, default=375)
    make_parser.add_argument("--quality", type=int, default=90)
    make_parser.add_argument("--seed", type=int, default=1)
    run_parser = commands.add_parser("run")
    run_parser.add_argument("--root", required=True)
    run_parser.add_argument("--workers", type=int, required=True)
    run_parser.add_argument("--batch-size", type=int, default=64)
    run_parser.add_argument("--batches", type=int, default=20)
    run_parser.add_argument("--warmup", type=int, default=2)
    run_parser.add_argument("--image-size", type=int, default=224)
    run_parser.add_argument("--threads", type=int, default=1)
    run_parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    make(args) if args.command == "make" else run(args)


if __name__ == "__main__":
    main()
