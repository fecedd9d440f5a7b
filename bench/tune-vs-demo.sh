#!/usr/bin/env bash
# The best configuration a `vitcap tune` search found, against the demo's hand-tuned recipe, at equal
# training time on the demo's world: each trains for MINUTES with the same seed, then both are scored
# on the world's test split with beam 3 (docs/benchmarks.md, "Tuning"). Run on a quiet machine.
# Usage: bench/tune-vs-demo.sh [SEARCH_DIR] [MINUTES]   (default runs/tune-20, 7: the demo's budget)
set -euo pipefail
cd "$(dirname "$0")/.."
search=${1:-runs/tune-20}
minutes=${2:-7}
[ -f "$search/best.json" ] || { echo "tune-vs-demo: no $search/best.json: run vitcap tune first" >&2; exit 1; }
echo "tuned vs demo recipe: $minutes minutes each, on $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
./vitcap demo --train 10000 --out runs/cmp-demo --minutes "$minutes" > runs/cmp-demo.log 2>&1   # the world the search ran on
# The best trial's own command line, with the demo's seed, its time and its own folder.
mapfile -t train < <(python3 - "$search/best.json" <<'PY'
import json, sys
args = json.load(open(sys.argv[1]))["train"][2:]
i = args.index("--seed"); args[i + 1] = "1"
print("\n".join(args))
PY
)
./vitcap train "${train[@]}" --time-budget "$minutes" --out runs/cmp-tuned --overwrite > runs/cmp-tuned.log 2>&1
world=runs/cmp-demo/world
./vitcap evaluate --checkpoint runs/cmp-tuned/best.json --annotations "$world/annotations/test.json" --images "$world/images/test" \
  --beam 3 --json > runs/cmp-tuned-metrics.json
python3 - runs/cmp-demo/test-metrics.json runs/cmp-tuned-metrics.json "$search/best.json" <<'PY'
import json, sys
demo, tuned, best = (json.load(open(f)) for f in sys.argv[1:4])
print("params of the best trial:", json.dumps(best["params"]))
print(f"{'':14}{'demo recipe':>12}{'tuned':>10}")
for k in ["Bleu_4", "CIDEr", "ROUGE_L", "truthful", "fact_accuracy"]:
    print(f"{k:14}{demo[k]:12.4f}{tuned[k]:10.4f}")
PY
