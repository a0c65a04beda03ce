#!/usr/bin/env python3
"""Compiles the shipped code (core/, ui/, app/) for Windows, syntax only, on this Linux machine.

The Windows build (MSVC, docs/windows-build.md) cannot run here, but a compiler that targets
Windows can: Debian's MinGW-w64 g++ reads every source of the build's compile_commands.json with
Windows' system headers, Qt's win32-g++ mkspec (so Q_OS_WIN is set and Q_OS_LINUX/Q_OS_UNIX are
not), and the FFmpeg and tinyxml2 headers. A POSIX header outside `#ifdef Q_OS_UNIX`, a Linux
call without an alternative, or a type that only glibc declares fails here instead of on the
Windows runner. What it cannot catch: MSVC's own dialect and linking.

Usage: check_windows_headers.py BUILD_DIR SOURCE_DIR
Exits 77 (skipped) when the MinGW-w64 compiler (g++-mingw-w64-x86-64-posix) is missing.
"""

import concurrent.futures
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COMPILER_NAMES = ("x86_64-w64-mingw32-g++-posix", "x86_64-w64-mingw32-g++")
CHECKED_DIRS = ("core", "ui", "app")


def third_party_headers(into: Path) -> None:
    """Links only FFmpeg's and tinyxml2's headers into `into`: their Debian folder
    (/usr/include/<triplet>) also holds glibc's, which would hide a missing Windows header."""
    flags = subprocess.run(["pkg-config", "--cflags-only-I", "libavcodec", "libavformat", "libavutil",
                            "libswscale", "tinyxml2"], capture_output=True, text=True, check=True).stdout
    folders = {flag[2:] for flag in shlex.split(flags)} | {"/usr/include"}
    for folder in folders:
        for entry in Path(folder).glob("*"):
            if entry.name.startswith(("libav", "libsw")) and entry.is_dir() or entry.name == "tinyxml2.h":
                target = into / entry.name
                if not target.exists():
                    target.symlink_to(entry)


def windows_command(command: str, compiler: str, headers: Path) -> list[str]:
    arguments = shlex.split(command)
    out = [compiler]
    skip_next = False
    for argument in arguments[1:]:
        if skip_next:
            skip_next = False
            continue
        if argument == "-o":
            skip_next = True
            continue
        if argument in ("-c", "-fPIC", "-g") or argument.startswith("-Werror"):
            continue
        out.append(argument.replace("mkspecs/linux-g++", "mkspecs/win32-g++"))
    # -Wno-attributes: Qt's Linux-built headers carry visibility attributes MinGW ignores.
    return out + ["-isystem", str(headers), "-fsyntax-only", "-Wno-attributes"]


def main() -> int:
    build_dir, source_dir = Path(sys.argv[1]), Path(sys.argv[2]).resolve()
    compiler = next((name for name in COMPILER_NAMES if shutil.which(name)), None)
    if compiler is None:
        print("skipped: no MinGW-w64 compiler (Debian: g++-mingw-w64-x86-64-posix)")
        return 77
    database = build_dir / "compile_commands.json"
    if not database.exists():
        print(f"not ok - {database} is missing (CMAKE_EXPORT_COMPILE_COMMANDS)")
        return 1
    roots = tuple(str(source_dir / name) + os.sep for name in CHECKED_DIRS)
    entries = list({entry["file"]: entry for entry in json.loads(database.read_text())  # once per file
                    if entry["file"].startswith(roots) and entry["file"].endswith(".cpp")}.values())
    if not entries:
        print("not ok - no sources of core/, ui/ or app/ in compile_commands.json")
        return 1

    with tempfile.TemporaryDirectory(prefix="vigil-windows-headers-") as temporary:
        headers = Path(temporary)
        third_party_headers(headers)

        def check(entry: dict) -> tuple[str, int, str]:
            command = windows_command(entry["command"], compiler, headers)
            result = subprocess.run(command, cwd=entry["directory"], capture_output=True, text=True)
            return entry["file"], result.returncode, result.stderr

        failed = 0
        workers = max(1, min(2, os.cpu_count() or 1))  # beside ctest -j2
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            for file, status, errors in pool.map(check, entries):
                name = os.path.relpath(file, source_dir)
                if status == 0:
                    print(f"ok - {name}")
                else:
                    failed += 1
                    print(f"not ok - {name}")
                    print("\n".join("    " + line for line in errors.splitlines()[:20]))
    print(f"{len(entries) - failed} passed, {failed} failed ({compiler}, syntax only)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
