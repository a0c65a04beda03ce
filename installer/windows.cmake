# Windows: icon and version resources, every DLL the programs need beside them in bin/, and
# the NSIS installer. Included from installer/CMakeLists.txt; docs/windows-build.md shows the
# whole build with MSVC, Qt and vcpkg.

# Icon and version information of each executable (Explorer, taskbar, shortcuts).
set(VIGIL_RC_ICON "${VIGIL_RESOURCES_DIR}/icons/app/vigil.ico")
set(VIGIL_EXECUTABLE_DESCRIPTIONS
    "Vigil GB/T 28181 console" "Vigil GB/T 28181 server" "Vigil GB/T 28181 device simulator")
foreach(target description IN ZIP_LISTS VIGIL_EXECUTABLES VIGIL_EXECUTABLE_DESCRIPTIONS)
    set(VIGIL_RC_NAME "${target}")
    set(VIGIL_RC_DESCRIPTION "${description}")
    configure_file("${VIGIL_RESOURCES_DIR}/windows/vigil.rc.in"
        "${CMAKE_CURRENT_BINARY_DIR}/${target}.rc" @ONLY)
    target_sources(${target} PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/${target}.rc")
endforeach()

# Qt: windeployqt copies the Qt DLLs, plugins (platform, SQLite driver, image formats) and Qt's
# translations, and writes bin/qt.conf. One script per executable, because vigild and
# vigil-camsim use Qt modules the console does not.
foreach(target IN LISTS VIGIL_EXECUTABLES)
    if(Qt6_VERSION VERSION_GREATER_EQUAL 6.5)
        qt_generate_deploy_app_script(TARGET ${target} OUTPUT_SCRIPT deploy_script
            NO_UNSUPPORTED_PLATFORM_ERROR)
    else()
        qt_generate_deploy_app_script(TARGET ${target} FILENAME_VARIABLE deploy_script
            NO_UNSUPPORTED_PLATFORM_ERROR)
    endif()
    install(SCRIPT "${deploy_script}" COMPONENT runtime)
endforeach()

# FFmpeg, tinyxml2 and what they link: the DLLs the executables import, found in the bin/
# folders beside the libraries pkg-config reported (vcpkg's installed/<triplet>/bin). Qt's are
# windeployqt's job; Windows' own stay out.
set(VIGIL_DEFAULT_DLL_DIRS "")
foreach(libdir IN LISTS FFMPEG_LIBRARY_DIRS TINYXML2_LIBRARY_DIRS)
    cmake_path(GET libdir PARENT_PATH prefix)
    list(APPEND VIGIL_DEFAULT_DLL_DIRS "${prefix}/bin")
endforeach()
list(REMOVE_DUPLICATES VIGIL_DEFAULT_DLL_DIRS)
set(VIGIL_RUNTIME_DLL_DIRS "${VIGIL_DEFAULT_DLL_DIRS}" CACHE STRING
    "Folders searched for the FFmpeg and tinyxml2 DLLs the installer ships")
install(RUNTIME_DEPENDENCY_SET vigil_runtime_dlls
    DESTINATION "${CMAKE_INSTALL_BINDIR}"
    COMPONENT runtime
    DIRECTORIES ${VIGIL_RUNTIME_DLL_DIRS}
    PRE_EXCLUDE_REGEXES "^[Aa][Pp][Ii]-[Mm][Ss]-" "^[Ee][Xx][Tt]-[Mm][Ss]-" "^[Qq][Tt]6"
    POST_EXCLUDE_REGEXES "[/\\\\][Ss][Yy][Ss][Tt][Ee][Mm]32[/\\\\]")

# The MSVC runtime (vcruntime140.dll, msvcp140.dll...) beside the programs, so that no separate
# redistributable is needed. The Universal CRT is part of Windows 10 and later.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION "${CMAKE_INSTALL_BINDIR}")
set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT runtime)
include(InstallRequiredSystemLibraries)

include("${CMAKE_CURRENT_LIST_DIR}/nsis.cmake")
