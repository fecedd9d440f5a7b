#!/usr/bin/env bash
# The serving benchmark of docs/benchmarks.md: ./vitcap serve with the demo's model, loaded by one client,
# then 16 clients (throughput, latency, errors, the server's peak memory), then 100 clients against a
# short queue (the overflow must be 503s, and the server must stay up). Greedy decoding throughout.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${REQUESTS:-1000}
image=${IMAGE:-runs/demo/world/images/test/000001.png}
port=${PORT:-18080}
[ -f runs/demo/model/best.json ] || { echo "serve-load: no runs/demo/model/best.json: run ./vitcap demo first" >&2; exit 1; }
mvn -q -B -DskipTests -pl app,bench -am package
load() { java -cp "bench/target/classes:bench/target/lib/*" dev.vitcap.bench.LoadGenerator --url "http://127.0.0.1:$port/" --image "$image" "$@"; }
serve() {
  ./vitcap serve --port "$port" "$@" > "${TMPDIR:-/tmp}/vitcap-serve-load.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v1/health" > /dev/null && return; sleep 0.2; done
  echo "serve-load: the server did not start:" >&2; cat "${TMPDIR:-/tmp}/vitcap-serve-load.log" >&2; exit 1
}
stop() { kill -TERM "$server"; wait "$server"; }

serve
load --clients 1 --requests "$requests" --query beam=1
load --clients 16 --requests "$requests" --query beam=1
stop
serve --queue 32
load --clients 100 --requests 50 --query beam=1 || true
curl -sf "http://127.0.0.1:$port/v1/health" > /dev/null && echo "after 100 clients: the server answers /v1/health"
stop
