#!/usr/bin/env bash
# Builds and runs the native GEMM's standalone correctness test (test_gemm.cc) with the addon's
# compiler flags, three times: with the default blocking; with every call split over threads
# (by column vectors); with tiny blocks (every k/m/n blocking loop taken, B always packed, rows
# split over threads). Exit status 0 when all three pass. Needs g++ (or CXX) and make.
set -euo pipefail
cd "$(dirname "$0")"
make -s build/test_gemm
echo "== default blocking"
./build/test_gemm
echo "== every call parallel, column split"
HEBB_GEMM_PAR_FLOPS=1 HEBB_GEMM_SPLIT=n ./build/test_gemm | tail -1
echo "== tiny blocks, B always packed, row split"
HEBB_GEMM_PAR_FLOPS=1 HEBB_GEMM_SPLIT=m HEBB_GEMM_KC=48 HEBB_GEMM_MC=20 HEBB_GEMM_NC=40 HEBB_GEMM_DIRECT_B_M=1 \
  ./build/test_gemm | tail -1
