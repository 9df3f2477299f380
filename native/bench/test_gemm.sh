#!/usr/bin/env bash
# Builds and runs the native GEMM's standalone correctness test (test_gemm.cc) with the addon's
# compiler flags. Exit status: the test's (0 = pass). Needs g++ (or CXX) and make.
set -euo pipefail
cd "$(dirname "$0")"
make -s build/test_gemm
exec ./build/test_gemm
