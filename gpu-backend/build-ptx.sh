#!/usr/bin/env bash
# Compiles src/main/cuda/vitcap_kernels.cu to the PTX resource the cuda backend loads, and checks that
# PTX with ptxas for the GPUs we run on. Run it after every change to the .cu file and commit both:
# the build and CI machines need no nvcc, and PtxResourceTest fails when the two drift apart.
#   bash gpu-backend/build-ptx.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src/main/cuda/vitcap_kernels.cu"
out="$here/src/main/resources/dev/vitcap/cuda/vitcap_kernels.ptx"
command -v nvcc >/dev/null || { echo "build-ptx: nvcc not found (install the CUDA toolkit or put it on PATH)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# compute_80: plain PTX, no machine code; the driver compiles it for the GPU at hand (sm_80 and newer).
# No -lineinfo (it would embed this machine's paths) and no fast-math (the reference's rounding matters).
nvcc -ptx -arch=compute_80 -std=c++17 -o "$tmp/kernels.ptx" "$src"
targets="$(ptxas --help)"
for sm in sm_80 sm_90 sm_100; do
  if [[ "$targets" == *"'$sm'"* ]]; then
    ptxas -arch="$sm" -o "$tmp/$sm.cubin" "$tmp/kernels.ptx"
    echo "build-ptx: ptxas $sm ok"
  fi
done
hash="$(sha256sum "$src" | cut -d' ' -f1)"
{ echo "// vitcap_kernels.cu sha256 $hash"; cat "$tmp/kernels.ptx"; } > "$out"
echo "build-ptx: wrote ${out#"$here/"} ($(wc -c < "$out") bytes, source sha256 $hash)"
