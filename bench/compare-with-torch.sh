#!/usr/bin/env bash
# Side-by-side throughput of vitcap and the PyTorch twin (reference/vitcap_twin.py) on this machine,
# alternating runs so both see the same conditions; prints each run and the ratio of medians.
#   PYTHON=/path/to/python-with-torch bench/compare-with-torch.sh [small|base] [attention|showtell] [runs]
# TWIN=path/to/another_twin.py runs another script with the same command line and output line instead.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-small}; decoder=${2:-attention}; runs=${3:-3}
python=${PYTHON:-python3}; twin=${TWIN:-reference/vitcap_twin.py}
threads=$(nproc)
flag=""; [ "$decoder" = showtell ] && flag="--showtell"
./vitcap bench --config "$config" --decoder "$decoder" --json >/dev/null 2>&1   # builds, warms the disk cache
ours=(); theirs=()
for i in $(seq "$runs"); do
  o=$(./vitcap bench --config "$config" --decoder "$decoder" --json 2>/dev/null)
  t=$("$python" "$twin" "$config" "$threads" $flag 2>/dev/null | grep '^torch')
  echo "vitcap run $i: $o"
  echo "torch  run $i: $t"
  ours+=("$o"); theirs+=("$t")
done
"$python" - "$decoder" "${ours[@]}" -- "${theirs[@]}" <<'PY'
import json, re, statistics, sys
args = sys.argv[2:]; cut = args.index("--")
ours = [json.loads(x) for x in args[:cut]]; theirs = args[cut + 1:]
for key in ("train", "greedy", "beam5"):
    a = statistics.median(o[key] for o in ours)
    vals = [float(re.search(key + r" ([0-9.na]+) img/s", t).group(1)) for t in theirs]
    b = statistics.median(vals)
    ratio = a / b if b == b and b > 0 else float("nan")
    print(f"{key:7s} vitcap {a:8.1f} img/s   torch {b:8.1f} img/s   ratio {ratio:.2f}")
PY
