#!/usr/bin/env bash
# `jixiao diff` of two git revisions of a large tree.
#
#   cargo build --release
#   benches/diff.sh [N] [RUNS]
#
# `jixiao bench -n N --keep DIR` writes N generated projects (departments of 10, each its own
# year folder specs/<department>/2024). They are committed, then two revisions are made on top:
#   some   every 50th project edited (a value and a purpose) and every 200th removed
#   all    every project's purpose edited
# and, RUNS times each (whole process, wall time and peak memory from /usr/bin/time):
#   same   diff HEAD HEAD (nothing changed: read, parse and validate both sides)
#   some   diff of the first revision against the approved one
#   all    diff of the second revision against the first (every file differs)
# Run it with `taskset -c 0,1` to measure on two cores.
set -euo pipefail

n=${1:-1000}
runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
jixiao=$root/target/release/jixiao

[ -x "$jixiao" ] || { echo "run 'cargo build --release' first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$jixiao" -C "$root" bench -n "$n" --keep "$work/corpus" >/dev/null
repo=$work/repo
mkdir -p "$repo"
cp -r "$work/corpus/specs" "$repo/specs"
ln -s "$root/templates" "$repo/templates"
ln -s "$root/fonts" "$repo/fonts"
commit() { git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm "$1"; }
git -C "$repo" init -q
git -C "$repo" add -A
commit approved
mapfile -t files < <(cd "$repo" && ls specs/*/*/projects/*.yaml | sort)
for ((k = 0; k < ${#files[@]}; k += 50)); do
  sed -i '0,/^purpose: /s//purpose: 修订：/; 0,/value: \([0-9][0-9]*\) 万元/s//value: 1\1 万元/' "$repo/${files[k]}"
done
for ((k = 7; k < ${#files[@]}; k += 200)); do git -C "$repo" rm -q "${files[k]}"; done
git -C "$repo" add -A
commit some
for f in "$repo"/specs/*/*/projects/*.yaml; do sed -i '0,/^purpose: /s//purpose: 全部修订：/' "$f"; done
git -C "$repo" add -A
commit all

measure() {
  local label=$1; shift
  for ((r = 1; r <= runs; r++)); do
    /usr/bin/time -f "$label: %e s, %M KB" "$jixiao" -C "$repo" diff "$@" >/dev/null 2>"$work/time" || true
    tail -1 "$work/time"
  done
}
echo "$n projects, $(nproc) cores"
measure same HEAD HEAD
measure some HEAD~2 HEAD~1
measure all HEAD~1 HEAD
"$jixiao" -C "$repo" diff HEAD~2 HEAD~1 | tail -1
