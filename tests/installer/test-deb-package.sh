#!/usr/bin/env bash
# Builds the Debian package from this build tree with installer/build-deb.sh, checks its files
# and fields, then installs it on this machine, runs the installed programs, removes and purges
# it, and checks that the data of vigild survives both. Needs root or password-less sudo for the
# second half; without them it stops after the package checks and reports itself skipped (77).
#
# The machine is left as it was, whatever fails: an EXIT trap purges the package and deletes the
# user, folders and files the test created. A run killed before its trap ran is cleaned up by
# the next one, which recognises it by the marker file it leaves in /var/lib/vigil.
#
# Usage: test-deb-package.sh SOURCE_DIR BUILD_DIR
# shellcheck disable=SC2317 # the helpers run through check() and the EXIT trap
set -uo pipefail

source_dir=$1
build_dir=$2
readonly marker=/var/lib/vigil/vigil-package-test.marker
readonly unit_name=vigild.service

# shellcheck source=checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/vigil-deb-test.XXXXXX")
installed_by_us=0
created=""   # what the install half created, of: user group data-dir etc-dir
sudo=()

as_root() { "${sudo[@]}" "$@"; }

# undo_install CREATED: purges the package and deletes what the test created, nothing else.
undo_install() {
    as_root env DEBIAN_FRONTEND=noninteractive dpkg --purge vigil >/dev/null 2>&1
    as_root rm -f "$marker"
    case " $1 " in *" data-dir "*) as_root rmdir /var/lib/vigil 2>/dev/null ;; esac
    case " $1 " in *" etc-dir "*) as_root rmdir /etc/vigil 2>/dev/null ;; esac
    case " $1 " in *" user "*) as_root userdel vigil >/dev/null 2>&1 ;; esac
    case " $1 " in *" group "*) ! getent group vigil >/dev/null || as_root groupdel vigil >/dev/null 2>&1 ;; esac
}

cleanup() {
    [ "$installed_by_us" -eq 0 ] || undo_install "$created"
    rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

package_state() { dpkg-query -W -f='${db:Status-Abbrev}' vigil 2>/dev/null | tr -d ' '; }
package_absent() { case "$(package_state)" in "" | un | pn) return 0 ;; *) return 1 ;; esac; }

# --- build and inspect the package (no root needed) -----------------------------------------

echo "# building the package from $build_dir"
if ! "$source_dir/installer/build-deb.sh" -b "$build_dir" -o "$work_dir" >"$work_dir/build.log" 2>&1; then
    cat "$work_dir/build.log"
    not_ok "installer/build-deb.sh builds the package"
    finish
fi
deb=$(tail -n 1 "$work_dir/build.log")
check "installer/build-deb.sh builds $(basename "$deb")" test -f "$deb"
[ -f "$deb" ] || finish

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
field() { dpkg-deb --field "$deb" "$1"; }
check "Package is vigil" test "$(field Package)" = vigil
check "Version is $version-1" test "$(field Version)" = "$version-1"
check "Architecture is $(dpkg --print-architecture)" test "$(field Architecture)" = "$(dpkg --print-architecture)"
check "Maintainer, Section, Homepage and Description are set" \
    test -n "$(field Maintainer)" -a "$(field Section)" = video -a -n "$(field Homepage)" -a -n "$(field Description)"

# Depends as one package name per line, without versions and alternatives' bars.
depends=$(field Depends | sed -E 's/[,|]/\n/g' | sed -E 's/\(.*\)//; s/^ +//; s/ +$//' | sort -u)
depends_on() { grep -qx "$1" <<<"$depends"; }
# What the programs load or call without linking it, and the Qt modules every build links.
for package in adduser libqt6sql6-sqlite qt6-qpa-plugins libqt6core6 libqt6network6 libqt6gui6 libqt6widgets6; do
    check "Depends names $package" depends_on "$package"
done

dpkg-deb --contents "$deb" | awk '{ print $1, $6 }' | sed 's| \./| /|' >"$work_dir/contents"
has_file() { grep -q " $1\$" "$work_dir/contents"; }
mode_of() { awk -v path="$1" '$2 == path { print $1 }' "$work_dir/contents"; }
unit_path=$(awk '$2 ~ /\/systemd\/system\/vigild\.service$/ { print $2 }' "$work_dir/contents")
for path in /usr/bin/vigil /usr/bin/vigild /usr/bin/vigil-camsim /usr/share/applications/vigil.desktop \
            /usr/share/icons/hicolor/scalable/apps/vigil.svg /etc/vigil/vigild.conf; do
    check "contains $path" has_file "$path"
done
for size in 16 22 24 32 48 64 128 256 512; do
    check "contains the ${size}x$size icon" has_file "/usr/share/icons/hicolor/${size}x$size/apps/vigil.png"
done
check "contains the systemd unit ($unit_path)" test -n "$unit_path"
check "/etc/vigil/vigild.conf is not world-readable ($(mode_of /etc/vigil/vigild.conf))" \
    test "$(mode_of /etc/vigil/vigild.conf)" = "-rw-------"
check "ships nothing in /var, /usr/local or /home" \
    test -z "$(awk '$2 ~ "^/(var|usr/local|home)/" { print $2 }' "$work_dir/contents")"
check "ships no shared libraries (Qt and FFmpeg come from Debian)" \
    test -z "$(awk '$2 ~ /\.so(\.|$)/ { print $2 }' "$work_dir/contents")"

dpkg-deb --control "$deb" "$work_dir/control"
check "conffiles lists /etc/vigil/vigild.conf" grep -qx /etc/vigil/vigild.conf "$work_dir/control/conffiles"
shell_script_ok() { test -x "$1" && sh -n "$1"; }
for script in postinst prerm postrm; do
    check "$script is an executable shell script without syntax errors" shell_script_ok "$work_dir/control/$script"
done

dpkg-deb --extract "$deb" "$work_dir/root"
for program in vigil vigild vigil-camsim; do
    check "/usr/bin/$program is stripped" grep -q ', stripped' <(file "$work_dir/root/usr/bin/$program")
done
# Every library the programs link (FFmpeg, tinyxml2, the other Qt modules, as the programs grow)
# must come from a package named in Depends.
missing_depends=""
linked_packages=""
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
for library in $(objdump -p "$work_dir"/root/usr/bin/* | awk '$1 == "NEEDED" { print $2 }' | sort -u); do
    # The native library, not a same-named one of another architecture (libc6-i386...).
    owner=""
    for dir in "/lib/$multiarch" "/usr/lib/$multiarch" /lib /usr/lib; do
        owner=$(dpkg-query -S "$dir/$library" 2>/dev/null | head -n 1 | cut -d: -f1)
        [ -n "$owner" ] && break
    done
    linked_packages+=" ${owner:-?}"
    if [ -z "$owner" ]; then
        missing_depends+=" $library(no package)"
    elif ! depends_on "$owner"; then
        missing_depends+=" $library($owner)"
    fi
done
echo "# the programs link libraries from:$(tr ' ' '\n' <<<"$linked_packages" | sort -u | tr '\n' ' ')"
check "every linked library's package is in Depends${missing_depends:+, missing:$missing_depends}" test -z "$missing_depends"
if command -v desktop-file-validate >/dev/null; then
    check "the desktop entry is valid" desktop-file-validate "$work_dir/root/usr/share/applications/vigil.desktop"
fi
desktop_entry_runs_vigil() {
    local entry="$work_dir/root/usr/share/applications/vigil.desktop"
    grep -qx 'Exec=vigil' "$entry" && grep -qx 'Icon=vigil' "$entry"
}
check "the desktop entry starts vigil with the vigil icon" desktop_entry_runs_vigil

# Manual pages (help2man, from each program's --help) and Debian's changelog.
for program in vigil vigild vigil-camsim; do
    check "contains the manual page $program(1)" has_file "/usr/share/man/man1/$program.1.gz"
done
vigild_manual_documents_settings() {
    local page
    page=$(zcat "$work_dir/root/usr/share/man/man1/vigild.1.gz") || return 1
    grep -qF 'sip\-port' <<<"$page" && grep -qF /etc/vigil/vigild.conf <<<"$page"
}
check "vigild(1) documents --sip-port and /etc/vigil/vigild.conf" vigild_manual_documents_settings
changelog="$work_dir/root/usr/share/doc/vigil/changelog.Debian.gz"
check "the changelog's first entry is vigil ($version-1)" \
    grep -q "^vigil ($version-1) " <(zcat "$changelog" 2>/dev/null)
# lintian, when installed: no errors. The one exception waits for the owners' choice of license:
# without it there is no copyright file to write.
if command -v lintian >/dev/null; then
    lintian --tag-display-limit 0 --suppress-tags no-copyright-file "$deb" >"$work_dir/lintian" 2>&1
    check "lintian finds no errors (but the missing copyright file)$(grep '^E:' "$work_dir/lintian" | tr '\n' ' ')" \
        test -z "$(grep '^E:' "$work_dir/lintian")"
    sed 's/^/# lintian: /' "$work_dir/lintian" | grep -v 'root privileges' || true
fi

# --- install, run, remove (root) -------------------------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    else
        echo "# SKIPPED the install half: it needs root or password-less sudo (the package checks above ran)"
        finish 77
    fi
fi

# The marker without a run of ours means an earlier run was killed before its clean-up; it says
# what that run had created.
if [ -e "$marker" ]; then
    echo "# cleaning up after an interrupted earlier run"
    undo_install "$(as_root sed -n 's/^created://p' "$marker")"
fi
if ! package_absent; then
    echo "# SKIPPED the install half: a vigil package is on this machine (dpkg state $(package_state)); the test leaves it alone"
    finish 77
fi

getent passwd vigil >/dev/null || created+=" user"
getent group vigil >/dev/null || created+=" group"
[ -e /var/lib/vigil ] || created+=" data-dir"
[ -e /etc/vigil ] || created+=" etc-dir"
installed_by_us=1

# Data vigild wrote before (a reinstall after a removal, say). It also marks the machine as being
# in this test's hands until the clean-up deletes it.
as_root mkdir -p /var/lib/vigil
printf 'device database stand-in\ncreated:%s\n' "$created" | as_root tee "$marker" >/dev/null
marker_before=$(as_root stat -c '%U:%G %s' "$marker")

dpkg_as_root() { as_root env DEBIAN_FRONTEND=noninteractive dpkg "$@" >"$work_dir/dpkg.log" 2>&1 || { cat "$work_dir/dpkg.log"; return 1; }; }

check "dpkg -i installs the package" dpkg_as_root --install "$deb"
check "the package is installed and configured" test "$(package_state)" = ii
[ "$(package_state)" = ii ] || finish

clean_env=(env -i PATH=/usr/bin:/bin HOME="$work_dir/home" LANG=C.UTF-8)
for program in vigil vigild vigil-camsim; do
    output=$("${clean_env[@]}" "/usr/bin/$program" --version 2>&1)
    status=$?
    check "/usr/bin/$program --version says $version (exit $status: $output)" \
        test "$status" -eq 0 -a -n "$(grep -F "$version" <<<"$output")"
done
# The menu entry: its command starts the installed console, which opens its window.
console_window_opens() {
    local command pid found=1
    read -r -a command <<<"$(sed -n 's/^Exec=//p' /usr/share/applications/vigil.desktop)"
    env -i PATH=/usr/bin:/bin HOME="$work_dir/home" LANG=C.UTF-8 DISPLAY="$DISPLAY" \
        ${XAUTHORITY:+XAUTHORITY="$XAUTHORITY"} "${command[@]}" >"$work_dir/console.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 150); do   # up to 30 s on a busy machine
        if xwininfo -root -tree 2>/dev/null | grep -q '"Vigil": ("vigil"'; then
            found=0
            break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ "$found" -eq 0 ] || cat "$work_dir/console.log"
    return "$found"
}
if [ -n "${DISPLAY:-}" ] && command -v xwininfo >/dev/null; then
    check "the desktop entry's command opens the console's window" console_window_opens
else
    echo "# not starting the console: no X display (run under xvfb-run) or no xwininfo (x11-utils)"
fi
check "the installed programs find all their libraries" \
    test -z "$(ldd /usr/bin/vigil /usr/bin/vigild /usr/bin/vigil-camsim | grep 'not found')"

check "the vigil system user exists with /var/lib/vigil as home and no login shell" \
    test "$(getent passwd vigil | cut -d: -f6,7)" = /var/lib/vigil:/usr/sbin/nologin
check "/var/lib/vigil belongs to vigil:vigil, mode 750" \
    test "$(stat -c '%U:%G %a' /var/lib/vigil)" = "vigil:vigil 750"
check "/etc/vigil/vigild.conf is root:vigil, mode 640" \
    test "$(stat -c '%U:%G %a' /etc/vigil/vigild.conf)" = "root:vigil 640"
check "$unit_name is installed but not enabled" \
    test -f "$unit_path" -a ! -e /etc/systemd/system/multi-user.target.wants/$unit_name
if command -v systemctl >/dev/null; then
    check "systemctl is-enabled $unit_name says disabled" test "$(systemctl is-enabled $unit_name 2>&1)" = disabled
fi
if command -v systemd-analyze >/dev/null; then
    verify=$(systemd-analyze verify "$unit_path" 2>&1)
    check "systemd-analyze verify accepts the unit${verify:+: $verify}" test -z "$verify"
fi

check "the package left the existing data in /var/lib/vigil alone" \
    test "$(as_root stat -c '%U:%G %s' "$marker")" = "$marker_before"

# A setting the admin changed: it must outlive upgrade and removal, like the data.
as_root sed -i 's/^;port = 5060$/port = 5070/' /etc/vigil/vigild.conf

check "installing the same package again (an upgrade) works" dpkg_as_root --install "$deb"
check "the upgrade kept the data in /var/lib/vigil" as_root test -s "$marker"
check "the upgrade kept the changed setting" as_root grep -qx 'port = 5070' /etc/vigil/vigild.conf
check "the upgrade did not enable $unit_name" test ! -e /etc/systemd/system/multi-user.target.wants/$unit_name

check "dpkg -r removes the package" dpkg_as_root --remove vigil
check "the package is removed, its settings kept" test "$(package_state)" = rc
check "the programs are gone" test ! -e /usr/bin/vigil -a ! -e /usr/bin/vigild -a ! -e /usr/bin/vigil-camsim
check "removal kept the data in /var/lib/vigil" as_root test -s "$marker"
check "removal kept /etc/vigil/vigild.conf with the changed setting" as_root grep -qx 'port = 5070' /etc/vigil/vigild.conf
check "removal kept the vigil user" test -n "$(getent passwd vigil)"

check "dpkg -P purges the package" dpkg_as_root --purge vigil
check "the package is gone" package_absent
check "purging deleted /etc/vigil/vigild.conf" test ! -e /etc/vigil/vigild.conf
check "purging kept the data in /var/lib/vigil" as_root test -s "$marker"
check "purging left no masked or enabled $unit_name behind" \
    test ! -e /etc/systemd/system/$unit_name -a ! -e /etc/systemd/system/multi-user.target.wants/$unit_name

finish
