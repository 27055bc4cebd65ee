#!/usr/bin/env bash
# Latency of `jixiao watch`: from saving one project spec of a 50-project year to its new
# PDF on disk. Makes a scratch project with 50 projects (the seed's eight, re-coded), starts
# `jixiao watch` on it, edits one spec ten times and reports each latency in milliseconds.
#
#   cargo build --release && bash benches/watch.sh            # all cores
#   taskset -c 0,1 bash benches/watch.sh                     # as on 2 cores
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
jixiao="$repo/target/release/jixiao"
scratch="$(mktemp -d)"
trap 'kill "$watcher" 2>/dev/null || true; rm -rf "$scratch"' EXIT
mkdir -p "$scratch/specs/2024/projects"
ln -s "$repo/templates" "$scratch/templates"
ln -s "$repo/fonts" "$scratch/fonts"
cp "$repo/specs/2024/department.yaml" "$scratch/specs/2024/"
for i in $(seq 1 50); do
  seed=$(( (i - 1) % 8 + 1 ))
  code=$(printf '131003%03d' "$i")
  sed -e "s/^code: \"13100300$seed\"/code: \"$code\"/" -e "s/^name: \(.*\)/name: \1（$i）/" \
    "$repo/specs/2024/projects/13100300$seed.yaml" > "$scratch/specs/2024/projects/$code.yaml"
done
cd "$scratch"
"$jixiao" watch > watch.log 2>&1 &
watcher=$!
until grep -q "已生成" watch.log 2>/dev/null; do sleep 0.1; done
spec=specs/2024/projects/131003017.yaml
pdf=$(ls out/2024/131003017-*.pdf)
for round in $(seq 1 10); do
  before=$(stat -c %i "$pdf")
  sed -i "s/^goal: \(.*\)/goal: \1。/" "$spec"
  start=$(date +%s%N)
  until [ "$(stat -c %i "$pdf" 2>/dev/null)" != "$before" ]; do :; done
  end=$(date +%s%N)
  echo "round $round: $(( (end - start) / 1000000 )) ms"
  sleep 1.5  # let the report finish before the next save
done
echo "--- watch's own lines:"
grep -v "^specs/" watch.log | tail -n 40 || true
