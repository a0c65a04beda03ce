#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan into build-fuzz/ and runs each one.
# Usage: tests/fuzz/run-fuzzers.sh [seconds per target, default 600] [target names...]
# New crashers are written to build-fuzz/artifacts/<target>/; copy a minimised one into
# tests/fuzz/corpus/<target>/ once it is fixed so that every build replays it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-600}
shift || true
build="$root/build-fuzz"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DVIGIL_FUZZ=ON >/dev/null
cmake --build "$build"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for exe in "$build"/fuzz/fuzz_*; do targets+=("$(basename "$exe" | sed 's/^fuzz_//')"); done
fi

status=0
for name in "${targets[@]}"; do
    corpus="$build/corpus/$name"
    artifacts="$build/artifacts/$name"
    mkdir -p "$corpus" "$artifacts"
    echo "==> fuzz_$name for ${seconds}s"
    # The working corpus grows in build-fuzz; the seeds in the repository stay small.
    if ! UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
        "$build/fuzz/fuzz_$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -artifact_prefix="$artifacts/" "$corpus" "$root/tests/fuzz/corpus/$name"; then
        echo "fuzz_$name found a problem: see $artifacts" >&2
        status=1
    fi
done
exit $status
