#!/usr/bin/env bash
# Runs the cuda backend's GPU tests on this CPU against a fake CUDA stack (src/test/fake-cuda): a
# driver that runs vitcap_kernels.cu compiled for the host in emulation, a runtime over host memory,
# cuBLAS's products and cuDNN's LSTM in plain loops. It checks the kernels' logic and everything on
# the Java side (JNI calls, argument slots, row-major products, the cuDNN plumbing, the pool) before
# a GPU is spent on them; it says nothing of speed, of GPU memory ordering, or of how the real cuBLAS
# and cuDNN lay things out. Needs g++ with C++20.
#   bash gpu-backend/fake-cuda.sh                      the kernel and fixture checks (about a minute)
#   bash gpu-backend/fake-cuda.sh CudaTrainingTest     any test classes (training takes ~10 minutes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src/test/fake-cuda"
out="$here/target/fake-cuda"
mkdir -p "$out/map"

# Every kernel of the .cu file, for the fake driver's table.
sed -n 's/^EXPORT void \([a-z0-9_]*\)(.*/    kernel("\1", \1),/p' "$here/src/main/cuda/vitcap_kernels.cu" > "$out/kernels.inc"
echo 'int fake_cuda_placeholder;' > "$out/empty.c"

# A shared library under the soname (and symbol version) the JNI glue asks for.
library() {
  local name="$1"; shift
  echo "$name { global: *; };" > "$out/map/$name"
  "${CXX:-g++}" -std=c++20 -O1 -w -shared -fPIC -pthread -I"$out" -o "$out/$name" -Wl,-soname,"$name" -Wl,--version-script="$out/map/$name" "$@"
}
library libcuda.so.1 "$src/driver.cpp"
library libcudart.so.13 "$src/runtime.cpp"
library libcublas.so.13 "$src/blas.cpp"
library libcublasLt.so.13 -x c "$out/empty.c"
library libcudnn_graph.so.9 -DGRAPH "$src/cudnn.cpp"
library libcudnn_ops.so.9 -DOPS "$src/cudnn.cpp"
library libcudnn_adv.so.9 -DADV "$src/cudnn.cpp"
library libcudnn_cnn.so.9 -x c "$out/empty.c"
library libcudnn.so.9 -x c "$out/empty.c"

# Preloaded, so that the JNI glue's calls land here even where JavaCPP also loads a real CUDA runtime
# from /usr/local/cuda.
preload="$(cd "$out" && ls lib*.so.* | sed "s|^|$out/|" | paste -sd: -)"
tests="${*:-CudaBackendTest CudaComposedLstmTest CudaProbeTest CudaBackendChoiceTest}"
cd "$here/.."
# -am: the core built from this tree, not whatever vitcap-core jar the local repository holds.
LD_PRELOAD="$preload" LD_LIBRARY_PATH="$out" mvn -B -o -pl gpu-backend -am test -Dtest="${tests// /,}" -Dsurefire.failIfNoSpecifiedTests=false
