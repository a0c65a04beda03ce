#!/usr/bin/env bash
# Builds the Debian package of Vigil (vigil_<version>-1_<arch>.deb) on Debian 12.
# Installs missing build packages first (as root, or with sudo).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"

usage() {
    cat <<USAGE
Usage: installer/build-deb.sh [-b BUILD_DIR] [-o OUTPUT_DIR]

Builds the .deb into OUTPUT_DIR (default: the current folder) and prints its path last.

  -b BUILD_DIR   package this already configured build tree (build/ of scripts/test, say),
                 building only what is out of date; by default a release build without the
                 tests is configured in build-deb/ and built first
  -o OUTPUT_DIR  where the package goes

Install it with:  sudo apt install ./vigil_*.deb
USAGE
}

build_dir=""
output_dir=$PWD
while getopts "b:o:h" option; do
    case "$option" in
        b) build_dir=$OPTARG ;;
        o) output_dir=$OPTARG ;;
        h) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { usage >&2; exit 2; }

# dpkg-dev brings dpkg-shlibdeps, which turns the libraries the binaries link into Depends;
# CPack needs file(1) to find those binaries; help2man makes the manual pages.
vigil_install_packages "${VIGIL_BUILD_PACKAGES[@]}" dpkg-dev file help2man

if [ -z "$build_dir" ]; then
    build_dir="$VIGIL_ROOT/build-deb"
    say "Configuring a release build in $build_dir"
    cmake -S "$VIGIL_ROOT" -B "$build_dir" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_BUILD_TESTS=OFF >/dev/null
elif [ ! -f "$build_dir/CPackConfig.cmake" ]; then
    echo "error: $build_dir is not a configured Vigil build tree (no CPackConfig.cmake)" >&2
    exit 1
fi
build_dir=$(cd "$build_dir" && pwd)

# CPack builds the whole tree (its "preinstall" target) before it installs into its staging
# folder; building first shows the compiler's output here. An up-to-date tree costs nothing.
say "Building in $build_dir"
cmake --build "$build_dir"

mkdir -p "$output_dir"
output_dir=$(cd "$output_dir" && pwd)
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/vigil-deb.XXXXXX")
trap 'rm -rf "$work_dir"' EXIT

say "Packaging"
if ! (cd "$build_dir" && cpack -G DEB -B "$work_dir" >"$work_dir/cpack.log" 2>&1); then
    cat "$work_dir/cpack.log" >&2
    echo "error: cpack failed" >&2
    exit 1
fi
shopt -s nullglob
packages=("$work_dir"/vigil_*.deb)
if [ ${#packages[@]} -ne 1 ]; then
    cat "$work_dir/cpack.log" >&2
    echo "error: expected one vigil_*.deb from cpack, found ${#packages[@]}" >&2
    exit 1
fi
mv -f "${packages[0]}" "$output_dir/"
deb="$output_dir/$(basename "${packages[0]}")"

dpkg-deb --field "$deb" Package Version Architecture Depends Recommends
echo "$deb"
