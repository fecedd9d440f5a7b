#!/usr/bin/env bash
# Side-by-side throughput of vitcap and the PyTorch twin (reference/vitcap_twin.py) on this machine,
# alternating runs so both see the same conditions; prints the CPU model, each run and the ratio of medians.
#   PYTHON=/path/to/python-with-torch bench/compare-with-torch.sh [small|base] [attention|showtell|all] [runs]
# TWIN=path/to/another_twin.py runs another script with the same command line and output line instead.
# ITERATIONS=N times N iterations of each measurement on both sides instead of their default (5 on a CPU):
# a run of five greedy batches lasts half a second, and a shared machine's bursts move it by a fifth.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-small}; decoders=${2:-attention}; runs=${3:-3}
python=${PYTHON:-python3}; twin=${TWIN:-reference/vitcap_twin.py}
iterations=(); [ -n "${ITERATIONS:-}" ] && iterations=(--iterations "$ITERATIONS")
threads=$(nproc)
[ "$decoders" = all ] && decoders="attention showtell"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $threads cores; $("$python" -c 'import torch; print("torch", torch.__version__)' 2>/dev/null || echo "no torch")"
./vitcap bench --config "$config" --json >/dev/null 2>&1   # builds, warms the disk cache
for decoder in $decoders; do
  flag=""; [ "$decoder" = showtell ] && flag="--showtell"
  ours=(); theirs=()
  for i in $(seq "$runs"); do
    o=$(./vitcap bench --config "$config" --decoder "$decoder" --json "${iterations[@]}" 2>/dev/null)
    t=$("$python" "$twin" "$config" "$threads" $flag "${iterations[@]}" 2>/dev/null | grep '^torch')
    echo "$decoder vitcap run $i: $o"
    echo "$decoder torch  run $i: $t"
    ours+=("$o"); theirs+=("$t")
  done
  "$python" - "$decoder" "${ours[@]}" -- "${theirs[@]}" <<'PY'
import json, re, statistics, sys
decoder, args = sys.argv[1], sys.argv[2:]
cut = args.index("--")
ours = [json.loads(x) for x in args[:cut]]; theirs = args[cut + 1:]
for key in ("train", "greedy", "beam5"):
    a = statistics.median(o[key] for o in ours)
    vals = [float(re.search(key + r" ([0-9.na]+) img/s", t).group(1)) for t in theirs]
    b = statistics.median(vals)
    ratio = a / b if b == b and b > 0 else float("nan")
    print(f"{decoder:9s} {key:7s} vitcap {a:8.1f} img/s   torch {b:8.1f} img/s   ratio {ratio:.2f}")
PY
done
