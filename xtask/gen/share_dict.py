#!/usr/bin/env python3
"""Generate core/src/share_dict.txt, the preset dictionary of share links.

Usage (from the repository root):

    python3 xtask/gen/share_dict.py [../shared/corpus] [core/src/share_dict.txt]

A deflate stream may refer back to a preset dictionary, so text that is
common in Dockerfiles costs a few bits in a link instead of its letters.
The dictionary is the lines most projects of the corpus share (each line
counted once per project — a repository, or each file of the two sets that
collect files of unrelated projects — so one project's many variants do not
dominate),
the most common last (deflate reaches near text more cheaply), up to SIZE
bytes. Lines with long hex or base64 runs (checksums, keys) are left out.

The file is committed and frozen: links made with it (`#v1.z.…`) must open
for ever, so a new dictionary needs a new codec letter. The product never
reads the corpus. The script also prints the gain measured on the half of
the repositories the dictionary was not built from (it is built from the
other half). Python 3 standard library only.
"""

import collections
import csv
import os
import re
import statistics
import sys
import zlib

SIZE = 4096
LONG_TOKEN = re.compile(r"[0-9a-fA-F]{24,}|[A-Za-z0-9+/=_-]{40,}")


# Sets whose files come from unrelated projects, one file each.
COLLECTIONS = {"dinosaur", "binnacle-gold"}


def project_of(sources):
    with open(sources, newline="") as f:
        return {
            row["file"]: row["file"] if row["set"] in COLLECTIONS else row["repo"]
            for row in csv.DictReader(f, delimiter="\t")
        }


def dictionary(files, repo):
    seen = collections.defaultdict(set)
    for path in files:
        name = os.path.basename(path)
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f.read().splitlines():
                line = line.strip()
                if 4 <= len(line) <= 100 and not LONG_TOKEN.search(line):
                    seen[line].add(repo.get(name, name))
    ranked = sorted(seen, key=lambda l: (-len(seen[l]), l))
    out, size = [], 0
    for line in ranked:
        if len(seen[line]) < 3:
            break
        if size + len(line) + 1 > SIZE:
            continue
        out.append(line)
        size += len(line) + 1
    # Most common last.
    return "".join(f"{line}\n" for line in reversed(out)).encode()


def deflated(data, zdict=None):
    c = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=zdict) if zdict else zlib.compressobj(9, zlib.DEFLATED, -15)
    return len(c.compress(data) + c.flush())


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"
    out = sys.argv[2] if len(sys.argv) > 2 else "core/src/share_dict.txt"
    repo = project_of(os.path.join(corpus, "SOURCES.tsv"))
    folder = os.path.join(corpus, "dockerfiles")
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
    repos = sorted(set(repo.get(os.path.basename(f), f) for f in files))
    # Half the projects, spread over the sets: by a stable hash of the name.
    built_from = {r for r in repos if zlib.crc32(r.encode()) % 2 == 0}
    train = [f for f in files if repo.get(os.path.basename(f), f) in built_from]
    held_out = [f for f in files if repo.get(os.path.basename(f), f) not in built_from]
    zdict = dictionary(train, repo)
    ratios = []
    for path in held_out:
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= 20000:
            ratios.append(deflated(data, zdict) / deflated(data))
    print(f"dictionary: {len(zdict)} bytes from {len(built_from)} projects; on the other "
          f"{len(repos) - len(built_from)} ({len(ratios)} files): median size "
          f"{statistics.median(ratios):.3f}, mean {statistics.mean(ratios):.3f} of plain deflate")
    with open(out, "wb") as f:
        f.write(zdict)


if __name__ == "__main__":
    main()
