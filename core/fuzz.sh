#!/usr/bin/env bash
# Fuzzes every Jazzer fuzz test of the project (each method annotated @FuzzTest, found in the sources)
# for SECONDS each, default 10, and exits non-zero if any of them finds an input its reader mishandles:
# an exception other than the reader's own, a message that is not one line naming the file, an
# OutOfMemoryError, a StackOverflowError, or a hang (an input that takes longer than TIMEOUT seconds,
# default 10). Options after SECONDS go to Maven, e.g. `core/fuzz.sh 600 -o` fuzzes ten minutes a
# target, offline.
#
# ONLY=REGEX keeps the targets whose CLASS#METHOD matches it (to split a long run between machines).
#
# A finding is written as crash-<hash> into the target's seed directory,
# src/test/resources/<package>/<Class>Inputs/<method>/, and from then on plain `mvn test` replays it
# with the other seeds: fix the reader, and keep the input (renamed to say what it is) as a regression
# test. The corpus each run grows lies in <module>/.cifuzz-corpus/ (not committed) and seeds the next.
set -euo pipefail
seconds=${1:-10}
[ $# -gt 0 ] && shift
timeout=${TIMEOUT:-10}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# CLASS#METHOD of every fuzz test, and the module it lives in.
targets=()
modules=()
while IFS= read -r file; do
  module=${file%%/src/test/java/*}
  class=${file#*/src/test/java/}
  class=${class%.java}
  class=${class//\//.}
  while IFS= read -r method; do
    targets+=("$class#$method")
  done < <(awk '/^[[:space:]]*@(com\.code_intelligence\.jazzer\.junit\.)?FuzzTest([^A-Za-z0-9_]|$)/ { want = 1 }
                want && /void[[:space:]]+[A-Za-z0-9_]+[[:space:]]*\(/ {
                  sub(/.*void[[:space:]]+/, ""); sub(/[[:space:]]*\(.*/, ""); print; want = 0 }' "$file")
  [[ " ${modules[*]} " == *" $module "* ]] || modules+=("$module")
done < <(grep -rlE --include='*.java' '^[[:space:]]*@(com\.code_intelligence\.jazzer\.junit\.)?FuzzTest([^A-Za-z0-9_]|$)' -- */src/test/java | sort)
if [ -n "${ONLY:-}" ]; then
  kept=()
  for t in "${targets[@]}"; do [[ "$t" =~ $ONLY ]] && kept+=("$t"); done
  targets=(${kept[@]+"${kept[@]}"})
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz.sh: no @FuzzTest methods found" >&2
  exit 1
fi

# Jazzer fuzzes one test per JVM: each batch holds at most one method of a class, and surefire gives
# every test class a JVM of its own. Jazzer's instrumentation, off for plain test runs
# (src/test/resources/junit-platform.properties), is turned on; the duration and the per-input timeout
# reach libFuzzer through Jazzer's JUnit configuration (the last -max_total_time wins over the
# annotation's maxDuration).
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
log="$root/core/target/fuzz.log"
mkdir -p "$(dirname "$log")"
: > "$log"
status=0
remaining=("${targets[@]}")
while [ ${#remaining[@]} -gt 0 ]; do
  batch=() later=() seen=" "
  for t in "${remaining[@]}"; do
    if [[ "$seen" == *" ${t%%#*} "* ]]; then later+=("$t"); else batch+=("$t"); seen+="${t%%#*} "; fi
  done
  remaining=(${later[@]+"${later[@]}"})
  echo "fuzz.sh: fuzzing ${#batch[@]} target(s) for ${seconds} s each: ${batch[*]}"
  list=$(IFS=,; echo "${batch[*]}")
  JAZZER_FUZZ=1 mvn -B "$@" -pl "$(IFS=,; echo "${modules[*]}")" -am test -Dtest="$list" \
      -Dsurefire.failIfNoSpecifiedTests=false -DforkCount=1 -DreuseForks=false -Djazzer.hooks=true \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
      -Djazzer.internal.arg.2=-timeout="$timeout" >> "$log" 2>&1 || status=1
done
grep -aE 'Tests run: .* in |FuzzTestFinding|BUILD' "$log" | sed 's/\x1b\[[0-9;]*m//g' || true
found=$(find . -path '*/src/test/resources/*' -name 'crash-*' -newer "$marker" -print)
if [ -n "$found" ]; then
  echo "fuzz.sh: inputs that break a reader (now replayed by mvn test):"
  echo "$found"
fi
[ $status -eq 0 ] || echo "fuzz.sh: a fuzz target failed; the whole log is $log" >&2
exit $status
