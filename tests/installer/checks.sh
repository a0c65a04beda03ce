# shellcheck shell=bash
# The installer tests' way of reporting: one "ok - ..." or "not ok - ..." line per check, a count
# at the end, exit 1 when any check failed. Sourced by tests/installer/test-*.sh.

passed=0
failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { # check DESCRIPTION COMMAND...
    local description=$1
    shift
    if "$@"; then ok "$description"; else not_ok "$description"; fi
}
finish() { # finish [EXIT_CODE_WHEN_ALL_PASSED]
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] || exit 1
    exit "${1:-0}"
}
