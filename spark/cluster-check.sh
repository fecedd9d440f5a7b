#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, from the Maven Central jars: a master and two workers
# (one core each) in their own JVMs, the shaded jar submitted to them with SparkSubmit, 2,000 synthetic
# images captioned, and every caption checked against `vitcap caption` on the same images. Everything it
# starts is stopped when it ends, however it ends.
# Usage: spark/cluster-check.sh [IMAGES] [CHECKPOINT.json]   (default 2000; the demo's model, else a tiny one trained here)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
images=${1:-2000}
checkpoint=${2:-runs/demo/model/best.json}
work=$(mktemp -d /tmp/vitcap-cluster.XXXXXX)
pids=()
stop() {
  status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ]; then
    for f in $(find "$work" -name stderr -path '*worker-*' 2>/dev/null | head -n 2); do echo "== executor log $f"; grep -v INFO "$f" | tail -n 15; done
  fi
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap stop EXIT
echo "cluster check: $images images, on $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"

echo "building the shaded jar (mvn -Pspark-submit package)..."
mvn -q -B -DskipTests -Pspark-submit package -pl app -am
jar="$root/app/target/vitcap-spark-submit.jar"
opens=$(cat app/target/spark-jvm-args)

./vitcap data synth --out "$work/world" --train 0 --val 0 --test "$images" --size 64 --seed 7 >/dev/null
if [ ! -f "$checkpoint" ]; then
  echo "no $checkpoint: training a tiny model for one epoch on the synthetic images"
  checkpoint="$work/model/best.json"
  ./vitcap train --annotations "$work/world/annotations/test.json" --images "$work/world/images/test" \
    --model tiny --epochs 1 --out "$work/model" >/dev/null
fi

# Spark's launcher builds an executor's class path from SPARK_HOME/jars (a release has a RELEASE file):
# here, the jars of Spark SQL and its dependencies, fetched by Maven (spark/cluster-pom.xml).
home="$work/spark-home"
mkdir -p "$home/jars"
touch "$home/RELEASE"
mvn -q -B -f spark/cluster-pom.xml dependency:copy-dependencies -DoutputDirectory="$home/jars"
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$work/logs" SPARK_WORKER_DIR="$work/worker"
spark=(java -Xmx512m $opens -cp "$home/jars/*")
port=$(( 20000 + RANDOM % 20000 ))
master="spark://127.0.0.1:$port"

"${spark[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 >"$work/master.log" 2>&1 &
pids+=($!)
for i in 1 2; do
  "${spark[@]}" org.apache.spark.deploy.worker.Worker --cores 1 --memory 2g --webui-port 0 \
    --work-dir "$work/worker-$i" "$master" >"$work/worker-$i.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 60); do
  [ "$(grep -l "Successfully registered with master" "$work"/worker-*.log 2>/dev/null | wc -l)" -eq 2 ] && break
  sleep 1
done
[ "$(grep -l "Successfully registered with master" "$work"/worker-*.log 2>/dev/null | wc -l)" -eq 2 ] \
  || { echo "the workers did not register with $master:"; for f in "$work"/*.log; do echo "== $f"; tail -n 5 "$f"; done; exit 1; }
echo "cluster up: master $master, 2 workers of 1 core"

# The driver (this client-mode SparkSubmit JVM) logs warnings only; its summary line is what matters here.
printf 'rootLogger.level = warn\nrootLogger.appenderRef.stderr.ref = console\nappender.console.type = Console\nappender.console.name = console\nappender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\nappender.console.layout.pattern = %%p %%c{1}: %%m%%n\n' >"$work/log4j2.properties"
# Each executor: one core, and the Vector API that vitcap's CPU backend needs (Spark adds its own module opens).
start=$(date +%s.%N)
java -Xmx2g $opens --add-modules jdk.incubator.vector -Dlog4j2.configurationFile="$work/log4j2.properties" -cp "$home/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master "$master" --deploy-mode client --class dev.vitcap.app.Main \
  --conf spark.executor.cores=1 --conf spark.executor.memory=1g --conf spark.ui.enabled=false \
  --conf "spark.executor.extraJavaOptions=--add-modules jdk.incubator.vector" \
  "$jar" spark-caption --input "$work/world/images/test" --output "$work/captions.jsonl" --checkpoint "$checkpoint" \
  2> >(grep -v -e "^WARN" -e "^WARNING" >&2)
seconds=$(echo "$(date +%s.%N) - $start" | bc)
printf "submitted job done in %.1f s (submit to finish)\n" "$seconds"

./vitcap caption "$work/world/images/test" --checkpoint "$checkpoint" --json 2>/dev/null >"$work/single.json"
python3 - "$work/captions.jsonl" "$work/single.json" "$images" <<'EOF'
import glob, json, sys
spark = {}
for part in glob.glob(sys.argv[1] + "/part-*.json"):
    for line in open(part):
        row = json.loads(line)
        spark[row["image"]] = row
single = {r["image"]: r for r in json.load(open(sys.argv[2]))}
assert len(spark) == int(sys.argv[3]) == len(single), f"{len(spark)} rows from the cluster, {len(single)} from vitcap caption"
differ = [i for i, r in single.items() if spark[i]["caption"] != r["caption"] or abs(spark[i]["log_prob"] - r["log_prob"]) > 1e-4 * max(1, abs(r["log_prob"]))]
errors = [i for i, r in spark.items() if r["error"] is not None]
assert not errors, f"{len(errors)} rows with errors, e.g. {spark[errors[0]]}"
assert not differ, f"{len(differ)} captions differ, e.g. {differ[0]}: {spark[differ[0]]} vs {single[differ[0]]}"
print(f"all {len(spark)} captions from the cluster equal vitcap caption's")
EOF
executors=$(find "$work"/worker-* -name stderr | wc -l)
echo "executors that ran: $executors; cluster check passed"
