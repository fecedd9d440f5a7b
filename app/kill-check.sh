#!/usr/bin/env bash
# The long run of the kill test: `vitcap train` in a child JVM killed with SIGKILL KILLS times (default
# 20; CI runs 5), at random moments and inside each step of a checkpoint save, resumed after each kill;
# every checkpoint must load after every kill, and the final weights must equal a run never killed.
# Usage: app/kill-check.sh [KILLS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20}
seed=${2:-$(date +%s%N)}
echo "kill check: $kills kills, seed $seed, on $(lscpu | sed -n 's/^Model name: *//p')"
start=$(date +%s)
mvn -B -q -pl app -am test -Dtest=KillResumeTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dvitcap.kills="$kills" -Dvitcap.kills.seed="$seed"
echo "passed in $(( $(date +%s) - start )) s"
