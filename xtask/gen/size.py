#!/usr/bin/env python3
"""Generate core/src/size/data.rs: the size estimator's knowledge base.

Usage (from the repository root, on a Debian machine with apt lists):

    python3 xtask/gen/size.py [../shared] [core/src/size/data.rs]

Sources, all read at development time only (the product reads the
generated file, never these):

- ../shared/data/base_images.tsv: compressed (pull) sizes of official
  images per tag, amd64, from docker-library/repo-info; uncompressed sizes
  where known. The compressed/uncompressed ratio is their median.
- ../shared/data/apk_installed_sizes.tsv: installed sizes of Alpine packages.
- Debian's package metadata on this machine (`apt-cache dumpavail`: the
  records `apt-cache show` prints, Installed-Size in KiB, Depends,
  Pre-Depends, Recommends, Provides). This machine runs Debian 12
  (bookworm); images built on trixie or later differ: an approximation.
- ../shared/corpus: which packages real Dockerfiles install most (the
  operands of `apt-get install` / `apk add` in every RUN), to choose the
  few hundred packages the table keeps.
- Distroless sizes: `static` ≈ 2 MiB is what GoogleContainerTools/distroless
  documents; the other variants are approximations summed from the Debian
  packages they contain (marked approximate).

Python 3 standard library only.
"""

import csv
import gzip
import json
import re
import statistics
import subprocess
import sys
from collections import Counter

AS_OF = "2026-11-27"
DEBIAN = "Debian 12 (bookworm) amd64 package metadata via apt-cache on the development machine"
# How many apt packages (by how often the corpus installs them) to keep.
APT_TOP = 300
# Dependencies at least this big (KiB) get a row of their own, so that two
# packages in one RUN sharing them count them once; smaller ones are summed
# per package.
SHARED_MIN_KIB = 2048
ALPINE_TOP = 120

NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def corpus_installs(shared):
    """Counts of apt and apk package operands in the corpus's RUNs."""
    apt, apk = Counter(), Counter()
    path = f"{shared}/corpus/buildkit-parse.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            for ins in obj.get("instructions") or []:
                if ins.get("cmd") != "RUN":
                    continue
                text = " ".join(ins.get("value") or [])
                for h in ins.get("heredocs") or []:
                    text += "\n" + (h.get("content") or "")
                for seg in re.split(r"&&|;|\|\||\n|\|", text):
                    words = seg.split()
                    manager, rest = None, []
                    for i, w in enumerate(words):
                        if w in ("apt-get", "apt", "aptitude"):
                            manager, rest = "apt", words[i + 1:]
                            break
                        if w == "apk":
                            manager, rest = "apk", words[i + 1:]
                            break
                    if not manager:
                        continue
                    verb = "install" if manager == "apt" else "add"
                    if verb not in rest:
                        continue
                    for w in rest[rest.index(verb) + 1:]:
                        if w.startswith("-") or any(c in w for c in "$/`'\""):
                            continue
                        name = re.split(r"[=<>~:]", w)[0].lower()
                        if NAME.match(name):
                            (apt if manager == "apt" else apk)[name] += 1
    return apt, apk


def debian_records():
    """name -> record (the highest Installed-Size version wins ties)."""
    out = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    recs, provides = {}, {}
    for block in out.split("\n\n"):
        rec, key = {}, None
        for line in block.split("\n"):
            if line.startswith(" ") and key:
                rec[key] += " " + line.strip()
            elif ":" in line:
                key, _, val = line.partition(":")
                rec[key] = val.strip()
        name = rec.get("Package")
        if not name:
            continue
        recs.setdefault(name, rec)
        for p in (rec.get("Provides") or "").split(","):
            p = p.strip().split(" ")[0]
            if p:
                provides.setdefault(p, name)
    return recs, provides


def dep_names(field, recs, provides):
    """The first satisfiable alternative of each dependency."""
    names = []
    for group in (field or "").split(","):
        for alt in group.split("|"):
            n = alt.strip().split(" ")[0].split(":")[0]
            if not n:
                continue
            if n in recs:
                names.append(n)
                break
            if n in provides:
                names.append(provides[n])
                break
    return names


def walk(starts, recs, provides, recommends=False, skip=frozenset()):
    """Every package reachable from `starts` through Depends and
    Pre-Depends (and Recommends), first alternatives, not entering `skip`."""
    seen, todo = set(), list(starts)
    while todo:
        n = todo.pop()
        if n in seen or n not in recs:
            continue
        seen.add(n)
        r = recs[n]
        fields = [r.get("Depends"), r.get("Pre-Depends")]
        if recommends:
            fields.append(r.get("Recommends"))
        for f in fields:
            todo.extend(d for d in dep_names(f, recs, provides) if d not in seen and d not in skip)
    return seen


BASE = set()


def base_set(recs, provides):
    """What every Debian image already has: the Essential and required
    packages and what they depend on."""
    BASE.update(walk((n for n, r in recs.items()
                      if r.get("Essential") == "yes" or r.get("Priority") == "required"),
                     recs, provides))


def closure(name, recs, provides, recommends):
    """`name`'s dependencies that a Debian image does not already have."""
    return walk([name], recs, provides, recommends, BASE) - {name}


def kib(rec):
    try:
        return int(rec.get("Installed-Size") or 0)
    except ValueError:
        return 0


def parse_apk_size(text):
    num, _, unit = text.strip().partition(" ")
    factor = {"B": 1 / 1024, "KiB": 1, "MiB": 1024}.get(unit, 1)
    return max(1, round(float(num) * factor))


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
    dst = sys.argv[2] if len(sys.argv) > 2 else "core/src/size/data.rs"

    # Base images.
    with open(f"{shared}/data/base_images.tsv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["platform"] == "linux/amd64"]
    ratios = [int(r["uncompressed_bytes"]) / int(r["compressed_bytes"]) for r in rows if r["uncompressed_bytes"]]
    ratio = statistics.median(ratios)

    # Debian packages.
    apt_counts, apk_counts = corpus_installs(shared)
    recs, provides = debian_records()
    base_set(recs, provides)
    top = [n for n, _ in apt_counts.most_common() if n in recs or n in provides]
    top = [n if n in recs else provides[n] for n in top]
    seen, listed = set(), []
    for n in top:
        if n not in seen:
            seen.add(n)
            listed.append(n)
        if len(listed) == APT_TOP:
            break
    closures = {n: (closure(n, recs, provides, False), closure(n, recs, provides, True)) for n in listed}
    shared_deps = set(listed)
    for deps, with_rec in closures.values():
        shared_deps |= {d for d in with_rec if kib(recs[d]) >= SHARED_MIN_KIB}
    table = sorted(shared_deps)
    index = {n: i for i, n in enumerate(table)}

    def split(deps):
        big = sorted(index[d] for d in deps if d in index)
        small = sum(kib(recs[d]) for d in deps if d not in index)
        return big, small

    # Alpine.
    apk = {}
    with open(f"{shared}/data/apk_installed_sizes.tsv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            apk[r["package"]] = (parse_apk_size(r["installed_size_text"]), False)
    # Heuristic for the rest of the most-installed Alpine packages: half
    # the Debian closure of the package of the same name (musl builds are
    # smaller and Alpine splits docs out), marked approximate.
    for n, _ in apk_counts.most_common(ALPINE_TOP):
        if n in apk:
            continue
        deb = n if n in recs else provides.get(n)
        if deb:
            total = kib(recs[deb]) + sum(kib(recs[d]) for d in closure(deb, recs, provides, False))
            apk[n] = (max(1, total // 2), True)

    # Distroless (documented static; the rest summed from Debian packages).
    def deb_sum(names):
        return sum(kib(recs[n]) for n in names if n in recs)

    static_kib = 2 * 1024
    base_kib = static_kib + deb_sum(["libc6", "libssl3", "openssl", "gcc-12-base", "libgcc-s1"])
    cc_kib = base_kib + deb_sum(["libstdc++6", "libgomp1"])
    py_kib = cc_kib + deb_sum(["python3.11-minimal", "libpython3.11-minimal", "libpython3.11-stdlib",
                               "libffi8", "libexpat1", "zlib1g", "libsqlite3-0", "libbz2-1.0", "liblzma5"])
    distroless = [
        ("static", static_kib, False, "documented by GoogleContainerTools/distroless: about 2 MiB"),
        ("static-debian12", static_kib, False, "documented by GoogleContainerTools/distroless: about 2 MiB"),
        ("static-debian13", static_kib, False, "documented by GoogleContainerTools/distroless: about 2 MiB"),
        ("base", base_kib, True, "static plus glibc and OpenSSL (Debian 12 installed sizes): approximate"),
        ("base-debian12", base_kib, True, "static plus glibc and OpenSSL (Debian 12 installed sizes): approximate"),
        ("base-nossl", base_kib - deb_sum(["libssl3", "openssl"]), True, "static plus glibc: approximate"),
        ("cc", cc_kib, True, "base plus libstdc++ and libgomp (Debian 12 installed sizes): approximate"),
        ("cc-debian12", cc_kib, True, "base plus libstdc++ and libgomp (Debian 12 installed sizes): approximate"),
        ("python3", py_kib, True, "cc plus Python 3.11 (Debian 12 installed sizes): approximate"),
        ("python3-debian12", py_kib, True, "cc plus Python 3.11 (Debian 12 installed sizes): approximate"),
        ("java17", cc_kib + 190 * 1024, True, "cc plus a headless JRE of about 190 MiB: approximate"),
        ("java21", cc_kib + 200 * 1024, True, "cc plus a headless JRE of about 200 MiB: approximate"),
        ("nodejs20", cc_kib + 110 * 1024, True, "cc plus Node.js of about 110 MiB: approximate"),
        ("nodejs22", cc_kib + 115 * 1024, True, "cc plus Node.js of about 115 MiB: approximate"),
    ]

    out = []
    w = out.append
    w("// @generated by xtask/gen/size.py — do not edit; rerun the script.")
    w("//")
    w(f"// As of {AS_OF}. Sources:")
    w("// - base images: ../shared/data/base_images.tsv (docker-library/repo-info,")
    w("//   compressed sizes per tag, amd64; each row's repo-info commit is in that file);")
    w(f"// - Debian packages: {DEBIAN}; the {APT_TOP} packages the corpus")
    w("//   (../shared/corpus) installs most, with their dependency closures. Images")
    w("//   on trixie or later ship other versions: the sizes are an approximation;")
    w("// - Alpine packages: ../shared/data/apk_installed_sizes.tsv (exact), others")
    w("//   half the Debian closure of the same name (approximate);")
    w("// - distroless: GoogleContainerTools/distroless documents static at about")
    w("//   2 MiB; the other variants are summed from Debian packages (approximate).")
    w("// The product never reads ../shared: this file is the shipped data.")
    w("")
    w("use super::{AlpinePackage, BaseImage, DebPackage, Distroless};")
    w("")
    w("/// The day the data was generated.")
    w(f"pub const AS_OF: &str = {rust_str(AS_OF)};")
    w("")
    w("/// Where the Debian package sizes come from.")
    w(f"pub const DEBIAN_SOURCE: &str = {rust_str(DEBIAN)};")
    w("")
    w(f"/// Median uncompressed/compressed ratio of the {len(ratios)} images with both")
    w("/// figures, in thousandths.")
    w(f"pub const RATIO_MILLI: u64 = {round(ratio * 1000)};")
    w(f"/// The lowest and highest of those ratios, in thousandths.")
    w(f"pub const RATIO_RANGE_MILLI: (u64, u64) = ({round(min(ratios) * 1000)}, {round(max(ratios) * 1000)});")
    w("")
    w("/// Official images by repository and tag (linux/amd64).")
    w("pub static BASE_IMAGES: &[BaseImage] = &[")
    for r in rows:
        unc = r["uncompressed_bytes"]
        w(f"    BaseImage {{ repository: {rust_str(r['image'])}, tag: {rust_str(r['tag'])}, "
          f"compressed: {int(r['compressed_bytes'])}, uncompressed: {'Some(' + unc + ')' if unc else 'None'}, "
          f"os: {rust_str(r['os_hint'])} }},")
    w("];")
    w("")
    w("/// gcr.io/distroless images by name: on-disk size in KiB.")
    w("pub static DISTROLESS: &[Distroless] = &[")
    for name, size, approx, note in distroless:
        w(f"    Distroless {{ name: {rust_str(name)}, kib: {size}, approximate: {str(approx).lower()}, note: {rust_str(note)} }},")
    w("];")
    w("")
    w("/// Debian packages: the most installed and the large dependencies they")
    w("/// share, sorted by name. `deps`/`recommends` index this table (the")
    w("/// closure without / with Recommends, minus what every Debian image has);")
    w("/// `small_*` sums the dependencies too small for a row of their own.")
    w("pub static DEB_PACKAGES: &[DebPackage] = &[")
    for n in table:
        if n in closures:
            d, d_small = split(closures[n][0])
            r, r_small = split(closures[n][1])
        else:
            d, d_small, r, r_small = [], 0, [], 0
        listed_flag = "true" if n in closures else "false"
        w(f"    DebPackage {{ name: {rust_str(n)}, kib: {kib(recs[n])}, listed: {listed_flag}, "
          f"deps: &{d}, small_deps_kib: {d_small}, recommends: &{r}, small_recommends_kib: {r_small} }},")
    w("];")
    w("")
    w("/// Alpine packages: installed size in KiB, sorted by name.")
    w("pub static ALPINE_PACKAGES: &[AlpinePackage] = &[")
    for n in sorted(apk):
        size, approx = apk[n]
        w(f"    AlpinePackage {{ name: {rust_str(n)}, kib: {size}, approximate: {str(approx).lower()} }},")
    w("];")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {dst}: {len(rows)} base images, {len(table)} Debian packages "
          f"({len(listed)} listed), {len(apk)} Alpine packages, ratio {ratio:.3f}")


if __name__ == "__main__":
    main()
