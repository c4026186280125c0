#!/usr/bin/env bash
# Fuzzes the import parsers with libFuzzer (clang, from Debian packages) for SECONDS (default 600),
# starting from the committed corpus, then merges what it found into tests/fuzz/corpus/import.
# A crash leaves its input as crash-* in build-fuzz/ and makes this script fail.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
"$here/scripts/install-deps.sh" clang libclang-rt-14-dev
build="$here/build-fuzz"
CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEYWARD_FUZZ=ON \
  -DKEYWARD_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzz_import_parsers -j "$(nproc)"
corpus="$here/tests/fuzz/corpus/import"
work="$build/corpus-work"
mkdir -p "$work"
cd "$build"
"$build/tests/fuzz/fuzz_import_parsers" "$work" "$corpus" -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
# Keep only inputs that add coverage, so the committed corpus stays small.
"$build/tests/fuzz/fuzz_import_parsers" -merge=1 "$corpus" "$work" >/dev/null 2>&1
echo "corpus: $(ls "$corpus" | wc -l) files"
