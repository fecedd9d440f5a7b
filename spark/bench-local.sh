#!/usr/bin/env bash
# spark-caption in local[2] beside the single-process `vitcap caption`, on the same images, on this
# machine (docs/benchmarks.md). Two measures, alternated so that both see the same machine:
#   cold: each command as a user runs it, from the shell to its exit (JVM start, Spark's start, JIT);
#   warm: one JVM per engine captioning the folder ROUNDS times; the last rounds are the steady state.
# Usage: spark/bench-local.sh [IMAGES] [CHECKPOINT.json] [ROUNDS]   (default 2000, the demo's model, 6)
set -euo pipefail
cd "$(dirname "$0")/.."
images=${1:-2000}
checkpoint=${2:-runs/demo/model/best.json}
rounds=${3:-6}
[ -f "$checkpoint" ] || { echo "bench-local: no $checkpoint: run ./vitcap demo first, or name a checkpoint" >&2; exit 1; }
work=$(mktemp -d /tmp/vitcap-spark-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "spark-caption vs caption: $images images, $checkpoint, on $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
mvn -q -B -DskipTests -pl app,bench -am package
./vitcap data synth --out "$work/world" --train 0 --val 0 --test "$images" --size 64 --seed 11 >/dev/null
dir="$work/world/images/test"
# Once each, uncounted: ./vitcap records its class-data archives on a command's first run.
./vitcap caption "$dir" --checkpoint "$checkpoint" >/dev/null 2>&1
./vitcap spark-caption --input "$dir" --output "$work/out.parquet" --checkpoint "$checkpoint" --master 'local[2]' --overwrite >/dev/null 2>&1
seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
for r in 1 2 3; do
  single=$(seconds ./vitcap caption "$dir" --checkpoint "$checkpoint")
  spark=$(seconds ./vitcap spark-caption --input "$dir" --output "$work/out.parquet" --checkpoint "$checkpoint" --master 'local[2]' --overwrite)
  printf 'cold %d: caption %.1f s (%.0f images/s), spark-caption %.1f s (%.0f images/s): %.2fx\n' "$r" "$single" \
    "$(echo "$images / $single" | bc -l)" "$spark" "$(echo "$images / $spark" | bc -l)" "$(echo "$single / $spark" | bc -l)"
done
cp="app/target/vitcap-app.jar:app/target/lib/*:app/target/spark-lib/*:bench/target/classes"
jvm=(java -Xmx6g -XX:+UseSerialGC --add-modules jdk.incubator.vector $(cat app/target/spark-jvm-args) -cp "$cp")
for engine in single spark; do
  "${jvm[@]}" dev.vitcap.bench.SparkCaptionThroughput "$engine" "$dir" "$checkpoint" "$rounds" 2>/dev/null | tee "$work/$engine.txt"
done
python3 - "$work/single.txt" "$work/spark.txt" <<'PY'
import re, statistics, sys
rate = lambda f: statistics.median([float(m) for m in re.findall(r"([\d.]+) images/s", open(f).read())[-3:]])
single, spark = rate(sys.argv[1]), rate(sys.argv[2])
print(f"warm (median of the last 3 rounds): caption {single:.0f} images/s, spark-caption {spark:.0f} images/s: {spark / single:.2f}x")
PY
