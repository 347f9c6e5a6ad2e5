#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs (git-ignored) from the
# BuildKit test data in tests/data/buildkit and, when present, the dev
# corpus in ../shared/corpus/dockerfiles. Idempotent; needs only bash,
# coreutils, grep and awk. Usage: bash fuzz/seed.sh   (from anywhere)
set -eu
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"
bk="$root/tests/data/buildkit"
shared="$root/../shared/corpus/dockerfiles"
out="$fuzz/corpus"
mkdir -p "$out"/{parse,expand,shell,analyze,image}

dockerfiles() {
    find "$bk/testfiles" "$bk/testfiles-negative" -type f -name 'Dockerfile*'
    if [ -f "$bk/testfile-line/Dockerfile" ]; then echo "$bk/testfile-line/Dockerfile"; fi
    if [ -d "$shared" ]; then
        find "$shared" -type f
    else
        echo "seed.sh: $shared absent; BuildKit testfiles only" >&2
    fi
}
dockerfiles >"$out/.files"

# parse and analyze: whole Dockerfiles, named by content hash.
tr '\n' '\0' <"$out/.files" | xargs -0 sha1sum | while read -r hash file; do
    cp "$file" "$out/parse/$hash"
    cp "$file" "$out/analyze/$hash"
done

# shell: each RUN's text, continuation lines joined and comment lines
# inside dropped (as BuildKit's value); at most 5000 scripts.
awk -v dir="$out/shell" -v list="$out/.files" '
    BEGIN { while ((getline f < list) > 0) ARGV[ARGC++] = f }
    FNR == 1 { run = 0 }
    {
        sub(/\r$/, "")
        if (!run && toupper($1) == "RUN") { run = 1; buf = ""; sub(/^[ \t]*[Rr][Uu][Nn][ \t]+/, "") }
        if (!run) next
        if ($0 ~ /^[ \t]*#/) next
        if ($0 ~ /\\$/) { buf = buf substr($0, 1, length($0) - 1); next }
        run = 0
        if (++n > 5000) exit
        f = dir "/run-" n; printf "%s", buf $0 > f; close(f)
    }'

# expand: option byte 0, the word, NUL, NAME=value lines.
{
    awk -F'|' 'NF >= 2 { w = $2; sub(/[ \t]+$/, "", w); print w }' "$bk/envVarTest"
    awk -F' \\| ' '!/^ENV / && NF >= 2 { print $1 }' "$bk/wordsTest"
    if [ -d "$shared" ]; then
        grep -rhoE '\$\{[^}]{1,60}\}|"[^"]{0,80}\$[^"]{0,80}"' "$shared" | sort -u | head -n 3000
    fi
} | awk -v dir="$out/expand" '
    BEGIN { env = "hi=hi\nspace=abc  def\nleading=  ab c\nPWD=/home\nSHELL=bash\nempty=\n" }
    { f = dir "/word-" NR; printf "%c%s%c%s", 0, $0, 0, env > f; close(f) }'
rm -f "$out/.files"

for t in parse expand shell analyze; do
    echo "$t: $(find "$out/$t" -type f | wc -l) seeds"
done

# image: the vendored image archives under 128 KiB, plain and gzip'ed whole.
for f in "$root"/tests/data/images/*.tar; do
    if [ "$(wc -c <"$f")" -le 131072 ]; then
        cp "$f" "$out/image/$(basename "$f")"
        gzip -c "$f" >"$out/image/$(basename "$f").gz"
    fi
done
