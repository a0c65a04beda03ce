# Shared by scripts/run and scripts/test: install what is missing, configure, build.
# Sourced, not executed. Works on a fresh Debian 12 machine, as root or with sudo.

VIGIL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VIGIL_BUILD_DIR=${VIGIL_BUILD_DIR:-"$VIGIL_ROOT/build"}

# What building and running the console needs.
VIGIL_BUILD_PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libqt6sql6-sqlite qt6-qpa-plugins libgl-dev libvulkan-dev libxkbcommon-dev
    libavcodec-dev libavformat-dev libavutil-dev libswscale-dev ffmpeg
    libtinyxml2-dev
    fonts-wqy-microhei
)
# What the test suite needs on top: a virtual display, SIP interop peers, screenshots.
VIGIL_TEST_PACKAGES=(
    xvfb xauth sip-tester python3 x11-apps
    dpkg-dev file desktop-file-utils x11-utils   # the Debian package test (tests/installer)
    help2man lintian
    nsis wine wine64                             # the Windows installer test (tests/installer)
    g++-mingw-w64-x86-64-posix                   # the Windows portability test (tests/portability)
)

say() { printf '==> %s\n' "$*"; }

# vigil_install_packages <package>... : apt-get installs those not yet installed.
vigil_install_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: these packages are missing and this is not a Debian system: ${missing[*]}" >&2
        return 1
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: need root or sudo to install: ${missing[*]}" >&2
            return 1
        fi
        sudo=(sudo)
    fi
    say "Installing missing Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# vigil_configure : configure $VIGIL_BUILD_DIR with Ninja. Both scripts use the same options,
# so switching between them never rebuilds everything.
vigil_configure() {
    say "Configuring in $VIGIL_BUILD_DIR"
    cmake -S "$VIGIL_ROOT" -B "$VIGIL_BUILD_DIR" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_BUILD_TESTS=ON -DVIGIL_WERROR=ON >/dev/null
}

# vigil_build [targets...] : build the given targets, or everything.
vigil_build() {
    say "Building ${*:-everything}"
    local targets=()
    [ $# -gt 0 ] && targets=(--target "$@")
    cmake --build "$VIGIL_BUILD_DIR" "${targets[@]}"
}
