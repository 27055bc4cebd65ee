#!/usr/bin/env bash
# Side by side on one machine: `jixiao build` against the Typst CLI on the same tables.
#
#   cargo build --release
#   TYPST=/path/to/typst benches/typst-cli.sh [N] [RUNS]
#
# `jixiao bench -n N --keep DIR` writes N generated projects (departments of 10) and, in
# DIR/typst/, each table as one standalone Typst file plus bundle.typ including them all.
# Then, RUNS times each (whole process, wall time and peak memory from /usr/bin/time):
#   jixiao        build --force of the corpus: N table PDFs + one combined report per department
#   typst bundle  one `typst compile` of all N tables into one PDF
#   typst 1 by 1  one `typst compile` process per table, one after the other
#   typst xargs   one process per table, as many at a time as there are cores
# The Typst CLI must be version 0.15.1 (the version jixiao embeds); it reads the same
# committed fonts and no system fonts.
set -euo pipefail

n=${1:-50}
runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
jixiao=$root/target/release/jixiao
typst=${TYPST:-typst}
cores=$(nproc)

[ -x "$jixiao" ] || { echo "run 'cargo build --release' first" >&2; exit 2; }
"$typst" --version | grep -q '0\.15\.1' || { echo "need the typst 0.15.1 CLI (set TYPST=...)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$jixiao" -C "$root" bench -n "$n" --keep "$work/corpus" >/dev/null
src=$work/corpus/typst
fonts=(--ignore-system-fonts --font-path "$root/fonts")
mkdir -p "$work/pdf"
export typst src work
times=$work/times

# One run of a contender: its wall time and peak memory appended to $times.
measure() {
  local label=$1
  shift
  /usr/bin/time -a -o "$times" -f "$label	%e	%M" "$@" >/dev/null 2>&1
}

# Interleaved, so that a slow moment of the machine hits every contender.
for _ in $(seq "$runs"); do
  measure "jixiao" "$jixiao" -C "$root" build --force -q --out "$work/out" "$work/corpus/specs"
  measure "typst bundle" "$typst" compile "${fonts[@]}" "$src/bundle.typ" "$work/bundle.pdf"
  measure "typst 1 by 1" bash -c 'for f in "$src"/[0-9]*.typ; do "$typst" compile --ignore-system-fonts --font-path "$0" "$f" "$work/pdf/$(basename "$f" .typ).pdf"; done' "$root/fonts"
  measure "typst xargs -P$cores" bash -c 'ls "$src"/[0-9]*.typ | xargs -P "$1" -I{} sh -c "\"$typst\" compile --ignore-system-fonts --font-path \"$0\" {} \"$work/pdf/\$(basename {} .typ).pdf\"" "$0"' "$root/fonts" "$cores"
done

echo "$n tables, $cores cores, $runs runs each (jixiao also writes $(( (n + 9) / 10 )) combined reports)"
echo
echo "| contender | wall min | wall median | peak RSS |"
echo "|---|---|---|---|"
for label in "jixiao" "typst bundle" "typst 1 by 1" "typst xargs -P$cores"; do
  awk -F'\t' -v l="$label" '$1 == l { print $2, $3 }' "$times" | sort -n | awk -v l="$label" '
    { wall[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "| %s | %.2f s | %.2f s | %d MB |\n", l, wall[1], wall[int((NR + 1) / 2)], rss / 1024 }'
done
