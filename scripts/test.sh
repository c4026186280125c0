#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as errors and with
# AddressSanitizer + UndefinedBehaviorSanitizer, starts a throwaway PostgreSQL on a loopback
# port, runs ctest, and stops PostgreSQL again whatever happens. Exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${KEYWARD_TEST_BUILD_DIR:-$here/build-test}

"$here/scripts/install-deps.sh"
"$here/scripts/build.sh" "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEYWARD_WERROR=ON -DKEYWARD_SANITIZE=ON \
  -DKEYWARD_BUILD_BENCH=ON

# shellcheck source=scripts/pg-throwaway.sh
source "$here/scripts/pg-throwaway.sh"
pg_throwaway_start
trap pg_throwaway_stop EXIT

export KEYWARD_TEST_PG_URL="$PG_THROWAWAY_URL"
export KEYWARD_TEST_PG_REQUIRED=1
export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/tests/lsan.supp:print_suppressions=0}

cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 900
