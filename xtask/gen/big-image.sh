#!/usr/bin/env bash
# Makes the ≥1 GB docker-archive the image benchmark reads (recipe:
# ../shared/images/MAKING.md): a debootstrap'ed Debian bookworm minbase root
# filesystem as layer 1 (real dpkg database), then layers of generated files.
# Needs root (debootstrap) and Debian's package mirror; ~3 minutes.
#   bash xtask/gen/big-image.sh OUT.tar [SIZE_BYTES]
set -eu
out="${1:?usage: big-image.sh OUT.tar [SIZE_BYTES]}"
size="${2:-1100000000}"
here="$(cd "$(dirname "$0")" && pwd)"
command -v debootstrap >/dev/null || apt-get install -y debootstrap
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian
python3 "$here/big_image.py" "$work/rootfs" "$out" --size "$size"
