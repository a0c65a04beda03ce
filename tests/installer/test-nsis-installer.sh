#!/usr/bin/env bash
# The Windows installer, as far as this Linux machine can take it: CPack's NSIS generator with
# Debian's makensis builds installer/nsis.cmake with Vigil's package metadata around stand-in
# files named like the real programs (tests/installer/nsis).
#  1. The x86-unicode installer, what the Windows build makes with NSIS' own release, must build.
#  2. The same script as a 64-bit installer runs under Wine: a silent install puts the files in
#     Program Files\Vigil, makes the Start-menu and desktop shortcuts, registers the uninstaller
#     and adds the firewall rules (netsh command lines read from Wine's process trace); a second
#     install over the first (an upgrade) keeps working; the uninstaller removes what was installed
#     and the firewall rules, and leaves each user's settings and data alone.
# What it cannot check: the real programs and DLLs (docs/windows-build.md, the Windows workflow)
# and Windows' own firewall (Wine's netsh does nothing).
#
# Exits 77 (skipped) without cmake/cpack and makensis, or without Wine for the second half.
# Usage: test-nsis-installer.sh SOURCE_DIR VERSION
set -uo pipefail

source_dir=$1
version=$2

# shellcheck source=checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

for tool in cmake cpack makensis; do
    if ! command -v "$tool" >/dev/null; then
        echo "skipped: $tool is not installed (Debian: nsis for makensis)"
        exit 77
    fi
done

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/vigil-nsis-test.XXXXXX")
cleanup() {
    if [ -n "${WINEPREFIX:-}" ] && command -v wineserver >/dev/null; then
        wineserver -k >/dev/null 2>&1
    fi
    rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# build_installer TARGET: configures and packs tests/installer/nsis for makensis' TARGET stub;
# prints the installer's path.
build_installer() {
    local dir="$work_dir/$1"
    cmake -S "$source_dir/tests/installer/nsis" -B "$dir" -DVIGIL_SOURCE_DIR="$source_dir" \
        -DVIGIL_VERSION="$version" -DVIGIL_NSIS_TARGET="$1" >"$dir.log" 2>&1 &&
        (cd "$dir" && cpack -G NSIS >>"$dir.log" 2>&1) || {
        cat "$dir.log" "$dir"/_CPack_Packages/*/NSIS/NSISOutput.log 2>/dev/null
        return 1
    }
    echo "$dir/vigil-$version-win64.exe"
}

# 1. What the Windows build makes.
if installer=$(build_installer x86-unicode); then
    ok "the x86-unicode installer builds"
    check "it is a 32-bit Windows program" grep -q "PE32 executable" <<<"$(file -b "$installer")"
else
    not_ok "the x86-unicode installer builds"
fi

# 2. The 64-bit installer under Wine.
if ! command -v wine >/dev/null; then
    echo "skipped: Wine is not installed; the installer was only built, not run"
    finish 77
fi
if ! installer=$(build_installer amd64-unicode); then
    not_ok "the amd64-unicode installer builds"
    finish
fi
ok "the amd64-unicode installer builds"

export WINEPREFIX="$work_dir/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY # nothing here shows a window; Wine needs no X server for silent installs
if ! wine wineboot --init >"$work_dir/wineboot.log" 2>&1 || ! wineserver -w; then
    cat "$work_dir/wineboot.log"
    not_ok "Wine sets up a prefix"
    finish
fi

# run_traced LOG PROGRAM ARGS...: runs a Windows program and waits for everything it started
# (the uninstaller copies itself to a temporary folder and runs from there), with the command
# lines of the processes it starts in LOG.
run_traced() {
    local log=$1
    shift
    WINEDEBUG=-all,+process wine "$@" 2>"$log"
    local status=$?
    wineserver -w
    return $status
}
# started LOG: the command lines started, one per line, with Wine's escaping undone.
started() {
    sed -n 's/.*CreateProcessInternalW app (null) cmdline L"\(.*\)"$/\1/p' "$1" | sed 's/\\"/"/g; s/\\\\/\\/g'
}
unix_path() { winepath -u "$1" 2>/dev/null; }
windows_env() { wine cmd /c echo "%$1%" 2>/dev/null | tr -d '\r'; }
reg_has() { wine reg query "$1" /v "$2" >/dev/null 2>&1; }
reg_key_has() { wine reg query "$1" >/dev/null 2>&1; }

program_files=$(unix_path 'C:\Program Files\Vigil')
start_menu=$(unix_path 'C:\ProgramData\Microsoft\Windows\Start Menu\Programs\Vigil')
public_desktop=$(unix_path 'C:\users\Public\Desktop')
appdata=$(unix_path "$(windows_env APPDATA)")
local_appdata=$(unix_path "$(windows_env LOCALAPPDATA)")
uninstall_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall'

# The installer's own registry key (Software\<vendor>\<key>) must not be one the programs keep
# their settings under (QSettings: Software\Vigil\<program>; the registry ignores case): the
# uninstaller deletes it, and for an install without administrator rights it is under HKCU.
registry_key=$(sed -n 's/^set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "\(.*\)")$/\1/p' "$work_dir/amd64-unicode/CPackConfig.cmake")
check "the installer's registry key ($registry_key) is none of the programs' settings keys" \
    test -n "$(tr '[:upper:]' '[:lower:]' <<<"$registry_key" | grep -vx 'vigil\|vigild\|vigil-camsim')"

run_traced "$work_dir/install.log" "$installer" /S
check "the silent install succeeds" test $? -eq 0
for file in bin/vigil.exe bin/vigild.exe bin/vigil-camsim.exe bin/Qt6Core.dll share/vigil/demo-h264.h264 Uninstall.exe; do
    check "installed: $file" test -f "$program_files/$file"
done
check "Start-menu shortcut" test -f "$start_menu/Vigil.lnk"
check "Start-menu uninstaller shortcut" test -f "$start_menu/Uninstall.lnk"
check "desktop shortcut" test -f "$public_desktop/Vigil.lnk"
check "Start-menu shortcut points at vigil.exe" grep -qa 'bin\\vigil.exe' "$start_menu/Vigil.lnk"
check "listed in Apps & features" reg_has "$uninstall_key\\$registry_key" UninstallString
check "Apps & features shows \"Vigil $version\"" \
    grep -q "Vigil $version" <<<"$(wine reg query "$uninstall_key\\$registry_key" /v DisplayName 2>/dev/null)"

started "$work_dir/install.log" >"$work_dir/install.commands"
for program in vigil vigild; do
    for protocol in UDP TCP; do
        check "firewall rule: $program.exe $protocol 5060 and 30000-30999" grep -qF \
            "netsh advfirewall firewall add rule name=\"Vigil GB28181\" description=\"GB/T 28181 SIP signalling and RTP media\" dir=in action=allow program=\"C:\\Program Files\\Vigil\\bin\\$program.exe\" protocol=$protocol localport=5060,30000-30999" \
            "$work_dir/install.commands"
    done
done

# An operator's settings and data, as the programs write them.
mkdir -p "$appdata/Vigil/vigil" "$local_appdata/Vigil/vigil"
echo "devices" >"$appdata/Vigil/vigil/vigil.sqlite"
echo "cache" >"$local_appdata/Vigil/vigil/snapshot.jpg"
wine reg add 'HKCU\Software\Vigil\vigil\console' /v layout /d 16 /f >/dev/null 2>&1
wine reg add 'HKCU\Software\Vigil\vigild\sip' /v port /d 5060 /f >/dev/null 2>&1

# An upgrade: the same installer again, over the installed one.
run_traced "$work_dir/upgrade.log" "$installer" /S
check "installing again over it succeeds" test $? -eq 0
check "still installed after the upgrade" test -f "$program_files/bin/vigil.exe"
check "settings kept by the upgrade" reg_has 'HKCU\Software\Vigil\vigil\console' layout

run_traced "$work_dir/uninstall.log" "$program_files/Uninstall.exe" /S
check "the silent uninstall succeeds" test $? -eq 0
check "programs removed" test ! -e "$program_files/bin/vigil.exe"
check "install folder removed" test ! -e "$program_files"
check "Start-menu shortcuts removed" test ! -e "$start_menu/Vigil.lnk"
check "desktop shortcut removed" test ! -e "$public_desktop/Vigil.lnk"
check "no longer in Apps & features" eval '! reg_key_has "$uninstall_key\\$registry_key"'
check "firewall rules removed" grep -qF 'netsh advfirewall firewall delete rule name="Vigil GB28181"' \
    <(started "$work_dir/uninstall.log")
check "the console's settings kept" reg_has 'HKCU\Software\Vigil\vigil\console' layout
check "vigild's settings kept" reg_has 'HKCU\Software\Vigil\vigild\sip' port
check "roaming data kept (%APPDATA%\\Vigil)" test -s "$appdata/Vigil/vigil/vigil.sqlite"
check "local data kept (%LOCALAPPDATA%\\Vigil)" test -s "$local_appdata/Vigil/vigil/snapshot.jpg"

finish
