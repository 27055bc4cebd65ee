#!/usr/bin/env bash
# `jixiao import` of a period's self-evaluation tables at scale.
#
#   cargo build --release
#   benches/period-import.sh [N] [RUNS]
#
# The example's eight projects with their year-end actuals (specs/example/2024) are copied
# N/8 times under new codes and names into one year; `build --format pdf,xlsx` writes the
# period's workbook (a sheet per project, 2.3 MB at N = 1000). Then, RUNS times, the
# workbook is imported into a year holding only the targets (whole process, wall time and
# peak memory from /usr/bin/time), and every project's actuals file is compared with its
# original through `textconv` (period.yaml's date and title are on the report's cover, not in
# the workbook). Run it with `taskset -c 0,1` to measure on two cores.
set -euo pipefail

n=${1:-1000}
runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
jixiao=$root/target/release/jixiao

[ -x "$jixiao" ] || { echo "run 'cargo build --release' first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$root/templates" "$work/templates"
ln -s "$root/fonts" "$work/fonts"
python3 - "$root/specs/example/2024" "$work/specs/2024" "$n" <<'PY'
import os, re, shutil, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(f"{dst}/projects"); os.makedirs(f"{dst}/actuals/year-end")
shutil.copy(f"{src}/department.yaml", dst)
shutil.copy(f"{src}/actuals/year-end/period.yaml", f"{dst}/actuals/year-end")
names = sorted(os.listdir(f"{src}/projects"))
for i in range(n):
    f, k = names[i % len(names)], i // len(names)
    code = str(131100000 + i)
    text = open(f"{src}/projects/{f}").read()
    text = re.sub(r"^code: .*$", f"code: {code}", text, flags=re.M)
    text = re.sub(r"^name: (.*)$", lambda m: f"name: {m.group(1)}（{k}）", text, count=1, flags=re.M)
    open(f"{dst}/projects/{code}.yaml", "w").write(text)
    shutil.copy(f"{src}/actuals/year-end/{f}", f"{dst}/actuals/year-end/{code}.yaml")
PY
"$jixiao" -C "$work" build -q --format pdf,xlsx >/dev/null 2>&1 || true
book=$(ls "$work"/out/2024/year-end/*.xlsx | grep -v '/1311' | head -1)
echo "workbook: $(stat -c %s "$book") bytes, $n projects"
for run in $(seq "$runs"); do
  back=$work/back-$run/2024
  mkdir -p "$back"
  cp -r "$work/specs/2024/department.yaml" "$work/specs/2024/projects" "$back/"
  /usr/bin/time -f "import: %e s wall, %U s user, %M KB peak" \
    "$jixiao" -C "$work" import --form central-evaluation-2020 --into "$back" "$book" 2>&1 >/dev/null | grep '^import:'
done
differ=0
for file in "$work"/specs/2024/actuals/year-end/1*.yaml; do
  cmp -s <("$jixiao" -C "$work" textconv "$file") \
    <("$jixiao" -C "$work" textconv "$work/back-1/2024/actuals/year-end/$(basename "$file")") || differ=$((differ + 1))
done
echo "actuals files read back differently: $differ"
