#!/usr/bin/env python3
"""Writes a docker-archive (`docker save` layout) for the image benchmark.

Layer 1 is a root filesystem (a `debootstrap --variant=minbase` tree: real
dpkg status, ~90 packages, ~200 MB); layers 2.. are generated files of
random bytes until the archive holds at least --size bytes, each later layer
also overwriting and deleting some of the earlier ones (waste for dive's
figures). Random bytes so a compressor cannot shrink them. Standard library
only. Recipe: ../shared/images/MAKING.md; the wrapper is big-image.sh.

    python3 xtask/gen/big_image.py ROOTFS OUT.tar [--size 1.1e9] [--layers 6]
"""

import argparse
import hashlib
import io
import json
import os
import random
import tarfile


class HashingWriter:
    """A file-like sink that hashes and counts what it is given."""

    def __init__(self, out):
        self.out = out
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.sha.update(data)
        self.size += len(data)
        return self.out.write(data)

    def tell(self):
        return self.size


def add_bytes(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    tar.addfile(info, io.BytesIO(data))


def rootfs_layer(rootfs, sink):
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as layer:
        for entry in sorted(os.listdir(rootfs)):
            if entry in ("proc", "sys", "dev"):
                continue
            layer.add(os.path.join(rootfs, entry), arcname=entry, recursive=True)


def generated_layer(index, budget, rng, previous, sink):
    """Files of random bytes summing to about `budget`; rewrites and deletes
    some of `previous` (names from earlier layers)."""
    names = []
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as layer:
        written = 0
        n = 0
        while written < budget:
            size = rng.choice([4096, 65536, 1 << 20, 8 << 20])
            name = f"data/l{index}/f{n:05}.bin"
            add_bytes(layer, name, os.urandom(size))
            names.append(name)
            written += size
            n += 1
        for name in previous[: len(previous) // 10]:
            add_bytes(layer, name, os.urandom(4096))
        for name in previous[len(previous) // 10 : len(previous) // 5]:
            d, base = os.path.split(name)
            add_bytes(layer, f"{d}/.wh.{base}", b"")
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rootfs")
    ap.add_argument("out")
    ap.add_argument("--size", type=float, default=1.1e9)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--tag", default="drydock-bench/debian:big")
    args = ap.parse_args()
    rng = random.Random(6)
    layer_paths, diff_ids, history = [], [], []
    tmp = args.out + ".layers"
    os.makedirs(tmp, exist_ok=True)

    def write_layer(fill, created_by):
        path = os.path.join(tmp, f"{len(layer_paths)}.tar")
        with open(path, "wb") as f:
            sink = HashingWriter(f)
            result = fill(sink)
        layer_paths.append(path)
        diff_ids.append("sha256:" + sink.sha.hexdigest())
        history.append({"created_by": created_by})
        return sink.size, result

    total, _ = write_layer(lambda s: rootfs_layer(args.rootfs, s), "ADD rootfs.tar /")
    previous = []
    extra = max(1, args.layers - 1)
    per_layer = max(0.0, args.size - total) / extra
    for i in range(extra):
        size, names = write_layer(
            lambda s: generated_layer(i + 1, per_layer, rng, previous, s),
            f"RUN generate data/l{i + 1} && rewrite and delete some of the earlier files",
        )
        previous = previous + names
        total += size

    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"User": "1000:1000", "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }
    config_bytes = json.dumps(config).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    names = [f"{d[7:]}/layer.tar" for d in diff_ids]
    manifest = [{"Config": config_name, "RepoTags": [args.tag], "Layers": names}]
    with tarfile.open(args.out, "w", format=tarfile.PAX_FORMAT) as out:
        for path, name in zip(layer_paths, names):
            out.add(path, arcname=name)
        add_bytes(out, config_name, config_bytes)
        add_bytes(out, "manifest.json", json.dumps(manifest).encode())
    for path in layer_paths:
        os.remove(path)
    os.rmdir(tmp)
    print(f"{args.out}: {os.path.getsize(args.out)} bytes, {len(names)} layers")


if __name__ == "__main__":
    main()
