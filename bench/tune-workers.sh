#!/usr/bin/env bash
# Throughput of a trial with one search worker against each of two workers running side by side
# (docs/benchmarks.md, "Tuning"): the same two one-epoch trials of the demo's recipe on its world,
# first one after the other on all the cores, then both at once on half the cores each; and one trial
# alone on half the cores (what a worker would do with no neighbour). The rates are the training
# steps' images/s from the trials' logs, the first fifth of each left out (JIT warm-up).
# Usage: bench/tune-workers.sh   (on a quiet machine)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/vitcap-tune-workers.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "tune workers: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo '{"lr": {"choice": [0.002]}}' > "$work/space.json"
for p in 1 2; do
  start=$(date +%s.%N)
  ./vitcap tune --space "$work/space.json" --out "$work/p$p" --trials 2 --parallel "$p" --epochs 1 > "$work/p$p.log" 2>&1
  echo "parallel $p: $(echo "$(date +%s.%N) - $start" | bc | xargs printf '%.0f') s for both trials"
done
./vitcap tune --space "$work/space.json" --out "$work/alone" --trials 1 --parallel 2 --epochs 1 > "$work/alone.log" 2>&1
python3 - "$work" <<'PY'
import json, pathlib, statistics, sys
work = pathlib.Path(sys.argv[1])
def rate(search):
    rates = []
    for log in sorted((work / search / "trials").glob("*/log.jsonl")):
        steps = [json.loads(l)["images_per_second"] for l in open(log) if '"type":"step"' in l]
        rates.append(statistics.median(steps[len(steps) // 5:]))
    return rates
one, two, alone = rate("p1"), rate("p2"), rate("alone")
print(f"one worker:  {statistics.mean(one):.0f} images/s a trial ({', '.join(f'{r:.0f}' for r in one)})")
print(f"two workers: {statistics.mean(two):.0f} images/s a trial ({', '.join(f'{r:.0f}' for r in two)}), {sum(two):.0f} together")
print(f"one trial alone on half the cores: {alone[0]:.0f} images/s")
print(f"each of two workers runs at {statistics.mean(two) / statistics.mean(one):.2f}x one worker's rate, "
      f"and at {statistics.mean(two) / alone[0]:.2f}x a trial alone on its half of the cores")
PY
