#!/usr/bin/env bash
# Side by side on one machine: `jixiao build` against the Typst CLI on the same tables.
#
#   cargo build --release
#   benches/typst-cli.sh [N] [RUNS]
#
# `jixiao bench -n N --keep DIR` writes N generated projects (departments of 10) and, in
# DIR/typst/, each table as one standalone Typst file plus bundle.typ including them all.
# Then, RUNS times each (whole process, wall time and peak memory from /usr/bin/time):
#   jixiao        build --force of the corpus's targets: N table PDFs + one combined report
#                 per department
#   typst bundle  one `typst compile` of all N tables into one PDF
#   typst 1 by 1  one `typst compile` process per table, one after the other
#   typst xargs   one process per table, as many at a time as there are cores
#   typst-py      a Python script with one worker process per core, each compiling its
#                 share of the tables through one reused `typst.Compiler` (typst-py)
# The peers are the bench's to install, once, under target/bench-peers/ (or
# $JIXIAO_BENCH_PEERS): the Typst CLI 0.15.1 (the version jixiao embeds) with
# `cargo install`, unless TYPST names one; typst-py 0.15.0 (the newest wheel, Typst 0.15.0)
# with pip in a virtual environment. Every contender reads the same committed fonts and no
# system fonts.
set -euo pipefail

n=${1:-50}
runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
jixiao=$root/target/release/jixiao
cores=$(nproc)
peers=${JIXIAO_BENCH_PEERS:-$root/target/bench-peers}

[ -x "$jixiao" ] || { echo "run 'cargo build --release' first" >&2; exit 2; }
typst=${TYPST:-$peers/bin/typst}
if ! "$typst" --version 2>/dev/null | grep -q '0\.15\.1'; then
  [ -z "${TYPST:-}" ] || { echo "$TYPST is not the typst 0.15.1 CLI" >&2; exit 2; }
  echo "installing the typst 0.15.1 CLI into $peers (once, several minutes)" >&2
  cargo install -q typst-cli --version 0.15.1 --locked --root "$peers"
fi
python=$peers/venv/bin/python
if ! "$python" -c 'import typst' 2>/dev/null; then
  echo "installing typst-py 0.15.0 into $peers/venv (once)" >&2
  python3 -m venv "$peers/venv"
  "$peers/venv/bin/pip" install -q typst==0.15.0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$jixiao" -C "$root" bench -n "$n" --keep "$work/corpus" >/dev/null
# The corpus also has year-end actuals; the Typst sources are the target tables only, so
# jixiao builds those alone too (with the actuals it would also write every
# self-evaluation table and report: twice the documents).
find "$work/corpus/specs" -type d -name actuals -prune -exec rm -rf {} +
src=$work/corpus/typst
fonts=(--ignore-system-fonts --font-path "$root/fonts")
mkdir -p "$work/pdf" "$work/pdf-py"
export typst src work
cat >"$work/peer.py" <<'PY'
"""typst-py: one worker per core, each with one Compiler, each table its own PDF."""
import glob, multiprocessing, os, sys

src, out, fonts, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
compiler = None

def start():
    global compiler
    import typst
    compiler = typst.Compiler(root=src, font_paths=[fonts], ignore_system_fonts=True)

def one(path):
    name = os.path.splitext(os.path.basename(path))[0]
    compiler.compile(input=path, output=os.path.join(out, name + ".pdf"))

if __name__ == "__main__":
    tables = sorted(glob.glob(os.path.join(src, "[0-9]*.typ")))
    with multiprocessing.Pool(workers, initializer=start) as pool:
        for _ in pool.imap_unordered(one, tables):
            pass
PY
times=$work/times

# One run of a contender: its wall time and peak memory appended to $times.
measure() {
  local label=$1
  shift
  /usr/bin/time -a -o "$times" -f "$label	%e	%M" "$@" >/dev/null 2>"$work/stderr" ||
    { echo "$label failed:" >&2; cat "$work/stderr" >&2; exit 1; }
}

# Interleaved, so that a slow moment of the machine hits every contender.
for _ in $(seq "$runs"); do
  measure "jixiao" "$jixiao" -C "$root" build --force -q --out "$work/out" "$work/corpus/specs"
  measure "typst bundle" "$typst" compile "${fonts[@]}" "$src/bundle.typ" "$work/bundle.pdf"
  measure "typst 1 by 1" bash -c 'for f in "$src"/[0-9]*.typ; do "$typst" compile --ignore-system-fonts --font-path "$0" "$f" "$work/pdf/$(basename "$f" .typ).pdf"; done' "$root/fonts"
  measure "typst-py $cores workers" "$python" "$work/peer.py" "$src" "$work/pdf-py" "$root/fonts" "$cores"
  measure "typst xargs -P$cores" bash -c 'ls "$src"/[0-9]*.typ | xargs -P "$1" -I{} sh -c "\"$typst\" compile --ignore-system-fonts --font-path \"$0\" {} \"$work/pdf/\$(basename {} .typ).pdf\"" "$0"' "$root/fonts" "$cores"
done

echo "$n tables, $cores cores, $runs runs each (jixiao also writes $(( (n + 9) / 10 )) combined reports)"
echo
echo "| contender | wall min | wall median | peak RSS |"
echo "|---|---|---|---|"
for label in "jixiao" "typst bundle" "typst-py $cores workers" "typst 1 by 1" "typst xargs -P$cores"; do
  awk -F'\t' -v l="$label" '$1 == l { print $2, $3 }' "$times" | sort -n | awk -v l="$label" '
    { wall[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "| %s | %.2f s | %.2f s | %d MB |\n", l, wall[1], wall[int((NR + 1) / 2)], rss / 1024 }'
done

# The ratios the targets are stated in: jixiao's median wall time over each peer's.
median() {
  awk -F'\t' -v l="$1" '$1 == l { print $2 }' "$times" | sort -n | awk '{ w[NR] = $1 } END { print w[int((NR + 1) / 2)] }'
}
echo
for peer in "typst bundle" "typst-py $cores workers"; do
  awk -v a="$(median jixiao)" -v b="$(median "$peer")" -v p="$peer" 'BEGIN { printf "jixiao / %s: %.2f×\n", p, a / b }'
done
