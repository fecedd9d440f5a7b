#!/usr/bin/env bash
# The GPU check of the cuda backend, in two halves (docs/gpu.md, "Running the GPU check"):
#
#   bash gpu-backend/device-check.sh prepare   on a Linux x86-64 machine with JDK 17, Maven and python3
#                                              (no GPU needed): builds, and assembles .device/ (a jlinked
#                                              Java 17, the jars, the test jars, the JUnit console launcher,
#                                              and the PyTorch twin: reference/vitcap_twin.py, or TWIN_SOURCE), smoke-tests
#                                              it, and prints its size
#   bash gpu-backend/device-check.sh run       on any Linux x86-64 machine with an NVIDIA GPU (Ampere or
#                                              newer, driver 580 or newer), from the folder holding
#                                              gpu-backend/device-check.sh and .device/: finds the CUDA 13
#                                              and cuDNN 9 libraries, runs doctor, the GPU tests, the
#                                              benchmarks and, when it is there, the PyTorch twin, and
#                                              writes each part's output under $OUT (default .device/out)
#   bash gpu-backend/device-check.sh startup   the same machine: only the environment, the start-up steps
#                                              and doctor (about a minute)
#
# `run` goes on past failures and reports each part separately; every part has its own time limit and
# the whole stays within DEVICE_CHECK_SECONDS (470 s by default, so under 8 minutes with the JVM starts).
# It writes six files: summary.txt, env.log, doctor.log, tests.log, bench.log, twin.log.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$root/.device"
# The PyTorch twin: the repository's own, or another one named by TWIN_SOURCE.
twin_source="${TWIN_SOURCE:-$root/reference/vitcap_twin.py}"
jvm_opts=(--add-modules jdk.incubator.vector -Xmx12g)

say() { printf '%s\n' "device-check: $*" >&2; }

# ------------------------------------------------------------------------------------------ prepare

# Jar file names on a module's runtime class path, one a line.
runtime_jars() {
  local out; out="$(mktemp)"
  (cd "$root" && mvn -B -q -pl "$1" dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$out" >&2) || return 1
  tr ':' '\n' < "$out" | xargs -r -n1 basename
  rm -f "$out"
}

# A copy of the CUDA presets' JNI jar with only the bindings the backend loads (cudart, cublas, cudnn).
slim_cuda_jar() {
  python3 - "$1" "$2" <<'EOF'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
keep = ("libjnicudart.so", "libjnicublas.so", "libjnicudnn.so")
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        name = item.filename
        if name.endswith(".so") and not name.endswith(keep):
            continue
        if "/native-image/" in name and not any(k[3:-3] + "/" in name for k in keep):
            continue
        zout.writestr(item, zin.read(name))
EOF
}

prepare() {
  set -e
  command -v mvn >/dev/null || { say "prepare needs Maven"; exit 1; }
  command -v python3 >/dev/null || { say "prepare needs python3 (to trim the CUDA presets' jar)"; exit 1; }
  local jdk="${JAVA_HOME:-}"
  if [ -z "$jdk" ] && command -v javac >/dev/null; then jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"; fi
  jdk="${jdk:-/usr/lib/jvm/java-17-openjdk-amd64}"
  [ -d "$jdk/jmods" ] || { say "no $jdk/jmods: set JAVA_HOME to a full JDK 17 (one with jmods/)"; exit 1; }
  if [ -f "$twin_source" ]; then
    say "PyTorch twin: $twin_source"
  else
    say "no PyTorch twin at $twin_source (set TWIN_SOURCE to compare with one): run will skip it"
  fi

  say "building core, gpu-backend and app"
  (cd "$root" && mvn -B -q -DskipTests -pl core,gpu-backend,app -am package)
  (cd "$root" && mvn -B -q -pl gpu-backend dependency:copy@console-launcher)

  rm -rf "$bundle"
  mkdir -p "$bundle/lib" "$bundle/test"

  # The app's runtime jars without what only the cpu backend needs (ND4J, OpenBLAS and their
  # dependencies, 140 MB): the bundle runs the reference and cuda backends only.
  local cpu_only; cpu_only="$(comm -23 <(runtime_jars cpu-backend | sort -u) <(runtime_jars gpu-backend | sort -u))"
  local jar name
  for jar in "$root"/app/target/lib/*.jar; do
    name="$(basename "$jar")"
    if [[ "$name" == vitcap-cpu-backend-* ]] || grep -qxF "$name" <<<"$cpu_only"; then continue; fi
    if [[ "$name" == cuda-*-linux-x86_64.jar ]]; then slim_cuda_jar "$jar" "$bundle/lib/$name"; else cp "$jar" "$bundle/lib/"; fi
  done
  cp "$root/app/target/vitcap-app.jar" "$bundle/lib/"
  cp "$root"/core/target/vitcap-core-*-tests.jar "$bundle/test/"
  (cd "$root/gpu-backend/target/test-classes" && jar cf "$bundle/test/vitcap-gpu-backend-tests.jar" .)
  cp "$root"/gpu-backend/target/console-launcher/junit-platform-console-standalone-*.jar "$bundle/test/"
  if [ -f "$twin_source" ]; then cp "$twin_source" "$bundle/torch_twin.py"; fi

  # The smallest Java 17 that runs all of it: the modules jdeps finds the jars using, plus the incubator
  # module the Vector API code is started with; left out are java.desktop, java.sql and java.xml, which
  # only optional parts of Jackson and JUnit touch (15 MB). The smoke test below runs on the result.
  local modules
  modules="$(jdeps --list-deps --ignore-missing-deps --multi-release 17 "$bundle"/lib/*.jar "$bundle"/test/*.jar 2>/dev/null \
      | grep -oE '^ +(java|jdk)\.[a-z.]+$' | tr -d ' ' | grep -vxE 'java\.(desktop|sql|xml)' | sort -u | tr '\n' ',')"
  modules="${modules}jdk.incubator.vector,jdk.zipfs" # zipfs: JUnit scans the test jar as a file system
  say "jlink modules: $modules"
  jlink --module-path "$jdk/jmods" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
      --output "$bundle/jre" 2> >(grep -v 'incubator' >&2)
  strip --strip-unneeded "$bundle/jre/lib/server/libjvm.so" 2>/dev/null || true
  # Copies in place of the runtime's symbolic links (its licence files), so that any way of copying the
  # bundle to the GPU machine keeps it whole.
  find "$bundle/jre" -type l -exec sh -c 'cp --remove-destination "$(readlink -f "$1")" "$1"' _ {} \;

  { echo "commit $(cd "$root" && git rev-parse HEAD)$(cd "$root" && git diff --quiet HEAD || echo ' (with uncommitted changes)')"
    echo "built $(date -u +%FT%TZ)"; echo "modules $modules"; (cd "$bundle" && find . -type f -name '*.jar' | sort); } > "$bundle/MANIFEST.txt"

  say "smoke test of the bundle on this machine (no GPU: the cuda tests skip, the probe says why)"
  set +e
  # The backend's tests (the GPU ones skip here), and the reference fixtures, which read JSON through
  # Jackson on the trimmed runtime.
  local selector
  console_command
  for selector in "--scan-class-path=$bundle/test/vitcap-gpu-backend-tests.jar" "--select-class=dev.vitcap.kernel.ReferenceBackendTest"; do
    "${console_cmd[@]}" "$selector" --details=summary --fail-if-no-tests || { say "the bundle's tests failed here ($selector)"; exit 1; }
  done
  "$bundle/jre/bin/java" "${jvm_opts[@]}" -cp "$bundle/lib/*" dev.vitcap.app.Main --help >/dev/null \
      || { say "the app does not start from the bundle"; exit 1; }
  set -e
  say "bundle: $(du -sh "$bundle" | cut -f1) in $bundle"
  say "to the GPU machine: (cd $root && tar czf vitcap-device.tgz .device gpu-backend/device-check.sh), copy it"
  say "there, then: tar xzf vitcap-device.tgz && bash gpu-backend/device-check.sh run"
}

# The GPU tests' class path: the test jars and the runtime jars (the console launcher brings JUnit).
test_class_path() {
  local cp="" jar
  for jar in "$bundle"/test/vitcap-*.jar "$bundle"/lib/*.jar; do cp="$cp${cp:+:}$jar"; done
  printf '%s' "$cp"
}

# The JUnit console launcher on the bundle's Java, over the test class path. Kernel faults surface at
# the next synchronisation; syncing after every launch (vitcap.cuda.sync) names the kernel.
# Sets console_cmd (an array, so that `timeout` can run it).
console_command() {
  console_cmd=("$bundle/jre/bin/java" "${jvm_opts[@]}" -Dvitcap.cuda.sync=true -jar "$(ls "$bundle"/test/junit-platform-console-standalone-*.jar)"
      execute --class-path "$(test_class_path)" --disable-banner --disable-ansi-colors)
}

# ------------------------------------------------------------------------------------------ run

out="${OUT:-$root/.device/out}"

# Runs one part with a time limit, its output appended to a log; records the outcome in the summary.
# The parts share a budget (DEVICE_CHECK_SECONDS, 470 s): a part gets at most what is left, and is
# skipped when too little is, so the whole run ends in time even when parts hang.
budget="${DEVICE_CHECK_SECONDS:-470}"
part() {
  local log="$1" limit="$2" title="$3"; shift 3
  local start=$SECONDS rc verdict left=$((budget - SECONDS))
  if [ "$left" -lt 20 ]; then
    printf '%-40s %-20s %4ss  -> %s\n' "$title" "SKIPPED (no time)" 0 "$log" | tee -a "$out/summary.txt"
    return
  fi
  [ "$limit" -gt $((left - 10)) ] && limit=$((left - 10))
  printf '\n===== %s (limit %ss)\n$ %s\n' "$title" "$limit" "$*" >> "$out/$log"
  timeout --kill-after=10 "$limit" "$@" >> "$out/$log" 2>&1
  rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then verdict="TIMED OUT"; elif [ $rc -ne 0 ]; then verdict="FAILED (rc $rc)"; else verdict="ok"; fi
  printf '%-40s %-20s %4ss  -> %s\n' "$title" "$verdict" "$((SECONDS - start))" "$log" | tee -a "$out/summary.txt"
}

# The lib64 folder of a CUDA 13 toolkit (CUDA_HOME, else /usr/local/cuda), when it has the runtime.
toolkit_dir() {
  local d="${CUDA_HOME:-/usr/local/cuda}/lib64"
  [ -e "$d/libcudart.so.13" ] && echo "$d"
  return 0
}

# Folders holding the CUDA 13 and cuDNN 9 libraries of python3's environment (the pip packages
# nvidia-cuda-runtime, nvidia-cublas, nvidia-cudnn-cu13, ... put them under site-packages/nvidia).
python_cuda_dirs() {
  command -v python3 >/dev/null || return 0
  python3 - <<'EOF'
import glob, os, site, sys
roots = []
for get in (site.getsitepackages, lambda: [site.getusersitepackages()]):
    try:
        roots += get()
    except Exception:
        pass
roots += [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
seen = []
for root in roots:
    for d in sorted(glob.glob(os.path.join(root, "nvidia", "**", "lib"), recursive=True)):
        if os.path.isdir(d) and d not in seen and glob.glob(os.path.join(d, "*.so*")):
            seen.append(d)
print("\n".join(seen))
EOF
}

# The folder of the driver's libcuda.so.1 when the dynamic linker would not find it by itself.
driver_dir() {
  ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1 ' && return 0
  local d
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib/wsl/lib; do
    [ -e "$d/libcuda.so.1" ] && { echo "$d"; return 0; }
  done
}

environment() {
  echo "date: $(date -u +%FT%TZ)   host: $(uname -a)"
  echo "bundle: $(head -1 "$bundle/MANIFEST.txt" 2>/dev/null || echo 'no MANIFEST.txt')"
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  echo; timeout 30 nvidia-smi || echo "(nvidia-smi failed or is missing)"
  echo; echo "libraries as the dynamic linker will find them:"
  local lib d found
  for lib in libcuda.so.1 libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcudnn.so.9 libcudnn_adv.so.9 libcudnn_ops.so.9 \
      libcudnn_cnn.so.9 libcudnn_graph.so.9 libcudnn_engines_precompiled.so.9 libnvrtc.so.13; do
    found=""
    for d in ${LD_LIBRARY_PATH//:/ }; do [ -e "$d/$lib" ] && { found="$d/$lib"; break; }; done
    [ -z "$found" ] && found="$(ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l {print $NF; exit}')"
    printf '  %-36s %s\n' "$lib" "${found:-NOT FOUND}"
  done
  echo; "$java" -version 2>&1
  echo; timeout 60 python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())' 2>&1
}

# The GPU machine's libraries on the linker's path, the bundle's Java, and the start of the summary.
start_run() {
  mkdir -p "$out"
  rm -f "$out"/summary.txt "$out"/env.log "$out"/doctor.log "$out"/tests.log "$out"/bench.log "$out"/twin.log
  java="$bundle/jre/bin/java"
  if [ ! -x "$java" ]; then
    echo "no bundle at $bundle: run 'bash gpu-backend/device-check.sh prepare' on a build machine first and copy .device/ here" | tee -a "$out/summary.txt"
    exit 1
  fi
  local dirs driver
  dirs="$( { toolkit_dir; python_cuda_dirs; } | paste -sd: -)"
  driver="$(driver_dir)"
  export LD_LIBRARY_PATH="${dirs}${driver:+${dirs:+:}$driver}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  app=("$java" "${jvm_opts[@]}" -cp "$bundle/lib/*" dev.vitcap.app.Main)

  echo "device-check run: $(date -u +%FT%TZ), output in $out" | tee -a "$out/summary.txt"
  environment >> "$out/env.log" 2>&1
  printf '%-40s %-20s %4ss  -> %s\n' "environment, libraries, nvidia-smi" "written" "$SECONDS" env.log | tee -a "$out/summary.txt"
  part env.log 30 "cuda probe" "$java" "${jvm_opts[@]}" -cp "$bundle/lib/*" dev.vitcap.cuda.CudaProvider
  grep -E '^cuda (usable|unusable): ' "$out/env.log" | tail -1 | tee -a "$out/summary.txt"
  # The backend's start-up one call at a time: if a native call crashes the JVM, the last step named is the culprit.
  part doctor.log 45 "start-up steps" "$java" "${jvm_opts[@]}" -cp "$(test_class_path)" dev.vitcap.cuda.InitSteps
  grep -E '^step: ' "$out/doctor.log" | tail -1 | tee -a "$out/summary.txt"
  part doctor.log 45 "vitcap doctor" "${app[@]}" doctor
}

# Start-up and doctor only: a short first look at a new GPU machine, with the start-up steps also
# tried on a large thread stack and with the PTX loaded without JIT options.
startup() {
  start_run
  part doctor.log 45 "start-up steps, 512 MB stack" "$java" "${jvm_opts[@]}" -Xss512m -cp "$(test_class_path)" dev.vitcap.cuda.InitSteps
  grep -E '^step: ' "$out/doctor.log" | tail -1 | tee -a "$out/summary.txt"
  part doctor.log 45 "start-up steps, plain PTX load" "$java" "${jvm_opts[@]}" -cp "$(test_class_path)" dev.vitcap.cuda.InitSteps plain-ptx
  grep -E '^step: ' "$out/doctor.log" | tail -1 | tee -a "$out/summary.txt"
  echo "done in ${SECONDS}s" | tee -a "$out/summary.txt"
}

# The PyTorch twin's part, or SKIPPED when the bundle has no twin or python3 has no torch.
twin() {
  local title="$1"; shift
  if [ ! -f "$bundle/torch_twin.py" ]; then
    printf '%-40s %-20s %4ss  -> %s\n' "$title" "SKIPPED (no twin)" 0 twin.log | tee -a "$out/summary.txt"
  elif [ "$has_torch" != yes ]; then
    printf '%-40s %-20s %4ss  -> %s\n' "$title" "SKIPPED (no torch)" 0 twin.log | tee -a "$out/summary.txt"
  else
    part twin.log 45 "$title" python3 "$bundle/torch_twin.py" "$@"
  fi
}

run() {
  start_run
  has_torch=no
  if [ -f "$bundle/torch_twin.py" ] && timeout 60 python3 -c 'import torch' >/dev/null 2>&1; then has_torch=yes; fi
  console_command
  part tests.log 130 "GPU tests (JUnit console)" "${console_cmd[@]}" "--scan-class-path=$bundle/test/vitcap-gpu-backend-tests.jar" \
      --details=testfeed --fail-if-no-tests # testfeed: one line per test as it ends, so a time-out keeps what ran
  local counts; counts="$(grep -oE '[0-9]+ tests (successful|failed|skipped)' "$out/tests.log" | tail -3 | paste -sd, -)"
  echo "  tests: ${counts:-no totals (stopped early?); see tests.log}" | tee -a "$out/summary.txt"
  # Each benchmark beside its PyTorch twin, so that a late time-out loses a whole pair, not half of each.
  # Ten timed iterations (the twin times twenty): rates, so the counts need not match, and it leaves time for more parts.
  # In order of what the GPU targets need most: fp32, bf16 (against the twin's bf16 autocast), tf32, show-and-tell.
  part bench.log 100 "bench base cuda fp32" "${app[@]}" bench --config base --backend cuda --iterations 10 --json
  twin "torch twin base --cuda" base --cuda
  part bench.log 100 "bench base cuda bf16" "${app[@]}" bench --config base --backend cuda --precision bf16 --iterations 10 --json
  twin "torch twin base --cuda --amp bf16" base --cuda --amp bf16
  part bench.log 100 "bench base cuda tf32" "${app[@]}" bench --config base --backend cuda --precision tf32 --iterations 10 --json
  twin "torch twin base --cuda --tf32" base --cuda --tf32
  part bench.log 100 "bench base cuda showtell" "${app[@]}" bench --config base --backend cuda --decoder showtell --iterations 10 --json
  twin "torch twin base --cuda --showtell" base --cuda --showtell
  echo "done in ${SECONDS}s" | tee -a "$out/summary.txt"
}

usage() {
  cat <<'EOF'
usage: bash gpu-backend/device-check.sh prepare|run|startup|help

  prepare   on a Linux x86-64 machine with JDK 17, Maven and python3 (no GPU needed): builds core,
            gpu-backend and app and assembles .device/, a self-contained bundle of about 42 MB (its own
            Java 17, the jars, the GPU tests, the JUnit console launcher), then smoke-tests it.
            TWIN_SOURCE=path/to/twin.py picks another PyTorch twin than reference/vitcap_twin.py.
  run       on a Linux x86-64 machine with an NVIDIA GPU of compute capability 8.0 or more (Ampere or
            newer) and a driver for CUDA 13 (580 or newer), from the folder holding .device/ and
            gpu-backend/device-check.sh (a checkout, or the two copied from the build machine; no Maven
            or JDK needed): environment and cuda probe, start-up steps, vitcap doctor, the GPU tests,
            and the base-config benchmarks (beside the twin when the bundle has it and python3 has torch).
  startup   the environment, the start-up steps and doctor only: a one-minute first look.

The CUDA 13 runtime and cuBLAS and cuDNN 9 are taken from a CUDA toolkit (CUDA_HOME, else
/usr/local/cuda), from python3's pip packages (nvidia-cuda-runtime, nvidia-cublas, nvidia-cudnn-cu13),
or from LD_LIBRARY_PATH and the system's library folders. Output goes to $OUT, else .device/out:
summary.txt (one line per part), env.log, doctor.log, tests.log, bench.log, twin.log.
DEVICE_CHECK_SECONDS (default 470) bounds the whole of run; each part also has its own limit.
EOF
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  startup) startup ;;
  help|-h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
